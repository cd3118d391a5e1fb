// The IOS XR selection rules (seed guide "Implementing IPsec", ios-xr-cli.md §2.2–2.7): which `ikev2 policy`
// answers on a local address, which `ikev2 profile` a peer's identity falls in, which keyring peer holds
// its keys, and which tunnel-ip and `ipsec profile` carry its traffic. Pure functions of the configuration.
//
// Choices where the references are silent (each is tested in test/suites/ike-policy.ts):
//   - policy: a `match address local` naming the address wins over a policy without any such line (which
//     matches every local address, as on IOS XE); among equals the first by name. There is no default
//     policy or proposal: none is documented for IOS XR (the UM YANG has no default proposal, and IOS XE's
//     default proposal offers MODP groups XR does not have), so an address no policy matches runs no IKE.
//     A policy whose proposals are all missing or incomplete is passed over.
//   - profile: the guide says a peer matching several profiles "can potentially match any of these";
//     webswan picks the most specific: exact FQDN or the longest address mask, then the longest FQDN
//     domain, then `match identity remote any`; among equals the first by name.
//   - keyring peer: the initiator looks peers up by address only ("The identity is available for key
//     lookup on the IKEv2 responder only", guide step 3); the responder by identity first (exact address
//     or FQDN, then the longest FQDN domain), then by address; the longest mask wins; among equals the first
//     peer by name.
//   - FQDNs compare case-insensitively, a single trailing dot ignored; `fqdn domain D` needs at least one
//     label before D ("*.cisco.com is expected … and not cisco.com", guide "FQDN-Based Rules").
//   - VRFs: only the default front-door VRF exists in webswan; no `match fvrf` (as on IOS XE: the global
//     VRF), `match fvrf any` and `match fvrf default` match it.
import { type Ikev2Policy, type Ikev2Profile, type Ikev2Proposal, type IpsecProfile, type Ipv4Prefix, type Keyring,
  type KeyringPeer, type RouterConfig, type Fvrf, own } from '../config/model.js';
import { type7Decode } from '../config/type7.js';
import { isTunnelIp } from '../config/values.js';
import type { Bytes } from '../crypto/bytes.js';
import { ikeProposalProblem } from './proposals.js';

/** A peer's identity as configuration matching sees it (IDi / IDr, RFC 7296 §3.5). */
export type PeerIdentity = { type: 'ipv4'; address: string } | { type: 'fqdn'; name: string } | { type: 'other'; text: string };
export type Role = 'initiator' | 'responder';

export const DEFAULT_VRF = 'default';

// ---- matching primitives --------------------------------------------------------------------------------

