// Matches a line against the grammar of a mode the way IOS XR does: keywords by unique prefix,
// values by type, `no` forms, flat one-line commands that run through submodes, and precise errors
// (`^` under the first bad character, incomplete, ambiguous). Also answers `?` and Tab.
import type { ValueType } from '../values.js';
import { type Edge, type Role, type State, compile, defaultNoSyntax } from './syntax.js';
import type { Args, CommandSpec, ModeCtx, ModeId, ModeSpec } from './types.js';

export interface Segment { cmd: CommandSpec; role: Role; args: Args; mode: ModeId; at: ModeCtx }

export type MatchResult =
  | { ok: true; segments: Segment[] }
  | { ok: false; error: 'invalid'; pos: number }
  | { ok: false; error: 'incomplete' }
  | { ok: false; error: 'ambiguous'; token: string; pos: number };

export interface HelpEntry { label: string; help: string }

export type Failure = MatchResult & { ok: false };
const isFailure = (x: unknown): x is Failure => !Array.isArray(x);

/** Help texts by CLI path ('ikev2 proposal WORD encryption aes-cbc-128'). */
export type HelpLookup = (path: string) => string | undefined;

interface Thread {
  state: State;
  args: Args;
  /** words matched so far (keywords, and placeholders for values), for help paths */
  labels: string[];
  /** index in labels where the current command's words begin (after a flat command's prefix) */
  cmdAt: number;
  /** CLI path of the mode the line started in */
  base: string;
  segs: Segment[];
  mode: ModeId;
  at: ModeCtx;
  negated: boolean;
}

interface Token { text: string; start: number }

export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  const re = /[^ \t]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push({ text: m[0], start: m.index });
  return out;
}

function label(e: Edge): string { return e.kind === 'kw' ? e.kw : e.type.placeholder; }

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

export class Grammar {
  private readonly modes = new Map<ModeId, ModeSpec>();
  private readonly roots = new Map<string, State>();

  constructor(modes: ModeSpec[], private readonly helpText: HelpLookup = () => undefined) {
    for (const m of modes) this.modes.set(m.id, m);
    for (const m of modes) {
      const pos: State = { edges: [], eps: [] };
      const neg: State = { edges: [], eps: [] };
      const flat: State = { edges: [], eps: [] }; // what may follow a submode command on the same line
      for (const c of m.commands) {
        const run = compile(c, c.syntax, 'run');
        pos.eps.push(run);
        if (c.kind === undefined || c.kind === 'config') {
          flat.eps.push(run);
          if (c.enter) neg.eps.push(compile(c, c.syntax, 'navigate'));
          if (c.no !== false && c.unset) neg.eps.push(compile(c, c.no ?? defaultNoSyntax(c.syntax), 'unset'));
        }
      }
      this.roots.set(`${m.id}:+`, pos);
      this.roots.set(`${m.id}:-`, neg);
      this.roots.set(`${m.id}:flat`, flat);
    }
  }

  mode(id: ModeId): ModeSpec {
    const m = this.modes.get(id);
    if (!m) throw new Error(`grammar: unknown mode ${id}`);
    return m;
  }

  private root(mode: ModeId, negated: boolean, flat = false): State {
    return this.roots.get(`${mode}:${negated ? '-' : flat ? 'flat' : '+'}`)!;
  }

  private start(mode: ModeId, at: ModeCtx, tokens: Token[]): { threads: Thread[]; from: number } {
    if (tokens[0]?.text.toLowerCase() === 'no' && this.mode(mode).commands.some((c) => c.kind === undefined || c.kind === 'config')) {
      return { threads: [{ state: this.root(mode, true), args: {}, labels: [], cmdAt: 0, base: this.mode(mode).helpPath, segs: [], mode, at, negated: true }], from: 1 };
    }
    return { threads: [{ state: this.root(mode, false), args: {}, labels: [], cmdAt: 0, base: this.mode(mode).helpPath, segs: [], mode, at, negated: false }], from: 0 };
  }

