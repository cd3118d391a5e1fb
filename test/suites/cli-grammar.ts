// Grammar coverage (ios-xr-cli.md §2): every keyword and value of every command, typed flat from the
// global configuration mode, then committed; the block `show running-config` prints for it is written
// here by hand. The printed text is then loaded back as a file (round trip) and must give the same
// configuration. Then every range boundary and every mutually exclusive pair.
import { loadConfig } from '../../src/config/load.js';
import { sameConfig } from '../../src/config/model.js';
import { renderConfig } from '../../src/config/render.js';
import { Rig, STAMP, blockOf } from './cli-support.js';
import { equal, ok } from '../support/assert.js';
import { decodeType7, encodeType7 } from '../support/type7-ref.js';

/** [what is typed (flat, from global configuration), the block header, the block as shown]. */
const ACCEPTED: [string, string, string][] = [
  ['hostname edge-1.lab', 'hostname edge-1.lab', 'hostname edge-1.lab'],
  ['logging 192.0.2.9', 'logging 192.0.2.9 vrf default', 'logging 192.0.2.9 vrf default'],
  ['logging 192.0.2.9 vrf mgmt severity warning port 5514', 'logging 192.0.2.9 vrf mgmt severity warning port 5514', 'logging 192.0.2.9 vrf mgmt severity warning port 5514'],
  // ikev2 global (§2.9, 26.2)
  ['ikev2 global dpd 10 2', 'ikev2 global dpd 10 2', 'ikev2 global dpd 10 2'],
  ['ikev2 global dpd 3600 60', 'ikev2 global dpd 3600 60', 'ikev2 global dpd 3600 60'],
  ['ikev2 global retransmission 6', 'ikev2 global retransmission 6', 'ikev2 global retransmission 6'],
  // ikev2 proposal (§2.1): every value, lists in preference order
  ['ikev2 proposal P encryption aes-cbc-128 aes-cbc-192 aes-cbc-256 aes-gcm-128 aes-gcm-256', 'ikev2 proposal P', 'ikev2 proposal P\n encryption aes-cbc-128 aes-cbc-192 aes-cbc-256 aes-gcm-128 aes-gcm-256\n!'],
  ['ikev2 proposal P encryption aes-gcm-256 aes-cbc-128', 'ikev2 proposal P', 'ikev2 proposal P\n encryption aes-gcm-256 aes-cbc-128\n!'],
  ['ikev2 proposal P integrity sha-1 sha-256 sha-384 sha-512', 'ikev2 proposal P', 'ikev2 proposal P\n integrity sha-1 sha-256 sha-384 sha-512\n!'],
  ['ikev2 proposal P prf sha-512 sha-384 sha-256 sha-1', 'ikev2 proposal P', 'ikev2 proposal P\n prf sha-512 sha-384 sha-256 sha-1\n!'],
  ['ikev2 proposal P dh-group 19 20 21', 'ikev2 proposal P', 'ikev2 proposal P\n dh-group 19 20 21\n!'],
  ['ikev2 proposal P dh-group 21', 'ikev2 proposal P', 'ikev2 proposal P\n dh-group 21\n!'],
  // ikev2 policy (§2.2)
  ['ikev2 policy POL proposal P', 'ikev2 policy POL', 'ikev2 policy POL\n proposal P\n!'],
  ['ikev2 policy POL match address local 198.51.100.5', 'ikev2 policy POL', 'ikev2 policy POL\n match address local 198.51.100.5\n!'],
  ['ikev2 policy POL match fvrf any', 'ikev2 policy POL', 'ikev2 policy POL\n match fvrf any\n!'],
  ['ikev2 policy POL match fvrf red', 'ikev2 policy POL', 'ikev2 policy POL\n match fvrf red\n!'],
  // keyring → peer (§2.3)
  ['keyring K peer P address 10.10.10.1 255.255.255.0', 'keyring K', 'keyring K\n peer P\n  address 10.10.10.1 255.255.255.0\n !\n!'],
  ['keyring K peer P pre-shared-key cisco123', 'keyring K', 'keyring K\n peer P\n  pre-shared-key password {type7:cisco123}\n !\n!'],
  ['keyring K peer P pre-shared-key password 0822455D0A16', 'keyring K', 'keyring K\n peer P\n  pre-shared-key password 0822455D0A16\n !\n!'],
  ['keyring K peer P pre-shared-key password !cisco', 'keyring K', 'keyring K\n peer P\n  pre-shared-key password {type7:cisco}\n !\n!'],
  ['keyring K peer P pre-shared-key local !alpha', 'keyring K', 'keyring K\n peer P\n  pre-shared-key local {type7:alpha}\n !\n!'],
  ['keyring K peer P identity address 192.0.2.2', 'keyring K', 'keyring K\n peer P\n  identity address 192.0.2.2\n !\n!'],
  ['keyring K peer P identity fqdn RouterB.example.com', 'keyring K', 'keyring K\n peer P\n  identity fqdn RouterB.example.com\n !\n!'],
  ['keyring K peer P identity fqdn domain example.com', 'keyring K', 'keyring K\n peer P\n  identity fqdn domain example.com\n !\n!'],
  ['keyring K peer P ppk manual id 123 key password 060506324F41584B56 required', 'keyring K', 'keyring K\n peer P\n  ppk manual id 123 key password 060506324F41584B56 required\n !\n!'],
  ['keyring K peer P ppk manual id aB+/9 key s3cret-ppk', 'keyring K', 'keyring K\n peer P\n  ppk manual id aB+/9 key password {type7:s3cret-ppk}\n !\n!'],
  ['keyring K peer P ppk dynamic Qkd', 'keyring K', 'keyring K\n peer P\n  ppk dynamic Qkd\n !\n!'],
  ['keyring K peer P ppk dynamic Qkd required', 'keyring K', 'keyring K\n peer P\n  ppk dynamic Qkd required\n !\n!'],
  // ikev2 profile (§2.4)
  ['ikev2 profile PR keyring K', 'ikev2 profile PR', 'ikev2 profile PR\n keyring K\n!'],
  ['ikev2 profile PR keyring ppk K', 'ikev2 profile PR', 'ikev2 profile PR\n keyring ppk K\n!'],
  ['ikev2 profile PR lifetime 600', 'ikev2 profile PR', 'ikev2 profile PR\n lifetime 600\n!'],
  ['ikev2 profile PR authentication local pre-shared', 'ikev2 profile PR', 'ikev2 profile PR\n authentication local pre-shared\n!'],
  ['ikev2 profile PR authentication local rsa-signature', 'ikev2 profile PR', 'ikev2 profile PR\n authentication local rsa-signature\n!'],
  ['ikev2 profile PR authentication remote pre-shared', 'ikev2 profile PR', 'ikev2 profile PR\n authentication remote pre-shared\n!'],
  ['ikev2 profile PR authentication remote rsa-signature', 'ikev2 profile PR', 'ikev2 profile PR\n authentication remote rsa-signature\n!'],
  ['ikev2 profile PR match identity remote address 10.10.10.0 255.255.255.0', 'ikev2 profile PR', 'ikev2 profile PR\n match identity remote address 10.10.10.0 255.255.255.0\n!'],
  ['ikev2 profile PR match identity remote fqdn RouterB.example.com', 'ikev2 profile PR', 'ikev2 profile PR\n match identity remote fqdn RouterB.example.com\n!'],
  ['ikev2 profile PR match identity remote fqdn domain example.com', 'ikev2 profile PR', 'ikev2 profile PR\n match identity remote fqdn domain example.com\n!'],
  ['ikev2 profile PR match identity remote any', 'ikev2 profile PR', 'ikev2 profile PR\n match identity remote any\n!'],
  ['ikev2 profile PR match fvrf any', 'ikev2 profile PR', 'ikev2 profile PR\n match fvrf any\n!'],
  ['ikev2 profile PR identity local address 10.10.10.3', 'ikev2 profile PR', 'ikev2 profile PR\n identity local address 10.10.10.3\n!'],
  ['ikev2 profile PR identity local fqdn RouterA.example.com', 'ikev2 profile PR', 'ikev2 profile PR\n identity local fqdn RouterA.example.com\n!'],
  ['ikev2 profile PR pki trustpoint TP1', 'ikev2 profile PR', 'ikev2 profile PR\n pki trustpoint TP1\n!'],
  // ipsec transform-set (§2.5 and project decision 1)
  ['ipsec transform-set T transform esp-aes esp-hmac-sha1', 'ipsec transform-set T', 'ipsec transform-set T\n transform esp-aes esp-hmac-sha1\n!'],
  ['ipsec transform-set T transform esp-128-aes esp-hmac-sha', 'ipsec transform-set T', 'ipsec transform-set T\n transform esp-aes esp-hmac-sha1\n!'],
  ['ipsec transform-set T transform esp-192-aes esp-hmac-sha-256', 'ipsec transform-set T', 'ipsec transform-set T\n transform esp-192-aes esp-hmac-sha-256\n!'],
  ['ipsec transform-set T transform esp-hmac-sha-384 esp-256-aes', 'ipsec transform-set T', 'ipsec transform-set T\n transform esp-256-aes esp-hmac-sha-384\n!'],
  ['ipsec transform-set T transform esp-256-aes esp-hmac-sha-512', 'ipsec transform-set T', 'ipsec transform-set T\n transform esp-256-aes esp-hmac-sha-512\n!'],
  ['ipsec transform-set T transform esp-gcm-128', 'ipsec transform-set T', 'ipsec transform-set T\n transform esp-gcm-128\n!'],
  ['ipsec transform-set T transform esp-gcm-256', 'ipsec transform-set T', 'ipsec transform-set T\n transform esp-gcm-256\n!'],
  ['ipsec transform-set T mode tunnel', 'ipsec transform-set T', 'ipsec transform-set T\n mode tunnel\n!'],
  // ipsec profile (§2.6)
  ['ipsec profile IP set ikev2-profile PR', 'ipsec profile IP', 'ipsec profile IP\n set ikev2-profile PR\n!'],
  ['ipsec profile IP set transform-set T1 T2 T3 T4 T5', 'ipsec profile IP', 'ipsec profile IP\n set transform-set T1 T2 T3 T4 T5\n!'],
  ['ipsec profile IP set pfs group19', 'ipsec profile IP', 'ipsec profile IP\n set pfs group19\n!'],
  ['ipsec profile IP set pfs group20', 'ipsec profile IP', 'ipsec profile IP\n set pfs group20\n!'],
  ['ipsec profile IP set pfs group21', 'ipsec profile IP', 'ipsec profile IP\n set pfs group21\n!'],
  ['ipsec profile IP set security-association lifetime seconds 3600', 'ipsec profile IP', 'ipsec profile IP\n set security-association lifetime seconds 3600\n!'],
  ['ipsec profile IP set responder-only', 'ipsec profile IP', 'ipsec profile IP\n set responder-only\n!'],
  // interfaces (§2.7)
  ['interface GigabitEthernet0/0/0/1 ipv4 address 10.10.10.3 255.255.255.0', 'interface GigabitEthernet0/0/0/1', 'interface GigabitEthernet0/0/0/1\n ipv4 address 10.10.10.3 255.255.255.0\n!'],
  ['interface Gi0/0/0/2 shutdown', 'interface GigabitEthernet0/0/0/2', 'interface GigabitEthernet0/0/0/2\n shutdown\n!'],
  ['interface mgmteth0/rp0/cpu0/0 ipv4 address 198.51.100.5 255.255.255.0', 'interface MgmtEth0/RP0/CPU0/0', 'interface MgmtEth0/RP0/CPU0/0\n ipv4 address 198.51.100.5 255.255.255.0\n!'],
  ['interface tunnel-ip7 tunnel mode ipsec ipv4', 'interface tunnel-ip7', 'interface tunnel-ip7\n tunnel mode ipsec ipv4\n!'],
  ['interface tunnel-ip7 tunnel source GigabitEthernet0/0/0/1', 'interface tunnel-ip7', 'interface tunnel-ip7\n tunnel source GigabitEthernet0/0/0/1\n!'],
  ['interface tunnel-ip7 tunnel source 10.10.10.3', 'interface tunnel-ip7', 'interface tunnel-ip7\n tunnel source 10.10.10.3\n!'],
  ['interface tunnel-ip7 tunnel destination 10.10.10.1', 'interface tunnel-ip7', 'interface tunnel-ip7\n tunnel destination 10.10.10.1\n!'],
  ['interface tunnel-ip7 tunnel protection ipsec profile IP', 'interface tunnel-ip7', 'interface tunnel-ip7\n tunnel protection ipsec profile IP\n!'],
  ['interface tunnel-ip7 tunnel vrf blue', 'interface tunnel-ip7', 'interface tunnel-ip7\n tunnel vrf blue\n!'],
  // sks profile (§2.8)
  ['sks profile Qkd type remote kme server ipv4 192.0.2.34 port 10001', 'sks profile Qkd type remote', 'sks profile Qkd type remote\n kme server ipv4 192.0.2.34 port 10001\n!'],
  ['sks profile Qkd type remote kme server ipv6 2001:db8::34 port 443', 'sks profile Qkd type remote', 'sks profile Qkd type remote\n kme server ipv6 2001:db8::34 port 443\n!'],
  ['sks profile Qkd type remote kme server hostname kme-a.lab port 8443 vrf mgmt', 'sks profile Qkd type remote', 'sks profile Qkd type remote\n kme server hostname kme-a.lab port 8443 vrf mgmt\n!'],
];

