// The injected clock (ARCHITECTURE.md: every timer and timestamp reads a clock passed in, so tests run
// on virtual time).
export interface Clock { now(): Date }

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): Date { return new Date(this.t); }
  advance(ms: number): void { this.t += ms; }
  set(ms: number): void { this.t = ms; }
}