  /** Follow ε-edges; with more input to come, also continue from a flat command into its submode. */
  private closure(threads: Thread[], more: boolean): Thread[] {
    const out: Thread[] = [];
    const seen = new Set<State>();
    const stack = [...threads];
    while (stack.length) {
      const t = stack.pop()!;
      if (seen.has(t.state)) continue;
      seen.add(t.state);
      if (t.state.cmd?.when && !t.state.cmd.when(t.at)) continue;
      out.push(t);
      for (const s of t.state.eps) stack.push({ ...t, state: s });
      const acc = t.state.accept;
      if (more && acc && acc.cmd.enter && acc.role !== 'unset') {
        const at = acc.cmd.select ? acc.cmd.select(t.args, t.at) : t.at;
        stack.push({
          state: this.root(acc.cmd.enter, t.negated, true), args: {}, labels: t.labels, cmdAt: t.labels.length, base: t.base,
          mode: acc.cmd.enter, at, negated: t.negated,
          segs: [...t.segs, { cmd: acc.cmd, role: acc.role, args: t.args, mode: t.mode, at: t.at }],
        });
      }
    }
    return out;
  }

  private advance(t: Thread, e: Edge, value: unknown): Thread {
    const args = { ...t.args };
    const key = e.kind === 'kw' ? e.capture : e.arg;
    if (key) args[key] = e.many ? [...(args[key] ?? []), value] : value;
    return { ...t, state: e.to, args, labels: [...t.labels, label(e)] };
  }

  /** Consume one token from every live thread; the IOS XR precedence: exact keyword, value, unique prefix. */
  private step(threads: Thread[], tok: Token, more: boolean): Thread[] | Failure {
    const lower = tok.text.toLowerCase();
    const cands = threads.flatMap((t) => t.state.edges.map((e) => ({ t, e })));
    let next = cands.filter(({ e }) => e.kind === 'kw' && e.kw === lower).map(({ t, e }) => this.advance(t, e, lower));
    if (!next.length) {
      for (const { t, e } of cands) {
        if (e.kind !== 'val') continue;
        const r = e.type.check(tok.text);
        if (r.ok) next.push(this.advance(t, e, r.value));
      }
    }
    if (!next.length) {
      // keywords abbreviate to a unique prefix — except numbers (`dh-group 2` is not `20`)
      const pre = cands.filter(({ e }) => e.kind === 'kw' && e.kw.startsWith(lower) && !/^\d+$/.test(e.kw));
      const distinct = new Set(pre.map(({ e }) => (e as { kw: string }).kw));
      if (distinct.size > 1) return { ok: false, error: 'ambiguous', token: tok.text, pos: tok.start };
      if (distinct.size === 0) return { ok: false, error: 'invalid', pos: tok.start + this.badAt(cands.map((c) => c.e), tok.text) };
      next = pre.map(({ t, e }) => this.advance(t, e, (e as { kw: string }).kw));
    }
    return this.closure(next, more);
  }

  /** Threads after every token of `tokens`, or the first error. */
  private walk(mode: ModeId, at: ModeCtx, tokens: Token[], moreAtEnd: boolean): Thread[] | Failure {
    const st = this.start(mode, at, tokens);
    let threads = this.closure(st.threads, st.from < tokens.length || moreAtEnd);
    for (let i = st.from; i < tokens.length; i++) {
      const r = this.step(threads, tokens[i], i + 1 < tokens.length || moreAtEnd);
      if (isFailure(r)) return r;
      threads = r;
    }
    return threads;
  }

  match(mode: ModeId, at: ModeCtx, line: string): MatchResult {
    const tokens = tokenize(line);
    if (tokens.length === 0) return { ok: false, error: 'incomplete' };
    const threads = this.walk(mode, at, tokens, false);
    if (isFailure(threads)) return threads;
    const done = threads.find((t) => t.state.accept && t.state.accept.role !== 'navigate');
    if (!done) return { ok: false, error: 'incomplete' };
    const acc = done.state.accept!;
    return { ok: true, segments: [...done.segs, { cmd: acc.cmd, role: acc.role, args: done.args, mode: done.mode, at: done.at }] };
  }

  /** Offset of the first bad character of a token that no edge accepts. */
  private badAt(edges: Edge[], token: string): number {
    let best = 0;
    const lower = token.toLowerCase();
    for (const e of edges) {
      const p = e.kind === 'kw' ? commonPrefix(lower, e.kw) : (e.type.check(token) as { at: number }).at;
      best = Math.max(best, Math.min(p, token.length));
    }
    return best;
  }

