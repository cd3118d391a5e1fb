// The page side of the browser lab (issue [4/5]): two router workers, the wire between them, and the
// operations the UI performs (LabClient), also installed as `window.webswanLab` for tests and power users.
//
//   LabController ── comlink ──→ router worker A ⇄ data channel (WebRTC, unordered) ⇄ router worker B
//        │  events (ladder, wire, trace, explain, state, console) ←── both workers, forwarded to subscribers
//        ├─ comlink (connect, control) ──→ key-server worker: KP_A ═ QKD link ═ KP_B (SKIP, src/skip), the lab CA
//        │     two MessageChannels per router: router worker ⇄ key-server worker (keySourceFetch, labCa)
//        └─ IndexedDB (current lab + both running-configs + certificates), export/import, share URL
//
// The page runs no protocol code: it passes command lines and settings to the workers and shows what comes
// back. The lab's state survives a reload: it is saved after every load and every command that changes a
// running configuration or a trustpoint, and restored (a shared URL in the fragment wins over the saved lab).
// Certificates (the routers' trustpoints and the lab CA, private keys included) are saved and restored with
// it, but never exported or shared: an imported lab enrols again (the routers say how on their terminals).
import * as Comlink from 'comlink';
import { LABS, findLab } from '../../src/lab/labs.js';
import type {
  Impairment, KeySourceAction, KeySourceStatus, KmeWorkerApi, LabClient, LabEvent, LadderEntry, RouterName, RouterState, RouterWorkerApi,
} from '../../src/lab/protocol.js';
import { LabStore, type SavedPki } from '../../src/lab/store.js';
import { createRtcLink, type RtcLink } from './rtc-link.js';
import { labDocument, labFromUrl, labUrl, parseLabDocument, type LabDocument } from './share.js';

const ROUTERS: readonly RouterName[] = ['A', 'B'];
const LINK_OPEN_TIMEOUT_MS = 15000;
const LADDER_MAX = 5000;
/** The lab a first visit starts with. */
export const DEFAULT_LAB = 'psk-ipv4';

/** A preset whose routers fetch PPKs from the lab's key source (an `sks profile`: the Dynamic PPK lab). */
const usesKeySources = (l: { configA: string; configB: string }): boolean => /^sks profile /m.test(l.configA + l.configB);

interface RouterHandle { worker: Worker; api: Comlink.Remote<RouterWorkerApi> }

export interface LabControllerOptions {
  /** IndexedDB database for the saved lab; false: nothing is saved or restored. */
  store?: string | false;
  /** The page URL whose fragment may carry a shared lab (default: location.href). */
  url?: string;
  /** Lab to start with when neither the URL nor the store has one (default 'psk-ipv4'; false: empty routers). */
  initial?: string | false;
  /** Set window.webswanLab (default true). */
  install?: boolean;
}

declare global {
  interface Window { webswanLab?: LabClient }
}

export class LabController implements LabClient {
  private readonly handles = {} as Record<RouterName, RouterHandle>;
  private link?: RtcLink;
  private kme?: { worker: Worker; api: Comlink.Remote<KmeWorkerApi> };
  private readonly subscribers = new Set<(e: LabEvent) => void>();
  private readonly entries: LadderEntry[] = [];
  private nextLadderId = 1;
  private lab?: string;
  private readonly store?: LabStore;
  private saved = '';
  /** A lab is being applied: its trustpoint events are saved once, at the end. */
  private applying = false;
  private disposed = false;

  private constructor(private readonly opts: LabControllerOptions) {
    if (opts.store !== false) this.store = new LabStore(opts.store ?? 'webswan-lab');
  }

  /** Starts both routers and the link, then restores (URL fragment, else IndexedDB, else the initial lab). */
  static async create(opts: LabControllerOptions = {}): Promise<LabController> {
    const c = new LabController(opts);
    try {
      await c.boot();
    } catch (e) {
      c.dispose();
      throw e;
    }
    if (opts.install !== false) window.webswanLab = c;
    return c;
  }