/** Range and length boundaries: [line, accepted?]. */
const x = (n: number, c = 'a') => c.repeat(n);
const BOUNDARIES: [string, boolean][] = [
  ['ikev2 global dpd 9 2', false], ['ikev2 global dpd 10 1', false], ['ikev2 global dpd 3601 2', false],
  ['ikev2 global dpd 10 61', false], ['ikev2 global dpd 10', false], ['ikev2 global retransmission 0', false],
  ['ikev2 global retransmission 7', false], ['ikev2 global retransmission 1', true],
  ['ikev2 profile PR lifetime 119', false], ['ikev2 profile PR lifetime 120', true],
  ['ikev2 profile PR lifetime 86400', true], ['ikev2 profile PR lifetime 86401', false],
  ['ipsec profile IP set security-association lifetime seconds 119', false],
  ['ipsec profile IP set security-association lifetime seconds 120', true],
  ['ipsec profile IP set security-association lifetime seconds 2592000', true],
  ['ipsec profile IP set security-association lifetime seconds 2592001', false],
  ['sks profile S type remote kme server ipv4 192.0.2.1 port 0', false], ['sks profile S type remote kme server ipv4 192.0.2.1 port 1', true],
  ['sks profile S type remote kme server ipv4 192.0.2.1 port 65535', true], ['sks profile S type remote kme server ipv4 192.0.2.1 port 65536', false],
  ['logging 192.0.2.1 port 65535', true], ['logging 192.0.2.1 port 65536', false],
  [`ikev2 proposal ${x(32)} prf sha-1`, true], [`ikev2 proposal ${x(33)} prf sha-1`, false],
  [`ikev2 policy ${x(32)} proposal P`, true], [`ikev2 policy ${x(33)} proposal P`, false],
  [`ikev2 profile ${x(32)} lifetime 600`, true], [`ikev2 profile ${x(33)} lifetime 600`, false],
  [`keyring ${x(32)} peer P address 10.0.0.1 255.0.0.0`, true], [`keyring ${x(33)} peer P address 10.0.0.1 255.0.0.0`, false],
  [`keyring K peer ${x(32)} address 10.0.0.1 255.0.0.0`, true], [`keyring K peer ${x(33)} address 10.0.0.1 255.0.0.0`, false],
  [`ipsec transform-set ${x(32)} mode tunnel`, true], [`ipsec transform-set ${x(33)} mode tunnel`, false],
  [`ipsec profile ${x(32)} set responder-only`, true], [`ipsec profile ${x(33)} set responder-only`, false],
  [`interface tunnel-ip1 tunnel protection ipsec profile ${x(32)}`, true], [`interface tunnel-ip1 tunnel protection ipsec profile ${x(33)}`, false],
  [`sks profile ${x(127)} type remote`, true], [`sks profile ${x(128)} type remote`, false],
  [`keyring K peer P ppk manual id ${x(127, '7')} key abc`, true], [`keyring K peer P ppk manual id ${x(128, '7')} key abc`, false],
  ['keyring K peer P ppk manual id ab_c key abc', false], ['keyring K peer P ppk manual id a.b key abc', false],
  // secrets: the stored type-7 leaf is at most 130 (PSK) / 256 (PPK) characters, so keys are at most 64 / 127
  [`keyring K peer P pre-shared-key ${x(64, 'k')}`, true], [`keyring K peer P pre-shared-key ${x(65, 'k')}`, false],
  [`keyring K peer P pre-shared-key password !${x(64, 'k')}`, true], [`keyring K peer P pre-shared-key password !${x(65, 'k')}`, false],
  [`keyring K peer P pre-shared-key password ${encodeType7(x(64, 'k'))}`, true], [`keyring K peer P pre-shared-key password ${encodeType7(x(65, 'k'))}`, false],
  [`keyring K peer P pre-shared-key local ${encodeType7(x(64, 'k'), 15)}`, true], [`keyring K peer P pre-shared-key local ${encodeType7(x(65, 'k'), 15)}`, false],
  [`keyring K peer P ppk manual id 1 key password ${encodeType7(x(127, 'q'), 3)}`, true], [`keyring K peer P ppk manual id 1 key password ${encodeType7(x(128, 'q'), 3)}`, false],
  [`keyring K peer P ppk manual id 1 key ${x(127, 'q')}`, true], [`keyring K peer P ppk manual id 1 key ${x(128, 'q')}`, false],
  [`keyring K peer P ppk manual id 1 key password !${x(127, 'q')}`, true], [`keyring K peer P ppk manual id 1 key password !${x(128, 'q')}`, false],
  [`keyring K peer P identity fqdn ${x(63)}.${x(63)}.${x(63)}.${x(63)}`, true], [`keyring K peer P identity fqdn ${x(64)}.${x(63)}.${x(63)}.${x(63)}`, false],
  ['ikev2 proposal P encryption aes-cbc-128 aes-cbc-192 aes-cbc-256 aes-gcm-128 aes-gcm-256 aes-cbc-128', false],
  ['ikev2 proposal P integrity sha-1 sha-256 sha-384 sha-512 sha-1', false],
  ['ipsec profile IP set transform-set T1 T2 T3 T4 T5 T6', false],
  ['ikev2 proposal P dh-group 14', false], ['ikev2 proposal P dh-group 2', false], ['ikev2 proposal P encryption des', false],
  ['ikev2 proposal P integrity md5', false],
  ['keyring K peer P address 256.1.1.1 255.255.255.0', false], ['keyring K peer P address 10.1.1.1 255.0.255.0', false],
  ['keyring K peer P address 10.1.1.1 255.255.255.255', true], ['keyring K peer P address 10.1.1.1 0.0.0.0', true],
  ['keyring K peer P pre-shared-key password 0822455D0A1', false], ['keyring K peer P pre-shared-key password 5522455D0A16', false],
  ['keyring K peer P pre-shared-key password 08ZZ', false],
  ['interface GigabitEthernet0/0/0/1 tunnel mode ipsec ipv4', false],
  ['interface Loopback0 tunnel destination 10.0.0.1', false],
  ['ipsec profile IP set pfs group14', false],
];

