// How an IOS XR session behaves, beyond the guide's own lines: abbreviations, the three kinds of error,
// `?` help from the YANG descriptions, Tab, `no` forms, the candidate/running model (`show
// configuration`, `abort`, the questions on `end` and on a commit after another session's commit), mode
// navigation, `do`, section and output filters, interfaces, debug traces, ping, clear, history, secrets,
// and names that are special to JavaScript. Expected texts are written by hand from IOS XR's behaviour
// (ios-xr-cli.md §1 and §4): whole transcripts in test/vectors/ios-xr-session, the rest below.
import type { RouterOps } from '../../src/cli/state.js';
import { FixtureOps } from '../support/fixture-ops.js';
import { decodeType7 } from '../support/type7-ref.js';
import { equal, ok } from '../support/assert.js';
import { Rig, STAMP, TEST_TIME, replay } from './cli-support.js';
import { loadConfig } from '../../src/config/load.js';
import { renderConfig } from '../../src/config/render.js';

/** A caret line: `col` spaces, then `^` (the column counts the prompt). */
const at = (col: number) => `${' '.repeat(col)}^\n% Invalid input detected at '^' marker.`;

class OpsRig extends Rig {
  constructor(ops: RouterOps) { super(undefined, ops); }
}

/** Hand-written transcripts in test/vectors/ios-xr-session (the first line of each says what it shows). */
const SESSION_TRANSCRIPTS = [
  '01-abbreviations', '02-errors', '03-help', '04-no-forms', '05-end-asks', '06-end-no-and-abort', '07-navigation',
  '08-do-and-sections', '09-failed-commit', '10-commit-database', '11-output-filters', '12-interfaces', '13-edge-cases',
];

