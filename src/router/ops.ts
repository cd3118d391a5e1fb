// The running router as the CLI sees it (RouterOps, src/cli/state.ts): show views built from the engine's
// SAs and the data plane, and the operations behind ping and clear.
import type {
  ChildSaView, IkeSaView, IkeSessionView, InterfaceView, IpsecSaView, PingReply, PingRequest, RouterOps, SaDirectionView, SksView,
  TraceEntry,
} from '../cli/state.js';
import { StaticRouterOps } from '../cli/state.js';
import { hex } from '../crypto/bytes.js';
import type { ChildSa } from '../ike/child.js';
import type { IkeSa } from '../ike/sa.js';
import { espSuiteView, ikeSuiteView } from '../ike/proposals.js';
import { identityText, selectorShow } from '../ike/payload-util.js';
import type { Router } from './router.js';
import type { RouterConfig } from '../config/model.js';
import type { TrustpointStore } from '../pki/trustpoint.js';
import type { LabCaService } from '../pki/lab-ca.js';

const IF_HANDLE_BASE = 0x800090;

function sessionStatus(sa: IkeSa): string {
  if (sa.state === 'connecting') return 'DOWN-NEGOTIATING';
  if (sa.state === 'dead') return 'DOWN';
  return sa.children.some((c) => c.state !== 'dead') ? 'UP-ACTIVE' : 'UP-IDLE';
}

function saStatus(sa: IkeSa): [string, string] {
  switch (sa.state) {
    case 'connecting': return ['IN-NEG', 'Negotiation in progress'];
    case 'deleting': case 'rekeyed': return ['DELETE', 'Deleting'];
    case 'dead': return ['DELETE', 'Deleted'];
    default: return ['READY', 'Negotiation done'];
  }
}

export class RouterView implements RouterOps {
  private readonly fallback: StaticRouterOps;
  constructor(private readonly r: Router) { this.fallback = new StaticRouterOps(r.store); }

  private now(): number { return this.r.time.now().getTime(); }

  private childView(c: ChildSa): ChildSaView {
    const v = espSuiteView(c.suite);
    return {
      localSelector: c.tsLocal.map(selectorShow).join(', '), remoteSelector: c.tsRemote.map(selectorShow).join(', '),
      spiIn: c.spiIn, spiOut: c.spiOut, encryption: c.suite.encr === 'aes-gcm-16' ? 'AES-GCM' : 'AES-CBC',
      keySize: c.suite.encrKeyBits, espHmac: v.espHmac,
    };
  }

  private saView(sa: IkeSa): IkeSaView {
    const s = sa.suite ? ikeSuiteView(sa.suite) : { encryption: '-', keySize: 0, prf: '-', hash: '-', dhGroup: 0 };
    const [status, desc] = saStatus(sa);
    return {
      id: sa.id, sessionId: sa.id, local: `${sa.local.addr}/${sa.local.port}`, remote: `${sa.remote.addr}/${sa.remote.port}`,
      status, statusDescription: desc, role: sa.initiator ? 'Initiator' : 'Responder', fvrf: 'Default',
      ...s, authSign: sa.plan?.auth === 'rsa-signature' ? 'RSA' : 'PSK', authVerify: sa.plan?.verify === 'rsa-signature' ? 'RSA' : 'PSK', lifetime: sa.lifetimeSec,
      activeTime: sa.establishedAt ? Math.floor((this.now() - sa.establishedAt) / 1000) : 0,
      localSpi: hex(sa.ourSpi).toUpperCase(), remoteSpi: hex(sa.peerSpi).toUpperCase(),
      localId: identityText(sa.localId), remoteId: identityText(sa.remoteId),
      quantumResistance: sa.ppkUsed === 'manual' ? 'Enabled with manual PPK' : sa.ppkUsed === 'dynamic' ? 'Enabled with dynamic PPK' : 'Disabled',
      children: sa.children.filter((c) => !c.disposed).map((c) => this.childView(c)),
    };
  }