/** A dotted quad as a number, or undefined. */
export function ipv4Number(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/** Prefix length of a contiguous mask, or undefined. */
export function maskLength(mask: string): number | undefined {
  const m = ipv4Number(mask);
  if (m === undefined) return undefined;
  const inv = (~m) >>> 0;
  if ((inv & (inv + 1)) !== 0) return undefined;
  return 32 - Math.log2(inv + 1);
}

/** `address` lies in `prefix` (address AND mask = prefix address AND mask; host bits of the prefix ignored). */
export function inPrefix(address: string, prefix: Ipv4Prefix): boolean {
  const a = ipv4Number(address), p = ipv4Number(prefix.address), len = maskLength(prefix.mask);
  if (a === undefined || p === undefined || len === undefined) return false;
  if (len === 0) return true;
  const m = (0xffffffff << (32 - len)) >>> 0;
  return ((a & m) >>> 0) === ((p & m) >>> 0);
}

const sameAddress = (a: string, b: string) => { const x = ipv4Number(a); return x !== undefined && x === ipv4Number(b); };
const normFqdn = (s: string) => s.toLowerCase().replace(/\.$/, '');

/** FQDN identity equals the configured FQDN, case-insensitively (guide: "FQDN names … are case insensitive"). */
export function fqdnMatches(name: string, fqdn: string): boolean {
  return normFqdn(name) === normFqdn(fqdn) && normFqdn(name) !== '';
}

/** FQDN identity lies in the configured domain: `<one or more labels>.<domain>`, case-insensitively. */
export function domainMatches(name: string, domain: string): boolean {
  const n = normFqdn(name), d = normFqdn(domain);
  if (d === '' || !n.endsWith(`.${d}`)) return false;
  const labels = n.slice(0, n.length - d.length - 1);
  return labels !== '' && labels.split('.').every((l) => l !== '');
}

/** No `match fvrf` (the default VRF), `match fvrf any`, or the VRF named (`default` is the default VRF). */
function fvrfMatches(m: Fvrf | undefined, fvrf: string): boolean {
  if (!m) return fvrf.toLowerCase() === DEFAULT_VRF;
  return 'any' in m || m.vrf.toLowerCase() === fvrf.toLowerCase();
}

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
const sortedEntries = <T>(rec: Record<string, T>): [string, T][] => Object.entries(rec).sort(([a], [b]) => byName(a, b));

export function describeIdentity(id: PeerIdentity): string {
  return id.type === 'ipv4' ? `address ${id.address}` : id.type === 'fqdn' ? `fqdn ${id.name}` : id.text;
}

// ---- ikev2 policy ----------------------------------------------------------------------------------------

export interface PolicyChoice {
  name: string;
  /** The usable proposals, in the policy's order. */
  proposals: Ikev2Proposal[];
  proposalNames: string[];
  /** Proposals the policy names that cannot be used, and why (for the trace). */
  skipped: { name: string; reason: string }[];
}

function policyProposals(cfg: RouterConfig, name: string, p: Ikev2Policy): PolicyChoice {
  const choice: PolicyChoice = { name, proposals: [], proposalNames: [], skipped: [] };
  for (const pn of p.proposals) {
    const prop = own(cfg.ikev2Proposals, pn);
    const problem = prop ? ikeProposalProblem(prop) : 'not configured';
    if (prop && !problem) { choice.proposals.push(prop); choice.proposalNames.push(pn); } else choice.skipped.push({ name: pn, reason: problem! });
  }
  return choice;
}

/** The `ikev2 policy` for IKE on `localAddress` (see the header for the rule), or undefined: no IKE there. */
export function policyFor(cfg: RouterConfig, localAddress: string, fvrf = DEFAULT_VRF): PolicyChoice | undefined {
  const policies = sortedEntries(cfg.ikev2Policies).filter(([, p]) => fvrfMatches(p.matchFvrf, fvrf));
  const exact = policies.filter(([, p]) => p.matchAddressLocal.some((a) => sameAddress(a, localAddress)));
  const anyLocal = policies.filter(([, p]) => p.matchAddressLocal.length === 0);
  for (const [name, p] of [...exact, ...anyLocal]) {
    const choice = policyProposals(cfg, name, p);
    if (choice.proposals.length > 0) return choice;
  }
  return undefined;
}

// ---- ikev2 profile ---------------------------------------------------------------------------------------

export interface ProfileMatch { name: string; profile: Ikev2Profile; /** the profile line that matched */ match: string }

/** [class, length]: higher is more specific. */
type Rank = [number, number];
const better = (a: Rank, b: Rank) => a[0] !== b[0] ? a[0] > b[0] : a[1] > b[1];

function profileRank(p: Ikev2Profile, id: PeerIdentity): { rank: Rank; match: string } | undefined {
  let best: { rank: Rank; match: string } | undefined;
  const offer = (rank: Rank, match: string) => { if (!best || better(rank, best.rank)) best = { rank, match }; };
  if (id.type === 'ipv4') {
    for (const pre of p.matchRemoteAddress) {
      if (inPrefix(id.address, pre)) offer([3, maskLength(pre.mask)!], `match identity remote address ${pre.address} ${pre.mask}`);
    }
  } else if (id.type === 'fqdn') {
    for (const f of p.matchRemoteFqdn) if (fqdnMatches(id.name, f)) offer([3, 255], `match identity remote fqdn ${f}`);
    for (const d of p.matchRemoteFqdnDomain) if (domainMatches(id.name, d)) offer([2, normFqdn(d).length], `match identity remote fqdn domain ${d}`);
  }
  if (p.matchRemoteAny) offer([1, 0], 'match identity remote any');
  return best;
}

/**
 * Responder: the `ikev2 profile` for a peer, by the identity it sent in IDi (`match identity remote …`).
 * `remoteAddr` is only used to explain a failure.
 */
export function profileForPeer(cfg: RouterConfig, remoteId: PeerIdentity, remoteAddr: string, fvrf = DEFAULT_VRF): ProfileMatch | { error: string } {
  let best: (ProfileMatch & { rank: Rank }) | undefined;
  for (const [name, profile] of sortedEntries(cfg.ikev2Profiles)) {
    if (!fvrfMatches(profile.matchFvrf, fvrf)) continue;
    const r = profileRank(profile, remoteId);
    if (r && (!best || better(r.rank, best.rank))) best = { name, profile, match: r.match, rank: r.rank };
  }
  if (!best) return { error: `no ikev2 profile matches remote identity ${describeIdentity(remoteId)} (peer ${remoteAddr})` };
  return { name: best.name, profile: best.profile, match: best.match };
}

// ---- tunnel-ip → ipsec profile → ikev2 profile -----------------------------------------------------------

export interface IpsecProfileMatch { name: string; profile: IpsecProfile }

/** `interface tunnel-ipN` → `tunnel protection ipsec profile NAME` → the `ipsec profile`. */
export function ipsecProfileForTunnel(cfg: RouterConfig, ifname: string): IpsecProfileMatch | { error: string } {
  const intf = own(cfg.interfaces, ifname);
  if (!intf || !isTunnelIp(ifname)) return { error: `${ifname}: no such tunnel-ip interface` };
  const name = intf.tunnel?.protectionProfile;
  if (!name) return { error: `${ifname}: no tunnel protection ipsec profile` };
  const profile = own(cfg.ipsecProfiles, name);
  if (!profile) return { error: `${ifname}: ipsec profile ${name} is not configured` };
  return { name, profile };
}

/** Initiator: the `ikev2 profile` of a tunnel, through its ipsec profile's `set ikev2-profile`. */
export function profileForTunnel(cfg: RouterConfig, ifname: string):
  { name: string; profile: Ikev2Profile; ipsec: IpsecProfileMatch } | { error: string } {
  const ipsec = ipsecProfileForTunnel(cfg, ifname);
  if ('error' in ipsec) return ipsec;
  const name = ipsec.profile.ikev2Profile;
  if (!name) return { error: `${ifname}: ipsec profile ${ipsec.name} has no set ikev2-profile` };
  const profile = own(cfg.ikev2Profiles, name);
  if (!profile) return { error: `${ifname}: ikev2 profile ${name} is not configured` };
  return { name, profile, ipsec };
}

/**
 * A tunnel's outer addresses: `tunnel destination`, and `tunnel source` as an address or as the IPv4
 * address of the interface it names.
 */
export function tunnelAddresses(cfg: RouterConfig, ifname: string): { local?: string; remote?: string } {
  const tun = own(cfg.interfaces, ifname)?.tunnel;
  if (!tun) return {};
  const src = tun.source;
  const local = src === undefined ? undefined : ipv4Number(src) !== undefined ? src : own(cfg.interfaces, src)?.ipv4?.address;
  return { ...(local !== undefined ? { local } : {}), ...(tun.destination !== undefined ? { remote: tun.destination } : {}) };
}

/**
 * Responder: the tunnel-ip that carries a peer's traffic once its IKE SA is up — the first by name (not
 * shut down) whose ipsec profile sets the matched ikev2 profile and whose `tunnel destination` is the
 * peer's address (and whose tunnel source, when `localAddr` is given and the source resolves, is ours).
 * IOS XR's tunnels are point to point: a peer no tunnel points at gets no Child SA.
 */
export function ipsecProfileForIkeProfile(cfg: RouterConfig, ikeProfileName: string, peerAddr: string, localAddr?: string):
  (IpsecProfileMatch & { tunnel: string }) | { error: string } {
  for (const [ifname, intf] of sortedEntries(cfg.interfaces)) {
    if (!isTunnelIp(ifname) || intf.shutdown) continue;
    const ipsec = ipsecProfileForTunnel(cfg, ifname);
    if ('error' in ipsec || ipsec.profile.ikev2Profile !== ikeProfileName) continue;
    const { local, remote } = tunnelAddresses(cfg, ifname);
    if (remote === undefined || !sameAddress(remote, peerAddr)) continue;
    if (localAddr !== undefined && local !== undefined && !sameAddress(local, localAddr)) continue;
    return { tunnel: ifname, ...ipsec };
  }
  return { error: `no tunnel-ip with tunnel destination ${peerAddr} is protected by an ipsec profile with ikev2-profile ${ikeProfileName}` };
}

// ---- keyring ---------------------------------------------------------------------------------------------

export interface PeerSelector {
  /** The peer's address (initiator: the tunnel destination; responder: the source of its packets). */
  address: string;
  /** The peer's IDi (responder only; ignored for an initiator). */
  identity?: PeerIdentity;
  role: Role;
}

export interface KeyringPeerMatch { keyring: string; peerName: string; peer: KeyringPeer; by: 'identity' | 'address' }

function peerRank(peer: KeyringPeer, sel: PeerSelector): { rank: Rank; by: 'identity' | 'address' } | undefined {
  let best: { rank: Rank; by: 'identity' | 'address' } | undefined;
  const offer = (rank: Rank, by: 'identity' | 'address') => { if (!best || better(rank, best.rank)) best = { rank, by }; };
  const id = sel.role === 'responder' ? sel.identity : undefined;
  const pid = peer.identity;
  if (id && pid) {
    if (id.type === 'ipv4' && 'address' in pid && sameAddress(pid.address, id.address)) offer([3, 0], 'identity');
    if (id.type === 'fqdn' && 'fqdn' in pid && fqdnMatches(id.name, pid.fqdn)) offer([3, 0], 'identity');
    if (id.type === 'fqdn' && 'fqdnDomain' in pid && domainMatches(id.name, pid.fqdnDomain)) offer([2, normFqdn(pid.fqdnDomain).length], 'identity');
  }
  if (peer.address && inPrefix(sel.address, peer.address)) offer([1, maskLength(peer.address.mask)!], 'address');
  return best;
}

/** The best peer of one keyring for `sel` (see the header), or undefined. */
export function keyringPeerIn(keyringName: string, keyring: Keyring, sel: PeerSelector): KeyringPeerMatch | undefined {
  let best: (KeyringPeerMatch & { rank: Rank }) | undefined;
  for (const [peerName, peer] of sortedEntries(keyring.peers)) {
    const r = peerRank(peer, sel);
    if (r && (!best || better(r.rank, best.rank))) best = { keyring: keyringName, peerName, peer, by: r.by, rank: r.rank };
  }
  if (!best) return undefined;
  const { rank: _rank, ...match } = best;
  return match;
}

/** The keyring peer of a profile's `keyring` for a peer, or undefined (no keyring, or no peer matches). */
export function keyringPeerFor(cfg: RouterConfig, profile: Ikev2Profile, sel: PeerSelector): KeyringPeerMatch | undefined {
  const name = profile.keyring;
  const kr = name === undefined ? undefined : own(cfg.keyrings, name);
  return name === undefined || !kr ? undefined : keyringPeerIn(name, kr, sel);
}

/**
 * The shared key in clear, type-7 decoded: 'local' signs our AUTH (`pre-shared-key local`, else the
 * symmetric `pre-shared-key`), 'remote' verifies the peer's (`pre-shared-key remote`, else the symmetric
 * key, else `local`: from 24.3 `local` may be configured alone [I]).
 */
export function pskFor(peer: KeyringPeer, direction: 'local' | 'remote'): string | undefined {
  const enc = direction === 'local' ? peer.pskLocal ?? peer.pskPassword : peer.pskRemote ?? peer.pskPassword ?? peer.pskLocal;
  return enc === undefined ? undefined : type7Decode(enc);
}

export type PpkChoice =
  | { kind: 'manual'; keyring: string; peerName: string; /** PPK_ID as configured (sent as its ASCII octets) */ id: string; idBytes: Bytes; key: Bytes; required: boolean }
  | { kind: 'dynamic'; keyring: string; peerName: string; sksProfile: string; required: boolean };

/**
 * The PPK for a peer (RFC 8784): looked up like the PSK, in `keyring ppk NAME` when the profile sets one,
 * else in its `keyring`. A manual PPK is configured as `ppk manual id ID key [password] KEY`: the guide's
 * "password … encrypted using type-7" — the PPK is the octets of the decoded text, as strongSwan takes an
 * ASCII secret. A dynamic PPK names the `sks profile` to fetch it from.
 */
export function ppkFor(cfg: RouterConfig, profile: Ikev2Profile, sel: PeerSelector): PpkChoice | undefined {
  const name = profile.keyringPpk ?? profile.keyring;
  const kr = name === undefined ? undefined : own(cfg.keyrings, name);
  const m = name === undefined || !kr ? undefined : keyringPeerIn(name, kr, sel);
  if (!m) return undefined;
  const { ppkManual: man, ppkDynamic: dyn } = m.peer;
  const enc = new TextEncoder();
  if (man) {
    return { kind: 'manual', keyring: m.keyring, peerName: m.peerName, id: man.id, idBytes: enc.encode(man.id), key: enc.encode(type7Decode(man.key)), required: man.required };
  }
  if (dyn) return { kind: 'dynamic', keyring: m.keyring, peerName: m.peerName, sksProfile: dyn.sksProfile, required: dyn.required };
  return undefined;
}

/** Our IDi/IDr: `identity local address|fqdn`, else the local address (IOS XR's default, as the guide's Local ID shows). */
export function localIdentity(profile: Ikev2Profile | undefined, localAddress: string): PeerIdentity {
  const id = profile?.identityLocal;
  if (id && 'fqdn' in id) return { type: 'fqdn', name: id.fqdn };
  if (id && 'address' in id) return { type: 'ipv4', address: id.address };
  return { type: 'ipv4', address: localAddress };
}
