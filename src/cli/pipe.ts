// Output modifiers of show commands: `show … | include REGEX`, `| exclude REGEX`, `| begin REGEX`. The
// timestamp line IOS XR prints first is kept; the rest of the output is filtered line by line.
import { isTimestampLine } from './format.js';

export type OutputFilter = (lines: string[]) => string[];

const MODIFIERS = ['begin', 'exclude', 'include'] as const;

export type Piped = { cmd: string; filter?: OutputFilter; at?: number } | { error: 'invalid' | 'incomplete'; pos: number };

/** Split `line` at its first ` |`; the command part, and the filter when there is one (`at`: where `|` is). */
export function splitPipe(line: string): Piped {
  const bar = line.search(/\s\|/);
  if (bar < 0) return { cmd: line };
  const at = bar + 1;
  const rest = line.slice(at + 1);
  const m = /^(\s*)(\S+)(?:\s+(.*))?$/.exec(rest);
  if (!m) return { error: 'incomplete', pos: at };
  const word = m[2].toLowerCase();
  const hits = MODIFIERS.filter((k) => k.startsWith(word));
  if (hits.length !== 1) return { error: 'invalid', pos: at + 1 + m[1].length };
  const pattern = m[3]?.trim();
  if (!pattern) return { error: 'incomplete', pos: at };
  let re: RegExp;
  try { re = new RegExp(pattern); } catch { return { error: 'invalid', pos: line.length - rest.length + rest.indexOf(pattern) }; }
  const keep = (lines: string[], f: (body: string[]) => string[]) =>
    (lines.length && isTimestampLine(lines[0]) ? [lines[0], ...f(lines.slice(1))] : f(lines));
  const filters: Record<(typeof MODIFIERS)[number], OutputFilter> = {
    include: (l) => keep(l, (b) => b.filter((x) => re.test(x))),
    exclude: (l) => keep(l, (b) => b.filter((x) => !re.test(x))),
    begin: (l) => keep(l, (b) => { const i = b.findIndex((x) => re.test(x)); return i < 0 ? [] : b.slice(i); }),
  };
  return { cmd: line.slice(0, bar), filter: filters[hits[0]], at };
}
