// One lab router in a module Web Worker (issue [4/5]): the engine, its console and its end of the link,
// driven from the page through comlink (RouterWorkerApi, src/lab/protocol.ts). Nothing protocol-related
// runs on the main thread: the page sends command lines and wire settings, and receives text, state,
// ladder entries and explanations as events.
//
//   data channel ⇄ LinkEnd (IPv4/UDP framing, impairments, pcap) ⇄ Router (IKE, ESP, host) ⇄ Console
//   Router.onMessage → ladderEntry → 'ladder'    Router.onTrace → 'trace' (+ explain → 'explain')
//   Router.onKeys → KeyLog (Wireshark files)      any change → 'state' (throttled, only when it differs)
//   Router.labCa → the lab CA in the key-server worker (a MessagePort)   trustpoints changed → 'trustpoints'
import * as Comlink from 'comlink';
import { usePlatform, webCryptoPlatform } from '../../crypto/index.js';
import { getCore } from './worker-core.js';
import { KeyLog } from '../../capture/keylog.js';
import { loadConfig } from '../../config/load.js';
import { type RouterConfig, emptyConfig } from '../../config/model.js';
import { renderConfig } from '../../config/render.js';
import type { Console } from '../../cli/console.js';
import { explain } from '../../lab/explain.js';
import { ladderEntry } from '../../lab/ladder.js';
import type {
  BootOptions, BootResult, Impairment, KeySourceReply, KeySourceRequest, LabCaReply, LabCaRequest, LabEvent, RouterName, RouterState,
  RouterWorkerApi, TunnelView,
} from '../../lab/protocol.js';
import type { IssueOptions, IssuedIdentity, LabCaService } from '../../pki/lab-ca.js';
import type { PkiMaterial } from '../../pki/trustpoint.js';
import { Router } from '../../router/router.js';
import { realTime } from '../../util/clock.js';
import { LinkEnd } from './link.js';

usePlatform(webCryptoPlatform);

/** State events at most this often (ms); only sent when something a view shows has changed. */
const STATE_THROTTLE_MS = 150;
/** How long a replaced router may spend sending its Deletes before it is dropped anyway. */
const SHUTDOWN_CAP_MS = 300;