  private async boot(): Promise<void> {
    for (const name of ROUTERS) {
      const worker = new Worker(new URL('../../src/runtime/worker/router-worker.ts', import.meta.url), { type: 'module', name: `webswan-router-${name}` });
      const api = Comlink.wrap<RouterWorkerApi>(worker);
      this.handles[name] = { worker, api };
      await api.onEvent(Comlink.proxy((e: LabEvent) => this.dispatch(e)));
      // the worker learns its name here; the configuration comes with the lab below
      await api.start({ name, config: '' });
    }
    await this.bootKeySource();
    this.link = await createRtcLink('link-A-B', (end, channel) => {
      void this.handles[end].api.attachLink(Comlink.transfer(channel, [channel as unknown as Transferable]));
    });
    await this.waitLinkOpen();

    const fromUrl = this.readUrl();
    const saved = !fromUrl && this.store ? await this.store.load().catch(() => undefined) : undefined;
    if (fromUrl) {
      await this.apply(fromUrl.name, fromUrl.configs);
      // saved now: drop the fragment so that a reload keeps the user's later edits instead of re-opening the link
      if (this.opts.url === undefined && typeof history !== 'undefined') history.replaceState(null, '', location.pathname + location.search);
    } else if (saved) {
      await this.apply(saved.name, { A: saved.configA, B: saved.configB }, { save: false, pki: saved.pki });
    } else if (this.opts.initial !== false && findLab(this.opts.initial ?? DEFAULT_LAB)) {
      await this.load(this.opts.initial ?? DEFAULT_LAB);
    } else {
      await this.apply(undefined, { A: 'hostname RouterA\n', B: 'hostname RouterB\n' }, { save: false });
    }
  }

  /**
   * The key-server worker, and two MessageChannels per router (key source, lab CA): port1 goes to the key
   * server, port2 into the router worker, so SKIP keys and issued private keys never cross the page.
   */
  private async bootKeySource(): Promise<void> {
    const worker = new Worker(new URL('../../src/runtime/worker/kme-worker.ts', import.meta.url), { type: 'module', name: 'webswan-kme' });
    const api = Comlink.wrap<KmeWorkerApi>(worker);
    this.kme = { worker, api };
    // its status (link state, counters) as 'keySource' events: the "Key sources" panel follows them
    await api.onStatus(Comlink.proxy((status: KeySourceStatus) => { if (!this.disposed) this.dispatch({ kind: 'keySource', status }); }));
    for (const name of ROUTERS) {
      const ch = new MessageChannel();
      await api.connect(name, Comlink.transfer(ch.port1, [ch.port1]));
      await this.handles[name].api.attachKeySource(Comlink.transfer(ch.port2, [ch.port2]));
      const ca = new MessageChannel();
      await api.connectCa(name, Comlink.transfer(ca.port1, [ca.port1]));
      await this.handles[name].api.attachLabCa(Comlink.transfer(ca.port2, [ca.port2]));
    }
  }

  private readUrl(): LabDocument | undefined {
    const url = this.opts.url ?? (typeof location !== 'undefined' ? location.href : undefined);
    if (!url) return undefined;
    try { return labFromUrl(url); } catch { return undefined; }
  }

