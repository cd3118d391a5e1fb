// The running configuration of one router and the configuration sessions that edit it (IOS XR's
// two-stage model: edits go to a per-session candidate; `commit` validates and applies it atomically,
// or rejects all of it). Sessions record their edits, so a commit made after another session committed
// applies this session's changes on top of the newer running configuration.
import type { Clock } from '../util/clock.js';
import { type RouterConfig, cloneConfig, emptyConfig, sameConfig } from './model.js';
import { type CommitError, validate } from './validate.js';

/** One commit: its id, who and when, and the configuration before and after it. */
export interface CommitRecord { id: number; user: string; at: Date; before: RouterConfig; after: RouterConfig }

/** How many commits the commit database keeps (IOS XR's default). */
export const COMMIT_HISTORY = 100;

export type CommitOutcome =
  | { ok: true; id: number }
  | { ok: false; reason: 'no-changes' }
  | { ok: false; reason: 'invalid'; errors: CommitError[] };

export type CommitListener = (running: RouterConfig, previous: RouterConfig) => void;

/** An edit a session applies to its candidate (replayable on another base). */
export type Edit = (cfg: RouterConfig) => void;

export class ConfigStore {
  private cfg: RouterConfig;
  private ver = 0;
  readonly commits: CommitRecord[] = [];
  private readonly listeners = new Set<CommitListener>();
  lastChange?: { at: Date; user: string };

  constructor(private readonly clock: Clock, initial: RouterConfig = emptyConfig()) {
    this.cfg = cloneConfig(initial);
  }

  /** A copy of the running configuration. */
  get running(): RouterConfig { return cloneConfig(this.cfg); }

  /**
   * The running configuration itself, for readers on a hot path (every packet, every IKE message): no
   * copy. Callers must not modify it; it is replaced, never changed, by load() and commit().
   */
  get current(): Readonly<RouterConfig> { return this.cfg; }
  get version(): number { return this.ver; }

  onCommit(fn: CommitListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Replace the running configuration wholesale (startup configuration). */
  load(cfg: RouterConfig, user = 'system'): void {
    const previous = this.cfg;
    this.cfg = cloneConfig(cfg);
    this.ver++;
    this.lastChange = { at: this.clock.now(), user };
    for (const l of this.listeners) l(this.running, previous);
  }

  commit(candidate: RouterConfig, user: string): CommitOutcome {
    if (sameConfig(candidate, this.cfg)) return { ok: false, reason: 'no-changes' };
    const errors = validate(candidate);
    if (errors.length) return { ok: false, reason: 'invalid', errors };
    const previous = this.cfg;
    this.cfg = cloneConfig(candidate);
    this.ver++;
    const at = this.clock.now();
    const id = (this.commits[this.commits.length - 1]?.id ?? 1000000000) + 1;
    this.commits.push({ id, user, at, before: previous, after: this.running });
    if (this.commits.length > COMMIT_HISTORY) this.commits.shift();
    this.lastChange = { at, user };
    for (const l of this.listeners) l(this.running, previous);
    return { ok: true, id };
  }

  session(user: string): ConfigSession { return new ConfigSession(this, user); }
}

/** One configuration session: a candidate, its edits, and the errors of its last failed commit. */
export class ConfigSession {
  private base: number;
  /** The running configuration the candidate started from (what `show configuration` compares with). */
  private origin: RouterConfig;
  private edits: Edit[] = [];
  candidate: RouterConfig;
  failed: CommitError[] = [];

  constructor(private readonly store: ConfigStore, readonly user: string) {
    this.base = store.version;
    this.origin = store.running;
    this.candidate = store.running;
  }

  apply(edit: Edit): void {
    edit(this.candidate);
    this.edits.push(edit);
  }

  /** This session has changes of its own (another session's commits do not count). */
  get dirty(): boolean { return !sameConfig(this.candidate, this.origin); }

  /** A copy of the configuration this session's changes apply to. */
  get baseline(): RouterConfig { return cloneConfig(this.origin); }

  /** Another session committed since this one started (or last committed). */
  get stale(): boolean { return this.store.version !== this.base; }

  commit(): CommitOutcome {
    if (this.stale) { // rebase: replay this session's edits on the newer running configuration
      const c = this.store.running;
      for (const e of this.edits) e(c);
      this.candidate = c;
      this.origin = this.store.running;
      this.base = this.store.version;
    }
    const r = this.store.commit(this.candidate, this.user);
    if (r.ok) this.reset();
    else if (r.reason === 'invalid') this.failed = r.errors;
    return r;
  }

  /** Drop every uncommitted change. */
  reset(): void {
    this.edits = [];
    this.origin = this.store.running;
    this.candidate = this.store.running;
    this.base = this.store.version;
  }
}