/** Mutually exclusive forms, each accepted line by line and rejected at commit: [lines, failed line]. */
const EXCLUSIVE: [string[], string][] = [
  [['keyring K peer P ppk manual id 1 key abc', 'keyring K peer P ppk dynamic Qkd'], 'ppk dynamic Qkd'],
  [['keyring K peer P pre-shared-key cisco', 'keyring K peer P pre-shared-key local !abc'], 'pre-shared-key local'],
  [['keyring K peer P pre-shared-key remote !abc'], 'pre-shared-key remote'],
  [['ikev2 profile PR match identity remote any', 'ikev2 profile PR match identity remote address 10.0.0.0 255.0.0.0'], 'match identity remote any'],
  [['ikev2 profile PR match identity remote any', 'ikev2 profile PR match identity remote fqdn a.example.com'], 'match identity remote any'],
  [['ikev2 profile PR match identity remote any', 'ikev2 profile PR match identity remote fqdn domain example.com'], 'match identity remote any'],
  [['ikev2 profile PR authentication local pre-shared', 'ikev2 profile PR authentication local rsa-signature'], 'authentication local rsa-signature'],
  [['keyring K peer A identity fqdn RouterB.example.com', 'keyring K peer B identity fqdn routerb.EXAMPLE.com'], 'identity fqdn routerb.EXAMPLE.com'],
  [['keyring K peer A identity fqdn domain example.com', 'keyring K peer B identity fqdn domain Example.Com'], 'identity fqdn domain Example.Com'],
  [['ipsec transform-set T transform esp-gcm-256 esp-hmac-sha-256'], 'transform esp-gcm-256 esp-hmac-sha-256'],
  [['ipsec transform-set T transform esp-hmac-sha-256'], 'transform esp-hmac-sha-256'],
];

