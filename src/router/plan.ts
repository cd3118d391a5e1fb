// The IOS XR running-config as the engine's LocalPolicy (src/ike/plan.ts): which proposals answer on an
// address, which profile, keys and PPK a peer gets, which tunnel-ip interfaces to bring up. The
// selection rules themselves are src/ike/policy.ts; this file only assembles their answers.
import { type Ikev2Profile, type RouterConfig, type SksProfile, own } from '../config/model.js';
import { type Bytes, fromHex, hex, utf8 } from '../crypto/bytes.js';
import type { Proposal } from '../ike/codec/types.js';
import type { AuthPlan, LocalPolicy, PeerIdentity, PpkPlan, TunnelPlan } from '../ike/plan.js';
import {
  describeIdentity, ipsecProfileForIkeProfile, keyringPeerFor, localIdentity, policyFor, ppkFor, profileForPeer,
  profileForTunnel, pskFor, tunnelAddresses,
} from '../ike/policy.js';
import { espProposalsFromConfig, ikeProposalsFromConfig } from '../ike/proposals.js';
import { identityFromAddress, identityFromFqdn } from '../ike/payload-util.js';
import type { Identity } from '../ike/sa.js';
import type { IpsecProfile } from '../config/model.js';
import { SkipClient, type SkipFetch, serverText } from '../skip/client.js';
import type { TimeSource } from '../util/clock.js';
import type { SksView } from '../cli/state.js';
import type { Trustpoint, TrustpointStore } from '../pki/trustpoint.js';
import type { Certificate } from '../pki/certificate.js';

/** IOS XR defaults: IKE SA lifetime 86400 s (the guide's show output), IPsec SA lifetime 3600 s. */
export const DEFAULT_IKE_LIFETIME = 86400;
export const DEFAULT_CHILD_LIFETIME = 3600;

/**
 * Dynamic PPK over SKIP: where draft-cisco-skip-02 leaves room (docs/skip-client.md). The IOS XR grammar has
 * no knob for these, so they are RouterOptions (`dynamicPpk`).
 */
export interface DynamicPpkOptions {
  /**
   * How the KP's keyId travels in PPK_IDENTITY after the PPK_ID_FIXED octet: 'ascii-hex' (default) sends the
   * keyId text exactly as the KP gave it (RFC 8784 recommends a printable PPK_ID; the IOS XE note says key
   * sources speak hex), 'raw' sends the decoded octets (the responder asks its KP with lowercase hex).
   */
  keyIdEncoding?: 'ascii-hex' | 'raw';
  /**
   * What goes into our USE_PPK when the PPK is dynamic: 'local-system-id' (default, draft §2/§7: the UTF-8
   * localSystemID of our KP) or 'none' (RFC 8784's empty USE_PPK; the peer must then derive our KP's ID from
   * its own capabilities). A USE_PPK with data is always accepted.
   */
  usePpkData?: 'local-system-id' | 'none';
  /** `size` asked for in GET /key (bits); undefined: the KP's default (256 bits). */
  keySizeBits?: number;
  /** Timeout of one SKIP request, ms (default 3000). */
  timeoutMs?: number;
  /** URL scheme the fetch is given (default https). */
  scheme?: 'https' | 'http';
}

/** One SkipClient per `sks profile`, kept while its server stays the same (counters for `show sks profile`). */
export class KeySources {
  private readonly clients = new Map<string, { key: string; client: SkipClient }>();
  constructor(private readonly opts: { fetch?: SkipFetch; time?: TimeSource } & DynamicPpkOptions = {}) {}

  get options(): DynamicPpkOptions { return this.opts; }

  private static server(p: SksProfile): { host: string; port: number } | undefined {
    const host = p.kmeIpv4 ?? p.kmeIpv6 ?? p.kmeHostname;
    return host === undefined ? undefined : { host, port: p.kmePort ?? 443 };
  }

