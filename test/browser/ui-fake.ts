// A LabClient for the UI component tests: records every call, answers from small scripts, and lets a test
// push events as the router workers would. No workers, no WebRTC.
import type {
  Impairment, KeySourceAction, KeySourceStatus, LabClient, LabEvent, LadderEntry, RouterName, RouterState, TunnelView,
} from '../../src/lab/protocol.js';

export type Call = [string, ...unknown[]];

export function tunnel(over: Partial<TunnelView> = {}): TunnelView {
  return { name: 'tunnel-ip1', state: 'down', quantumSafe: false, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, drops: 0, ...over };
}

export function routerState(name: RouterName, over: Partial<RouterState> = {}): RouterState {
  return {
    name, hostname: name, addresses: [name === 'A' ? 'GigabitEthernet0/0/0/0 10.0.0.1/24' : 'GigabitEthernet0/0/0/0 10.0.0.2/24'],
    tunnels: [], sessions: [], ipsec: [], ...over,
  };
}

/** A key source status as the key-server worker reports it (both KPs, link up, unlimited), with overrides. */
export function keySourceStatus(link: Partial<KeySourceStatus['link']> = {},
  stats: Partial<Record<RouterName, Partial<KeySourceStatus['ends'][number]['stats']>>> = {}): KeySourceStatus {
  const end = (router: RouterName, systemID: string, address: string) => ({
    router, systemID, address, reachable: true, pending: 0, requests: 0,
    stats: { issued: 0, delivered: 0, refused: 0, unavailable: 0, errors: 0, ...stats[router] },
  });
  return {
    link: { cut: false, delayMs: 0, budgetBits: null, ...link },
    ends: [end('A', 'KP_A', '192.0.2.34:10001'), end('B', 'KP_B', '192.0.2.35:10002')],
  };
}

export class FakeLab implements LabClient {
  readonly calls: Call[] = [];
  private listeners = new Set<(e: LabEvent) => void>();
  prompts: Record<RouterName, string> = { A: 'RP/0/RP0/CPU0:A#', B: 'RP/0/RP0/CPU0:B#' };
  states: Record<RouterName, RouterState> = { A: routerState('A'), B: routerState('B') };
  current: string | undefined;
  /** Answers exec; default: "ran <line>". May be async (tests of ordering). */
  onExec: (router: RouterName, line: string) => string | Promise<string> = (r, l) => `ran ${r}: ${l}\n`;
  helpText = '  version  System hardware and software status\n';
  completions: Record<string, { line: string; choices: string[] }> = {
    'show ver': { line: 'show version ', choices: [] },
    'show i': { line: 'show i', choices: ['ikev2', 'interfaces', 'ipsec'] },
  };
  labList: { name: string; title: string; broken: boolean; keySources?: boolean }[] = [
    { name: 'psk-ipv4', title: 'PSK, IPv4 identities', broken: false },
    { name: 'ppk-manual', title: 'Manual PPK', broken: false },
    { name: 'ppk-dynamic', title: 'Dynamic PPK (SKIP)', broken: false, keySources: true },
    { name: 'broken-psk', title: 'PSK mismatch', broken: true },
  ];
  /** The key source as keySource() leaves it (the fake applies cut/restore/slow/budget/reset to the link). */
  keyStatus: KeySourceStatus = keySourceStatus();
  /** Makes keySource() fail (an error the panel shows). */
  keySourceError: string | undefined;

  on(cb: (e: LabEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
  emit(e: LabEvent): void { for (const l of this.listeners) l(e); }
  get listenerCount(): number { return this.listeners.size; }
  callsOf(name: string): unknown[][] { return this.calls.filter((c) => c[0] === name).map((c) => c.slice(1)); }

  routers(): RouterName[] { return ['A', 'B']; }
  async exec(router: RouterName, command: string): Promise<string> {
    this.calls.push(['exec', router, command]);
    return this.onExec(router, command);
  }
  labs() { return this.labList; }
  async load(labName: string): Promise<void> { this.calls.push(['load', labName]); this.current = labName; }
  async state(): Promise<Record<RouterName, RouterState>> { return { ...this.states }; }
  async pcap(router?: RouterName): Promise<Uint8Array> { this.calls.push(['pcap', router]); return new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]); }
  async keyFiles(router?: RouterName): Promise<Record<string, string>> {
    this.calls.push(['keyFiles', router]);
    return { ikev2_decryption_table: 'aa,bb\n', esp_sa: '"IPv4","*","*"\n', preferences: 'esp.enable_encryption_decode: TRUE\n' };
  }
  async setImpairment(router: RouterName, i: Impairment): Promise<void> { this.calls.push(['setImpairment', router, i]); }
  async keySource(action: KeySourceAction): Promise<KeySourceStatus> {
    this.calls.push(['keySource', action]);
    if (this.keySourceError) throw new Error(this.keySourceError);
    const l = this.keyStatus.link;
    if (action.op === 'cut' || action.op === 'restore') l.cut = action.op === 'cut';
    else if (action.op === 'slow') l.delayMs = action.ms;
    else if (action.op === 'budget') l.budgetBits = action.bits;
    else if (action.op === 'reset') this.keyStatus.link = { cut: false, delayMs: 0, budgetBits: null };
    return structuredClone(this.keyStatus);
  }
  async prompt(router: RouterName): Promise<string> { return this.prompts[router]; }
  async help(router: RouterName, line: string): Promise<string> { this.calls.push(['help', router, line]); return this.helpText; }
  async complete(router: RouterName, line: string): Promise<{ line: string; choices: string[] }> {
    this.calls.push(['complete', router, line]);
    return this.completions[line] ?? { line, choices: [] };
  }
  async runningConfig(router: RouterName): Promise<string> { this.calls.push(['runningConfig', router]); return `hostname ${router}\n`; }
  ladder(): LadderEntry[] { return []; }
  currentLab(): string | undefined { return this.current; }
  async exportLab(): Promise<string> { this.calls.push(['exportLab']); return JSON.stringify({ format: 'webswan-lab', version: 1, configs: { A: '', B: '' } }); }
  async importLab(json: string): Promise<void> { this.calls.push(['importLab', json]); this.current = 'imported'; }
  async shareUrl(): Promise<string> { this.calls.push(['shareUrl']); return 'http://127.0.0.1:8080/#lab=abc'; }
}

/** Waits until `cond` holds (the components render asynchronously). */
export async function until(cond: () => unknown, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function mount<T extends HTMLElement>(tag: string, props: Record<string, unknown> = {}, style = ''): T {
  const el = document.createElement(tag) as T;
  Object.assign(el, props);
  if (style) el.setAttribute('style', style);
  document.body.append(el);
  return el;
}
