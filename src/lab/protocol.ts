// The browser lab's contract (issue [4/5]): what a router worker offers the page through comlink, and the
// events it streams. The page never runs protocol code: it sends command lines and wire settings, and it
// receives text, state and ready-made dissections.
import type { IkeSessionView, IpsecSaView } from '../cli/state.js';
import type { DissectNode } from '../ike/codec/describe.js';
import type { LabCaMaterial } from '../pki/lab-ca.js';
import type { PkiMaterial } from '../pki/trustpoint.js';

export type RouterName = 'A' | 'B';

/** Impairments a router applies to the datagrams it sends on its link (the wire inspector). */
export interface Impairment {
  lossPct?: number;        // 0–100
  delayMs?: number;
  jitterMs?: number;
  reorderPct?: number;     // share of datagrams held back by an extra delay
  duplicatePct?: number;
  corruptPct?: number;     // one random byte flipped
  cut?: boolean;           // the cable is cut: nothing leaves
  /** Seed for the impairment decisions (reproducible runs); absent: crypto.getRandomValues. */
  seed?: number;
}

export type TunnelState = 'down' | 'negotiating' | 'up';

export interface TunnelView {
  name: string;            // tunnel-ip1
  state: TunnelState;
  quantumSafe: boolean;    // a PPK was mixed into the IKE SA
  packetsIn: number; packetsOut: number; bytesIn: number; bytesOut: number; drops: number;
}

export interface RouterState {
  name: RouterName;
  hostname: string;
  addresses: string[];
  tunnels: TunnelView[];
  sessions: IkeSessionView[];
  ipsec: IpsecSaView[];
}

/** One line of the ladder: an IKE message or an ESP packet as one router saw it. */
export interface LadderEntry {
  id: number;
  router: RouterName;
  dir: 'in' | 'out';
  at: number;              // ms since the epoch
  kind: 'ike' | 'esp';
  /** 'IKE_AUTH request 1 [ IDi AUTH SA TSi TSr ]' or 'ESP SPI 0x1234abcd seq 7: ICMP echo request 192.0.2.1 → 192.0.2.2' */
  summary: string;
  /** Generic header and every payload with IANA names; for SK the decrypted inner payloads. */
  dissection: DissectNode[];
  /** Keys that decrypted it (hex), named as Wireshark's tables name them. */
  keys?: Record<string, string>;
  /** The UDP payload as on the wire, hex. */
  rawHex: string;
}

export type LabEvent =
  | { kind: 'ladder'; entry: LadderEntry }
  | {
    kind: 'wire'; router: RouterName; dir: 'in' | 'out'; at: number; length: number; dropped?: string;
    /** What an impairment did to a datagram that was sent anyway. */
    mark?: 'duplicate' | 'corrupted' | 'reordered';
  }
  | { kind: 'trace'; router: RouterName; at: number; text: string }
  /** A plain-sentence explanation of a failure, derived from the engine's trace. */
  | { kind: 'explain'; router: RouterName; at: number; text: string }
  | { kind: 'state'; state: RouterState }
  /** A router's impairment was set (by the wire inspector or window.webswanLab): the whole setting, unset fields are none. */
  | { kind: 'impairment'; router: RouterName; impairment: Impairment }
  /** A lab was loaded (both routers restarted): views showing history start over. */
  | { kind: 'lab'; name: string | undefined }
  /** Console output that arrives outside a command (debug, syslog, line state messages). */
  | { kind: 'console'; router: RouterName; text: string }
  /** A router's trustpoints changed (CA authenticated, certificate enrolled, cleared): the lab saves them. No material. */
  | { kind: 'trustpoints'; router: RouterName }
  /**
   * The lab's key source changed: a link control (cut, slow, budget, reset — from the panel, window.webswanLab
   * or a lab load), or a key request answered (counters; at most one such event per 100 ms). The whole status, no keys.
   */
  | { kind: 'keySource'; status: KeySourceStatus };