  /** The client of `sks profile NAME`, or why there is none. */
  client(cfg: RouterConfig, name: string): SkipClient | { error: string } {
    const p = own(cfg.sksProfiles, name);
    if (!p) return { error: `sks profile ${name} is not configured` };
    const server = KeySources.server(p);
    if (!server) return { error: `sks profile ${name} has no kme server` };
    const key = serverText(server);
    const have = this.clients.get(name);
    if (have && have.key === key) return have.client;
    const client = new SkipClient({
      profile: name, server, fetch: this.opts.fetch, time: this.opts.time, timeoutMs: this.opts.timeoutMs, scheme: this.opts.scheme,
    });
    this.clients.set(name, { key, client });
    return client;
  }

  /** `show sks profile`: every configured profile, with what its client has seen. */
  views(cfg: RouterConfig): SksView[] {
    return Object.entries(cfg.sksProfiles).map(([name, p]) => {
      const server = KeySources.server(p);
      const have = this.clients.get(name);
      const c = have && server && have.key === serverText(server) ? have.client.counters : undefined;
      return {
        name, server: `${p.kmeIpv4 ?? p.kmeIpv6 ?? p.kmeHostname ?? '-'}:${p.kmePort ?? '-'}`,
        reachability: c?.reachability ?? 'Not contacted',
        localSystemId: c?.localSystemId, remoteSystemId: c?.remoteSystemIds?.join(', '),
        keysFetched: c?.keysFetched ?? 0, keysFailed: c?.keysFailed ?? 0, lastError: c?.lastError,
      };
    });
  }

  /** sks profiles used by a `ppk dynamic` keyring peer, in configuration order. */
  static used(cfg: RouterConfig): string[] {
    const out: string[] = [];
    for (const k of Object.values(cfg.keyrings)) {
      for (const p of Object.values(k.peers)) if (p.ppkDynamic && !out.includes(p.ppkDynamic.sksProfile)) out.push(p.ppkDynamic.sksProfile);
    }
    return out;
  }

  /** Ask the used profiles' KPs for their capabilities ahead of time (cached; failures show in the counters). */
  prefetch(cfg: RouterConfig): void {
    if (!this.opts.fetch) return;
    for (const name of KeySources.used(cfg)) {
      const c = this.client(cfg, name);
      if (c instanceof SkipClient && !c.localSystemId) void c.capabilities().catch(() => undefined);
    }
  }

  /** Our USE_PPK data for a dynamic PPK: the KP's localSystemID (UTF-8), or nothing. */
  async usePpkData(client: SkipClient): Promise<Bytes | undefined> {
    if (this.opts.usePpkData === 'none') return undefined;
    try { return utf8((await client.capabilities()).localSystemID); } catch { return undefined; }
  }

