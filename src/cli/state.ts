// What the CLI needs to know about the running router: the views behind the show commands and the
// operations behind ping / clear / debug. The engine ([3/5]) implements RouterOps; until a router
// runs, StaticRouterOps answers from the configuration alone (no sessions, interfaces as configured).
import type { ConfigStore } from '../config/store.js';
import { own } from '../config/model.js';
import { isTunnelIp } from '../config/values.js';
import type { TrustpointStore } from '../pki/trustpoint.js';
import type { LabCaService } from '../pki/lab-ca.js';

export interface ChildSaView {
  localSelector: string;   // '0.0.0.0/0 - 255.255.255.255/65535'
  remoteSelector: string;
  spiIn: number;
  spiOut: number;
  encryption: string;      // 'AES-CBC' | 'AES-GCM'
  keySize: number;
  espHmac: string;         // 'SHA256' … or 'None'
}

export interface IkeSaView {
  id: number;
  sessionId: number;
  local: string;           // '10.10.10.3/500'
  remote: string;
  status: string;          // 'READY' | 'IN-NEG' | 'DELETE'
  statusDescription: string; // 'Negotiation done'
  role: 'Initiator' | 'Responder';
  fvrf: string;            // 'Default'
  encryption: string;      // 'AES-CBC'
  keySize: number;
  prf: string;             // 'SHA1'
  hash: string;            // 'SHA256' or 'None'
  dhGroup: number;
  authSign: string;        // 'PSK' | 'RSA'
  authVerify: string;
  lifetime: number;
  activeTime: number;
  localSpi: string;        // 16 hex digits
  remoteSpi: string;
  localId: string;
  remoteId: string;
  quantumResistance: 'Enabled with manual PPK' | 'Enabled with dynamic PPK' | 'Disabled';
  children: ChildSaView[];
}

export interface IkeSessionView {
  id: number;
  status: string;          // 'UP-ACTIVE' | 'UP-IDLE' | 'DOWN-NEGOTIATING' | 'DOWN'
  ikeSas: IkeSaView[];
}

export interface SaDirectionView {
  spi: number;
  protocol: 'ESP';
  encrypt: string;         // 'ESP_192_AES'
  auth: string;            // 'HMAC_SHA_256' | 'None'
  rekeyAfter?: number;     // seconds
  lifetimeLeft: number;    // seconds
  /** webswan's live counters (shown by `detail`; absent in the guide's transcripts) */
  packets?: number;
  bytes?: number;
  drops?: number;
}

export interface IpsecSaView {
  interface: string;
  handle: number;
  saId: number;
  pfsGroup?: number;
  quantumResistant: boolean;
  /** shown from IOS XR 25.2 on; left out when absent */
  localIdentity?: string;
  remoteIdentity?: string;
  inbound: SaDirectionView;
  outbound: SaDirectionView;
}

export interface InterfaceView {
  name: string;
  ipv4?: string;           // 'A.B.C.D/len'
  adminUp: boolean;
  lineUp: boolean;
  encap: string;           // 'ARPA' | 'TUNNEL_IPSEC'
  mtu: number;
  bandwidthKbps: number;
}

export interface SksView {
  name: string;
  server: string;          // '192.0.2.34:10001'
  reachability: 'Reachable' | 'Unreachable' | 'Not contacted';
  localSystemId?: string;
  remoteSystemId?: string;
  keysFetched: number;
  keysFailed: number;
  lastError?: string;
}

export interface TraceEntry { at: Date; text: string }

export interface PingRequest { destination: string; source?: string; count: number; size: number; timeoutSec: number }
export interface PingReply { seq: number; ok: boolean; rttMs?: number }

export interface RouterOps {
  ikeSessions(): IkeSessionView[];
  ipsecSas(): IpsecSaView[];
  interfaces(): InterfaceView[];
  sksProfiles(): SksView[];
  trace(): TraceEntry[];
  /** Live trace lines while `debug ikev2` is on; returns the unsubscribe function. */
  onTrace(fn: (e: TraceEntry) => void): () => void;
  clearIkeSa(id?: number): number;
  clearIpsecSa(iface?: string): number;
  ping(req: PingRequest, onReply: (r: PingReply) => void): Promise<void>;
  /**
   * The router's trustpoints: what `crypto ca authenticate|import|enroll` fill and `show crypto ca
   * certificates` prints (certificates and keys are never configuration). Undefined: no PKI on this console.
   */
  trustpoints?(): TrustpointStore;
  /** The lab's built-in CA (`enrollment url lab://ca`); undefined outside the lab. */
  labCa?(): Promise<LabCaService | undefined>;
}

/** The interfaces every emulated router has (issue [4/5]); tunnel-ip interfaces come from configuration. */
export const DEFAULT_INVENTORY = [
  'MgmtEth0/RP0/CPU0/0', 'GigabitEthernet0/0/0/0', 'GigabitEthernet0/0/0/1', 'GigabitEthernet0/0/0/2', 'GigabitEthernet0/0/0/3',
];

function prefixLen(mask: string): number {
  return mask.split('.').reduce((n, o) => n + Number(o).toString(2).replace(/0/g, '').length, 0);
}

/** RouterOps from the configuration alone: no engine, so no sessions and no replies. */
export class StaticRouterOps implements RouterOps {
  constructor(private readonly store: ConfigStore, private readonly inventory = DEFAULT_INVENTORY) {}
  ikeSessions(): IkeSessionView[] { return []; }
  ipsecSas(): IpsecSaView[] { return []; }
  sksProfiles(): SksView[] {
    return Object.entries(this.store.running.sksProfiles).map(([name, s]) => ({
      name, server: `${s.kmeIpv4 ?? s.kmeIpv6 ?? s.kmeHostname ?? '-'}:${s.kmePort ?? '-'}`,
      reachability: 'Not contacted' as const, keysFetched: 0, keysFailed: 0,
    }));
  }
  interfaces(): InterfaceView[] {
    const cfg = this.store.running.interfaces;
    const names = [...new Set([...this.inventory, ...Object.keys(cfg)])]; // configured Loopbacks and tunnels too
    return names.map((name) => {
      const c = own(cfg, name) ?? {};
      const tunnel = isTunnelIp(name), loopback = name.startsWith('Loopback');
      const up = !c.shutdown && !tunnel;
      return {
        name, ipv4: c.ipv4 ? `${c.ipv4.address}/${prefixLen(c.ipv4.mask)}` : undefined, adminUp: !c.shutdown, lineUp: up,
        encap: tunnel ? 'TUNNEL_IPSEC' : loopback ? 'Loopback' : 'ARPA',
        mtu: tunnel || loopback ? 1500 : 1514, bandwidthKbps: tunnel ? 100 : loopback ? 0 : 1000000,
      };
    });
  }
  trace(): TraceEntry[] { return []; }
  onTrace(): () => void { return () => {}; }
  clearIkeSa(): number { return 0; }
  clearIpsecSa(): number { return 0; }
  async ping(req: PingRequest, onReply: (r: PingReply) => void): Promise<void> {
    for (let i = 0; i < req.count; i++) onReply({ seq: i + 1, ok: false });
  }
}
