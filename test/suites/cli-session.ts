// How an IOS XR session behaves, beyond the guide's own lines: abbreviations, the three kinds of error,
// `?` help from the YANG descriptions, Tab, `no` forms, the candidate/running model (`show
// configuration`, `abort`, the questions on `end` and on a commit after another session's commit), mode
// navigation, `do`, section filters, debug traces, ping, clear, history, and secrets. Expected texts are
// written here by hand from IOS XR's behaviour (ios-xr-cli.md §1 and §4), as whole transcripts.
import { Console } from '../../src/cli/console.js';
import { runTranscript } from '../../src/cli/transcript.js';
import type { RouterOps } from '../../src/cli/state.js';
import { FixtureOps } from '../support/fixture-ops.js';
import { diffTranscript, parseTranscript } from '../support/transcript.js';
import { decodeType7 } from '../support/type7-ref.js';
import { equal, ok } from '../support/assert.js';
import { Rig, STAMP, TEST_TIME } from './cli-support.js';

/** A caret line: `col` spaces, then `^` (the column counts the prompt). */
const at = (col: number) => `${' '.repeat(col)}^\n% Invalid input detected at '^' marker.`;
const E = 'RP/0/RP0/CPU0:R#'; // 16 characters
const C = 'RP/0/RP0/CPU0:R(config)#'; // 24 characters
/** What `show running-config` prints before the configuration, after a commit by admin. */
const RUN = `${STAMP}\nBuilding configuration...\n!! IOS XR Configuration 24.3.1\n!! Last configuration change at Mon Feb 12 10:29:44 2024 by admin\n!`;

/** Replay a transcript (typed lines taken from it) and compare the whole text. */
async function transcript(text: string, rig = new Rig()): Promise<Rig> {
  const t = parseTranscript(text.replace(/^\n/, ''));
  const sink = { text: '' };
  const con = new Console({ store: rig.store, clock: rig.clock, write: (s) => { sink.text += s; }, ...(rig.ops ? { ops: rig.ops } : {}) });
  await runTranscript(con, t.inputs, (x) => { sink.text += x; });
  const d = diffTranscript(t.lines, sink.text);
  ok(d === null, `${d}`);
  return rig;
}

class OpsRig extends Rig {
  constructor(ops: RouterOps) { super(undefined, ops); }
}

