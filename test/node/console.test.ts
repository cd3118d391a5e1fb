// `webswan console` as users run it: a scripted session from a pipe, a saved running-config loaded with
// --config (the guide's listing, shown back exactly as the hand-written transcript says), errors in a
// configuration file reported with file, line and caret, and bad invocations refused.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './env-node.js';
import { diffTranscript, parseTranscript } from '../support/transcript.js';
import { equal, ok } from '../support/assert.js';

const root = projectRoot();
const consoleRun = (input: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin', 'webswan.mjs'), 'console', ...args], { input, encoding: 'utf8' });

/** The wall clock's timestamps replaced by the transcripts' fixed ones. */
const fixTime = (s: string) => s
  .replace(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d\.\d{3} UTC$/gm, 'Mon Feb 12 10:29:44.738 UTC')
  .replace(/(Last configuration change at )\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4}/g, '$1Mon Feb 12 10:29:44 2024');

describe('webswan console', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'webswan-console-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('from a pipe: each line after its prompt, then its output; the secret typed is shown only as type 7', () => {
    const r = consoleRun('config\nhostname R1\nkeyring K peer P pre-shared-key Pipe-Secret-9\ncommit\nshow running-config keyring\nikev2 profile PR lifetime ?\nikev2 prof\nend\nexit\nshow clock\n');
    equal(r.status, 0, `exit code (stderr: ${r.stderr})`);
    equal(r.stderr, '', 'nothing on stderr');
    const want = parseTranscript(`RP/0/RP0/CPU0:ios#config
Mon Feb 12 10:29:44.738 UTC
RP/0/RP0/CPU0:ios(config)#hostname R1
RP/0/RP0/CPU0:ios(config)#keyring K peer P pre-shared-key Pipe-Secret-9
RP/0/RP0/CPU0:ios(config-ikev2-keyring-peer)#commit
Mon Feb 12 10:29:44.738 UTC
RP/0/RP0/CPU0:R1(config-ikev2-keyring-peer)#show running-config keyring
Mon Feb 12 10:29:44.738 UTC
Building configuration...
!! IOS XR Configuration 24.3.1
!! Last configuration change at Mon Feb 12 10:29:44 2024 by admin
!
keyring K
 peer P
  pre-shared-key password {type7:Pipe-Secret-9}
 !
!
end
RP/0/RP0/CPU0:R1(config-ikev2-keyring-peer)#ikev2 profile PR lifetime ?
  <120-86400>  Enter the lifetime value in seconds
RP/0/RP0/CPU0:R1(config-ikev2-keyring-peer)#ikev2 prof
% Incomplete command.
RP/0/RP0/CPU0:R1(config-ikev2-keyring-peer)#end
RP/0/RP0/CPU0:R1#exit
`);
    const d = diffTranscript(want.lines, fixTime(r.stdout));
    ok(d === null, `${d}`);
    ok(!r.stdout.replace('pre-shared-key Pipe-Secret-9', '').includes('Pipe-Secret-9'), 'the secret is echoed only where it was typed');
  });

  it('--config loads the guide\'s running-config listing and shows it back canonically', () => {
    const cfg = join(root, 'test', 'vectors', 'ios-xr-guide', 'router1-running-config.cfg');
    const r = consoleRun('show running-config\n', '--config', cfg);
    equal(r.status, 0, `exit code (stderr: ${r.stderr})`);
    equal(r.stderr, '', 'the listing loads without an error');
    const want = parseTranscript(readFileSync(join(root, 'test', 'vectors', 'ios-xr-guide', 'router1-running-config.txt'), 'utf8'));
    const d = diffTranscript(want.lines, fixTime(r.stdout));
    ok(d === null, `${d}`);
  });

  it('a configuration file with bad lines: each reported with file, line and caret (keys masked); the good lines are loaded', () => {
    const file = join(dir, 'bad.cfg');
    writeFileSync(file, 'hostname A\nkeyring K\n peer P\n  address 1.2.3.4 255.0.0.0\n  bogus line\n  pre-shared-key Sekret-77 junk\n !\n!\nikev2 proposal X prf md5\nend\n');
    const r = consoleRun('show running-config keyring\n', '--config', file);
    equal(r.status, 0, 'the router still starts');
    equal(r.stderr, `${file}:5: bogus line\n${' '.repeat(file.length + 4)}^\n% Invalid input detected at '^' marker.\n` +
      `${file}:6: pre-shared-key ********* junk\n${' '.repeat(file.length + 4 + 25)}^\n% Invalid input detected at '^' marker.\n` +
      `${file}:9: ikev2 proposal X prf md5\n${' '.repeat(file.length + 4 + 21)}^\n% Invalid input detected at '^' marker.\n`, 'errors, the key masked');
    ok(fixTime(r.stdout).includes('keyring K\n peer P\n  address 1.2.3.4 255.0.0.0\n !\n!\nend\n'), r.stdout);
    ok(r.stdout.startsWith('RP/0/RP0/CPU0:A#'), 'hostname from the file');
  });

  it('a configuration file that cannot be committed is refused (exit 1); a missing one too (exit 2)', () => {
    const file = join(dir, 'conflict.cfg');
    writeFileSync(file, 'keyring K\n peer P\n  ppk manual id 1 key password 0822455D0A16\n  ppk dynamic Q\n !\n!\n');
    const r = consoleRun('', '--config', file);
    equal(r.status, 1, 'exit code');
    ok(r.stderr.includes(`${file}: configuration rejected:`) && r.stderr.includes("'ppk dynamic' and 'ppk manual' are mutually exclusive"), r.stderr);
    const m = consoleRun('', '--config', join(dir, 'missing.cfg'));
    equal(m.status, 2, 'missing file');
    ok(m.stderr.includes('cannot read') && m.stderr.includes('missing.cfg'), m.stderr);
  });

  it('unknown options and a --config without a file are refused with usage (exit 2)', () => {
    for (const args of [['--bogus'], ['--config']]) {
      const r = consoleRun('', ...args);
      equal(r.status, 2, `exit code for ${args.join(' ')}`);
      ok(/usage: webswan/.test(r.stderr), 'usage shown');
    }
  });

  it('a piped session ends at end of input, or at exit with the rest unread', () => {
    const r = consoleRun('exit\nconfig\n');
    equal(r.stdout, 'RP/0/RP0/CPU0:ios#exit\n', 'stops at exit');
    const t = consoleRun('config\nhostname Q\n');
    equal(t.status, 0, 'end of input');
    ok(t.stdout.endsWith('RP/0/RP0/CPU0:ios(config)#hostname Q\n'), t.stdout);
  });
});

