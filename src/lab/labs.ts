// The browser lab's presets: both routers' configurations for the examples of the guide ("Implementing
// IPsec", NCS 540) with the corrections of docs/guide-examples.md, and broken variants to diagnose.
// Router A is the initiator, router B the responder (`set responder-only`); both have their address on
// GigabitEthernet0/0/0/0, in one subnet, because the lab's link is one shared segment.
// Keys are written in clear as the guide types them; the routers store and show them as type 7.

import { LAB_KEY_SOURCES } from './protocol.js';

export interface LabPreset {
  name: string;
  title: string;
  description: string;
  /** A broken lab: the tunnel does not come up, and the ladder explains why. */
  broken: boolean;
  configA: string;
  configB: string;
  /**
   * Exec lines each router's console runs after loading, before the tunnel is configured, shown in its
   * terminal as if typed (the Certificates labs: authenticate the lab CA and enrol).
   */
  setup?: Record<'A' | 'B', string[]>;
}

type Side = 'A' | 'B';

/** The guide's PSK example (psk-router{1,2}.cfg), with knobs for the FQDN/domain variants and the broken ones. */
interface PskOptions {
  psk?: string;
  encryption?: string;
  /** `identity local fqdn …` */
  localFqdn?: string;
  /** `match identity remote …` (default: the peer's address) */
  matchRemote?: string;
  /** The keyring peer line that selects the peer (default: the peer's address). */
  keyringPeer?: string;
}

const ADDR: Record<Side, string> = { A: '198.51.100.5', B: '198.51.100.21' };
const TUNNEL: Record<Side, string> = { A: '192.0.2.1', B: '192.0.2.2' };
const other = (s: Side): Side => (s === 'A' ? 'B' : 'A');
const suffix = (s: Side) => (s === 'A' ? 'P1' : 'P2');

/** The guide's IKEv2 proposal (AES-CBC-256 unless `encryption`, SHA-256, group 20) and the policy using it. */
function ikePolicy(side: Side, stem: string, encryption = 'aes-cbc-256'): string {
  const p = suffix(side);
  return `ikev2 proposal ikev2_proposal_${stem}_${p}
 prf sha-256
 dh-group 20
 integrity sha-256
 encryption ${encryption}
!
ikev2 policy ikev2_policy_${stem}_${p}
 match address local ${ADDR[side]}
 proposal ikev2_proposal_${stem}_${p}
!
`;
}

/** The guide's ESP side and tunnel: transform set, ipsec profile (PFS 19, B responder-only), tunnel-ip1. */
function espTunnel(side: Side, stem: string): string {
  const p = suffix(side), peer = other(side);
  return `ipsec transform-set ts_${stem}_${p}
 mode tunnel
 transform esp-256-aes esp-hmac-sha-256
!
ipsec profile ipsec_prof_${stem}_${p}
 set ikev2-profile ikev2_prof_${stem}_${p}
 set pfs group19
 set security-association lifetime seconds 600
 set transform-set ts_${stem}_${p}
${side === 'B' ? ' set responder-only\n' : ''}!
interface tunnel-ip1
 ipv4 address ${TUNNEL[side]} 255.255.255.0
 tunnel mode ipsec ipv4
 tunnel source GigabitEthernet0/0/0/0
 tunnel destination ${ADDR[peer]}
 tunnel protection ipsec profile ipsec_prof_${stem}_${p}
!
`;
}

function pskConfig(side: Side, o: PskOptions = {}): string {
  const p = suffix(side), peer = other(side);
  return `hostname Router${side}
!
interface GigabitEthernet0/0/0/0
 ipv4 address ${ADDR[side]} 255.255.255.0
!
${ikePolicy(side, 'mgmt', o.encryption)}keyring key_mgmt_${p}
 peer ${side === 'A' ? 'Acadia2' : 'Acadial'}
  pre-shared-key ${o.psk ?? 'cisco123'}
  ${o.keyringPeer ?? `address ${ADDR[peer]} 255.255.255.0`}
 !
!
ikev2 profile ikev2_prof_mgmt_${p}
 authentication local pre-shared
 keyring key_mgmt_${p}
 lifetime 600
 match identity remote ${o.matchRemote ?? `address ${ADDR[peer]} 255.255.255.0`}
${o.localFqdn ? ` identity local fqdn ${o.localFqdn}\n` : ''}!
${espTunnel(side, 'mgmt')}`;
}

