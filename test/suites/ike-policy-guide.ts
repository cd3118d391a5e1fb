// The guide's selection rules (src/ike/policy.ts): policy by local address, profile by remote identity,
// keyring peer, PPK, tunnel — over the guide's own configurations (test/vectors/ios-xr-guide) loaded as
// IOS XR text. Part of ikePolicySuite (ike-policy.ts).
import { own } from '../../src/config/model.js';
import { type7Encode } from '../../src/config/type7.js';
import { espProposalsFromConfig, ikeProposalsFromConfig, proposalsLabel } from '../../src/ike/proposals.js';
import {
  type PeerIdentity, domainMatches, fqdnMatches, ipsecProfileForIkeProfile, ipsecProfileForTunnel, keyringPeerFor,
  localIdentity, policyFor, ppkFor, profileForPeer, profileForTunnel, pskFor, tunnelAddresses,
} from '../../src/ike/policy.js';
import { env } from '../support/env.js';
import { bytesEqual, equal, ok } from '../support/assert.js';
import { SPI, config, fqdn, guideConfig, sameJson, utf8, v4 } from './ike-policy.js';
// ---- the guide's selection rules --------------------------------------------------------------------------

const PROFILES = `
ikev2 profile exact
 match identity remote fqdn RouterB.example.com
!
ikev2 profile dom
 match identity remote fqdn domain example.com
!
ikev2 profile subdom
 match identity remote fqdn domain sub.example.com
!
ikev2 profile net24
 match identity remote address 198.51.100.0 255.255.255.0
!
ikev2 profile host32
 match identity remote address 198.51.100.7 255.255.255.255
!
ikev2 profile p10
 match identity remote address 203.0.113.0 255.255.255.0
!
ikev2 profile p2
 match identity remote address 203.0.113.0 255.255.255.0
!
ikev2 profile zany
 match identity remote any
!
`;