  ikeSessions(): IkeSessionView[] {
    return this.r.engine.list().filter((sa) => sa.state !== 'dead').map((sa) => ({ id: sa.id, status: sessionStatus(sa), ikeSas: [this.saView(sa)] }));
  }

  ipsecSas(): IpsecSaView[] {
    const out: IpsecSaView[] = [];
    const names = Object.keys(this.r.store.current.interfaces).filter((n) => n.startsWith('tunnel-ip'))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    for (const name of names) {
      const e = this.r.dataplane.current(name);
      if (!e) continue;
      const sa = this.r.engine.list().find((s) => s.children.includes(e.child));
      const c = e.child, st = c.stats();
      const v = espSuiteView(c.suite);
      const left = Math.max(0, Math.round(c.lifetimeSec - (this.now() - c.createdAt) / 1000));
      const dir = (spi: number, x: typeof st.in): SaDirectionView => ({
        spi, protocol: 'ESP', encrypt: v.encrypt, auth: v.auth, lifetimeLeft: left,
        ...(c.rekeyAt !== undefined && c.state === 'installed' ? { rekeyAfter: Math.max(0, Math.round((c.rekeyAt - this.now()) / 1000)) } : {}),
        packets: x.packets, bytes: x.bytes, drops: Object.values(x.drops).reduce((a, b) => a + b, 0),
      });
      out.push({
        interface: name, handle: IF_HANDLE_BASE + Number(name.replace(/\D+/g, '') || 0) * 0x20, saId: c.id,
        pfsGroup: c.pfsGroup, quantumResistant: !!sa?.ppkUsed,
        localIdentity: sa ? identityText(sa.localId) : undefined, remoteIdentity: sa ? identityText(sa.remoteId) : undefined,
        inbound: dir(c.spiIn, st.in), outbound: dir(c.spiOut, st.out),
      });
    }
    return out;
  }

  interfaces(): InterfaceView[] {
    return this.fallback.interfaces().map((i) => (i.encap === 'TUNNEL_IPSEC' ? { ...i, lineUp: i.adminUp && this.r.dataplane.isUp(i.name) } : i));
  }

  trustpoints(): TrustpointStore { return this.r.trustpoints; }
  labCa(): Promise<LabCaService | undefined> { return this.r.labCa(); }
  sksProfiles(): SksView[] { return this.r.keySources.views(this.r.store.running as RouterConfig); }
  trace(): TraceEntry[] { return this.r.traceLog.slice(); }
  onTrace(fn: (e: TraceEntry) => void): () => void { return this.r.onTrace(fn); }

  clearIkeSa(id?: number): number {
    const sas = this.r.engine.list().filter((sa) => sa.state !== 'dead' && (id === undefined || sa.id === id));
    for (const sa of sas) void this.r.engine.deleteSa(sa, 'cleared by clear ikev2 sa');
    return sas.length;
  }

  clearIpsecSa(iface?: string): number {
    let n = 0;
    for (const sa of this.r.engine.list()) {
      if (sa.state !== 'established' || (iface && sa.tunnel !== iface)) continue;
      const live = sa.children.filter((c) => c.state === 'installed');
      // IOS XR tears the IPsec SAs down; the tunnel then negotiates new ones
      for (const c of live) { n++; this.r.engine.startChildRekey(sa, c); }
    }
    return n;
  }

  ping(req: PingRequest, onReply: (r: PingReply) => void): Promise<void> {
    let source = req.source;
    if (source && !/^\d+\.\d+\.\d+\.\d+$/.test(source)) {
      const intf = Object.entries(this.r.store.current.interfaces).find(([n]) => n.toLowerCase() === source!.toLowerCase());
      source = intf?.[1].ipv4?.address;
    }
    return this.r.host.ping({ ...req, source }, onReply, (dst) => this.r.sourceFor(dst));
  }
}