/** How a router worker boots a configuration (RouterWorkerApi.replaceConfig). */
export interface BootOptions {
  /** Saved trustpoint and key pair material (IndexedDB): installed before the configuration, so the first IKE_AUTH has it. */
  trustpoints?: PkiMaterial[];
  /**
   * Exec lines run in the router's console, shown in its terminal as if typed, after the trustpoints are
   * configured and before the rest of the configuration: a lab's setup (`crypto ca authenticate`, `yes`,
   * `crypto ca enroll`), so the tunnel starts with the certificates in place.
   */
  setup?: string[];
}

/** replaceConfig's answer: refused lines, and notes for the terminal (what the router is missing). */
export interface BootResult {
  errors: string[];
  /** e.g. a trustpoint without certificates after an import, with the commands that enrol it */
  notes?: string[];
}

export interface RouterWorkerApi {
  /** Start the router with a configuration (IOS XR text); returns the lines that were refused. */
  start(opts: { name: RouterName; config: string }): Promise<{ errors: string[] }>;
  /** The link: an RTCDataChannel transferred into the worker (Comlink.transfer), datagram semantics. */
  attachLink(channel: RTCDataChannel): void;
  /** Subscribe to events (a Comlink.proxy callback). */
  onEvent(cb: (e: LabEvent) => void): void;
  /** One CLI line exactly as typed in the terminal; resolves with its whole output. */
  exec(line: string): Promise<string>;
  prompt(): string;
  help(line: string): string;
  complete(line: string): { line: string; choices: string[] };
  setImpairment(i: Impairment): void;
  state(): RouterState;
  runningConfig(): string;
  /** Replace the running configuration (loading a lab): a fresh router, with saved trustpoints or setup lines. */
  replaceConfig(text: string, opts?: BootOptions): Promise<BootResult>;
  /** The trustpoints' certificates and keys, to be saved with the lab (private keys included: never shown or logged). */
  trustpointMaterial(): PkiMaterial[];
  /** pcap of this router's link traffic (outer IPv4/UDP headers), and Wireshark's key files. */
  pcap(): Uint8Array;
  keyFiles(): Record<string, string>;
  stop(): Promise<void>;
  /** The link's data channel as the worker sees it (undefined before attachLink). */
  linkInfo(): { ordered: boolean; maxRetransmits: number | null; readyState: string } | undefined;
  /** The key source: a MessagePort to the key-server worker (KeySourceRequest/Reply); the router's keySourceFetch. */
  attachKeySource(port: MessagePort): void;
  /** The lab CA: a MessagePort to the key-server worker (LabCaRequest/Reply); the router's labCa. */
  attachLabCa(port: MessagePort): void;
}

/** `window.webswanLab`: the operations the UI performs, for tests and power users. */
export interface WebswanLab {
  routers(): RouterName[];
  exec(router: RouterName, command: string): Promise<string>;
  /** The presets; `keySources: true` (absent otherwise) when its routers get PPKs from the lab's key source (SKIP). */
  labs(): { name: string; title: string; broken: boolean; keySources?: boolean }[];
  load(labName: string): Promise<void>;
  state(): Promise<Record<RouterName, RouterState>>;
  pcap(router?: RouterName): Promise<Uint8Array>;
  keyFiles(router?: RouterName): Promise<Record<string, string>>;
  setImpairment(router: RouterName, i: Impairment): Promise<void>;
}

/** What the UI components are given (web/lab/controller.ts implements it over the two router workers). */
export interface LabClient extends WebswanLab {
  on(cb: (e: LabEvent) => void): () => void;
  prompt(router: RouterName): Promise<string>;
  help(router: RouterName, line: string): Promise<string>;
  complete(router: RouterName, line: string): Promise<{ line: string; choices: string[] }>;
  runningConfig(router: RouterName): Promise<string>;
  /** Every ladder entry so far, oldest first (the ladder view starts from this, then follows events). */
  ladder(): LadderEntry[];
  /** The current lab's name, and both routers' configurations as a shareable document. */
  currentLab(): string | undefined;
  exportLab(): Promise<string>;
  importLab(json: string): Promise<void>;
  /** A URL that opens this lab (configurations in the fragment). */
  shareUrl(): Promise<string>;
  /** The key source's link controls (cut / slow / budget the QKD link); absent in a lab without one. */
  keySource?(action: KeySourceAction): Promise<KeySourceStatus>;
}