/** An expected block with `{type7:…}` placeholders against the shown one. */
function blockMatches(shown: string, want: string): boolean {
  if (!want.includes('{type7:')) return shown === want;
  const re = new RegExp('^' + want.split(/\{type7:[^}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(\\S+)') + '$');
  const m = re.exec(shown);
  const plain = [...want.matchAll(/\{type7:([^}]*)\}/g)].map((x) => x[1]);
  return !!m && plain.every((p, i) => decodeType7(m[i + 1]) === p);
}

export function cliGrammarSuite(): void {
  describe('IOS XR grammar: every command, its canonical form, and the round trip', () => {
    for (const [line, header, want] of ACCEPTED) {
      it(line, async () => {
        const rig = new Rig();
        await rig.type('configure');
        const printed = await rig.type(line, 'commit', 'end');
        equal(printed, `${STAMP}\n`, `only the commit timestamp is printed for "${line}"`);
        const shown = rig.running();
        const flat = /^(hostname|logging|ikev2 global)/.test(header);
        const block = flat ? header : blockOf(shown, header);
        ok(blockMatches(block, want), `shown:\n${shown}\nwant:\n${want}`);
        if (flat) ok(shown.includes(want + '\n'), `shown:\n${shown}`);
        const back = loadConfig(shown);
        equal(back.errors.length, 0, `canonical text loads cleanly: ${JSON.stringify(back.errors)}`);
        ok(sameConfig(back.config, rig.store.running), 'round trip gives the same configuration');
        equal(renderConfig(back.config), shown, 'and the same text');
      });
    }
  });

  describe('IOS XR grammar: range and length boundaries', () => {
    for (const [line, accepted] of BOUNDARIES) {
      it(`${accepted ? 'accepts' : 'rejects'} ${line.length > 90 ? line.slice(0, 60) + '…' + line.slice(-20) : line}`, async () => {
        const rig = new Rig();
        await rig.type('configure');
        const printed = await rig.type(line);
        if (accepted) equal(printed, '', 'no error');
        else ok(/% (Invalid input detected at '\^' marker\.|Incomplete command\.)/.test(printed), `an IOS XR error, got: ${printed}`);
      });
    }
  });

  describe('IOS XR grammar: mutually exclusive forms are rejected at commit, the running configuration untouched', () => {
    for (const [lines, failed] of EXCLUSIVE) {
      it(lines.join(' + '), async () => {
        const rig = new Rig();
        await rig.type('configure', 'hostname before');
        await rig.type('commit');
        const before = rig.running();
        equal(await rig.type(...lines), '', 'each line is accepted on its own');
        const out = await rig.type('commit');
        ok(out.includes('% Failed to commit one or more configuration items during a pseudo-atomic operation. All changes made have been reverted.'), out);
        equal(rig.running(), before, 'running configuration unchanged');
        const failedText = await rig.type('show configuration failed');
        ok(failedText.includes('!! SEMANTIC ERRORS: This configuration was rejected by'), failedText);
        ok(failedText.split('\n').some((l) => l.trim().startsWith(failed)), `the failed line "${failed}" is shown:\n${failedText}`);
        ok(failedText.includes('!!% '), 'with the reason');
      });
    }
    it('the same string may be an FQDN in one peer and an FQDN domain in another (the guide)', async () => {
      const rig = new Rig();
      await rig.type('configure');
      const out = await rig.type('keyring K peer A identity fqdn example.com', 'keyring K peer B identity fqdn domain example.com', 'commit');
      equal(out, `${STAMP}\n`, 'committed');
    });
  });
  describe('IOS XR grammar: ikev2 global', () => {
    it('no ikev2 global dpd / retransmission remove them (with or without the values); ? shows the YANG help', async () => {
      const rig = new Rig();
      await rig.type('configure', 'ikev2 global dpd 30 5', 'ikev2 global retransmission 4', 'commit');
      ok(/ikev2 global dpd 30 5\nikev2 global retransmission 4\n/.test(rig.running()), rig.running());
      equal(await rig.type('no ikev2 global dpd 30 5', 'commit'), `${STAMP}\n`, 'no with values');
      ok(!/dpd/.test(rig.running()) && /retransmission 4/.test(rig.running()), rig.running());
      equal(await rig.type('no ikev2 global retransmission', 'commit'), `${STAMP}\n`, 'no without value');
      ok(!/ikev2 global/.test(rig.running()), rig.running());
      equal(rig.store.running.ikev2Global, undefined, 'the block is gone from the model');
      const help = rig.con.help('ikev2 global dpd ');
      ok(/<10-3600>\s+DPD R-U-THERE interval/.test(help), help);
    });
  });
}
