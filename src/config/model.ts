// The router's configuration as typed data: what `show running-config` prints, what `commit` checks and
// what the engine reads. It mirrors Cisco's UM YANG (../shared/reference/ios-xr-cli.md §2–3). Plain
// JSON-able objects, so that candidates are cheap to clone and two configurations can be compared.
// Secrets are held type-7 encoded, never in clear.

export type IkeEncryption = 'aes-cbc-128' | 'aes-cbc-192' | 'aes-cbc-256' | 'aes-gcm-128' | 'aes-gcm-256';
export type IkeHash = 'sha-1' | 'sha-256' | 'sha-384' | 'sha-512';
export type DhGroupId = 19 | 20 | 21;
export type EspEncryption = 'esp-aes' | 'esp-192-aes' | 'esp-256-aes' | 'esp-gcm-128' | 'esp-gcm-256';
export type EspAuth = 'esp-hmac-sha1' | 'esp-hmac-sha-256' | 'esp-hmac-sha-384' | 'esp-hmac-sha-512';
export type AuthMethod = 'pre-shared' | 'rsa-signature';

export interface Ipv4Prefix { address: string; mask: string }
export type Fvrf = { any: true } | { vrf: string };

export interface Ikev2Proposal {
  encryption: IkeEncryption[];
  integrity: IkeHash[];
  prf: IkeHash[];
  dhGroup: DhGroupId[];
}

export interface Ikev2Policy {
  proposals: string[];
  matchAddressLocal: string[];
  matchFvrf?: Fvrf;
}

/** A keyring peer. Exclusive forms are kept side by side, as the YANG does, and checked at commit. */
export interface KeyringPeer {
  address?: Ipv4Prefix;
  /** type-7 encoded */
  pskPassword?: string;
  pskLocal?: string;
  pskRemote?: string;
  identity?: { address: string } | { fqdn: string } | { fqdnDomain: string };
  ppkManual?: { id: string; key: string; required: boolean };
  ppkDynamic?: { sksProfile: string; required: boolean };
}

export interface Keyring { peers: Record<string, KeyringPeer> }

export interface Ikev2Profile {
  keyring?: string;
  keyringPpk?: string;
  lifetime?: number;
  authLocal?: AuthMethod[];
  authRemote?: AuthMethod[];
  matchRemoteAddress: Ipv4Prefix[];
  matchRemoteFqdn: string[];
  matchRemoteFqdnDomain: string[];
  matchRemoteAny?: boolean;
  identityLocal?: { address: string } | { fqdn: string };
  matchFvrf?: Fvrf;
  pkiTrustpoints: string[];
}

export interface TransformSet {
  encryption?: EspEncryption;
  auth?: EspAuth;
  modeTunnel?: boolean;
}

export interface IpsecProfile {
  ikev2Profile?: string;
  transformSets: string[];
  pfs?: DhGroupId;
  saLifetime?: number;
  responderOnly?: boolean;
}

export interface TunnelConfig {
  modeIpsecIpv4?: boolean;
  source?: string;
  destination?: string;
  protectionProfile?: string;
  vrf?: string;
}

export interface InterfaceConfig {
  ipv4?: Ipv4Prefix;
  shutdown?: boolean;
  description?: string;
  tunnel?: TunnelConfig;
}

export interface SksProfile {
  /** exactly one address form is valid; kept separately and checked at commit */
  kmeIpv4?: string;
  kmeIpv6?: string;
  kmeHostname?: string;
  kmePort?: number;
  kmeVrf?: string;
  /** `kme psk id ID key seven KEY`: the TLS-PSK identity and the key, type-7 (src/runtime/node/key-source.ts) */
  kmePskId?: string;
  kmePskKey?: string;
}

/**
 * `crypto ca trustpoint NAME` (System Security Configuration Guide, "Implementing Certification Authority
 * Interoperability"; docs/pki.md). Only the configuration: the certificates and keys imported by the EXEC
 * commands (`crypto ca authenticate|import|enroll`) live in the router's TrustpointStore, never here.
 */
export interface TrustpointConfig {
  enrollment?: { terminal: true } | { url: string };
  subjectName?: string;
  ipAddress?: string;
  rsakeypair?: string;
  crlOptional?: boolean;
}

/** `logging A.B.C.D vrf NAME [severity LEVEL] [port N]` (Cisco-IOS-XR-um-logging-cfg). */
export interface LoggingHost { address: string; vrf: string; severity?: string; port?: number }

/**
 * `ikev2 global dpd <10-3600> <2-60>` and `ikev2 global retransmission <1-6>` (Cisco-IOS-XR-um-ikev2-cfg,
 * 26.2; ios-xr-cli.md §2.9). Without `dpd` there is no liveness check (IOS XR's default).
 */
export interface Ikev2Global {
  dpd?: { interval: number; retry: number };
  retransmission?: number;
}

export interface RouterConfig {
  hostname?: string;
  /** optional, absent when empty (configurations saved before it existed compare equal) */
  ikev2Global?: Ikev2Global;
  loggingHosts: LoggingHost[];
  ikev2Proposals: Record<string, Ikev2Proposal>;
  ikev2Policies: Record<string, Ikev2Policy>;
  keyrings: Record<string, Keyring>;
  ikev2Profiles: Record<string, Ikev2Profile>;
  sksProfiles: Record<string, SksProfile>;
  /** optional so that configurations saved before trustpoints existed compare equal; absent when empty */
  trustpoints?: Record<string, TrustpointConfig>;
  transformSets: Record<string, TransformSet>;
  ipsecProfiles: Record<string, IpsecProfile>;
  interfaces: Record<string, InterfaceConfig>;
}

export function emptyConfig(): RouterConfig {
  return {
    loggingHosts: [], ikev2Proposals: {}, ikev2Policies: {}, keyrings: {}, ikev2Profiles: {},
    sksProfiles: {}, transformSets: {}, ipsecProfiles: {}, interfaces: {},
  };
}

export const newProposal = (): Ikev2Proposal => ({ encryption: [], integrity: [], prf: [], dhGroup: [] });
export const newPolicy = (): Ikev2Policy => ({ proposals: [], matchAddressLocal: [] });
export const newProfile = (): Ikev2Profile => ({ matchRemoteAddress: [], matchRemoteFqdn: [], matchRemoteFqdnDomain: [], pkiTrustpoints: [] });
export const newIpsecProfile = (): IpsecProfile => ({ transformSets: [] });

/**
 * A record's own entry, never an inherited one: `constructor`, `toString` and `__proto__` are valid IOS XR
 * names, and `rec[name]` would read (or, assigned, replace) the object's prototype.
 */
export function own<T>(rec: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}

/** A record's own entry, created by `make` when missing (defined, so that `__proto__` is an ordinary key). */
export function ensure<T>(rec: Record<string, T>, key: string, make: () => T): T {
  if (!Object.hasOwn(rec, key)) Object.defineProperty(rec, key, { value: make(), enumerable: true, writable: true, configurable: true });
  return rec[key];
}

/** The order logging hosts are kept and shown in: by address, then VRF. */
export function compareLoggingHosts(a: LoggingHost, b: LoggingHost): number {
  const byName = (x: string, y: string) => x.localeCompare(y, 'en', { numeric: true });
  return byName(a.address, b.address) || byName(a.vrf, b.vrf);
}

export function cloneConfig(c: RouterConfig): RouterConfig {
  return JSON.parse(JSON.stringify(c)) as RouterConfig;
}

/** Structural equality of two configurations (key order does not matter). */
export function sameConfig(a: RouterConfig, b: RouterConfig): boolean {
  return stable(a) === stable(b);
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
