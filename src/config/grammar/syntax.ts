// Compiles command syntax strings into a small NFA that the matcher walks token by token.
//
// Notation (close to Cisco's command reference):
//   word            a keyword (matched case-insensitively, abbreviable to a unique prefix)
//   <name>          a value checked by args[name] (a ValueType); captured as args[name]
//   [ … ]           optional
//   { a | b c }     alternatives; `{ … }:name` captures the matched keyword as args[name]
//   …...N           repeat the preceding item 1 to N times (captures become arrays)
//   @frag           the syntax fragment frags[frag]
import type { ValueType } from '../values.js';
import type { CommandSpec } from './types.js';

export interface KwEdge { kind: 'kw'; kw: string; capture?: string; many?: boolean; to: State }
export interface ValEdge { kind: 'val'; type: ValueType; arg: string; many?: boolean; to: State }
export type Edge = KwEdge | ValEdge;

/** What reaching the end of a command means: apply it, apply its `no` form, or only move into its submode. */
export type Role = 'run' | 'unset' | 'navigate';

export interface State {
  edges: Edge[];
  eps: State[];
  /** set on the final state of a command */
  accept?: { cmd: CommandSpec; role: Role };
  /** the command that owns this state (for `when`) */
  cmd?: CommandSpec;
}

type Ast =
  | { t: 'kw'; kw: string }
  | { t: 'val'; arg: string }
  | { t: 'seq'; items: Ast[] }
  | { t: 'opt'; item: Ast }
  | { t: 'alt'; alts: Ast[]; capture?: string }
  | { t: 'rep'; item: Ast; max: number };

export class SyntaxError extends Error {}

type Tok = { k: 'open' | 'close' | 'lbrace' | 'rbrace' | 'bar' | 'kw' | 'val' | 'cap' | 'rep'; v: string };

function scan(src: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s+|\[|\]|\{|\}|\||<([a-z0-9_]+)>|:([a-z0-9_]+)|\.\.\.(\d+)|([a-z0-9][a-z0-9./-]*)/giy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < src.length) {
    re.lastIndex = at;
    m = re.exec(src);
    if (!m || m.index !== at) throw new SyntaxError(`grammar: cannot read '${src.slice(at)}'`);
    at = re.lastIndex;
    const t = m[0];
    if (/^\s+$/.test(t)) continue;
    if (t === '[') out.push({ k: 'open', v: t });
    else if (t === ']') out.push({ k: 'close', v: t });
    else if (t === '{') out.push({ k: 'lbrace', v: t });
    else if (t === '}') out.push({ k: 'rbrace', v: t });
    else if (t === '|') out.push({ k: 'bar', v: t });
    else if (m[1]) out.push({ k: 'val', v: m[1] });
    else if (m[2]) out.push({ k: 'cap', v: m[2] });
    else if (m[3]) out.push({ k: 'rep', v: m[3] });
    else out.push({ k: 'kw', v: m[4].toLowerCase() });
  }
  return out;
}

function parse(src: string, frags: Record<string, string>): Ast {
  let expanded = src;
  for (let n = 0; /@[a-z0-9_]+/i.test(expanded); n++) {
    if (n > 4) throw new SyntaxError(`grammar: fragments nest too deep in ${src}`);
    expanded = expanded.replace(/@([a-z0-9_]+)/gi, (_m, f: string) => {
      if (!(f in frags)) throw new SyntaxError(`grammar: unknown fragment @${f}`);
      return ` ${frags[f]} `;
    });
  }
  const toks = scan(expanded);
  let i = 0;
  const seq = (stop: Tok['k'][]): Ast => {
    const items: Ast[] = [];
    while (i < toks.length && !stop.includes(toks[i].k)) {
      const tok = toks[i++];
      let item: Ast;
      if (tok.k === 'open') {
        item = { t: 'opt', item: seq(['close']) };
        if (toks[i++]?.k !== 'close') throw new SyntaxError(`grammar: missing ] in ${src}`);
      } else if (tok.k === 'lbrace') {
        const alts = [seq(['bar', 'rbrace'])];
        while (toks[i]?.k === 'bar') { i++; alts.push(seq(['bar', 'rbrace'])); }
        if (toks[i++]?.k !== 'rbrace') throw new SyntaxError(`grammar: missing } in ${src}`);
        item = { t: 'alt', alts };
        if (toks[i]?.k === 'cap') item.capture = toks[i++].v;
      } else if (tok.k === 'val') {
        item = { t: 'val', arg: tok.v };
      } else if (tok.k === 'kw') {
        item = { t: 'kw', kw: tok.v };
      } else {
        throw new SyntaxError(`grammar: unexpected '${tok.v}' in ${src}`);
      }
      if (toks[i]?.k === 'rep') item = { t: 'rep', item, max: Number(toks[i++].v) };
      items.push(item);
    }
    return items.length === 1 ? items[0] : { t: 'seq', items };
  };
  const ast = seq([]);
  if (i !== toks.length) throw new SyntaxError(`grammar: unbalanced '${toks[i].v}' in ${src}`);
  return ast;
}

/** Compile one form of a command; returns its start state. */
export function compile(spec: CommandSpec, syntax: string, role: Role): State {
  const ast = parse(syntax, spec.frags ?? {});
  const args = spec.args ?? {};
  const next: State = { edges: [], eps: [], accept: { cmd: spec, role }, cmd: spec };
  const build = (a: Ast, to: State, capture?: string, many = false): State => {
    switch (a.t) {
      case 'kw': return { edges: [{ kind: 'kw', kw: a.kw, capture, many, to }], eps: [], cmd: spec };
      case 'val': {
        const type = args[a.arg];
        if (!type) throw new SyntaxError(`grammar: <${a.arg}> has no type in '${syntax}'`);
        return { edges: [{ kind: 'val', type, arg: a.arg, many, to }], eps: [], cmd: spec };
      }
      case 'seq': {
        let s = to;
        for (let k = a.items.length - 1; k >= 0; k--) s = build(a.items[k], s, capture, many);
        return s;
      }
      case 'opt': return { edges: [], eps: [build(a.item, to, capture, many), to], cmd: spec };
      case 'alt': return { edges: [], eps: a.alts.map((x) => build(x, to, a.capture ?? capture, many)), cmd: spec };
      case 'rep': {
        let s = build(a.item, to, capture, true);
        for (let k = 1; k < a.max; k++) s = build(a.item, { edges: [], eps: [s, to], cmd: spec }, capture, true);
        return s;
      }
    }
  };
  return build(ast, next);
}

/** The default `no` form: the keywords up to the first value or group, then optionally the rest. */
export function defaultNoSyntax(syntax: string): string {
  const toks = syntax.split(/\s+/);
  const lead: string[] = [];
  while (lead.length < toks.length && /^[a-z0-9][a-z0-9./-]*$/i.test(toks[lead.length])) lead.push(toks[lead.length]);
  const rest = toks.slice(lead.length).join(' ');
  return rest ? `${lead.join(' ')} [ ${rest} ]` : lead.join(' ');
}
