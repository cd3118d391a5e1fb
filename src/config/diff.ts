// `show configuration` in a configuration session: what the candidate changes relative to the running
// configuration, as configuration lines — changed or added lines under their block headers, and
// `no …` for what is removed.
import type { RouterConfig } from './model.js';
import { type Block, blockLines, configBlocks } from './render.js';

/** The leading keywords that identify a line (so `lifetime 600` replaces `lifetime 300`). */
function identity(line: string): string {
  const fixed: RegExp[] = [
    /^(logging \S+ vrf \S+|hostname|lifetime|keyring ppk|keyring|prf|dh-group|integrity|encryption|match fvrf|identity local|identity|address|transform|mode|set ikev2-profile|set pfs|set responder-only|set security-association lifetime seconds|set transform-set|description|ipv4 address|shutdown|tunnel mode|tunnel source|tunnel destination|tunnel protection ipsec profile|tunnel vrf|kme server|ppk manual|ppk dynamic|pre-shared-key local|pre-shared-key remote|pre-shared-key)\b/,
  ];
  for (const re of fixed) { const m = re.exec(line); if (m) return m[1]; }
  return line; // list entries (proposal X, match address local A, …) are identified by the whole line
}

function diffBlocks(run: Block[], cand: Block[]): Block[] {
  const out: Block[] = [];
  const key = (b: Block) => (b.block ? b.line : identity(b.line));
  const runById = new Map(run.map((b) => [key(b), b]));
  const candIds = new Set<string>();
  for (const b of cand) {
    const id = key(b);
    candIds.add(id);
    const r = runById.get(id);
    if (!r) { out.push(b); continue; }
    if (b.block) {
      const sub = diffBlocks(r.children, b.children);
      if (sub.length) out.push({ line: b.line, children: sub, block: true });
    } else if (r.line !== b.line) {
      out.push(b);
    }
  }
  for (const [id, r] of runById) {
    if (!candIds.has(id)) out.push({ line: `no ${r.block ? r.line : noForm(r.line)}`, children: [] });
  }
  return out;
}

/** `no` of a single-valued line drops its value (IOS XR prints `no lifetime`); list entries keep theirs. */
function noForm(line: string): string {
  const id = identity(line);
  return id === line ? line : id;
}

/** Lines of `show configuration` (without the header and `end`); empty when nothing is pending. */
export function pendingLines(running: RouterConfig, candidate: RouterConfig): string[] {
  const d = diffBlocks(configBlocks(running), configBlocks(candidate));
  return blockLines(d);
}