/** FQDN identities (fqdn-router{1,2}.cfg): B finds A's keyring peer by the FQDN A sends. */
function fqdnConfig(side: Side, o: { expectB?: string } = {}): string {
  return side === 'A'
    ? pskConfig('A', { localFqdn: 'RouterA.example.com', matchRemote: `fqdn ${o.expectB ?? 'RouterB.example.com'}` })
    : pskConfig('B', { localFqdn: 'RouterB.example.com', matchRemote: 'fqdn RouterA.example.com', keyringPeer: 'identity fqdn RouterA.example.com' });
}

/** Domain identities (domain-router{1,2}.cfg). */
function domainConfig(side: Side): string {
  return side === 'A'
    ? pskConfig('A', { localFqdn: 'RouterA.example.com', matchRemote: 'fqdn domain example.com' })
    : pskConfig('B', { localFqdn: 'RouterB.example.com', matchRemote: 'fqdn domain example.com', keyringPeer: 'identity fqdn domain example.com' });
}

const PPK_ADDR: Record<Side, string> = { A: '10.10.10.3', B: '10.10.10.1' };
const PPK_TUNNEL: Record<Side, string> = { A: '209.165.200.225', B: '209.165.200.226' };

/** Hostname, interface, IKEv2 proposal and policy: what both PPK labs share. */
function ppkHead(side: Side): string {
  const p = suffix(side);
  return `hostname Router${side}
!
interface GigabitEthernet0/0/0/0
 ipv4 address ${PPK_ADDR[side]} 255.255.255.0
!
ikev2 proposal ikev2_proposal_${p}
 prf sha-256
 dh-group 20
 integrity sha-256
 encryption aes-cbc-256
!
ikev2 policy ikev2_policy_${p}
 match address local ${PPK_ADDR[side]}
 proposal ikev2_proposal_${p}
!
`;
}

/** The guide's PPK examples' ESP side and tunnel: transform set tsN, ipsec profile testN (profile pN), tunnel-ip1. */
function ppkTunnel(side: Side, n: string, transform: string): string {
  return `ipsec transform-set ts${n}
 mode tunnel
 transform ${transform}
!
ipsec profile test${n}
 set ikev2-profile p${n}
 set transform-set ts${n}
${side === 'B' ? ' set responder-only\n' : ''}!
interface tunnel-ip1
 ipv4 address ${PPK_TUNNEL[side]} 255.255.255.224
 tunnel mode ipsec ipv4
 tunnel source GigabitEthernet0/0/0/0
 tunnel destination ${PPK_ADDR[other(side)]}
 tunnel protection ipsec profile test${n}
!
`;
}

/**
 * The guide's manual PPK initiator/responder (ppk-manual-{initiator,responder}.cfg). `ppk` undefined: the
 * peer has no PPK at all (no `ppk manual`, no `keyring ppk`).
 */
function ppkConfig(side: Side, ppk: { id: string; key: string; required: boolean } | undefined): string {
  const peer = other(side);
  return `${ppkHead(side)}keyring k1
 peer init
${ppk ? `  ppk manual id ${ppk.id} key ${ppk.key}${ppk.required ? ' required' : ''}\n` : ''}  pre-shared-key cisco123
  address ${PPK_ADDR[peer]} 255.255.255.0
 !
!
ikev2 profile p1
 keyring k1
${ppk ? ' keyring ppk k1\n' : ''} match identity remote address ${PPK_ADDR[peer]} 255.255.255.0
!
${ppkTunnel(side, '1', 'esp-192-aes esp-hmac-sha-256')}`;
}

const PPK = { id: '123', key: 'QuantumSafe2026', required: true };

/** Where each router's `sks profile` points: its own KP of the lab's key server (LAB_KEY_SOURCES). */
const KME: Record<Side, { host: string; port: number }> = {
  A: { host: LAB_KEY_SOURCES[0].host, port: LAB_KEY_SOURCES[0].port },
  B: { host: LAB_KEY_SOURCES[1].host, port: LAB_KEY_SOURCES[1].port },
};