  /** The PpkPlan.fetch of a dynamic PPK (initiator: new key; responder: the key named by the PPK_ID). */
  async fetch(client: SkipClient, ppkId: Bytes | undefined, peerData: Bytes | undefined): Promise<{ id: Bytes; key: Bytes } | { error: string }> {
    const raw = this.opts.keyIdEncoding === 'raw';
    try {
      let peer: string;
      if (peerData?.length) {
        peer = new TextDecoder('utf-8', { fatal: false }).decode(peerData);
      } else {
        peer = await client.soleRemoteSystemId();
      }
      if (!ppkId) {
        const k = await client.newKey(peer, this.opts.keySizeBits);
        return { id: raw ? fromHex(k.keyId) : utf8(k.keyId), key: k.key };
      }
      let keyId: string;
      if (raw) keyId = hex(ppkId);
      else {
        keyId = new TextDecoder().decode(ppkId);
        if (!/^(?:[0-9a-fA-F]{2})+$/.test(keyId)) return { error: `PPK_ID '${keyId}' is not a SKIP keyId (ASCII hex expected)` };
      }
      const k = await client.keyById(keyId, peer);
      return { id: ppkId, key: k.key };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }
}

/** The AUTH signature hash that goes with our certificate (certPlan): its own signature's SHA-384/512, else SHA-256. */
export function certSigHash(cert: Certificate): NonNullable<AuthPlan['sigHash']> {
  const h = cert.signatureAlgorithm.hash;
  return h === 'sha384' || h === 'sha512' ? h : 'sha256';
}

/**
 * The CERT payloads we send (RFC 7296 §3.6, leaf first): our certificate, then the trustpoint's intermediate
 * CA certificates above it (by issuer name, not self-issued), so a peer that trusts only the root can build
 * the path. Every CA whose subject is a wanted issuer goes, level by level: with an intermediate renewed under
 * the same name, or a cross-certificate, only a signature check tells which one is right, and the peer's
 * path building does that (this runs where no signature is checked). Self-signed roots are not sent: the
 * peer must have the root already to trust anything. At most 8 certificates.
 */
export function ownChain(tp: Trustpoint): Certificate[] {
  const chain = [tp.certificate!];
  for (let level = [chain[0]]; level.length && chain.length < 8;) {
    const wanted = new Set(level.map((c) => c.issuer));
    level = tp.caCertificates.filter((c) => !c.selfIssued && !chain.includes(c) && wanted.has(c.subject)).slice(0, 8 - chain.length);
    chain.push(...level);
  }
  return chain;
}

function toIdentity(id: PeerIdentity): Identity {
  return id.type === 'fqdn' ? identityFromFqdn(id.name) : identityFromAddress(id.type === 'ipv4' ? id.address : '0.0.0.0');
}

export class ConfigPolicy implements LocalPolicy {
  /** Answers that depend only on the configuration, kept until it changes (`version`). */
  private cache = { version: -1, proposals: new Map<string, Proposal[] | undefined>(), ppk: false as boolean | undefined };

  constructor(private readonly config: () => RouterConfig, private readonly version: () => number = () => -2,
    private readonly keySources?: KeySources, private readonly trustpointStore?: TrustpointStore) {}

  /** The profile's `pki trustpoint` entries that exist in the router's store, in configuration order. */
  private profileTrustpoints(profile: Ikev2Profile): Trustpoint[] {
    const store = this.trustpointStore;
    if (!store) return [];
    return profile.pkiTrustpoints.map((n) => store.get(n)).filter((t): t is Trustpoint => !!t);
  }

  /**
   * `authentication local|remote rsa-signature` and `pki trustpoint`: how we sign and verify, our certificate
   * and key (the first trustpoint of the profile holding a certificate), and the trustpoint the peer's
   * certificate must chain to (the first holding a CA certificate). With both `pre-shared` and
   * `rsa-signature` as remote methods, rsa-signature is expected when a trustpoint can verify it.
   *
   * IOS XR has no command for the hash of our RFC 7427 AUTH signature: it is the hash our certificate was
   * signed with when that is SHA-384 or SHA-512, otherwise SHA-256 (the engine still falls back to what the
   * peer announced). A PKI that signs with SHA-384 gets SHA-384 AUTH signatures, which is what a verifier
   * constraining the chain to SHA-384 also demands of AUTH (strongSwan's `auth = pubkey-sha384`).
   */
  private certPlan(profile: Ikev2Profile): Pick<AuthPlan, 'auth' | 'verify' | 'cert' | 'trustpoint' | 'sigHash'> {
    const tps = this.profileTrustpoints(profile);
    const own = tps.find((t) => t.certificate && t.privateKey);
    const anchor = tps.find((t) => t.caCertificates.length > 0);
    const auth = profile.authLocal?.includes('rsa-signature') ? 'rsa-signature' : 'psk';
    const remote = profile.authRemote ?? [];
    const verify = remote.includes('rsa-signature') && (anchor || !remote.includes('pre-shared')) ? 'rsa-signature' : 'psk';
    return {
      auth, verify,
      ...(auth === 'rsa-signature' && own ? { cert: { chain: ownChain(own), key: own.privateKey! }, sigHash: certSigHash(own.certificate!) } : {}),
      ...(verify === 'rsa-signature' && anchor ? { trustpoint: anchor } : {}),
    };
  }