export function cliSessionSuite(): void {
  describe('IOS XR session: transcripts', () => {
    for (const name of SESSION_TRANSCRIPTS) {
      it(name, () => replay(`ios-xr-session/${name}.txt`));
    }
  });

  describe('IOS XR session: behaviour', () => {
    it('Tab completes a unique keyword prefix and lists the choices of an ambiguous one', async () => {
      const rig = new Rig();
      equal(rig.con.complete('conf').line, 'configure ', 'conf');
      equal(rig.con.complete('sh').line, 'show ', 'sh');
      equal(rig.con.complete('show ik').line, 'show ikev2 ', 'show ik');
      equal(rig.con.complete('c').choices.join(' '), 'clear configure crypto', 'c');
      equal(rig.con.complete('c').line, 'c', 'ambiguous: the line is left as it is');
      await rig.type('configure');
      const pro = rig.con.complete('ikev2 pro');
      equal(pro.line, 'ikev2 pro', 'no longer common prefix');
      equal(pro.choices.join(' '), 'profile proposal', 'ikev2 pro');
      equal(rig.con.complete('ikev2 proposal P dh').line, 'ikev2 proposal P dh-group ', 'into the flat form');
      equal(rig.con.complete('keyring K peer P pre-shared-key lo').line, 'keyring K peer P pre-shared-key local ', 'deep');
      equal(rig.con.complete('ipsec transform-set T transform esp-g').line, 'ipsec transform-set T transform esp-gcm-', 'common prefix of esp-gcm-128/256');
      equal(rig.con.complete('bogus').choices.length, 0, 'nothing for an invalid word');
    });

    it('a commit after another session committed asks first; yes merges both sessions\' changes', async () => {
      const a = new Rig();
      const b = new Rig(undefined, undefined, a.store);
      await a.type('configure', 'ikev2 profile PR lifetime 600');
      await b.type('configure', 'logging 192.0.2.9', 'commit');
      const asked = await a.type('commit');
      equal(asked, "One or more commits have occurred from other configuration sessions since this session started or since the last commit was made from this session. You can use the 'show configuration commit changes' command to browse the changes.\n", 'the warning');
      equal(a.con.prompt, 'Do you wish to proceed with this commit anyway? [no]: ', 'the question');
      equal(await a.type(''), '', 'Enter means no');
      ok(!a.running().includes('lifetime 600'), 'not committed');
      equal(a.con.prompt, 'RP/0/RP0/CPU0:R(config-ikev2-profile-PR)#', 'back at the prompt of the submode the line reached');
      await a.type('commit');
      equal(await a.type('yes'), `${STAMP}\n`, 'committed');
      const run = a.running();
      ok(run.includes('logging 192.0.2.9 vrf default') && run.includes('ikev2 profile PR\n lifetime 600'), run);
      equal(a.store.commits.length, 2, 'two commits');
    });

    it('a commit that does not validate leaves the running configuration byte-identical, in both sessions', async () => {
      const a = new Rig();
      await a.type('configure', 'keyring K peer P ppk manual id 1 key abc', 'commit');
      const before = a.running();
      await a.type('keyring K peer P ppk dynamic Q');
      const out = await a.type('commit');
      ok(out.includes('pseudo-atomic'), out);
      equal(a.running(), before, 'unchanged');
      ok((await a.type('show configuration')).includes(' peer P\n  ppk dynamic Q\n'), 'still pending in the candidate');
    });

    it('control characters and non-ASCII are rejected where they are, and change nothing', async () => {
      const rig = new Rig();
      await rig.type('configure');
      const before = rig.running();
      equal(await rig.type('hostname a\u0001b'), `${at(34)}\n`, 'control character');
      equal(await rig.type('hostname ré'), `${at(34)}\n`, 'non-ASCII');
      equal(await rig.type('\u001b[A'), `${at(24)}\n`, 'an escape sequence');
      equal(await rig.type('commit'), `${STAMP}\n% No configuration changes to commit.\n`, 'nothing pending');
      equal(rig.running(), before, 'unchanged');
    });

    it('debug ikev2 prints each exchange as it happens; undebug stops it; show ikev2 trace keeps them', async () => {
      const ops = new FixtureOps({ trace: [{ at: new Date(TEST_TIME).toISOString(), text: 'IKE_SA_INIT request sent to 10.0.0.2' }] });
      const rig = new OpsRig(ops);
      ops.emit({ at: new Date(TEST_TIME), text: 'not shown: debugging is off' });
      equal(rig.out, '', 'nothing before debug');
      equal(await rig.type('debug ikev2'), `${STAMP}\n`, 'debug ikev2');
      const before = rig.out.length;
      ops.emit({ at: new Date(TEST_TIME + 1), text: 'IKE_AUTH response received: AUTH verified' });
      equal(rig.out.slice(before), 'Mon Feb 12 10:29:44.739 UTC: ikev2: IKE_AUTH response received: AUTH verified\n', 'live line');
      await rig.type('undebug all');
      ops.emit({ at: new Date(TEST_TIME + 2), text: 'not shown either' });
      ok(!rig.out.includes('not shown'), rig.out);
      const trace = await rig.type('show ikev2 trace');
      ok(trace.startsWith(`${STAMP}\n`) && trace.includes('IKE_SA_INIT request sent to 10.0.0.2'), trace);
    });

    it('ping streams ! and . and ends with the success rate', async () => {
      const ops = new FixtureOps({ pingReplies: [{ seq: 1, ok: true, rttMs: 1 }, { seq: 2, ok: false }, { seq: 3, ok: true, rttMs: 4 }] });
      const rig = new OpsRig(ops);
      equal(await rig.type('ping 10.0.0.2 source tunnel-ip1 count 3'), [STAMP,
        'Type escape sequence to abort.',
        'Sending 3, 100-byte ICMP Echos to 10.0.0.2, timeout is 2 seconds:',
        '!.!',
        'Success rate is 66 percent (2/3), round-trip min/avg/max = 1/3/4 ms', ''].join('\n'), 'output');
      equal(JSON.stringify(ops.pings[0]), JSON.stringify({ destination: '10.0.0.2', source: 'tunnel-ip1', count: 3, size: 100, timeoutSec: 2 }), 'request');
      const none = new Rig();
      equal(await none.type('ping 10.0.0.2'), [STAMP,
        'Type escape sequence to abort.',
        'Sending 5, 100-byte ICMP Echos to 10.0.0.2, timeout is 2 seconds:',
        '.....',
        'Success rate is 0 percent (0/5)', ''].join('\n'), 'no router running: no replies');
      const long = await new OpsRig(new FixtureOps({ pingReplies: Array.from({ length: 75 }, (_, i) => ({ seq: i + 1, ok: true, rttMs: 2 })) }))
        .type('ping 10.0.0.2 count 75 size 1400');
      ok(long.includes(`${'!'.repeat(70)}\n!!!!!\nSuccess rate is 100 percent (75/75), round-trip min/avg/max = 2/2/2 ms`), long);
      ok(long.includes('Sending 75, 1400-byte ICMP Echos'), long);
    });

    it('clear ikev2 sa / clear ipsec sa reach the router; an unknown SA id says so', async () => {
      const ops = new FixtureOps({});
      const rig = new OpsRig(ops);
      equal(await rig.type('clear ikev2 sa'), `${STAMP}\n`, 'all');
      equal(await rig.type('clear ikev2 sa id 99'), `${STAMP}\n% IKE SA 99 not found\n`, 'unknown id');
      equal(await rig.type('clear ipsec sa interface tunnel-ip01'), `${STAMP}\n`, 'one interface');
      equal(JSON.stringify(ops.cleared), JSON.stringify({ ike: [null, 99], ipsec: ['tunnel-ip1'] }), 'calls');
    });

    it('history keeps the last 200 lines typed; exit in EXEC ends the session', async () => {
      const rig = new Rig();
      for (let i = 0; i < 205; i++) await rig.type(`show clock ${i}`);
      equal(rig.con.history.length, 200, 'bounded');
      equal(rig.con.history[0], 'show clock 5', 'oldest dropped first');
      await rig.type('exit');
      ok(rig.con.closed, 'closed');
      equal(await rig.type('show clock'), '', 'no more input taken');
    });

    it('a session with no changes of its own has nothing pending after another session commits', async () => {
      const a = new Rig();
      const b = new Rig(undefined, undefined, a.store);
      await a.type('configure');
      await b.type('configure', 'ikev2 proposal P prf sha-1', 'commit');
      equal(await a.type('show configuration'), `${STAMP}\nBuilding configuration...\n!! IOS XR Configuration 24.3.1\nend\n`, 'nothing pending');
      equal(await a.type('end'), '', 'end asks nothing');
      equal(a.con.mode, 'exec', 'back in EXEC');
      await a.type('configure', 'ikev2 proposal P prf sha-256', 'hostname B');
      equal(await b.type('hostname C', 'commit'), `${STAMP}\n`, 'B commits again');
      equal(await a.type('show configuration'), `${STAMP}\nBuilding configuration...\n!! IOS XR Configuration 24.3.1\nhostname B\n!\nikev2 proposal P\n prf sha-256\n!\nend\n`, 'only A\'s own changes');
    });

    it('names JavaScript treats specially (__proto__, constructor, toString) are ordinary names', async () => {
      const rig = new Rig();
      await rig.type('configure');
      const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
      for (const n of names) {
        const printed = await rig.type(`ikev2 proposal ${n} prf sha-256`, `ikev2 policy ${n} proposal ${n}`,
          `keyring ${n} peer ${n} address 10.0.0.1 255.0.0.0`, `ikev2 profile ${n} keyring ${n}`, `ipsec transform-set ${n} mode tunnel`,
          `ipsec profile ${n} set responder-only`, `sks profile ${n} type remote kme server ipv4 192.0.2.1 port 1`, 'root');
        equal(printed, '', `${n} accepted`);
      }
      equal(await rig.type('ipsec transform-set TS', 'keyring K peer Q identity fqdn a.example.com', 'commit'), `${STAMP}\n`, 'committed');
      const probe = {} as Record<string, unknown>;
      for (const k of ['prf', 'proposals', 'modeTunnel', 'responderOnly', 'address', 'keyring', 'peers']) equal(probe[k], undefined, `Object.prototype.${k}`);
      const run = rig.running();
      ok(run.includes('ipsec transform-set TS\n!') && run.includes('keyring K\n peer Q\n  identity fqdn a.example.com\n !\n!'), `untouched by the others:\n${run}`);
      for (const n of names) ok(run.includes(`keyring ${n}\n peer ${n}\n  address 10.0.0.1 255.0.0.0\n !\n!`), `keyring ${n}`);
      const back = loadConfig(run);
      ok(back.errors.length === 0 && renderConfig(back.config) === run, 'round trip');
      equal(await rig.type('no keyring __proto__ peer __proto__', 'root', 'no ikev2 profile constructor', 'commit'), `${STAMP}\n`, 'removed');
      ok(!rig.running().includes('ikev2 profile constructor') && rig.running().includes('keyring __proto__\n!'), rig.running());
    });

    it('one-digit days are padded as IOS XR pads them', async () => {
      const rig = new Rig();
      rig.clock.set(Date.UTC(2025, 8, 4, 13, 29, 19, 276));
      equal(await rig.type('show clock'), 'Thu Sep  4 13:29:19.276 UTC\n13:29:19.276 UTC Thu Sep 4 2025\n', 'show clock');
      await rig.type('configure', 'hostname D', 'commit', 'end');
      ok((await rig.type('show running-config')).includes('!! Last configuration change at Thu Sep  4 13:29:19 2025 by admin\n'), 'last change');
    });

    it('clear-text secrets never appear in any output; they are stored type-7', async () => {
      const ops = new FixtureOps({});
      const rig = new OpsRig(ops);
      const secrets = ['Psk-Secret-1', 'LocalSide-2', 'RemoteSide-3', 'Ppk-Manual-Key-4', 'Bang-Form-5'];
      await rig.type('configure',
        `keyring K peer A pre-shared-key ${secrets[0]}`,
        `keyring K peer B pre-shared-key local !${secrets[1]}`, `keyring K peer B pre-shared-key remote !${secrets[2]}`,
        `keyring K peer A ppk manual id 7 key ${secrets[3]} required`,
        `keyring K peer C pre-shared-key password !${secrets[4]}`,
        `keyring K peer C pre-shared-key local !${secrets[4]}`); // commit fails: shows the failed lines
      await rig.type('show configuration', 'commit', 'show configuration failed', 'no keyring K peer C pre-shared-key local',
        'commit', 'show running-config', 'do show running-config keyring K', 'keyring K peer A pre-shared-key ?', 'end', 'show running-config');
      for (const s of secrets) ok(!rig.out.includes(s), `"${s}" printed:\n${rig.out}`);
      const run = rig.running();
      const type7s = [...run.matchAll(/(?:password|local|remote) ([0-9A-F]{4,})/g)].map((m) => decodeType7(m[1]));
      for (const s of secrets) ok(type7s.includes(s), `${s} stored type-7: ${type7s.join(',')}`);
    });
  });
}