  private async waitLinkOpen(): Promise<void> {
    const deadline = Date.now() + LINK_OPEN_TIMEOUT_MS;
    for (;;) {
      const infos = await Promise.all(ROUTERS.map((r) => this.handles[r].api.linkInfo()));
      if (infos.every((i) => i?.readyState === 'open')) return;
      if (Date.now() > deadline) {
        throw new Error(`lab: the link did not open within ${LINK_OPEN_TIMEOUT_MS} ms (ICE ${this.link?.pcA.iceConnectionState}/${this.link?.pcB.iceConnectionState}; `
          + `channel ${infos.map((i) => i?.readyState ?? 'not attached').join('/')})`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Both routers with new configurations: the responder first, so the initiator's first message finds it.
   * `pki`: saved certificates (a reload); `setup`: a preset's setup lines, typed into each router's console.
   */
  private async apply(name: string | undefined, configs: Record<RouterName, string>,
    o: { save?: boolean; pki?: SavedPki; setup?: Partial<Record<RouterName, string[]>> } = {}): Promise<void> {
    this.applying = true;
    try {
      await this.applyNow(name, configs, o);
    } finally {
      this.applying = false;
    }
    if (o.save ?? true) await this.persist(true);
    else this.saved = await this.snapshotKey();
  }

  private async applyNow(name: string | undefined, configs: Record<RouterName, string>,
    o: { pki?: SavedPki; setup?: Partial<Record<RouterName, string[]>> }): Promise<void> {
    // Views start over now. Until a router's replaceConfig resolves, its ladder and explanations belong to
    // the old lab (the old A answers the old B's Deletes while B is already new); a worker posts the result
    // of replaceConfig before any event of the new router, so muting until then is exact.
    this.entries.length = 0;
    // a new lab starts with a fresh QKD link (not cut, no delay, unlimited keys, both KPs up)
    await this.kme?.api.control({ op: 'reset' });
    // the saved lab CA first: the restored certificates chain to it, and a new enrolment is signed by it
    const caError = o.pki?.ca ? await this.kme?.api.restoreCa(o.pki.ca) : undefined;
    this.muted.add('A'); this.muted.add('B');
    this.dispatch({ kind: 'lab', name });
    const boot = (r: RouterName) => this.handles[r].api.replaceConfig(configs[r], { trustpoints: o.pki?.[r], setup: o.setup?.[r] })
      .finally(() => this.muted.delete(r));
    const res = { B: await boot('B'), A: await boot('A') };
    this.lab = name;
    // refused lines are reported on the routers' consoles; the rest loads, as a router boots from a damaged file
    for (const r of ROUTERS) {
      const { errors, notes = [] } = res[r];
      if (errors.length) this.dispatch({ kind: 'console', router: r, text: `% configuration lines refused:\n${errors.map((e) => `  ${e}`).join('\n')}\n` });
      if (caError) notes.unshift(`% The saved lab CA could not be restored (${caError}); a new one is made: enrol again.`);
      if (notes.length) this.dispatch({ kind: 'console', router: r, text: `${notes.join('\n')}\n` });
    }
  }

  /** Routers whose history events are ignored while a lab loads (see apply). */
  private readonly muted = new Set<RouterName>();

  private dispatch(e: LabEvent): void {
    if ((e.kind === 'ladder' && this.muted.has(e.entry.router)) || (e.kind === 'explain' && this.muted.has(e.router))) return;
    // a certificate enrolled or cleared by a command: save it (a lab being applied is saved at its end)
    if (e.kind === 'trustpoints' && !this.applying && !this.disposed) void this.persist().catch(() => undefined);
    if (e.kind === 'ladder') {
      const entry = { ...e.entry, id: this.nextLadderId++ };
      this.entries.push(entry);
      if (this.entries.length > LADDER_MAX) this.entries.splice(0, this.entries.length - LADDER_MAX);
      e = { kind: 'ladder', entry };
    }
    for (const s of this.subscribers) {
      try { s(e); } catch (err) { console.error('webswan lab: subscriber failed', err); }
    }
  }

  /** Both running-configs and the certificates (trustpoints of both routers, the lab CA), as saved. */
  private async snapshot(): Promise<{ A: string; B: string; pki?: SavedPki }> {
    const [A, B, tpA, tpB, ca] = await Promise.all([this.runningConfig('A'), this.runningConfig('B'),
      this.api('A').trustpointMaterial(), this.api('B').trustpointMaterial(), this.kme?.api.caMaterial()]);
    const pki: SavedPki = { ...(ca ? { ca } : {}), ...(tpA.length ? { A: tpA } : {}), ...(tpB.length ? { B: tpB } : {}) };
    return Object.keys(pki).length ? { A, B, pki } : { A, B };
  }

  private async snapshotKey(): Promise<string> { return JSON.stringify(await this.snapshot()); }

  /** Saves the lab when a running-config or a certificate changed (or always with `force`). */
  private async persist(force = false): Promise<void> {
    const now = await this.snapshot();
    const key = JSON.stringify(now);
    if (!force && key === this.saved) return;
    this.saved = key;
    if (!this.store) return;
    try {
      await this.store.save({ name: this.lab, configA: now.A, configB: now.B, ...(now.pki ? { pki: now.pki } : {}), savedAt: Date.now() });
    } catch (err) {
      // the error only: never the record, which holds private keys
      console.warn('webswan lab: the lab could not be saved', (err as Error)?.message ?? String(err));
    }
  }

  // ---------------------------------------------------------------- WebswanLab

  routers(): RouterName[] { return [...ROUTERS]; }

  async exec(router: RouterName, command: string): Promise<string> {
    const out = await this.api(router).exec(command);
    await this.persist();
    return out;
  }

  labs(): { name: string; title: string; broken: boolean; keySources?: boolean }[] {
    return LABS.map((l) => ({ name: l.name, title: l.title, broken: l.broken, ...(usesKeySources(l) ? { keySources: true } : {}) }));
  }

  async load(labName: string): Promise<void> {
    const lab = findLab(labName);
    if (!lab) throw new Error(`lab: no lab named ${labName}`);
    await this.apply(lab.name, { A: lab.configA, B: lab.configB }, { setup: lab.setup });
  }

  async state(): Promise<Record<RouterName, RouterState>> {
    const [A, B] = await Promise.all(ROUTERS.map((r) => this.api(r).state()));
    return { A, B };
  }

  async pcap(router: RouterName = 'A'): Promise<Uint8Array> { return this.api(router).pcap(); }

  /** One router's Wireshark files, or both routers' tables merged (one line per SA) without `router`. */
  async keyFiles(router?: RouterName): Promise<Record<string, string>> {
    if (router) return this.api(router).keyFiles();
    const [a, b] = await Promise.all(ROUTERS.map((r) => this.api(r).keyFiles()));
    const out: Record<string, string> = {};
    for (const f of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const lines = new Set([...(a[f] ?? '').split('\n'), ...(b[f] ?? '').split('\n')].filter((l) => l !== ''));
      out[f] = [...lines].map((l) => `${l}\n`).join('');
    }
    return out;
  }

  async setImpairment(router: RouterName, i: Impairment): Promise<void> {
    await this.api(router).setImpairment(i);
    this.dispatch({ kind: 'impairment', router, impairment: { ...i } });
  }

  /** The key source's link controls: cut / restore / slow / budget the QKD link, stop a KP; returns the state. */
  async keySource(action: KeySourceAction): Promise<KeySourceStatus> {
    if (this.disposed || !this.kme) throw new Error('lab: controller disposed');
    return this.kme.api.control(action);
  }

  // ---------------------------------------------------------------- LabClient

  on(cb: (e: LabEvent) => void): () => void {
    this.subscribers.add(cb);
    return () => { this.subscribers.delete(cb); };
  }

  prompt(router: RouterName): Promise<string> { return this.api(router).prompt(); }
  help(router: RouterName, line: string): Promise<string> { return this.api(router).help(line); }
  complete(router: RouterName, line: string): Promise<{ line: string; choices: string[] }> { return this.api(router).complete(line); }
  runningConfig(router: RouterName): Promise<string> { return this.api(router).runningConfig(); }
  ladder(): LadderEntry[] { return this.entries.slice(); }
  currentLab(): string | undefined { return this.lab; }

  async exportLab(): Promise<string> {
    const doc = labDocument(this.lab, { A: await this.runningConfig('A'), B: await this.runningConfig('B') });
    return JSON.stringify(doc, null, 2) + '\n';
  }

  async importLab(json: string): Promise<void> {
    const doc = parseLabDocument(json);
    await this.apply(doc.name, doc.configs);
  }

  async shareUrl(): Promise<string> {
    const base = this.opts.url ?? location.href;
    return labUrl(base, labDocument(this.lab, { A: await this.runningConfig('A'), B: await this.runningConfig('B') }));
  }

  // ---------------------------------------------------------------- diagnostics and teardown

  /** The page's handle on the transferred A end of the link: dead here, alive in worker A. */
  get pageChannel(): RTCDataChannel | undefined { return this.link?.pageChannel; }

  /** The link's channel as each worker sees it. */
  async linkInfo(): Promise<Record<RouterName, Awaited<ReturnType<RouterWorkerApi['linkInfo']>>>> {
    const [A, B] = await Promise.all(ROUTERS.map((r) => this.api(r).linkInfo()));
    return { A, B };
  }

  private api(router: RouterName): Comlink.Remote<RouterWorkerApi> {
    if (this.disposed) throw new Error('lab: controller disposed');
    const h = this.handles[router];
    if (!h) throw new Error(`lab: no router ${String(router)}`);
    return h.api;
  }

  /** Stops both workers and the link; the saved lab stays in IndexedDB. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscribers.clear();
    for (const r of ROUTERS) {
      const h = this.handles[r];
      if (!h) continue;
      h.api[Comlink.releaseProxy]();
      h.worker.terminate();
    }
    if (this.kme) {
      this.kme.api[Comlink.releaseProxy]();
      this.kme.worker.terminate();
    }
    this.link?.close();
    void this.store?.close();
    if (typeof window !== 'undefined' && window.webswanLab === this) delete window.webswanLab;
  }
}