  /** CERTREQ data for an IKE_SA_INIT response: the CA hashes of every trustpoint a certificate-using profile names. */
  certificates(_localAddr: string): { certReq?: Bytes } | undefined {
    const seen = new Set<Trustpoint>();
    let used = false;
    for (const p of Object.values(this.config().ikev2Profiles)) {
      if (!p.authLocal?.includes('rsa-signature') && !p.authRemote?.includes('rsa-signature')) continue;
      used = true;
      for (const t of this.profileTrustpoints(p)) seen.add(t);
    }
    if (!used) return undefined;
    const parts = [...seen].map((t) => t.certReqHashes()).filter((b) => b.length);
    const hashes = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
    let o = 0;
    for (const b of parts) { hashes.set(b, o); o += b.length; }
    return hashes.length ? { certReq: hashes } : {};
  }

  private cached(): typeof this.cache {
    const v = this.version();
    if (v !== this.cache.version || v === -2) this.cache = { version: v, proposals: new Map(), ppk: undefined };
    return this.cache;
  }

  ikeProposals(localAddr: string): Proposal[] | undefined {
    const c = this.cached();
    if (!c.proposals.has(localAddr)) {
      const p = policyFor(this.config(), localAddr);
      c.proposals.set(localAddr, p ? ikeProposalsFromConfig(p.proposals) : undefined);
    }
    return c.proposals.get(localAddr);
  }

  ppkPossible(): boolean {
    const c = this.cached();
    c.ppk ??= Object.values(this.config().keyrings).some((k) => Object.values(k.peers).some((p) => p.ppkManual || p.ppkDynamic));
    return c.ppk;
  }

  /** USE_PPK data of an IKE_SA_INIT response: the localSystemID of the first sks profile a `ppk dynamic` uses. */
  async usePpkData(): Promise<Bytes | undefined> {
    const cfg = this.config();
    const name = KeySources.used(cfg)[0];
    if (name === undefined || !this.keySources) return undefined;
    const c = this.keySources.client(cfg, name);
    return c instanceof SkipClient ? this.keySources.usePpkData(c) : undefined;
  }

  private espPlan(cfg: RouterConfig, ipsec: IpsecProfile): Pick<AuthPlan, 'espProposals' | 'pfs' | 'childLifetimeSec'> {
    const sets = ipsec.transformSets.map((n) => own(cfg.transformSets, n)).filter((t) => !!t);
    return {
      espProposals: espProposalsFromConfig(sets, ipsec.pfs, new Uint8Array(4)),
      pfs: ipsec.pfs,
      childLifetimeSec: ipsec.saLifetime ?? DEFAULT_CHILD_LIFETIME,
    };
  }

  private keys(cfg: RouterConfig, profile: Ikev2Profile, remoteAddr: string, remoteId: PeerIdentity | undefined,
    role: 'initiator' | 'responder'): Pick<AuthPlan, 'pskSign' | 'pskVerify' | 'ppk'> {
    const sel = { address: remoteAddr, identity: remoteId, role };
    const peer = keyringPeerFor(cfg, profile, sel);
    const sign = peer && pskFor(peer.peer, 'local'), verify = peer && pskFor(peer.peer, 'remote');
    const ppk = ppkFor(cfg, profile, sel);
    let ppkPlan: PpkPlan | undefined;
    if (ppk?.kind === 'manual') ppkPlan = { kind: 'manual', id: ppk.idBytes, key: ppk.key, required: ppk.required };
    else if (ppk?.kind === 'dynamic') {
      const ks = this.keySources;
      const client = ks ? ks.client(cfg, ppk.sksProfile) : { error: `sks profile ${ppk.sksProfile}: no key source client in this router` };
      ppkPlan = client instanceof SkipClient ? {
        kind: 'dynamic', id: new Uint8Array(0), required: ppk.required,
        fetch: (ppkId, peerData) => ks!.fetch(client, ppkId, peerData),
        usePpkData: () => ks!.usePpkData(client),
      } : {
        kind: 'dynamic', id: new Uint8Array(0), required: ppk.required,
        fetch: async () => ({ error: client.error }),
      };
    }
    return { pskSign: sign ? utf8(sign) : undefined, pskVerify: verify ? utf8(verify) : undefined, ppk: ppkPlan };
  }