const TRANSCRIPTS: Record<string, string> = {
  'keywords abbreviate to a unique prefix': `
${E}conf t
${C}ikev2 prop P prf sha-256
${C}ikev2 prof PR life 600
${C}comm
${STAMP}
${C}end
${E}sh run ikev2
${RUN}
ikev2 proposal P
 prf sha-256
!
ikev2 profile PR
 lifetime 600
!
end
${E}sh clock
${STAMP}
10:29:44.738 UTC Mon Feb 12 2024`,

  'ambiguous, incomplete and invalid lines': `
${E}c
% Ambiguous command:  "c"
${E}show ikev2
% Incomplete command.
${E}show ikev3 sa
${at(25)}
${E}configure
${C}ikev2 pro P prf sha-256
% Ambiguous command:  "pro"
${C}ikev2 proposal P prf
% Incomplete command.
${C}ikev2 proposal P prf md5
${at(45)}
${C}ikev2 profile PR lifetime 119
${at(50)}
${C}ikev2 profile PR lifetime 12O
${at(52)}
${C}keyring K peer P address 10.0.0.256 255.0.0.0
${at(58)}
${C}hostname bad*name
${at(36)}
${C}commit
${STAMP}
% No configuration changes to commit.`,

  '? lists what may come next, with the YANG descriptions': `
${E}configure
${C}ikev2 profile PR lifetime ?
  <120-86400>  Enter the lifetime value in seconds
${C}ikev2 profile PR match identity remote ?
  address  remote IP address(es) for matching identity
  any      match any peer identity
  fqdn     Fully qualified domain name string for matching identity
${C}ikev2 proposal P dh-group ?
  19  19 256-bit ECP group-19
  20  20 384-bit ECP group-20
  21  21 521-bit ECP group-21
${C}keyring K peer P pp?
  ppk  ppk
${C}ipsec profile IP set pfs ?
  group19  D-H Group 19 (256-bit ECP)
  group20  D-H Group 20 (384-bit ECP)
  group21  D-H Group 21 (521-bit ECP)
${C}ikev2 profile PR lifetime 600 ?
  <cr>
${C}ikev2 profile PR lifetime x?
${at(50)}`,

  '`no` removes what it names; show configuration lists the pending change': `
${E}configure
${C}ikev2 profile PR lifetime 600
${C}ikev2 profile PR keyring K
${C}keyring K peer P address 10.0.0.1 255.0.0.0
${C}commit
${STAMP}
${C}no ikev2 profile PR lifetime
${C}no keyring K
${C}show configuration
${STAMP}
Building configuration...
!! IOS XR Configuration 24.3.1
ikev2 profile PR
 no lifetime
!
no keyring K
!
end
${C}commit
${STAMP}
${C}show running-config ikev2 profile PR
${RUN}
ikev2 profile PR
 keyring K
!
end
${C}show running-config keyring
${STAMP}
% No such configuration item(s)
${C}no keyring K
${C}commit
${STAMP}
% No configuration changes to commit.`,

  '`end` with uncommitted changes asks first: an unclear answer asks again, Enter cancels, yes commits': `
${E}configure
${C}hostname X
${C}end
Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]: maybe
% Please answer 'yes', 'no' or 'cancel'
Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]: 
${C}end
Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]: yes
${STAMP}
RP/0/RP0/CPU0:X#show running-config hostname
${RUN}
hostname X
!
end`,

  '`end` answered no, and `abort`, drop every uncommitted change': `
${E}configure
${C}hostname X
${C}end
Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]: no
${E}configure
${C}hostname Y
${C}keyring K
RP/0/RP0/CPU0:R(config-ikev2-keyring)#abort
${E}configure
${C}show configuration
${STAMP}
Building configuration...
!! IOS XR Configuration 24.3.1
end
${C}exit
${E}show running-config
${STAMP}
Building configuration...
!! IOS XR Configuration 24.3.1
!
hostname R
!
end`,

  'exit goes up one mode, root to global configuration; a global command typed in a submode leaves it': `
${E}configure terminal
${C}keyring K
RP/0/RP0/CPU0:R(config-ikev2-keyring)#peer P
RP/0/RP0/CPU0:R(config-ikev2-keyring-peer)#address 10.0.0.1 255.0.0.0
RP/0/RP0/CPU0:R(config-ikev2-keyring-peer)#exit
RP/0/RP0/CPU0:R(config-ikev2-keyring)#peer Q
RP/0/RP0/CPU0:R(config-ikev2-keyring-peer)#root
${C}ikev2 profile PR
RP/0/RP0/CPU0:R(config-ikev2-profile-PR)#keyring K
RP/0/RP0/CPU0:R(config-ikev2-profile-PR)#ipsec profile IP
RP/0/RP0/CPU0:R(config-ipsec-profile-IP)#set ikev2-profile PR
RP/0/RP0/CPU0:R(config-ipsec-profile-IP)#interface tunnel-ip1
RP/0/RP0/CPU0:R(config-if)#tunnel mode ipsec ipv4
RP/0/RP0/CPU0:R(config-if)#hostname R2
${C}interface GigabitEthernet0/0/0/1
RP/0/RP0/CPU0:R(config-if)#tunnel mode ipsec ipv4
${' '.repeat(27)}^
% Invalid input detected at '^' marker.
RP/0/RP0/CPU0:R(config-if)#exit
${C}commit
${STAMP}
RP/0/RP0/CPU0:R2(config)#exit
RP/0/RP0/CPU0:R2#show running-config keyring
${RUN}
keyring K
 peer P
  address 10.0.0.1 255.0.0.0
 !
 peer Q
 !
!
end`,

  '`do` runs an EXEC command from configuration mode; configure cannot be nested': `
${E}configure
${C}do show running-config hostname
${STAMP}
Building configuration...
!! IOS XR Configuration 24.3.1
!
hostname R
!
end
${C}do configure
${at(27)}
${C}do shw clock
${at(29)}
${C}show running-config interface Gi0/0/0/9
${STAMP}
% No such configuration item(s)`,

  'a failed commit reverts everything and says why in show configuration failed': `
${E}configure
${C}hostname Z
${C}keyring K peer P pre-shared-key password 0822455D0A16
${C}keyring K peer P pre-shared-key local 060506324F41584B56
${C}commit
${STAMP}

% Failed to commit one or more configuration items during a pseudo-atomic operation. All changes made have been reverted. Please issue 'show configuration failed [inheritance]' from this session to view the errors
${C}show configuration failed
${STAMP}
!! SEMANTIC ERRORS: This configuration was rejected by
!! the system due to semantic errors. The individual
!! errors with each failed configuration command can be
!! found below.


keyring K
 peer P
  pre-shared-key local 060506324F41584B56
!!% 'pre-shared-key local/remote' and 'pre-shared-key password' cannot be configured together
 !
!
end
${C}no keyring K peer P pre-shared-key local
${C}commit
${STAMP}
RP/0/RP0/CPU0:Z(config)#show running-config keyring
${RUN}
keyring K
 peer P
  pre-shared-key password 0822455D0A16
 !
!
end`,
};

