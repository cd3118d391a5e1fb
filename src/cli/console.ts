// One IOS XR command-line session: text in, text out, with prompt, modes, history, `?` help and Tab.
// The same code runs in the browser terminal, in `webswan console` on Node, and in tests. It edits a
// configuration session of the router's ConfigStore and asks RouterOps for operational state.
import { type Position, type Rejection, configEffect, failureMessage, grammar, inModes, modeChain, parentOf, resolve } from '../config/interpret.js';
import type { Grammar, Segment } from '../config/grammar/matcher.js';
import type { CommitOutcome, ConfigSession, ConfigStore } from '../config/store.js';
import { type RouterConfig, cloneConfig } from '../config/model.js';
import { type Clock, systemClock } from '../util/clock.js';
import { timestampLine } from './format.js';
import { execCommand, type ExecEnv } from './exec.js';
import { commitText, showConfiguration, showConfigurationFailed } from './session-output.js';
import { type RouterOps, StaticRouterOps } from './state.js';
import { type OutputFilter, splitPipe } from './pipe.js';

export interface ConsoleOptions {
  store: ConfigStore;
  ops?: RouterOps;
  clock?: Clock;
  user?: string;
  /** Receives all output, newline-terminated lines (ping streams `!` characters). */
  write: (text: string) => void;
  /** IOS XR release shown in configuration headers. */
  release?: string;
}

/** IOS XR's error for a rejected line: the caret goes under the first bad character (after the prompt). */
function errorLines(r: Rejection, promptLen: number): string[] {
  return r.error === 'invalid' ? [`${' '.repeat(promptLen + (r.pos ?? 0))}^`, failureMessage(r)] : [failureMessage(r)];
}

/** A question the next input line answers; `raw`: the line as typed (pasted PEM), not trimmed and lowercased. */
export type Question = { prompt: string; onAnswer: (answer: string) => Promise<void> | void; raw?: boolean };

const EXEC: Position = { mode: 'exec', at: {} };
const HISTORY_MAX = 200;

export class Console {
  private pos: Position = EXEC;
  private session?: ConfigSession;
  private question?: Question;
  private readonly ops: RouterOps;
  private readonly clock: Clock;
  readonly user: string;
  readonly history: string[] = [];
  closed = false;
  private debugOff?: () => void;

  constructor(private readonly opts: ConsoleOptions) {
    this.ops = opts.ops ?? new StaticRouterOps(opts.store);
    this.clock = opts.clock ?? systemClock;
    this.user = opts.user ?? 'admin';
  }

  get mode(): Position['mode'] { return this.pos.mode; }

  /** A copy of this session's candidate configuration (undefined in EXEC mode). */
  get candidate(): RouterConfig | undefined { return this.session ? cloneConfig(this.session.candidate) : undefined; }

  get hostname(): string { return this.opts.store.running.hostname ?? 'ios'; }

  get prompt(): string {
    if (this.question) return this.question.prompt;
    const suffix = grammar().mode(this.pos.mode).prompt(this.pos.at);
    return `RP/0/RP0/CPU0:${this.hostname}${suffix ? `(${suffix})` : ''}#`;
  }

  /** Output of a show command whose lines a `|` modifier filters (collected while it runs). */
  private captured?: string[];

  private out(...lines: string[]): void {
    if (this.captured) this.captured.push(...lines);
    else for (const l of lines) this.opts.write(l + '\n');
  }

  /** Run a show command, filtering what it prints when the line had a `|` modifier. */
  private async filtered(filter: OutputFilter | undefined, run: () => Promise<void> | void): Promise<void> {
    if (!filter) return run();
    this.captured = [];
    try { await run(); } finally {
      const lines = this.captured;
      this.captured = undefined;
      this.out(...filter(lines));
    }
  }

  private error(r: Rejection, promptLen: number): void { this.out(...errorLines(r, promptLen)); }

  /** Handle one line as typed after the prompt (the caller echoes it). */
  async input(raw: string): Promise<void> {
    if (this.closed) return;
    const line = raw.replace(/[\r\n]+$/, '');
    if (this.question) {
      const q = this.question;
      this.question = undefined;
      await q.onAnswer(q.raw ? line : line.trim().toLowerCase());
      return;
    }
    if (line.trim() === '') return;
    this.history.push(line);
    if (this.history.length > HISTORY_MAX) this.history.shift();
    const promptLen = this.prompt.length;
    if (/[^\x20-\x7e\t]/.test(line)) { // control characters and non-ASCII are never valid IOS XR input
      this.error({ error: 'invalid', pos: line.search(/[^\x20-\x7e\t]/) }, promptLen);
      return;
    }
    const piped = splitPipe(line);
    if ('error' in piped) return this.error(piped, promptLen);
    const { cmd, filter, at } = piped;
    const notShow = () => this.error({ error: 'invalid', pos: at! }, promptLen);
    if (this.pos.mode === 'exec') return this.exec(cmd, promptLen, 0, filter, notShow);
    if (/^\s*!/.test(line)) { if (!/^\s/.test(line)) this.pos = { mode: 'config', at: {} }; return; }
    const r = resolve(this.pos, cmd);
    if (!r.ok) return this.error(r, promptLen);
    const last = r.segments[r.segments.length - 1];
    if (last.cmd.kind === 'session' || last.cmd.kind === 'exec') {
      if (r.segments.length > 1) return this.error({ error: 'invalid', pos: cmd.length }, promptLen);
      return this.sessionCommand(last, cmd, promptLen, filter, notShow);
    }
    if (filter) return notShow();
    const { edit, next } = configEffect(r);
    this.session!.apply(edit);
    this.pos = next;
  }

