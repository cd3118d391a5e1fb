// The IOS XR running-config as the engine's LocalPolicy (src/ike/plan.ts): which proposals answer on an
// address, which profile, keys and PPK a peer gets, which tunnel-ip interfaces to bring up. The
// selection rules themselves are src/ike/policy.ts; this file only assembles their answers.
import { type Ikev2Profile, type RouterConfig, own } from '../config/model.js';
import { utf8 } from '../crypto/bytes.js';
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

/** IOS XR defaults: IKE SA lifetime 86400 s (the guide's show output), IPsec SA lifetime 3600 s. */
export const DEFAULT_IKE_LIFETIME = 86400;
export const DEFAULT_CHILD_LIFETIME = 3600;

function toIdentity(id: PeerIdentity): Identity {
  return id.type === 'fqdn' ? identityFromFqdn(id.name) : identityFromAddress(id.type === 'ipv4' ? id.address : '0.0.0.0');
}

export class ConfigPolicy implements LocalPolicy {
  /** Answers that depend only on the configuration, kept until it changes (`version`). */
  private cache = { version: -1, proposals: new Map<string, Proposal[] | undefined>(), ppk: false as boolean | undefined };

  constructor(private readonly config: () => RouterConfig, private readonly version: () => number = () => -2) {}

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
      ppkPlan = {
        kind: 'dynamic', id: new Uint8Array(0), required: ppk.required,
        fetch: async () => ({ error: `sks profile ${ppk.sksProfile}: dynamic PPK is not available yet` }),
      };
    }
    return { pskSign: sign ? utf8(sign) : undefined, pskVerify: verify ? utf8(verify) : undefined, ppk: ppkPlan };
  }

  responderPlan(localAddr: string, remoteAddr: string, remoteId: PeerIdentity): AuthPlan | { error: string } {
    const cfg = this.config();
    const prof = profileForPeer(cfg, remoteId, remoteAddr);
    if ('error' in prof) return prof;
    const keys = this.keys(cfg, prof.profile, remoteAddr, remoteId, 'responder');
    if (!keys.pskVerify) return { error: `no keyring peer of profile ${prof.name} matches ${describeIdentity(remoteId)} (peer ${remoteAddr})` };
    const ipsec = ipsecProfileForIkeProfile(cfg, prof.name, remoteAddr, localAddr);
    const esp = 'error' in ipsec ? { espProposals: [], childLifetimeSec: DEFAULT_CHILD_LIFETIME } : this.espPlan(cfg, ipsec.profile);
    return {
      profile: prof.name,
      localId: toIdentity(localIdentity(prof.profile, localAddr)),
      ...keys,
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
