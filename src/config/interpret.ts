// Applying one configuration line at a position in the mode tree, as IOS XR does: try the current mode,
// then its parents (a global command typed in a submode leaves it), and turn the matched commands into
// an edit of the candidate and the position the line leaves the session in.
import { type Failure, Grammar, type Segment } from './grammar/matcher.js';
import { MODES } from './grammar/modes.js';
import type { ModeCtx, ModeId } from './grammar/types.js';
import type { RouterConfig } from './model.js';
import type { Edit } from './store.js';
import { YANG_HELP } from './grammar/yang-help.js';

export interface Position { mode: ModeId; at: ModeCtx }

export const CONFIG_TOP: Position = { mode: 'config', at: {} };

let shared: Grammar | undefined;
/** The grammar of every mode (built once: compiling it takes a few milliseconds). */
export function grammar(): Grammar {
  shared ??= new Grammar(MODES, (path) => YANG_HELP[path]);
  return shared;
}

export type Resolved = { ok: true; segments: Segment[]; from: Position } | Failure;

/** Why a line was rejected: a grammar Failure, or the same shape from elsewhere (output filters). */
export type Rejection = { error: 'invalid' | 'incomplete' | 'ambiguous'; pos?: number; token?: string };

/** IOS XR's message for a rejected line (the `^` line that goes above an invalid one is the caller's). */
export function failureMessage(r: Rejection): string {
  if (r.error === 'incomplete') return '% Incomplete command.';
  if (r.error === 'ambiguous') return `% Ambiguous command:  "${r.token}"`;
  return "% Invalid input detected at '^' marker.";
}

/** The modes a line is tried in: the current one, then its parents (EXEC only when it is the current one). */
export function modeChain(pos: Position): Position[] {
  const out: Position[] = [pos];
  for (let p = pos.mode === 'exec' ? undefined : parentOf(pos); p && p.mode !== 'exec'; p = parentOf(p)) out.push(p);
  return out;
}

/**
 * Try `attempt` in each mode of the chain: the first success, else the error that got furthest into the
 * line (an incomplete command went furthest of all). A first word that means several things in a mode is
 * that error, never a parent mode's command instead.
 */
export function inModes<T>(pos: Position, line: string, attempt: (p: Position) => T | Failure): { value: T; from: Position } | Failure {
  let best: Failure | undefined;
  const rank = (r: Failure) => (r.error === 'incomplete' ? Infinity : r.pos);
  for (const p of modeChain(pos)) {
    const r = attempt(p);
    if (!isFailure(r)) return { value: r, from: p };
    if (r.error === 'ambiguous' && r.pos === line.search(/\S/)) return r;
    if (!best || rank(r) > rank(best)) best = r;
  }
  return best!;
}

const isFailure = (r: unknown): r is Failure => (r as { ok?: unknown }).ok === false;

/** Match `line` in the mode of `pos`, falling back to parent modes (not to EXEC). */
export function resolve(pos: Position, line: string): Resolved {
  const r = inModes<Segment[]>(pos, line, (p) => {
    const m = grammar().match(p.mode, p.at, line);
    return m.ok ? m.segments : m;
  });
  return 'value' in r ? { ok: true, segments: r.value, from: r.from } : r;
}

export function parentOf(p: Position): Position | undefined {
  const parent = grammar().mode(p.mode).parent;
  if (!parent) return undefined;
  if (parent === 'keyring') return { mode: 'keyring', at: { keyring: p.at.keyring } };
  return { mode: parent, at: {} };
}

/** The edit a matched configuration line makes, and where the session is afterwards. */
export function configEffect(r: { segments: Segment[]; from: Position }): { edit: Edit; next: Position } {
  const segs = r.segments;
  const edit: Edit = (cfg: RouterConfig) => {
    for (const s of segs) {
      if (s.role === 'run') s.cmd.run?.({ cfg, at: s.at }, s.args);
      else if (s.role === 'unset') s.cmd.unset?.({ cfg, at: s.at }, s.args);
    }
  };
  // IOS XR leaves the session in the deepest mode the line reached: after `keyring K peer P address A M`
  // the prompt is (config-ikev2-keyring-peer)#, and the next line may be a peer command
  const last = segs[segs.length - 1];
  const next = last.role === 'run' && last.cmd.enter
    ? { mode: last.cmd.enter, at: last.cmd.select ? last.cmd.select(last.args, last.at) : last.at }
    : { mode: last.mode, at: last.at };
  return { edit, next };
}