export function guideRulesSuite(): void {
  describe("the guide's configurations", () => {
    it('Router 1 (running-config listing): policy by local address, tunnel → ipsec profile → ikev2 profile, IKE and ESP proposals', async () => {
      const cfg = config(await (await env()).text('ios-xr-guide/router1-running-config.cfg'));
      const pol = policyFor(cfg, '198.51.100.5');
      ok(pol, 'policy');
      equal(pol.name, 'ikev2_policy_mgmt_P1', 'policy name');
      equal(proposalsLabel(ikeProposalsFromConfig(pol.proposals)), 'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_384', 'proposal');
      equal(policyFor(cfg, '198.51.100.6'), undefined, 'no policy on another address: no IKE');
      const prof = profileForTunnel(cfg, 'tunnel-ip1');
      ok(!('error' in prof), 'profile');
      equal(prof.name, 'ikev2_prof_mgmt_P1', 'ikev2 profile');
      equal(prof.ipsec.name, 'ipsec_prof_mgmt_P1', 'ipsec profile');
      const sets = prof.ipsec.profile.transformSets.map((n) => cfg.transformSets[n]);
      equal(proposalsLabel(espProposalsFromConfig(sets, prof.ipsec.profile.pfs, SPI)), 'ESP:AES_CBC_256/HMAC_SHA2_256_128/ECP_256/NO_EXT_SEQ', 'ESP with PFS group 19');
      sameJson(tunnelAddresses(cfg, 'tunnel-ip1'), { remote: '5.22.16.25' }, 'MgmtEth0/RP0/CPU0/0 has no address in the listing');
      // the listing's profile names `keyring key_mgmt`, which does not exist (the keyring is key_mgmt_P1)
      equal(keyringPeerFor(cfg, prof.profile, { address: '198.52.100.21', role: 'initiator' }), undefined, 'no keyring');
      const asResponder = profileForPeer(cfg, v4('198.52.100.99'), '198.52.100.99');
      ok(!('error' in asResponder) && asResponder.match === 'match identity remote address 198.52.100.21 255.255.255.0', 'mask 255.255.255.0 covers the /24');
    });
    it("Router 2 (running-config listing): the keyring's /24 covers the initiator; the profile's match does not (the guide's 198.52 vs 198.51)", async () => {
      const cfg = config(await (await env()).text('ios-xr-guide/router2-running-config.cfg'));
      equal(policyFor(cfg, '198.52.100.21')?.name, 'ikev2_policy_mgmt_P2', 'policy');
      const miss = profileForPeer(cfg, v4('198.51.100.5'), '198.51.100.5');
      ok('error' in miss, 'router 1 (198.51.100.5) matches no profile');
      equal(miss.error, 'no ikev2 profile matches remote identity address 198.51.100.5 (peer 198.51.100.5)', 'error');
      const hit = profileForPeer(cfg, v4('198.52.100.5'), '198.52.100.5');
      ok(!('error' in hit) && hit.name === 'ikev2_prof_mgmt_P2', 'the configured identity matches');
      const peer = keyringPeerFor(cfg, hit.profile, { address: '198.52.100.5', identity: v4('198.52.100.5'), role: 'responder' });
      ok(peer, 'keyring peer');
      sameJson([peer.keyring, peer.peerName, peer.by], ['key_mgmt_P2', 'Acadial', 'address'], 'peer');
      equal(pskFor(peer.peer, 'local'), 'cisco123', 'PSK, typed in clear, stored type 7, decoded');
      equal(pskFor(peer.peer, 'remote'), 'cisco123', 'same key both ways');
      const tun = ipsecProfileForIkeProfile(cfg, 'ikev2_prof_mgmt_P2', '5.22.16.52');
      ok(!('error' in tun) && tun.tunnel === 'tunnel-ip1' && tun.name === 'ipsec_prof_mgmt_P2', 'tunnel by destination');
      ok('error' in ipsecProfileForIkeProfile(cfg, 'ikev2_prof_mgmt_P2', '198.52.100.5'), 'no tunnel points at the peer');
    });
    it('manual PPK, initiator: keyring ppk k1 → id 123, key "cisco123" (type 7 060506324F41584B56), required; PSK "cisco"', async () => {
      const cfg = await guideConfig('ppk-manual-initiator.txt');
      const prof = profileForTunnel(cfg, 'tunnel-ip1');
      ok(!('error' in prof), 'profile');
      const { local, remote } = tunnelAddresses(cfg, 'tunnel-ip1');
      sameJson([local, remote], ['10.10.10.3', '10.10.10.1'], 'tunnel source GigabitEthernet0/1/0/0 → its address');
      const sel = { address: remote!, role: 'initiator' as const };
      const peer = keyringPeerFor(cfg, prof.profile, sel);
      ok(peer && peer.peerName === 'init', 'peer init');
      equal(pskFor(peer.peer, 'local'), 'cisco', 'PSK');
      const ppk = ppkFor(cfg, prof.profile, sel);
      ok(ppk?.kind === 'manual', 'manual PPK');
      sameJson([ppk.keyring, ppk.id, ppk.required], ['k1', '123', true], 'id, required');
      bytesEqual(ppk.key, utf8('cisco123'), 'key');
      bytesEqual(ppk.idBytes, utf8('123'), 'PPK_ID octets');
      equal(proposalsLabel(espProposalsFromConfig([cfg.transformSets.ts1], undefined, SPI)), 'ESP:AES_CBC_192/HMAC_SHA2_256_128/NO_EXT_SEQ', 'ts1');
      equal(localIdentity(prof.profile, local!).type, 'ipv4', 'no identity local: the address');
    });
    it("manual PPK, responder: profile by the initiator's address; the keyring peer's /24 (its own address) covers the initiator", async () => {
      const cfg = await guideConfig('ppk-manual-responder.txt');
      const prof = profileForPeer(cfg, v4('10.10.10.3'), '10.10.10.3');
      ok(!('error' in prof) && prof.name === 'p1', 'profile p1');
      const sel = { address: '10.10.10.3', identity: v4('10.10.10.3'), role: 'responder' as const };
      const ppk = ppkFor(cfg, prof.profile, sel);
      ok(ppk?.kind === 'manual', 'manual PPK');
      bytesEqual(ppk.key, utf8('cisco123'), 'key (type 7 104D000A061843595F: another seed, the same text)');
      const tun = ipsecProfileForIkeProfile(cfg, 'p1', '10.10.10.3', '10.10.10.1');
      ok(!('error' in tun) && tun.tunnel === 'tunnel-ip1' && tun.profile.responderOnly === true, 'tunnel-ip1, set responder-only');
      ok('error' in ipsecProfileForIkeProfile(cfg, 'p1', '10.10.10.3', '10.10.10.9'), 'tunnel source is not our address');
      sameJson(localIdentity(prof.profile, '10.10.10.1'), v4('10.10.10.1'), 'local identity');
    });
    it('dynamic PPK, initiator: sks profile Qkd, required', async () => {
      const cfg = await guideConfig('ppk-dynamic-initiator.txt');
      const prof = profileForTunnel(cfg, 'tunnel-ip1');
      ok(!('error' in prof), 'profile');
      sameJson(ppkFor(cfg, prof.profile, { address: '10.10.10.1', role: 'initiator' }),
        { kind: 'dynamic', keyring: 'k3', peerName: 'init', sksProfile: 'Qkd', required: true }, 'dynamic');
    });
    it("dynamic PPK, responder: its ipsec profile names transform-set ts3, which the guide never defines — no ESP proposal", async () => {
      const cfg = await guideConfig('ppk-dynamic-responder.txt');
      const ipsec = ipsecProfileForTunnel(cfg, 'tunnel-ip1');
      ok(!('error' in ipsec), 'ipsec profile');
      const sets = ipsec.profile.transformSets.map((n) => cfg.transformSets[n]).filter((x) => x);
      equal(espProposalsFromConfig(sets, undefined, SPI).length, 0, 'nothing to offer');
    });
  });

  describe('ikev2 policy: match address local', () => {
    const cfg = config(`
ikev2 proposal good
 encryption aes-cbc-128
 integrity sha-1
 dh-group 19
!
ikev2 proposal half
 encryption aes-cbc-128
!
ikev2 policy b-exact
 match address local 192.0.2.1
 proposal good
!
ikev2 policy a-exact
 match address local 192.0.2.1
 match address local 192.0.2.2
 proposal half
 proposal missing
 proposal good
!
ikev2 policy broken
 match address local 192.0.2.3
 proposal half
!
ikev2 policy z-any
 proposal good
!
ikev2 policy vrf-red
 match address local 192.0.2.4
 match fvrf red
 proposal good
!`);
    it('an exact address wins over a policy without match address local; among equals the first by name', () => {
      const p = policyFor(cfg, '192.0.2.1');
      ok(p, 'policy');
      equal(p.name, 'a-exact', 'first by name');
      sameJson(p.proposalNames, ['good'], 'usable proposals');
      sameJson(p.skipped, [{ name: 'half', reason: 'no dh-group' }, { name: 'missing', reason: 'not configured' }], 'skipped, with reasons');
    });
    it('a policy without usable proposals is passed over; a policy without match address local matches any address', () => {
      equal(policyFor(cfg, '192.0.2.3')?.name, 'z-any', 'broken → z-any');
      equal(policyFor(cfg, '203.0.113.9')?.name, 'z-any', 'any address');
    });
    it('match fvrf NAME does not match the default front-door VRF', () => {
      equal(policyFor(cfg, '192.0.2.4')?.name, 'z-any', 'default VRF');
      equal(policyFor(cfg, '192.0.2.4', 'red')?.name, 'vrf-red', 'VRF red');
    });
    it('no policy at all: no IKE (IOS XR documents no default policy)', () => {
      equal(policyFor(config('ikev2 proposal p\n encryption aes-cbc-128\n integrity sha-1\n dh-group 19\n!'), '192.0.2.1'), undefined, 'none');
    });
  });

  describe('ikev2 profile: match identity remote', () => {
    const cfg = config(PROFILES);
    const name = (id: PeerIdentity) => { const r = profileForPeer(cfg, id, '192.0.2.99'); return 'error' in r ? `error: ${r.error}` : `${r.name} (${r.match})`; };
    const CASES: [PeerIdentity, string][] = [
      [fqdn('RouterB.example.com'), 'exact (match identity remote fqdn RouterB.example.com)'],
      [fqdn('routerb.EXAMPLE.com'), 'exact (match identity remote fqdn RouterB.example.com)'],
      [fqdn('routerb.example.com.'), 'exact (match identity remote fqdn RouterB.example.com)'],
      [fqdn('r1.example.com'), 'dom (match identity remote fqdn domain example.com)'],
      [fqdn('r1.sub.example.com'), 'subdom (match identity remote fqdn domain sub.example.com)'],
      [fqdn('sub.example.com'), 'dom (match identity remote fqdn domain example.com)'],
      [fqdn('example.com'), 'zany (match identity remote any)'],
      [fqdn('xexample.com'), 'zany (match identity remote any)'],
      [fqdn('.example.com'), 'zany (match identity remote any)'],
      [v4('198.51.100.7'), 'host32 (match identity remote address 198.51.100.7 255.255.255.255)'],
      [v4('198.51.100.8'), 'net24 (match identity remote address 198.51.100.0 255.255.255.0)'],
      [v4('198.51.101.8'), 'zany (match identity remote any)'],
      [v4('203.0.113.1'), 'p2 (match identity remote address 203.0.113.0 255.255.255.0)'],
      [{ type: 'other', text: 'KEY_ID:0102' }, 'zany (match identity remote any)'],
    ];
    for (const [id, want] of CASES) it(`${JSON.stringify(id)} → ${want}`, () => equal(name(id), want, 'profile'));
    it('nothing matches without match identity remote any; the error names the identity', () => {
      const noAny = config(PROFILES.replace('match identity remote any', ''));
      const r = profileForPeer(noAny, fqdn('example.com'), '192.0.2.99');
      ok('error' in r, 'error');
      equal(r.error, 'no ikev2 profile matches remote identity fqdn example.com (peer 192.0.2.99)', 'message');
    });
    it("FQDN domain rules of the guide, one by one", () => {
      ok(!domainMatches('example.com', 'example.com'), 'example.com is not in domain example.com');
      ok(domainMatches('r1.example.com', 'example.com'), 'r1.example.com');
      ok(domainMatches('r1.sub.example.com', 'example.com'), 'r1.sub.example.com');
      ok(!domainMatches('xexample.com', 'example.com'), 'xexample.com');
      ok(domainMatches('X.CISCO.COM', 'cisco.com'), 'case-insensitive');
      ok(!domainMatches('a..example.com', 'example.com'), 'empty label');
      ok(fqdnMatches('X.CISCO.COM', 'x.cisco.com'), "the guide's x.cisco.com / X.CISCO.COM");
    });
    it('initiator: tunnel-ip → ipsec profile → ikev2 profile, each missing link named', () => {
      const c = config(`
interface tunnel-ip1
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile ip1
!
interface tunnel-ip2
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile nothere
!
interface tunnel-ip3
 tunnel mode ipsec ipv4
!
ipsec profile ip1
 set ikev2-profile ghost
!`);
      sameJson(profileForTunnel(c, 'tunnel-ip1'), { error: 'tunnel-ip1: ikev2 profile ghost is not configured' }, 'ip1');
      sameJson(profileForTunnel(c, 'tunnel-ip2'), { error: 'tunnel-ip2: ipsec profile nothere is not configured' }, 'ip2');
      sameJson(profileForTunnel(c, 'tunnel-ip3'), { error: 'tunnel-ip3: no tunnel protection ipsec profile' }, 'ip3');
      sameJson(profileForTunnel(c, 'tunnel-ip4'), { error: 'tunnel-ip4: no such tunnel-ip interface' }, 'ip4');
    });
  });

  describe('keyring: peer lookup, PSK, PPK, local identity', () => {
    const cfg = config(`
keyring K
 peer byfqdn
  pre-shared-key password ${type7Encode('fqdn-key')}
  identity fqdn RouterA.example.com
 !
 peer bydomain
  pre-shared-key dom-key
  identity fqdn domain example.com
 !
 peer byaddr-id
  pre-shared-key addr-id-key
  identity address 192.0.2.7
 !
 peer net16
  pre-shared-key net16-key
  address 192.0.0.0 255.255.0.0
 !
 peer net24
  pre-shared-key local ${type7Encode('mine')}
  pre-shared-key remote ${type7Encode('theirs')}
  address 192.0.2.0 255.255.255.0
 !
 peer alone
  pre-shared-key local ${type7Encode('only-local')}
  address 203.0.113.1 255.255.255.255
  ppk manual id abc key s3cr3t
 !
!
keyring KP
 peer all
  address 0.0.0.0 0.0.0.0
  ppk manual id zz key password ${type7Encode('ppk-from-KP')}
 !
!
ikev2 profile P
 keyring K
 identity local fqdn Me.Example.com
!
ikev2 profile PP
 keyring K
 keyring ppk KP
!
ikev2 profile NOKR
!`);
    const P = cfg.ikev2Profiles.P, PP = cfg.ikev2Profiles.PP;
    const peerOf = (address: string, role: 'initiator' | 'responder', identity?: PeerIdentity) => {
      const m = keyringPeerFor(cfg, P, { address, role, identity });
      return m ? `${m.peerName} by ${m.by}` : 'none';
    };
    it('by address, longest mask first, on both roles', () => {
      equal(peerOf('192.0.2.50', 'initiator'), 'net24 by address', '/24 over /16');
      equal(peerOf('192.0.9.9', 'initiator'), 'net16 by address', '/16');
      equal(peerOf('192.0.9.9', 'responder'), 'net16 by address', 'responder too');
      equal(peerOf('10.0.0.1', 'initiator'), 'none', 'no peer');
    });
    it('identity-only peers are refused on the initiator (the guide: identity lookup on the responder only)', () => {
      equal(peerOf('198.51.100.1', 'initiator', fqdn('RouterA.example.com')), 'none', 'initiator ignores identities');
      equal(peerOf('198.51.100.1', 'responder', fqdn('RouterA.example.com')), 'byfqdn by identity', 'responder');
    });
    it('responder: identity first (exact, then domain), then address', () => {
      equal(peerOf('192.0.2.50', 'responder', fqdn('routera.EXAMPLE.com')), 'byfqdn by identity', 'exact FQDN, case-insensitive, beats the /24');
      equal(peerOf('192.0.2.50', 'responder', fqdn('other.example.com')), 'bydomain by identity', 'domain');
      equal(peerOf('192.0.2.50', 'responder', fqdn('example.com')), 'net24 by address', 'domain needs a label: falls to the address');
      equal(peerOf('192.0.2.50', 'responder', v4('192.0.2.7')), 'byaddr-id by identity', 'identity address');
      equal(peerOf('192.0.2.50', 'responder', v4('192.0.2.8')), 'net24 by address', 'identity address is exact');
    });
    it('PSK: type 7 decoded; password / local / remote variants', () => {
      const get = (peer: string, dir: 'local' | 'remote') => pskFor(cfg.keyrings.K.peers[peer], dir);
      equal(get('byfqdn', 'local'), 'fqdn-key', 'pre-shared-key password (type 7)');
      equal(get('bydomain', 'remote'), 'dom-key', 'clear text, stored type 7');
      equal(get('net24', 'local'), 'mine', 'local signs');
      equal(get('net24', 'remote'), 'theirs', 'remote verifies');
      equal(get('alone', 'remote'), 'only-local', 'local alone is used both ways');
      ok(cfg.keyrings.K.peers.bydomain.pskPassword !== 'dom-key', 'never held in clear');
      equal(pskFor({}, 'local'), undefined, 'no key');
    });
    it('PPK: from keyring ppk when set, else from the keyring; clear PPK text typed without password', () => {
      const fromKp = ppkFor(cfg, PP, { address: '203.0.113.1', role: 'initiator' });
      ok(fromKp?.kind === 'manual' && fromKp.keyring === 'KP' && fromKp.id === 'zz', 'keyring ppk KP');
      bytesEqual(fromKp.key, utf8('ppk-from-KP'), 'KP key');
      const fromK = ppkFor(cfg, P, { address: '203.0.113.1', role: 'initiator' });
      ok(fromK?.kind === 'manual' && fromK.keyring === 'K' && fromK.id === 'abc' && !fromK.required, 'keyring K, not required');
      bytesEqual(fromK.key, utf8('s3cr3t'), 'K key');
      equal(ppkFor(cfg, P, { address: '192.0.2.50', role: 'initiator' }), undefined, 'the matched peer has no PPK');
      equal(ppkFor(cfg, cfg.ikev2Profiles.NOKR, { address: '192.0.2.50', role: 'initiator' }), undefined, 'no keyring');
      equal(keyringPeerFor(cfg, cfg.ikev2Profiles.NOKR, { address: '192.0.2.50', role: 'initiator' }), undefined, 'no keyring: no peer');
    });
    it('local identity: identity local fqdn as configured, else the local address', () => {
      sameJson(localIdentity(P, '192.0.2.1'), fqdn('Me.Example.com'), 'fqdn');
      sameJson(localIdentity(PP, '192.0.2.1'), v4('192.0.2.1'), 'default');
      sameJson(localIdentity(undefined, '192.0.2.1'), v4('192.0.2.1'), 'no profile');
      sameJson(localIdentity(config('ikev2 profile X\n identity local address 198.51.100.9\n!').ikev2Profiles.X, '192.0.2.1'), v4('198.51.100.9'), 'address');
    });
    it('prototype names are ordinary names', () => {
      const c = config('keyring constructor\n peer __proto__\n  address 192.0.2.0 255.255.255.0\n  pre-shared-key x\n !\n!\nikev2 profile toString\n keyring constructor\n!');
      const prof = own(c.ikev2Profiles, 'toString')!;
      const m = keyringPeerFor(c, prof, { address: '192.0.2.1', role: 'initiator' });
      ok(m && m.keyring === 'constructor' && m.peerName === '__proto__', 'found');
      equal(keyringPeerFor(c, { ...prof, keyring: 'hasOwnProperty' }, { address: '192.0.2.1', role: 'initiator' }), undefined, 'inherited name is no keyring');
    });
  });

  describe('responder: the tunnel of a peer', () => {
    const cfg = config(`
interface GigabitEthernet0/0/0/0
 ipv4 address 192.0.2.1 255.255.255.0
!
interface tunnel-ip10
 tunnel mode ipsec ipv4
 tunnel source GigabitEthernet0/0/0/0
 tunnel destination 192.0.2.2
 tunnel protection ipsec profile IP
!
interface tunnel-ip2
 tunnel mode ipsec ipv4
 tunnel source 192.0.2.1
 tunnel destination 192.0.2.2
 tunnel protection ipsec profile OTHER
!
interface tunnel-ip3
 shutdown
 tunnel mode ipsec ipv4
 tunnel destination 192.0.2.3
 tunnel protection ipsec profile IP
!
interface tunnel-ip4
 tunnel mode ipsec ipv4
 tunnel destination 192.0.2.3
 tunnel protection ipsec profile IP
!
ipsec profile IP
 set ikev2-profile PROF
!
ipsec profile OTHER
 set ikev2-profile PROF2
!`);
    it('matched ikev2 profile + tunnel destination = peer address; shut-down tunnels are passed over', () => {
      const a = ipsecProfileForIkeProfile(cfg, 'PROF', '192.0.2.2', '192.0.2.1');
      ok(!('error' in a) && a.tunnel === 'tunnel-ip10' && a.name === 'IP', 'tunnel-ip10 (tunnel-ip2 belongs to PROF2)');
      const b = ipsecProfileForIkeProfile(cfg, 'PROF2', '192.0.2.2');
      ok(!('error' in b) && b.tunnel === 'tunnel-ip2', 'tunnel-ip2');
      const c = ipsecProfileForIkeProfile(cfg, 'PROF', '192.0.2.3');
      ok(!('error' in c) && c.tunnel === 'tunnel-ip4', 'tunnel-ip3 is shut down');
      const d = ipsecProfileForIkeProfile(cfg, 'PROF', '192.0.2.9');
      ok('error' in d, 'no tunnel to 192.0.2.9');
      equal(d.error, 'no tunnel-ip with tunnel destination 192.0.2.9 is protected by an ipsec profile with ikev2-profile PROF', 'error');
    });
  });
}