  responderPlan(localAddr: string, remoteAddr: string, remoteId: PeerIdentity): AuthPlan | { error: string } {
    const cfg = this.config();
    const prof = profileForPeer(cfg, remoteId, remoteAddr);
    if ('error' in prof) return prof;
    const keys = this.keys(cfg, prof.profile, remoteAddr, remoteId, 'responder');
    const certs = this.certPlan(prof.profile);
    if (certs.verify === 'psk' && !keys.pskVerify) return { error: `no keyring peer of profile ${prof.name} matches ${describeIdentity(remoteId)} (peer ${remoteAddr})` };
    if (certs.verify === 'rsa-signature' && !certs.trustpoint) {
      return { error: `profile ${prof.name} verifies rsa-signature but none of its pki trustpoints (${prof.profile.pkiTrustpoints.join(', ') || 'none'}) has a CA certificate` };
    }
    const ipsec = ipsecProfileForIkeProfile(cfg, prof.name, remoteAddr, localAddr);
    const esp = 'error' in ipsec ? { espProposals: [], childLifetimeSec: DEFAULT_CHILD_LIFETIME } : this.espPlan(cfg, ipsec.profile);
    return {
      profile: prof.name,
      localId: toIdentity(localIdentity(prof.profile, localAddr)),
      ...keys,
      ...certs,
      ikeLifetimeSec: prof.profile.lifetime ?? DEFAULT_IKE_LIFETIME,
      ...esp,
      tunnel: 'error' in ipsec ? undefined : ipsec.tunnel,
    };
  }

  tunnels(): TunnelPlan[] {
    const cfg = this.config();
    const out: TunnelPlan[] = [];
    for (const [ifname, intf] of Object.entries(cfg.interfaces)) {
      if (!ifname.startsWith('tunnel-ip') || intf.shutdown || !intf.tunnel?.protectionProfile) continue;
      const { local, remote } = tunnelAddresses(cfg, ifname);
      if (!local || !remote) continue;
      const prof = profileForTunnel(cfg, ifname);
      if ('error' in prof) continue;
      const pol = policyFor(cfg, local);
      if (!pol) continue;
      const src = intf.tunnel.source;
      if (src && own(cfg.interfaces, src)?.shutdown) continue;
      const keys = this.keys(cfg, prof.profile, remote, undefined, 'initiator');
      const profile = prof.profile;
      out.push({
        tunnel: ifname, localAddr: local, remoteAddr: remote,
        ikeProposals: ikeProposalsFromConfig(pol.proposals),
        responderOnly: !!prof.ipsec.profile.responderOnly,
        profile: prof.name,
        localId: toIdentity(localIdentity(profile, local)),
        ...keys,
        ...this.certPlan(profile),
        ikeLifetimeSec: profile.lifetime ?? DEFAULT_IKE_LIFETIME,
        ...this.espPlan(cfg, prof.ipsec.profile),
        checkRemoteId: (id) => {
          const m = profileForPeer({ ...cfg, ikev2Profiles: { [prof.name]: profile } }, id, remote);
          const anyMatch = profile.matchRemoteAddress.length + profile.matchRemoteFqdn.length + profile.matchRemoteFqdnDomain.length > 0 || profile.matchRemoteAny;
          return anyMatch && 'error' in m ? `responder identity ${describeIdentity(id)} does not match ikev2 profile ${prof.name}` : undefined;
        },
      });
    }
    return out.sort((a, b) => a.tunnel.localeCompare(b.tunnel, 'en', { numeric: true }));
  }
}