// ---------------------------------------------------------------- the lab's key source (issue [5/5])

/**
 * The lab's two SKIP Key Providers (src/skip, one KeyPair joined by a simulated QKD link), served by the
 * key-server worker (src/runtime/worker/kme-worker.ts). A router reaches "its" KP at the address its
 * `sks profile … kme server ipv4 HOST port PORT` names; any other address is unreachable (connection refused).
 */
export const LAB_KEY_SOURCES: readonly { router: RouterName; systemID: string; host: string; port: number }[] = [
  { router: 'A', systemID: 'KP_A', host: '192.0.2.34', port: 10001 },
  { router: 'B', systemID: 'KP_B', host: '192.0.2.35', port: 10002 },
];

/** One fetch-style request a router worker sends to the key-server worker over its MessagePort. */
export interface KeySourceRequest { id: number; url: string; method: string }
/** The answer: an HTTP response, or `error` when no HTTP answer exists (no KP at that address: the fetch rejects). */
export type KeySourceReply =
  | { id: number; status: number; headers: [string, string][]; body: string }
  | { id: number; error: string };

/** Link controls of the lab's key source (the QKD link between KP_A and KP_B, and the KPs themselves). */
export type KeySourceAction =
  | { op: 'status' }
  /** The QKD link is cut: new keys fail with 503 at both KPs until 'restore'. */
  | { op: 'cut' }
  | { op: 'restore' }
  /** Keys reach the other KP `ms` later (a key fetched earlier: 503 + Retry-After). */
  | { op: 'slow'; ms: number }
  /** Key material the link can still deliver, in bits (null: unlimited); then 503 "out of keys". */
  | { op: 'budget'; bits: number | null }
  /** A KP stops (or starts again) answering: its router's requests fail as unreachable. */
  | { op: 'reachable'; router: RouterName; reachable: boolean }
  /** Back to a fresh link: not cut, no delay, unlimited, both KPs reachable (done on every lab load). */
  | { op: 'reset' };

export interface KeySourceStatus {
  link: { cut: boolean; delayMs: number; budgetBits: number | null };
  ends: {
    router: RouterName; systemID: string; address: string; reachable: boolean;
    stats: { issued: number; delivered: number; refused: number; unavailable: number; errors: number };
    /** Keys that reached this KP and wait for its router (their bytes are never shown). */
    pending: number;
    requests: number;
  }[];
}

/** What the key-server worker offers the page through comlink. */
export interface KmeWorkerApi {
  /** A router's end of a MessageChannel (transferred): it speaks KeySourceRequest / KeySourceReply. */
  connect(router: RouterName, port: MessagePort): void;
  control(action: KeySourceAction): Promise<KeySourceStatus>;
  /** Subscribe (a Comlink.proxy callback) to the status after every control and, throttled, after key requests. */
  onStatus(cb: (status: KeySourceStatus) => void): void;
  /** A router's end of a MessageChannel (transferred) to the lab CA: LabCaRequest / LabCaReply. */
  connectCa(router: RouterName, port: MessagePort): void;
  /** The lab CA to save with the lab (its private key included); undefined until a router first asked for it. */
  caMaterial(): Promise<LabCaMaterial | undefined>;
  /** The saved lab CA again (a reload); an error text when it cannot be re-created (a new CA is made on demand). */
  restoreCa(material: LabCaMaterial): Promise<string | undefined>;
}

// ---------------------------------------------------------------- the lab CA (issue [5/5], certificates)

/**
 * What a router worker asks the lab CA over its MessagePort: the CA certificate (`crypto ca authenticate`
 * of a trustpoint with `enrollment url lab://ca`), or a certificate for an FQDN (`crypto ca enroll`).
 * `now`: ms since the epoch (the router's clock).
 */
export type LabCaRequest =
  | { id: number; op: 'certificate' }
  | { id: number; op: 'issue'; fqdn: string; ipv4?: string[]; now: number };
/** The CA certificate; for 'issue' the router certificate and its PKCS#8 private key (to the asking router only). */
export type LabCaReply =
  | { id: number; certificatePem: string; privateKeyPem?: string }
  | { id: number; error: string };

