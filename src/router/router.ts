// One router (ARCHITECTURE.md): configuration + IKEv2 engine + ESP data plane + a small IPv4 host, on an
// injected wire, time source and randomness. Runtime-agnostic: Node binds it to UDP sockets, the browser
// lab to a data channel, tests to a simulated wire.
import type { Core } from '../crypto/core.js';
import { type Random, randomBytes } from '../crypto/random.js';
import { ConfigStore } from '../config/store.js';
import { type RouterConfig } from '../config/model.js';
import { Console } from '../cli/console.js';
import { type RouterOps, StaticRouterOps } from '../cli/state.js';
import type { TimeSource } from '../util/clock.js';
import type { Datagram, KeyEvent, Wire, WireTap } from './types.js';

export interface RouterOptions {
  core: Core;
  time: TimeSource;
  wire: Wire;
  config?: RouterConfig;
  random?: Random;
  /** Name for logs when the configuration has no hostname. */
  name?: string;
}

type Listener<T> = (e: T) => void;

export class Router {
  readonly store: ConfigStore;
  readonly ops: RouterOps;
  readonly time: TimeSource;
  private readonly keyListeners = new Set<Listener<KeyEvent>>();
  private readonly tapListeners = new Set<Listener<WireTap>>();
  private readonly addrListeners = new Set<Listener<string[]>>();

  constructor(private readonly opts: RouterOptions) {
    this.time = opts.time;
    this.store = new ConfigStore(opts.time);
    if (opts.config) this.store.load(opts.config, 'startup');
    this.ops = new StaticRouterOps(this.store);
    let last = this.addresses().join(',');
    this.store.onCommit(() => {
      const now = this.addresses();
      if (now.join(',') !== last) { last = now.join(','); for (const l of this.addrListeners) l(now); }
    });
  }

  get random(): Random { return this.opts.random ?? randomBytes; }

  /** IPv4 addresses of the physical interfaces (not tunnel-ip, not shut down): where UDP 500/4500 listen. */
  addresses(): string[] {
    const out: string[] = [];
    for (const [name, c] of Object.entries(this.store.running.interfaces)) {
      if (c.ipv4 && !c.shutdown && !name.startsWith('tunnel-ip')) out.push(c.ipv4.address);
    }
    return out.sort();
  }

  onAddressesChanged(fn: Listener<string[]>): () => void { return sub(this.addrListeners, fn); }
  /** Keys of every IKE and ESP SA as it is installed (for --keylog; never printed otherwise). */
  onKeys(fn: Listener<KeyEvent>): () => void { return sub(this.keyListeners, fn); }
  /** Every datagram sent or received on UDP 500/4500 (for --pcap and the UI's wire inspector). */
  onTap(fn: Listener<WireTap>): () => void { return sub(this.tapListeners, fn); }

  /** A new console session on this router (one per terminal / control connection). */
  console(write: (text: string) => void, user?: string): Console {
    return new Console({ store: this.store, ops: this.ops, clock: this.time, write, user });
  }

  /** A datagram arrived from the wire for one of our addresses. */
  receive(d: Datagram): void {
    this.tap('in', d);
  }

  protected send(d: Datagram): void {
    this.tap('out', d);
    this.opts.wire.send(d);
  }

  protected emitKeys(e: KeyEvent): void { for (const l of this.keyListeners) l(e); }

  private tap(direction: 'in' | 'out', datagram: Datagram): void {
    if (!this.tapListeners.size) return;
    const t: WireTap = { direction, at: this.time.now(), datagram };
    for (const l of this.tapListeners) l(t);
  }

  /** Send Delete for every SA and stop (SIGINT/SIGTERM). Resolves when the Deletes are on the wire. */
  async shutdown(): Promise<void> {}
}

function sub<T>(set: Set<T>, fn: T): () => void {
  set.add(fn);
  return () => { set.delete(fn); };
}