TRANSCRIPTS['the commit database: list, and the changes of the last commits or of one'] = `
${E}configure
${C}hostname A
${C}commit
${STAMP}
RP/0/RP0/CPU0:A(config)#ikev2 profile PR lifetime 600
RP/0/RP0/CPU0:A(config)#commit
${STAMP}
RP/0/RP0/CPU0:A(config)#ikev2 profile PR lifetime 700
RP/0/RP0/CPU0:A(config)#commit
${STAMP}
RP/0/RP0/CPU0:A(config)#end
RP/0/RP0/CPU0:A#show configuration commit list
${STAMP}
SNo. Label/ID              User      Line                Client      Time Stamp
~~~~ ~~~~~~~~              ~~~~      ~~~~                ~~~~~~      ~~~~~~~~~~
1    1000000003            admin     con0_RP0_CPU0       CLI         Mon Feb 12 10:29:44 2024
2    1000000002            admin     con0_RP0_CPU0       CLI         Mon Feb 12 10:29:44 2024
3    1000000001            admin     con0_RP0_CPU0       CLI         Mon Feb 12 10:29:44 2024
RP/0/RP0/CPU0:A#show configuration commit list 1
${STAMP}
SNo. Label/ID              User      Line                Client      Time Stamp
~~~~ ~~~~~~~~              ~~~~      ~~~~                ~~~~~~      ~~~~~~~~~~
1    1000000003            admin     con0_RP0_CPU0       CLI         Mon Feb 12 10:29:44 2024
RP/0/RP0/CPU0:A#show configuration commit changes last 2
${STAMP}
Building configuration...
!! IOS XR Configuration 24.3.1
ikev2 profile PR
 lifetime 700
!
end
RP/0/RP0/CPU0:A#show configuration commit changes 1000000001
${STAMP}
Building configuration...
!! IOS XR Configuration 24.3.1
hostname A
!
end
RP/0/RP0/CPU0:A#show configuration commit changes 1000000009
${STAMP}
% No such configuration item(s)
RP/0/RP0/CPU0:A#show configuration commit changes last 4
${STAMP}
% No such configuration item(s)`;

export function cliSessionSuite(): void {
  describe('IOS XR session: transcripts', () => {
    for (const [name, text] of Object.entries(TRANSCRIPTS)) it(name, () => transcript(text).then(() => undefined));
  });

  describe('IOS XR session: behaviour', () => {
    it('Tab completes a unique keyword prefix and lists the choices of an ambiguous one', async () => {
      const rig = new Rig();
      equal(rig.con.complete('conf').line, 'configure ', 'conf');
      equal(rig.con.complete('sh').line, 'show ', 'sh');
      equal(rig.con.complete('show ik').line, 'show ikev2 ', 'show ik');
      equal(rig.con.complete('c').choices.join(' '), 'clear configure', 'c');
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
      equal(a.con.prompt, C, 'back at the configuration prompt');
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
      await rig.type('debug ikev2');
      ops.emit({ at: new Date(TEST_TIME + 1), text: 'IKE_AUTH response received: AUTH verified' });
      equal(rig.out, 'Mon Feb 12 10:29:44.739 UTC: ikev2: IKE_AUTH response received: AUTH verified\n', 'live line');
      await rig.type('undebug all');
      ops.emit({ at: new Date(TEST_TIME + 2), text: 'not shown either' });
      ok(!rig.out.includes('not shown'), rig.out);
      const trace = await rig.type('show ikev2 trace');
      ok(trace.startsWith(`${STAMP}\n`) && trace.includes('IKE_SA_INIT request sent to 10.0.0.2'), trace);
    });

    it('ping streams ! and . and ends with the success rate', async () => {
      const ops = new FixtureOps({ pingReplies: [{ seq: 1, ok: true, rttMs: 1 }, { seq: 2, ok: false }, { seq: 3, ok: true, rttMs: 4 }] });
      const rig = new OpsRig(ops);
      equal(await rig.type('ping 10.0.0.2 source tunnel-ip1 count 3'), [
        'Type escape sequence to abort.',
        'Sending 3, 100-byte ICMP Echos to 10.0.0.2 timeout is 2 seconds:',
        '!.!',
        'Success rate is 66 percent (2/3), round-trip min/avg/max = 1/3/4 ms', ''].join('\n'), 'output');
      equal(JSON.stringify(ops.pings[0]), JSON.stringify({ destination: '10.0.0.2', source: 'tunnel-ip1', count: 3, size: 100, timeoutSec: 2 }), 'request');
      const none = new Rig();
      equal(await none.type('ping 10.0.0.2'), [
        'Type escape sequence to abort.',
        'Sending 5, 100-byte ICMP Echos to 10.0.0.2 timeout is 2 seconds:',
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
      equal(await rig.type('clear ikev2 sa'), '', 'all');
      equal(await rig.type('clear ikev2 sa id 99'), '% IKE SA 99 not found\n', 'unknown id');
      equal(await rig.type('clear ipsec sa interface tunnel-ip1'), '', 'one interface');
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