/** A request before it gets its id (Omit over each member of the union). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class RouterHost implements RouterWorkerApi {
  private name: RouterName = 'A';
  private router?: Router;
  private con?: Console;
  private unsubscribe: (() => void)[] = [];
  private readonly listeners = new Set<(e: LabEvent) => void>();
  private readonly link = new LinkEnd({
    addresses: () => this.router?.addresses() ?? [],
    deliver: (d) => this.router?.receive(d),
    event: (e) => { this.emit({ ...e, router: this.name }); this.scheduleState(); },
  });
  private keys = new KeyLog();
  private ladderId = 0;
  /** Console output of the command now running (undefined: output goes out as 'console' events). */
  private captured?: string;
  private execChain: Promise<unknown> = Promise.resolve();
  private stateTimer?: ReturnType<typeof setTimeout>;
  private lastStateKey = '';
  /** The key-server worker (attachKeySource) and the requests waiting for its answer. */
  private keyPort?: MessagePort;
  private keyReqId = 0;
  private readonly keyPending = new Map<number, { resolve: (r: Response) => void; reject: (e: unknown) => void }>();
  /** The lab CA (attachLabCa) and the requests waiting for its answer. */
  private caPort?: MessagePort;
  private caReqId = 0;
  private readonly caPending = new Map<number, (r: LabCaReply) => void>();

  // ------------------------------------------------------------------ lifecycle

  async start(opts: { name: RouterName; config: string }): Promise<{ errors: string[] }> {
    this.name = opts.name;
    return this.replaceConfig(opts.config);
  }

  async replaceConfig(text: string, opts: BootOptions = {}): Promise<BootResult> {
    const loaded = loadConfig(text);
    const errors = [
      ...loaded.errors.map((e) => `line ${e.lineNo}: ${e.line.trim()}: ${e.message}`),
      ...loaded.commitErrors.map((e) => `${e.line}: ${e.message}`),
    ];
    // a configuration that fails validation is not applied (IOS XR would refuse the commit)
    if (loaded.commitErrors.length) {
      if (!this.router) await this.boot(emptyConfig());
      return { errors };
    }
    const notes = await this.boot(loaded.config, opts);
    return notes.length ? { errors, notes } : { errors };
  }

  /**
   * A fresh router with `config`: a new lab starts from a clean slate (SAs, console, capture, keys). With
   * saved trustpoints or setup lines it starts in two steps, as an operator would bring a box up: first
   * only the hostname and the trustpoints, then the trustpoint material (restored) and the setup lines
   * (typed, shown in the terminal), then the whole configuration — so the first IKE_AUTH already has the
   * certificates. Returns notes for the terminal (trustpoints left without a certificate).
   */
  private async boot(config: RouterConfig, opts: BootOptions = {}): Promise<string[]> {
    const c = await getCore();
    const old = this.router;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    const staged = !!(opts.trustpoints?.length || opts.setup?.length);
    const router = new Router({
      core: c, time: realTime(), wire: { send: (d) => this.link.send(d) }, name: this.name,
      config: staged ? { ...emptyConfig(), hostname: config.hostname, ...(config.trustpoints ? { trustpoints: config.trustpoints } : {}) } : config,
      keySourceFetch: (url, init) => this.keySourceFetch(url, init),
      labCa: () => this.remoteCa(),
    });
    // the old router may still say goodbye on the wire (Deletes), but receives nothing more
    this.router = router;
    if (old) void Promise.race([old.shutdown().catch(() => undefined), sleep(SHUTDOWN_CAP_MS)]);
    // The capture starts over, the key log does not: the old router's goodbyes (Deletes and their answers)
    // still cross the link after this point, and the capture's frames must stay decryptable with the
    // exported keys (a stale SA or two in the key files is harmless).
    this.link.resetCapture();
    this.ladderId = 0;
    const con = router.console((t) => this.write(t));
    this.con = con;
    this.unsubscribe.push(
      router.onKeys((e) => { this.keys.add(e); }),
      router.onMessage((e) => {
        this.emit({ kind: 'ladder', entry: ladderEntry(this.name, ++this.ladderId, e) });
        this.scheduleState();
      }),
      router.onTrace((e) => {
        const at = e.at.getTime();
        this.emit({ kind: 'trace', router: this.name, at, text: e.text });
        const why = explain(e.text, this.name);
        if (why) this.emit({ kind: 'explain', router: this.name, at, text: why });
        this.scheduleState();
      }),
      router.onAddressesChanged(() => this.scheduleState()),
      router.store.onCommit(() => this.scheduleState()),
      router.trustpoints.onChange(() => this.emit({ kind: 'trustpoints', router: this.name })),
    );
    const notes: string[] = [];
    if (opts.trustpoints?.length) {
      for (const e of await router.trustpoints.restore(opts.trustpoints)) notes.push(`% Saved ${e} — not restored`);
    }
    for (const line of opts.setup ?? []) {
      if (this.router !== router) break; // replaced meanwhile
      this.write(`${con.prompt}${line}\n`);
      await con.input(line);
    }
    if (staged && this.router === router) router.store.load(config);
    if (!opts.setup?.length) notes.push(...this.unenrolled(config));
    this.lastStateKey = '';
    this.scheduleState();
    return notes;
  }

  /**
   * A note per configured trustpoint without a router certificate: certificates and keys live outside the
   * configuration, so an imported or shared lab (configurations only) has to enrol again.
   */
  private unenrolled(config: RouterConfig): string[] {
    const out: string[] = [];
    for (const [name, tp] of Object.entries(config.trustpoints ?? {})) {
      if (this.router?.trustpoints.get(name)?.certificate) continue;
      const lab = !!tp.enrollment && 'url' in tp.enrollment && /^lab:/i.test(tp.enrollment.url);
      out.push(`% Trustpoint ${name} holds no router certificate: certificates and keys are not part of a configuration, an exported `
        + `lab or a shared link. ${lab
          ? `Enrol it: crypto ca authenticate ${name} (answer yes), then crypto ca enroll ${name}.`
          : `Paste them again: crypto ca authenticate ${name}, then crypto ca import ${name} certificate.`}`);
    }
    return out;
  }

  async stop(): Promise<void> {
    const r = this.router;
    this.router = undefined;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    if (r) await Promise.race([r.shutdown().catch(() => undefined), sleep(SHUTDOWN_CAP_MS)]);
    this.link.close();
    if (this.stateTimer) clearTimeout(this.stateTimer);
  }

  attachLink(channel: RTCDataChannel): void { this.link.attach(channel); }

  linkInfo(): { ordered: boolean; maxRetransmits: number | null; readyState: string } | undefined { return this.link.channelInfo; }

  setImpairment(i: Impairment): void { this.link.setImpairment(i); }

  // ------------------------------------------------------------------ key source (SKIP over a MessagePort)

  attachKeySource(port: MessagePort): void {
    this.keyPort?.close();
    for (const p of this.keyPending.values()) p.reject(new TypeError('key source: connection reset'));
    this.keyPending.clear();
    this.keyPort = port;
    port.onmessage = (ev: MessageEvent<KeySourceReply>) => {
      const r = ev.data;
      const p = this.keyPending.get(r?.id);
      if (!p) return; // aborted meanwhile
      this.keyPending.delete(r.id);
      if ('error' in r) p.reject(new TypeError(r.error));
      else p.resolve(new Response(r.status === 204 || r.status === 304 ? null : r.body, { status: r.status, headers: r.headers }));
    };
    port.start();
  }

  /** RouterOptions.keySourceFetch: the SkipClient's fetch, answered by the key-server worker. */
  private keySourceFetch(url: string, init?: RequestInit): Promise<Response> {
    const port = this.keyPort;
    if (!port) return Promise.reject(new TypeError('connection refused: the lab has no key server'));
    const signal = init?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
    const id = ++this.keyReqId;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => {
        this.keyPending.delete(id);
        reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.keyPending.set(id, {
        resolve: (r) => { signal?.removeEventListener('abort', onAbort); resolve(r); },
        reject: (e) => { signal?.removeEventListener('abort', onAbort); reject(e); },
      });
      const req: KeySourceRequest = { id, url, method: init?.method ?? 'GET' };
      port.postMessage(req);
    });
  }

  // ------------------------------------------------------------------ the lab CA (over a MessagePort)

  attachLabCa(port: MessagePort): void {
    this.caPort?.close();
    for (const p of this.caPending.values()) p({ id: 0, error: 'lab CA: connection reset' });
    this.caPending.clear();
    this.caPort = port;
    port.onmessage = (ev: MessageEvent<LabCaReply>) => {
      const p = this.caPending.get(ev.data?.id);
      if (!p) return;
      this.caPending.delete(ev.data.id);
      p(ev.data);
    };
    port.start();
  }

  private askCa(req: WithoutId<LabCaRequest>): Promise<{ certificatePem: string; privateKeyPem?: string }> {
    const port = this.caPort;
    if (!port) return Promise.reject(new Error('the lab has no CA'));
    const id = ++this.caReqId;
    return new Promise((resolve, reject) => {
      this.caPending.set(id, (r) => ('error' in r ? reject(new Error(r.error)) : resolve(r)));
      port.postMessage({ ...req, id } as LabCaRequest);
    });
  }

  /**
   * RouterOptions.labCa: the CA certificate and `issue` answered by the one lab CA in the key-server worker.
   * The issued private key arrives here over the MessagePort and goes straight into the trustpoint.
   */
  private async remoteCa(): Promise<LabCaService> {
    const { parseCertificate } = await import('../../pki/certificate.js');
    const { certificatePem } = await this.askCa({ op: 'certificate' });
    const certificate = await parseCertificate(certificatePem);
    return {
      certificate, certificatePem: certificate.pem,
      issue: async (o: IssueOptions): Promise<IssuedIdentity> => {
        const r = await this.askCa({ op: 'issue', fqdn: o.fqdn, ipv4: o.ipv4, now: (o.now ?? new Date()).getTime() });
        if (!r.privateKeyPem) throw new Error('lab CA: no private key in the answer');
        const issued = await parseCertificate(r.certificatePem);
        return { certificate: issued, certificatePem: issued.pem, privateKeyPem: r.privateKeyPem };
      },
    };
  }

  trustpointMaterial(): PkiMaterial[] { return this.router?.trustpoints.material() ?? []; }

  onEvent(cb: (e: LabEvent) => void): void { this.listeners.add(cb); }

  private emit(e: LabEvent): void {
    for (const l of this.listeners) {
      try { void Promise.resolve(l(e)).catch(() => this.listeners.delete(l)); } catch { this.listeners.delete(l); }
    }
  }

  // ------------------------------------------------------------------ console

  private write(text: string): void {
    if (this.captured !== undefined) this.captured += text;
    else this.emit({ kind: 'console', router: this.name, text });
  }

  private get console(): Console {
    if (!this.con) throw new Error('router-worker: not started');
    return this.con;
  }

  exec(line: string): Promise<string> {
    const run = this.execChain.then(async () => {
      const con = this.console;
      this.captured = '';
      try {
        await con.input(line);
        return this.captured;
      } finally {
        this.captured = undefined;
        this.scheduleState();
      }
    });
    this.execChain = run.catch(() => undefined);
    return run;
  }

  prompt(): string { return this.console.prompt; }
  help(line: string): string { return this.console.help(line); }
  complete(line: string): { line: string; choices: string[] } { return this.console.complete(line); }

  runningConfig(): string {
    if (!this.router) throw new Error('router-worker: not started');
    return renderConfig(this.router.store.running);
  }

  // ------------------------------------------------------------------ captures

  pcap(): Uint8Array {
    const b = this.link.pcap();
    return Comlink.transfer(b, [b.buffer]);
  }

  keyFiles(): Record<string, string> { return this.keys.files(); }

  // ------------------------------------------------------------------ state

  state(): RouterState {
    const r = this.router;
    if (!r) return { name: this.name, hostname: 'ios', addresses: [], tunnels: [], sessions: [], ipsec: [] };
    const sessions = r.ops.ikeSessions();
    const ipsec = r.ops.ipsecSas();
    const sas = r.engine.list();
    const tunnels: TunnelView[] = Object.keys(r.store.current.interfaces).filter((n) => n.startsWith('tunnel-ip'))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .map((name) => {
        const v = ipsec.find((s) => s.interface === name);
        const up = r.dataplane.isUp(name);
        const negotiating = sas.some((s) => s.tunnel === name && s.state === 'connecting');
        const quantumSafe = up && (v?.quantumResistant ?? false);
        return {
          name, state: up ? 'up' : negotiating ? 'negotiating' : 'down', quantumSafe,
          packetsIn: v?.inbound.packets ?? 0, packetsOut: v?.outbound.packets ?? 0,
          bytesIn: v?.inbound.bytes ?? 0, bytesOut: v?.outbound.bytes ?? 0,
          drops: (v?.inbound.drops ?? 0) + (v?.outbound.drops ?? 0),
        };
      });
    return { name: this.name, hostname: r.hostname, addresses: r.addresses(), tunnels, sessions, ipsec };
  }

  private scheduleState(): void {
    if (this.stateTimer || !this.listeners.size) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      const s = this.state();
      // what a view shows, without the clocks (active time, lifetimes left) that tick by themselves
      const key = JSON.stringify([s.hostname, s.addresses, s.tunnels,
        s.sessions.map((x) => [x.id, x.status, x.ikeSas.map((sa) => [sa.status, sa.localSpi, sa.remoteSpi, sa.children.length])]),
        s.ipsec.map((x) => [x.interface, x.saId, x.inbound.spi, x.outbound.spi])]);
      if (key === this.lastStateKey) return;
      this.lastStateKey = key;
      this.emit({ kind: 'state', state: s });
    }, STATE_THROTTLE_MS);
  }
}

export type { RouterWorkerApi };
Comlink.expose(new RouterHost());
