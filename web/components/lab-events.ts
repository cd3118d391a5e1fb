// One Lit ReactiveController per subscription to the lab's event stream: it subscribes while its host is
// connected and has a client, follows the host when its `client` property changes, and unsubscribes on
// disconnect. Components read the client from their own `client` property.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LabClient, LabEvent } from '../../src/lab/protocol.js';

export type EventOf<K extends LabEvent['kind']> = Extract<LabEvent, { kind: K }>;

export class LabEvents implements ReactiveController {
  private subscribed?: LabClient;
  private off?: () => void;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost & { client?: LabClient },
    private readonly onEvent: (e: LabEvent) => void,
    /** Called after (re)subscribing to a client: load the initial state here. */
    private readonly onClient?: (client: LabClient) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void { this.connected = true; this.sync(); }
  hostUpdate(): void { this.sync(); }
  hostDisconnected(): void { this.connected = false; this.sync(); }

  private sync(): void {
    const want = this.connected ? this.host.client : undefined;
    if (want === this.subscribed) return;
    this.off?.();
    this.off = undefined;
    this.subscribed = want;
    if (!want) return;
    this.off = want.on((e) => this.onEvent(e));
    this.onClient?.(want);
  }
}

/** Collapses bursts of updates (hundreds of wire events a second) into one render per animation frame. */
export class FrameThrottle {
  private pending = false;
  constructor(private readonly fn: () => void) {}
  request(): void {
    if (this.pending) return;
    this.pending = true;
    const run = () => { this.pending = false; this.fn(); };
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') requestAnimationFrame(run);
    else setTimeout(run, 100);
  }
}