describe('webswan console on a terminal', () => {
  // script(1) (util-linux, part of every Debian install) gives the console a pseudo-terminal; each key is
  // sent once the terminal shows the previous one, so the test does not depend on timing.
  it('Tab completes, ? shows help without taking the line, Enter runs it', async () => {
    const { spawn } = await import('node:child_process');
    const p = spawn('script', ['-qfc', `${process.execPath} ${join(root, 'bin', 'webswan.mjs')} console`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    p.stdout.on('data', (d: Buffer) => { screen += d.toString(); });
    const plain = () => screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
    const waitFor = async (text: string) => {
      const t0 = Date.now();
      while (!plain().includes(text)) {
        if (Date.now() - t0 > 15000 || p.exitCode !== null) throw new Error(`terminal never showed ${JSON.stringify(text)}:\n${plain()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      await waitFor('RP/0/RP0/CPU0:ios#');
      p.stdin.write('conf'); await waitFor('ios#conf');
      p.stdin.write('\t'); await waitFor('ios#configure ');
      p.stdin.write('\r'); await waitFor('ios(config)#');
      p.stdin.write('ikev2 profile PR lifetime '); await waitFor('lifetime ');
      p.stdin.write('?'); await waitFor('<120-86400>  Enter the lifetime value in seconds');
      p.stdin.write('600\r'); await waitFor('lifetime 600\n');
      p.stdin.write('commit\r'); await waitFor(' UTC\n');
      p.stdin.write('do show running-config ikev2\r'); await waitFor('ikev2 profile PR\n lifetime 600\n!\nend');
      p.stdin.write('end\r'); await waitFor('#end\n');
      p.stdin.write('exit\r');
      await new Promise<void>((resolve) => { if (p.exitCode !== null) resolve(); else p.on('exit', () => resolve()); });
      equal(p.exitCode, 0, 'exit code');
    } finally {
      if (p.exitCode === null) p.kill();
    }
  });
});