/**
 * The guide's dynamic PPK initiator/responder (test/vectors/ios-xr-guide/ppk-dynamic-*.txt), corrected as
 * docs/lab.md ("Dynamic PPK (SKIP)") lists: an IKEv2 proposal and policy, the responder's keyring peer is the
 * initiator (10.10.10.3, not its own 10.10.10.1), the responder defines the ts3 it uses (the guide defines ts1
 * and refers to ts3) with the initiator's transforms, and each router's sks profile names its own KP (the
 * guide has 192.0.2.34:10001 on both). The PPK ID and key are not configured: they come from the key source.
 */
function ppkDynamicConfig(side: Side): string {
  const peer = other(side);
  return `${ppkHead(side)}sks profile Qkd type remote
 kme server ipv4 ${KME[side].host} port ${KME[side].port}
!
keyring k3
 peer init
  ppk dynamic Qkd required
  pre-shared-key password 0822455D0A16
  address ${PPK_ADDR[peer]} 255.255.255.0
 !
!
ikev2 profile p3
 keyring k3
 keyring ppk k3
 match identity remote address ${PPK_ADDR[peer]} 255.255.255.0
!
${ppkTunnel(side, '3', 'esp-256-aes esp-hmac-sha-384')}`;
}

/** The lab CA's trustpoint: every router's own name in the certificate, with its address. */
const TRUSTPOINT = 'LAB';
const FQDN: Record<Side, string> = { A: 'RouterA.example.com', B: 'RouterB.example.com' };

/**
 * Certificates (docs/lab.md "Certificates"): the PSK lab's addresses, proposal, transform set and tunnel,
 * with a trustpoint enrolled with the lab's CA (`enrollment url lab://ca`, a webswan extension for the
 * guide's CA server) and an ikev2 profile that signs and verifies with RSA (`authentication local|remote
 * rsa-signature`, `pki trustpoint`) and matches the peer's FQDN. No keyring: nothing is pre-shared.
 * `subjectCn`: the CN (and SAN dNSName) the router enrols for (default its FQDN).
 */
function certConfig(side: Side, o: { subjectCn?: string } = {}): string {
  const p = suffix(side), peer = other(side);
  return `hostname Router${side}
!
crypto ca trustpoint ${TRUSTPOINT}
 enrollment url lab://ca
 subject-name CN=${o.subjectCn ?? FQDN[side]}
 ip-address ${ADDR[side]}
!
interface GigabitEthernet0/0/0/0
 ipv4 address ${ADDR[side]} 255.255.255.0
!
${ikePolicy(side, 'cert')}ikev2 profile ikev2_prof_cert_${p}
 identity local fqdn ${FQDN[side]}
 match identity remote fqdn ${FQDN[peer]}
 authentication local rsa-signature
 authentication remote rsa-signature
 pki trustpoint ${TRUSTPOINT}
 lifetime 600
!
${espTunnel(side, 'cert')}`;
}

/** What each router of a Certificates lab types after loading: trust the lab CA, then enrol with it. */
const ENROL = [`crypto ca authenticate ${TRUSTPOINT}`, 'yes', `crypto ca enroll ${TRUSTPOINT}`];

function both(f: (s: Side) => string): Pick<LabPreset, 'configA' | 'configB'> {
  return { configA: f('A'), configB: f('B') };
}