  /** What may come next after the complete tokens of `line` (the `?` help), and whether <cr> is allowed. */
  help(mode: ModeId, at: ModeCtx, line: string): { entries: HelpEntry[]; cr: boolean; partial: string } | Failure {
    const endsInSpace = line.length === 0 || /[ \t]$/.test(line);
    const tokens = tokenize(line);
    const partial = endsInSpace ? '' : tokens.pop()!.text;
    const threads = this.walk(mode, at, tokens, true);
    if (isFailure(threads)) return threads;
    const entries = new Map<string, HelpEntry>();
    for (const t of threads) {
      for (const e of t.state.edges) {
        const l = label(e);
        if (partial && !couldBe(e, partial)) continue;
        if (!entries.has(l)) entries.set(l, { label: l, help: this.describe(t, e) });
      }
    }
    if (partial && entries.size === 0 && !(tokens.length === 0 && 'no'.startsWith(partial.toLowerCase()))) {
      const start = line.length - partial.length;
      return { ok: false, error: 'invalid', pos: start + this.badAt(threads.flatMap((t) => t.state.edges), partial) };
    }
    const configMode = this.mode(mode).commands.some((c) => c.kind === undefined || c.kind === 'config');
    if (tokens.length === 0 && configMode && 'no'.startsWith(partial.toLowerCase())) {
      entries.set('no', { label: 'no', help: 'Negate a command or set its defaults' });
    }
    const cr = !partial && threads.some((t) => t.state.accept && t.state.accept.role !== 'navigate');
    return { entries: [...entries.values()].sort((a, b) => a.label.localeCompare(b.label)), cr, partial };
  }

  /** Help for an edge: its YANG description by full CLI path, else by the command's first word and the edge. */
  private describe(t: Thread, e: Edge): string {
    const l = label(e);
    const own = t.labels.slice(t.cmdAt);
    const paths = [[t.base, ...t.labels, l], [t.base, ...t.labels.slice(0, t.cmdAt), own[0], l]]
      .map((p) => p.filter(Boolean).join(' ').replace(/\bIFNAME\b/g, 'WORD'));
    for (const p of paths) { const h = this.helpText(p); if (h) return h; }
    return t.state.cmd?.help?.[[...own, l].join(' ')] ?? t.state.cmd?.help?.[l] ?? defaultHelp(e);
  }

  /** Tab: the unique completion of the last, partial keyword (with a trailing space), or the choices. */
  complete(mode: ModeId, at: ModeCtx, line: string): { line?: string; choices: string[] } {
    const h = this.help(mode, at, line);
    if ('error' in h) return { choices: [] };
    if (!h.partial) return { choices: h.entries.filter((e) => !/^[<A-Z]/.test(e.label)).map((e) => e.label) };
    const kws = h.entries.filter((e) => !/^[<A-Z]/.test(e.label)).map((e) => e.label);
    if (kws.length === 1) return { line: line.slice(0, line.length - h.partial.length) + kws[0] + ' ', choices: kws };
    // extend to the longest common prefix of the choices
    let common = kws[0] ?? '';
    for (const k of kws) common = common.slice(0, commonPrefix(common, k));
    if (common.length > h.partial.length) return { line: line.slice(0, line.length - h.partial.length) + common, choices: kws };
    return { choices: kws };
  }
}

/** Whether a partly typed word can still become what the edge accepts (`?` right after it). */
function couldBe(e: Edge, partial: string): boolean {
  if (e.kind === 'kw') return e.kw.startsWith(partial.toLowerCase());
  const c = e.type.check(partial);
  if (c.ok || c.at >= partial.length) return true;
  return /^\d+$/.test(partial) && e.type.placeholder.startsWith('<'); // a number still being typed
}

function defaultHelp(e: Edge): string {
  if (e.kind === 'kw') return e.kw;
  const p = (e.type as ValueType).placeholder;
  if (p === 'A.B.C.D') return 'IPv4 address';
  if (p.startsWith('<')) return 'Value';
  return 'Name';
}