  private async exec(line: string, promptLen: number, offset: number, filter?: OutputFilter, notShow?: () => void): Promise<void> {
    const r = grammar().match('exec', {}, line);
    if (!r.ok) return this.error(r.error === 'invalid' ? { ...r, pos: r.pos + offset } : r, promptLen);
    const seg = r.segments[0];
    if (filter && !seg.cmd.tag?.startsWith('show')) return notShow?.();
    if (seg.cmd.tag === 'configure') {
      if (offset) return this.error({ error: 'invalid', pos: offset }, promptLen);
      this.out(timestampLine(this.clock.now())); // every EXEC command's output starts with the time
      this.session = this.opts.store.session(this.user);
      this.pos = { mode: 'config', at: {} };
      return;
    }
    if (seg.cmd.tag === 'logout') {
      if (offset) return this.error({ error: 'invalid', pos: offset }, promptLen);
      this.closed = true;
      return;
    }
    await this.filtered(filter, () => execCommand(seg, this.env()));
  }

  private env(): ExecEnv {
    return {
      ops: this.ops, store: this.opts.store, clock: this.clock, release: this.opts.release ?? '24.3.1',
      out: (...l: string[]) => this.out(...l), write: (t: string) => this.opts.write(t),
      ask: (q: Question) => { this.question = q; },
      setDebug: (on: boolean) => {
        this.debugOff?.();
        this.debugOff = on ? this.ops.onTrace((e) => this.out(`${timestampLine(e.at)}: ikev2: ${e.text}`)) : undefined;
      },
    };
  }

  private async sessionCommand(seg: Segment, line: string, promptLen: number, filter?: OutputFilter, notShow?: () => void): Promise<void> {
    const s = this.session!;
    if (filter && !seg.cmd.tag?.startsWith('show') && seg.cmd.tag !== 'do') return notShow?.();
    switch (seg.cmd.tag) {
      case 'commit': return this.commit();
      case 'abort': s.reset(); this.leaveConfig(); return;
      case 'root': this.pos = { mode: 'config', at: {} }; return;
      case 'end': return this.leaveWithCheck();
      case 'exit':
        if (this.pos.mode === 'config') return this.leaveWithCheck();
        this.pos = parentOf(this.pos) ?? { mode: 'config', at: {} };
        return;
      case 'show-config':
        return this.filtered(filter, () => {
          this.out(timestampLine(this.clock.now()));
          this.out(...(seg.args.failed ? showConfigurationFailed(s.failed) : showConfiguration(s, this.opts.release ?? '24.3.1')));
        });
      case 'do': {
        const at = line.search(/\S/) + 2;
        const rest = line.slice(at).replace(/^\s+/, (m) => m);
        return this.exec(rest.trimStart(), promptLen, at + (rest.length - rest.trimStart().length), filter, notShow);
      }
      default: // show commands are accepted in configuration modes too
        await this.filtered(filter, () => execCommand(seg, this.env()));
    }
  }

  /** Commit the session and print the outcome (the timestamp, then nothing or why not). */
  private commitNow(): CommitOutcome {
    this.out(timestampLine(this.clock.now()));
    const r = this.session!.commit();
    this.out(...commitText(r));
    return r;
  }

  private commit(): void {
    const s = this.session!;
    const run = () => { this.commitNow(); };
    if (s.stale && s.dirty) {
      this.out('One or more commits have occurred from other configuration sessions since this session started or since the last commit was made from this session. You can use the \'show configuration commit changes\' command to browse the changes.');
      this.question = {
        prompt: 'Do you wish to proceed with this commit anyway? [no]: ',
        onAnswer: (a) => { if (a === 'yes' || a === 'y') run(); },
      };
      return;
    }
    run();
  }

  private leaveWithCheck(): void {
    const s = this.session!;
    if (!s.dirty) { this.leaveConfig(); return; }
    const ask = (): void => {
      this.question = {
        prompt: 'Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]: ',
        onAnswer: (a) => {
          if (a === 'yes' || a === 'y') {
            const r = this.commitNow();
            if (r.ok || r.reason === 'no-changes') this.leaveConfig();
          } else if (a === 'no' || a === 'n') {
            s.reset();
            this.leaveConfig();
          } else if (a !== '' && a !== 'cancel' && a !== 'c') {
            this.out("% Please answer 'yes', 'no' or 'cancel'");
            ask();
          }
        },
      };
    };
    ask();
  }

  private leaveConfig(): void {
    this.session = undefined;
    this.pos = EXEC;
  }

  /** The `?` help for the text typed so far. */
  help(line: string): string {
    const inExec = this.pos.mode === 'exec';
    const r = this.helpIn(line);
    if ('error' in r) return errorLines(r, this.prompt.length).join('\n') + '\n';
    const entries = [...r.entries];
    if (!inExec && line.trim() === '') entries.sort((a, b) => a.label.localeCompare(b.label));
    const width = Math.max(0, ...entries.map((e) => e.label.length)) + 2;
    const out = entries.map((e) => `  ${e.label.padEnd(width)}${e.help}`);
    if (r.cr) out.push('  <cr>');
    return (out.length ? out.join('\n') : '% Unrecognized command') + '\n';
  }

  private helpIn(line: string): ReturnType<Grammar['help']> {
    const r = inModes(this.pos, line, (p) => grammar().help(p.mode, p.at, line));
    return 'value' in r ? r.value : r;
  }

  /** Tab completion: the new line, or the choices to list when the prefix is ambiguous. */
  complete(line: string): { line: string; choices: string[] } {
    for (const p of modeChain(this.pos)) {
      const c = grammar().complete(p.mode, p.at, line);
      if (c.line !== undefined || c.choices.length) return { line: c.line ?? line, choices: c.choices };
    }
    return { line, choices: [] };
  }
}
