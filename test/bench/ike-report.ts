// Tables of npm run bench:ike: in-process handshakes (Node and Chromium side by side) and time to
// UP-ACTIVE against strongSwan, plus the target line. Pure functions; used by tools/bench-ike.mjs.
import { CASES, type IkeBenchResult, type IkeRow, caseName } from './ike-handshake.js';
import type { InteropResult } from './ike-strongswan.js';

export const TARGET = { runtime: 'chromium' as const, group: 19, ppk: false, need: 1000 };

function fmtRate(x: number): string {
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (x >= 100) return x.toFixed(0);
  return x.toFixed(1);
}
const fmtMs = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** One line per case; Node and Chromium columns (a runtime that did not run shows —). */
export function formatHandshakes(results: IkeBenchResult[]): string {
  const rts = results.map((r) => r.env.runtime as IkeRow['runtime']);
  const col = 47;
  const lines = ['In-process IKE_SA_INIT + IKE_AUTH handshakes (two IkeEngines, PSK, AES-CBC-256/SHA-256, ESP AES-CBC-256/HMAC-SHA-256; direct microtask wire)'];
  lines.push(`${''.padEnd(16)}${rts.map((rt) => ` │ ${`${rt} (${rt === 'node' ? 'node:crypto' : 'WebCrypto'} ECDH)`.padEnd(col - 1)}`).join('')}`);
  lines.push(`${'case'.padEnd(16)}${rts.map(() => ` │ ${'hs/s'.padStart(7)}${'ms/hs'.padStart(7)}${'±'.padStart(5)}${'16∥ hs/s'.padStart(10)}${'ECDH'.padStart(6)}${'ECDH-only'.padStart(11)}`).join('')}`);
  for (const c of CASES) {
    let line = caseName(c).padEnd(16);
    for (const res of results) {
      const r = res.rows.find((x) => x.group === c.group && x.ppk === c.ppk);
      if (!r) { line += ` │ ${'—'.padStart(col - 1)}`; continue; }
      line += ` │ ${fmtRate(r.hsPerSec).padStart(7)}${fmtMs(r.msPerHs).padStart(7)}${`${r.spreadPct}%`.padStart(5)}` +
        `${fmtRate(r.hsPerSecParallel).padStart(10)}${pct(r.ecdhShare).padStart(6)}${fmtRate(r.ecdhOnlyPerSec).padStart(11)}`;
    }
    lines.push(line);
  }
  // PPK cost and group cost, as ratios within each runtime
  const ratios: string[] = [];
  for (const res of results) {
    const get = (g: number, p: boolean) => res.rows.find((x) => x.group === g && x.ppk === p)?.hsPerSec;
    const ppk = [19, 20, 21].map((g) => { const a = get(g, false), b = get(g, true); return a && b ? (b / a).toFixed(2) : '—'; });
    const g19 = get(19, false), g20 = get(20, false), g21 = get(21, false);
    ratios.push(`${res.env.runtime}: with PPK ÷ without = ${ppk.join(' / ')} (groups 19/20/21); group 20 ÷ 19 = ${g19 && g20 ? (g20 / g19).toFixed(2) : '—'}, 21 ÷ 19 = ${g19 && g21 ? (g21 / g19).toFixed(2) : '—'}`);
  }
  if (results.length === 2) {
    const [n, ch] = results;
    const rel = CASES.map((c) => {
      const a = n.rows.find((x) => x.group === c.group && x.ppk === c.ppk), b = ch.rows.find((x) => x.group === c.group && x.ppk === c.ppk);
      return a && b ? (b.hsPerSec / a.hsPerSec).toFixed(2) : '—';
    });
    ratios.push(`${ch.env.runtime} ÷ ${n.env.runtime} (1 in flight): ${rel.join(' / ')} (cases in table order)`);
  }
  lines.push('', ...ratios);
  lines.push('', 'hs/s = handshakes per second, one at a time (median of the rounds; ± = (max − min) / median); ms/hs = 1000 ÷ hs/s;',
    '16∥ = 16 handshakes in flight at once; ECDH = share of the one-at-a-time wall time spent awaiting the platform\'s',
    'ECDH (2 × generate + 2 × derive per handshake); ECDH-only = those four calls alone, sequential, per second (the ceiling).');
  return lines.join('\n');
}

export function formatTarget(results: IkeBenchResult[]): string {
  const res = results.find((r) => r.env.runtime === TARGET.runtime);
  const row = res?.rows.find((r) => r.group === TARGET.group && r.ppk === TARGET.ppk);
  const desc = `≥ ${TARGET.need} handshakes/s with group ${TARGET.group} (PSK, no PPK) in Chromium`;
  if (!row) return `target ${desc}: no data`;
  const one = row.hsPerSec, par = row.hsPerSecParallel;
  return `target ${desc}: one at a time ${fmtRate(one)} hs/s (${(one / TARGET.need).toFixed(2)}× the target) ${one >= TARGET.need ? 'met' : 'NOT met'}; ` +
    `16 in flight ${fmtRate(par)} hs/s ${par >= TARGET.need ? 'met' : 'NOT met'}`;
}

export function formatInterop(res: InteropResult): string {
  const title = 'Time to UP-ACTIVE over UDP between processes in network namespaces (PSK, ECP-256, AES-CBC-256/SHA-256)';
  if (res.skipped) return `${title}\n  ${res.skipped}`;
  const lines = [title];
  lines.push(`${'pair (initiator→responder)'.padEnd(28)}${'command → up'.padEnd(30)}${'median'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}${'first msg → up'.padStart(16)}${'×charon'.padStart(9)}`);
  const cc = res.rows.find((r) => r.pair === 'charon→charon');
  for (const r of res.rows) {
    const ratio = cc && cc.firstMsgMs && r.firstMsgMs ? `${(r.firstMsgMs / cc.firstMsgMs).toFixed(2)}` : '—';
    lines.push(`${r.pair.padEnd(28)}${r.method.padEnd(30)}${fmtMs(r.commandMs).padStart(8)}${fmtMs(r.commandMinMs).padStart(8)}${fmtMs(r.commandMaxMs).padStart(8)}` +
      `${(r.firstMsgMs === null ? '—' : fmtMs(r.firstMsgMs)).padStart(16)}${ratio.padStart(9)}`);
  }
  lines.push('', `ms; N = ${res.rows[0]?.n ?? 0} set-ups per pair, rounds interleaved (after one warm-up round); ×charon = first msg → up ÷ charon→charon's.`,
    `swanctl overhead alone (swanctl --stats: process start + one vici round trip): ${res.swanctlBaselineMs} ms (median of 5).`,
    wrap(res.definition, 118));
  return lines.join('\n');
}

function wrap(text: string, width: number): string {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + 1 + w.length > width) { out.push(line); line = w; } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out.join('\n');
}