export const LABS: readonly LabPreset[] = [
  {
    name: 'psk-ipv4', title: 'Pre-shared key, IPv4 identities', broken: false,
    description: 'The guide\'s configuration example: IKEv2 with AES-CBC-256/SHA-256/group 20, a pre-shared key '
      + 'per peer address, ESP AES-256 + HMAC-SHA-256 with PFS group 19 on tunnel-ip1 (192.0.2.1 ↔ 192.0.2.2).',
    ...both((s) => pskConfig(s)),
  },
  {
    name: 'psk-fqdn', title: 'Pre-shared key, FQDN identities', broken: false,
    description: 'Each router presents an FQDN (identity local fqdn); the responder finds the initiator\'s key by '
      + 'that FQDN (keyring peer identity fqdn) and each profile matches the other\'s name.',
    ...both((s) => fqdnConfig(s)),
  },
  {
    name: 'psk-domain', title: 'Pre-shared key, domain match', broken: false,
    description: 'As FQDN, but both profiles and the responder\'s keyring match any name in example.com '
      + '(match identity remote fqdn domain, identity fqdn domain).',
    ...both(domainConfig),
  },
  {
    name: 'ppk-manual', title: 'Quantum-safe: manual PPK (RFC 8784)', broken: false,
    description: 'The guide\'s manual PPK initiator and responder: a post-quantum preshared key with PPK ID 123 '
      + '(required) is mixed into the IKE key schedule; show ikev2 session detail says "Enabled with manual PPK".',
    ...both((s) => ppkConfig(s, PPK)),
  },
  {
    name: 'ppk-dynamic', title: 'Dynamic PPK (SKIP)', broken: false,
    description: 'The guide\'s dynamic PPK initiator and responder: each router gets its PPK from its own key '
      + 'source over SKIP (sks profile Qkd: A → KP_A at 192.0.2.34:10001, B → KP_B at 192.0.2.35:10002, two key '
      + 'servers joined by a simulated QKD link); A sends the keyId in PPK_IDENTITY, B fetches the same key by '
      + 'that keyId. "ppk dynamic Qkd required": without a key the tunnel stays down. show sks profile shows the '
      + 'key sources; show ikev2 session detail says "Enabled with dynamic PPK".',
    ...both(ppkDynamicConfig),
  },
  {
    name: 'certificates', title: 'Certificates (RSA signatures)', broken: false,
    description: 'Both routers authenticate with X.509 certificates from the lab\'s CA instead of a pre-shared key. '
      + 'Loading the lab types on each router, in its terminal: crypto ca authenticate LAB (the lab CA\'s certificate '
      + 'is shown), yes, and crypto ca enroll LAB (the CA issues a certificate for the subject-name CN, with the '
      + 'address as a second name); then the tunnel is configured and comes up. The ikev2 profiles sign and verify '
      + 'with RSA (authentication local/remote rsa-signature, pki trustpoint LAB) and match the peer\'s FQDN, which '
      + 'must be in its certificate. show crypto ca certificates shows both certificates; show ikev2 session detail '
      + 'says "Authentication(Sign/Verify) : RSA/RSA". Certificates are saved with the lab in this browser, but not '
      + 'in an exported lab or a shared link: there, type the three commands again on each router.',
    ...both((s) => certConfig(s)),
    setup: { A: ENROL, B: ENROL },
  },
  {
    name: 'broken-psk-mismatch', title: 'Broken: pre-shared keys differ', broken: true,
    description: 'Router B has a different pre-shared key for router A: IKE_AUTH fails with AUTHENTICATION_FAILED.',
    configA: pskConfig('A'), configB: pskConfig('B', { psk: 'cisco456' }),
  },
  {
    name: 'broken-proposal-mismatch', title: 'Broken: no common IKE proposal', broken: true,
    description: 'Router B accepts only AES-CBC-128 for IKE while router A offers AES-CBC-256: '
      + 'IKE_SA_INIT is answered with NO_PROPOSAL_CHOSEN.',
    configA: pskConfig('A'), configB: pskConfig('B', { encryption: 'aes-cbc-128' }),
  },
  {
    name: 'broken-ppk-required-one-side', title: 'Broken: PPK required on one side only', broken: true,
    description: 'Router B requires a manual PPK; router A has none configured and does not offer one, so B '
      + 'refuses to bring the session up without quantum resistance.',
    configA: ppkConfig('A', undefined), configB: ppkConfig('B', PPK),
  },
  {
    name: 'broken-wrong-remote-identity', title: 'Broken: unexpected remote identity', broken: true,
    description: 'Router A expects its peer to be RouterC.example.com, but router B presents RouterB.example.com: '
      + 'A finds no matching profile for the identity in IKE_AUTH.',
    ...both((s) => fqdnConfig(s, { expectB: 'RouterC.example.com' })),
  },
  {
    name: 'broken-cert-identity', title: 'Broken: identity not in the certificate', broken: true,
    description: 'As the Certificates lab, but router A\'s trustpoint has subject-name CN=RouterA, the short host '
      + 'name: the lab CA issues A a certificate for "RouterA", while A identifies itself as RouterA.example.com. '
      + 'Router B trusts the CA and the signature, but refuses an identity its certificate does not carry. Fix it on '
      + 'A: change the subject-name, commit, and enrol again (crypto ca enroll LAB).',
    configA: certConfig('A', { subjectCn: 'RouterA' }), configB: certConfig('B'),
    setup: { A: ENROL, B: ENROL },
  },
];

export function findLab(name: string): LabPreset | undefined {
  return LABS.find((l) => l.name === name);
}
