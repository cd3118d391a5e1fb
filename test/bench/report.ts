// Turning rows into what people read: one table per suite (rows = implementation × operation, columns
// = sizes with pps, MB/s and the ratio to each peer), and the performance targets evaluated on the
// same run. Pure functions: used by tools/bench-node.mjs and, on Chromium's rows, by bench-browser.mjs.
import type { ImplName, OpName, Row, SuiteId } from './harness.js';

export type Runtime = 'node' | 'chromium';

export interface Target {
  id: string;
  description: string;
  suite: SuiteId; op: OpName; size: number;
  impl: ImplName; versus: ImplName;
  /** webswan must be at least `need` times as fast as `versus`. */
  need: number;
  ratio: number | null;
  met: boolean;
}

export interface BenchResult { rows: Row[]; targets: Target[]; env: Record<string, unknown> }

const TITLES: Record<SuiteId, string> = {
  aes256gcm: 'AES-256-GCM-16 ESP (aes256gcm)',
  'aes256cbc-sha256': 'AES-256-CBC + HMAC-SHA-256-128 ESP (aes256cbc-sha256)',
  'aes128cbc-sha1': 'AES-128-CBC + HMAC-SHA1-96 ESP (aes128cbc-sha1)',
  'hmac-sha256': 'HMAC-SHA-256 over the ESP-CBC authenticated region (hmac-sha256)',
  'prf-hmac-sha256': 'IKEv2 prf+ with PRF_HMAC_SHA2_256, 224 bytes of key material per derivation (prf-hmac-sha256)',
};
const SIZE_NOTE: Partial<Record<SuiteId, (size: number) => string>> = {
  'hmac-sha256': (s) => `${s} B hashed`,
  'prf-hmac-sha256': (s) => `${s} B derived`,
};

interface TargetSpec { runtimes: Runtime[]; suite: SuiteId; op: OpName; size: number; versus: ImplName; need: number; label: string }
const SPECS: TargetSpec[] = [
  { runtimes: ['chromium'], suite: 'aes256gcm', op: 'esp-encap', size: 1400, versus: 'webcrypto', need: 2.5, label: 'AES-256-GCM encap 1400 B' },
  { runtimes: ['chromium'], suite: 'aes256gcm', op: 'esp-encap', size: 64, versus: 'webcrypto', need: 5, label: 'AES-256-GCM encap 64 B' },
  { runtimes: ['chromium'], suite: 'aes256cbc-sha256', op: 'esp-encap', size: 1400, versus: 'webcrypto', need: 2, label: 'AES-256-CBC+HMAC-SHA-256 encap 1400 B' },
  { runtimes: ['node'], suite: 'aes256cbc-sha256', op: 'esp-encap', size: 1400, versus: 'node-crypto', need: 1.5, label: 'AES-256-CBC+HMAC-SHA-256 encap 1400 B' },
  ...[104, 552, 1432].map((size): TargetSpec => ({
    runtimes: ['node', 'chromium'], suite: 'hmac-sha256', op: 'hmac', size, versus: 'hash-wasm', need: 1, label: `HMAC-SHA-256 ${size} B`,
  })),
];

const find = (rows: Row[], impl: ImplName, suite: SuiteId, op: OpName, size: number) =>
  rows.find((r) => r.impl === impl && r.suite === suite && r.op === op && r.size === size);

export function evaluateTargets(rows: Row[], runtime: Runtime): Target[] {
  return SPECS.filter((t) => t.runtimes.includes(runtime)).map((t) => {
    const mine = find(rows, 'webswan-wasm', t.suite, t.op, t.size), theirs = find(rows, t.versus, t.suite, t.op, t.size);
    const ratio = mine && theirs && theirs.pps > 0 ? Math.round((mine.pps / theirs.pps) * 100) / 100 : null;
    return {
      id: `${runtime}:${t.suite}:${t.op}:${t.size}:vs-${t.versus}`,
      description: `${t.label}: webswan-wasm ≥ ${t.need}× ${t.versus} (${runtime})`,
      suite: t.suite, op: t.op, size: t.size, impl: 'webswan-wasm', versus: t.versus, need: t.need,
      ratio, met: ratio !== null && ratio >= t.need,
    };
  });
}

function fmtRate(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(2)}k`;
  return x.toFixed(0);
}
const fmtMb = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const fmtRatio = (x: number) => `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;
const pad = (s: string, n: number) => s.padStart(n);

const BASES: ImplName[] = ['webcrypto', 'node-crypto'];
const ABBR: Record<string, string> = { webcrypto: '×wc', 'node-crypto': '×nc' };

/** One table per suite present in `rows`, in the order the rows come. */
export function formatTables(rows: Row[]): string {
  const out: string[] = [];
  const suites = [...new Set(rows.map((r) => r.suite))];
  const bases = BASES.filter((b) => rows.some((r) => r.impl === b));
  for (const suite of suites) {
    const mine = rows.filter((r) => r.suite === suite);
    const sizes = [...new Set(mine.map((r) => r.size))].sort((a, b) => a - b);
    const keys = [...new Set(mine.map((r) => `${r.impl}|${r.op}`))];
    const colW = 8 + 8 + 7 * bases.length;
    const note = SIZE_NOTE[suite] ?? ((s: number) => `${s} B payload`);
    const lines = [TITLES[suite]];
    lines.push(`${''.padEnd(26)}${sizes.map((s) => ` │ ${pad(note(s), colW - 1)}`).join('')}`);
    lines.push(`${'impl'.padEnd(14)}${'op'.padEnd(12)}${sizes.map(() => ` │ ${pad('pps', 7)}${pad('MB/s', 8)}${bases.map((b) => pad(ABBR[b], 7)).join('')}`).join('')}`);
    for (const key of keys) {
      const [impl, op] = key.split('|') as [ImplName, OpName];
      let line = `${impl.padEnd(14)}${op.padEnd(12)}`;
      for (const size of sizes) {
        const r = find(mine, impl, suite, op, size);
        if (!r) { line += ` │ ${pad('—', colW - 1)}`; continue; }
        line += ` │ ${pad(fmtRate(r.pps), 7)}${pad(fmtMb(r.mbps), 8)}`;
        for (const b of bases) {
          const base = find(mine, b, suite, op, size);
          line += pad(base && base.pps > 0 ? fmtRatio(r.pps / base.pps) : '—', 7);
        }
      }
      lines.push(line);
    }
    out.push(lines.join('\n'));
  }
  const legend = bases.map((b) => `${ABBR[b]} = rate ÷ ${b}'s rate for the same operation and size`).join('; ');
  out.push(`pps = operations/s (packets, MACs, derivations); MB/s = 1e6 bytes/s of payload; ${legend}.`);
  return out.join('\n\n');
}

export function formatTargets(targets: Target[], runtime: Runtime): string {
  const lines = [`targets (${runtime} run, ratios from the medians above)`];
  for (const t of targets) {
    const measured = t.ratio === null ? 'no data' : `${t.ratio.toFixed(2)}×`;
    lines.push(`  ${t.description.padEnd(80)} measured ${measured.padStart(7)}   ${t.met ? 'met' : 'NOT met'}`);
  }
  return lines.join('\n');
}
