// The injected clock and timers (ARCHITECTURE.md: every timer and timestamp reads a clock passed in, so
// tests run 600-second lifetimes in milliseconds and two engines in one process are deterministic).
export interface Clock { now(): Date }

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): Date { return new Date(this.t); }
  advance(ms: number): void { this.t += ms; }
  set(ms: number): void { this.t = ms; }
}

export type TimerHandle = { readonly id: number };

/** Timers on the same time base as the clock they come with. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(h: TimerHandle | undefined): void;
}

/** A clock and its timers: what an engine is given. */
export interface TimeSource extends Clock, Timers {}

/** Real time: Date and the runtime's setTimeout (unref'd in Node, so timers never keep a process alive). */
export function realTime(): TimeSource {
  const live = new Map<number, ReturnType<typeof setTimeout>>();
  let next = 1;
  return {
    now: () => new Date(),
    setTimeout(fn, ms) {
      const id = next++;
      const t = setTimeout(() => { live.delete(id); fn(); }, Math.max(0, ms));
      (t as { unref?: () => void }).unref?.();
      live.set(id, t);
      return { id };
    },
    clearTimeout(h) {
      if (!h) return;
      const t = live.get(h.id);
      if (t !== undefined) { clearTimeout(t); live.delete(h.id); }
    },
  };
}

/**
 * Virtual time for deterministic tests: nothing happens until the test advances it; timers fire in
 * deadline order (ties in creation order), each seeing the clock at its own deadline.
 */
export class VirtualTime implements TimeSource {
  private t: number;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  constructor(start = Date.UTC(2026, 0, 1)) { this.t = start; }
  now(): Date { return new Date(this.t); }
  get ms(): number { return this.t; }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.pending.set(id, { at: this.t + Math.max(0, ms), fn });
    return { id };
  }
  clearTimeout(h: TimerHandle | undefined): void { if (h) this.pending.delete(h.id); }
  /** Deadline of the next timer, if any. */
  nextDeadline(): number | undefined {
    let best: number | undefined;
    for (const p of this.pending.values()) if (best === undefined || p.at < best) best = p.at;
    return best;
  }
  /** Run every timer due within `ms` from now, in order, then leave the clock at now + ms. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let id = -1, at = Infinity;
      for (const [k, p] of this.pending) if (p.at < at || (p.at === at && k < id)) { id = k; at = p.at; }
      if (id < 0 || at > end) break;
      const p = this.pending.get(id)!;
      this.pending.delete(id);
      this.t = Math.max(this.t, p.at);
      p.fn();
    }
    this.t = end;
  }
  get pendingCount(): number { return this.pending.size; }
}
