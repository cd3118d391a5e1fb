// Tables of npm run bench:ike: in-process handshakes (Node and Chromium side by side; PSK and certificate
// cases in separate tables) and time to UP-ACTIVE against strongSwan (PSK and certificate rows), plus the
// target line. Pure functions; used by tools/bench-ike.mjs.
import { CERT_CASES, type IkeBenchResult, type IkeCase, type IkeRow, PSK_CASES, caseName, sameCase } from './ike-handshake.js';
import type { InteropResult } from './ike-strongswan.js';

export const TARGET = { runtime: 'chromium' as const, group: 19, ppk: false, need: 1000 };

function fmtRate(x: number): string {
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (x >= 100) return x.toFixed(0);
  return x.toFixed(1);
}
const fmtMs = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const pct = (x: number) => `${Math.round(x * 100)}%`;

const rowOf = (res: IkeBenchResult, c: Pick<IkeCase, 'group' | 'ppk'> & { auth?: IkeCase['auth'] }) => res.rows.find((x) => sameCase({ ...x, auth: x.auth ?? 'psk' }, c));

/** The PSK table, then the certificate table. */
export function formatHandshakes(results: IkeBenchResult[]): string {
  return `${formatPsk(results)}\n\n${formatCert(results)}`;
}

/** One line per PSK case; Node and Chromium columns (a runtime that did not run shows —). */
function formatPsk(results: IkeBenchResult[]): string {
  const rts = results.map((r) => r.env.runtime as IkeRow['runtime']);
  const col = 47;
  const lines = ['In-process IKE_SA_INIT + IKE_AUTH handshakes (two IkeEngines, PSK, AES-CBC-256/SHA-256, ESP AES-CBC-256/HMAC-SHA-256; direct microtask wire)'];
  lines.push(`${''.padEnd(16)}${rts.map((rt) => ` │ ${`${rt} (${rt === 'node' ? 'node:crypto' : 'WebCrypto'} ECDH)`.padEnd(col - 1)}`).join('')}`);
  lines.push(`${'case'.padEnd(16)}${rts.map(() => ` │ ${'hs/s'.padStart(7)}${'ms/hs'.padStart(7)}${'±'.padStart(5)}${'16∥ hs/s'.padStart(10)}${'ECDH'.padStart(6)}${'ECDH-only'.padStart(11)}`).join('')}`);
  for (const c of PSK_CASES) {
    let line = caseName(c).padEnd(16);
    for (const res of results) {
      const r = rowOf(res, c);
      if (!r) { line += ` │ ${'—'.padStart(col - 1)}`; continue; }
      line += ` │ ${fmtRate(r.hsPerSec).padStart(7)}${fmtMs(r.msPerHs).padStart(7)}${`${r.spreadPct}%`.padStart(5)}` +
        `${fmtRate(r.hsPerSecParallel).padStart(10)}${pct(r.ecdhShare).padStart(6)}${fmtRate(r.ecdhOnlyPerSec).padStart(11)}`;
    }
    lines.push(line);
  }
  // PPK cost and group cost, as ratios within each runtime
  const ratios: string[] = [];
  for (const res of results) {
    const get = (g: number, p: boolean) => rowOf(res, { group: g as IkeCase['group'], ppk: p })?.hsPerSec;
    const ppk = [19, 20, 21].map((g) => { const a = get(g, false), b = get(g, true); return a && b ? (b / a).toFixed(2) : '—'; });
    const g19 = get(19, false), g20 = get(20, false), g21 = get(21, false);
    ratios.push(`${res.env.runtime}: with PPK ÷ without = ${ppk.join(' / ')} (groups 19/20/21); group 20 ÷ 19 = ${g19 && g20 ? (g20 / g19).toFixed(2) : '—'}, 21 ÷ 19 = ${g19 && g21 ? (g21 / g19).toFixed(2) : '—'}`);
  }
  if (results.length === 2) {
    const [n, ch] = results;
    const rel = PSK_CASES.map((c) => {
      const a = rowOf(n, c), b = rowOf(ch, c);
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

/** One line per certificate case (group 19, RSA 2048/3072 leaves, ± PPK); Node and Chromium columns. */
function formatCert(results: IkeBenchResult[]): string {
  const rts = results.map((r) => r.env.runtime as IkeRow['runtime']);
  const col = 62;
  const lines = ['In-process handshakes with certificates (both sides rsa-signature: CERT + CERTREQ, RFC 7427 method 14 SHA-256 PKCS#1 v1.5; lab CA RSA 3072; group 19; IKE_AUTH in SKF fragments)'];
  lines.push(`${''.padEnd(24)}${rts.map((rt) => ` │ ${`${rt} (${rt === 'node' ? 'node:crypto' : 'WebCrypto'} ECDH + RSA)`.padEnd(col - 1)}`).join('')}`);
  lines.push(`${'case'.padEnd(24)}${rts.map(() => ` │ ${'hs/s'.padStart(7)}${'ms/hs'.padStart(7)}${'±'.padStart(5)}${'16∥ hs/s'.padStart(10)}${'ECDH'.padStart(6)}${'RSA'.padStart(6)}${'RSA-only'.padStart(10)}${'X.509-only'.padStart(12)}`).join('')}`);
  for (const c of CERT_CASES) {
    let line = caseName(c).padEnd(24);
    for (const res of results) {
      const r = rowOf(res, c);
      if (!r) { line += ` │ ${'—'.padStart(col - 1)}`; continue; }
      line += ` │ ${fmtRate(r.hsPerSec).padStart(7)}${fmtMs(r.msPerHs).padStart(7)}${`${r.spreadPct}%`.padStart(5)}` +
        `${fmtRate(r.hsPerSecParallel).padStart(10)}${pct(r.ecdhShare).padStart(6)}${pct(r.rsaShare ?? 0).padStart(6)}` +
        `${fmtRate(r.rsaOnlyPerSec ?? 0).padStart(10)}${fmtRate(r.x509OnlyPerSec ?? 0).padStart(12)}`;
    }
    lines.push(line);
  }
  const ratios: string[] = [];
  for (const res of results) {
    const psk = rowOf(res, { group: 19, ppk: false })?.hsPerSec;
    const get = (auth: IkeCase['auth'], ppk: boolean) => rowOf(res, { group: 19, ppk, auth });
    const r = (x?: number, y?: number) => (x && y ? (x / y).toFixed(2) : '—');
    const r2 = get('rsa2048', false), r3 = get('rsa3072', false);
    const rsaMs = (row?: IkeRow) => (row?.rsaShare !== undefined ? fmtMs(row.msPerHs * row.rsaShare) : '—');
    const ecdhMs = (row?: IkeRow) => (row ? fmtMs(row.msPerHs * row.ecdhShare) : '—');
    ratios.push(`${res.env.runtime}: ÷ PSK group 19 = ${r(r2?.hsPerSec, psk)} (RSA 2048) / ${r(r3?.hsPerSec, psk)} (RSA 3072); RSA 3072 ÷ 2048 = ${r(r3?.hsPerSec, r2?.hsPerSec)}; ` +
      `with PPK ÷ without = ${r(get('rsa2048', true)?.hsPerSec, r2?.hsPerSec)} / ${r(get('rsa3072', true)?.hsPerSec, r3?.hsPerSec)}; ` +
      `per handshake RSA ${rsaMs(r2)} / ${rsaMs(r3)} ms vs ECDH ${ecdhMs(r2)} / ${ecdhMs(r3)} ms (RSA 2048 / 3072)`);
  }
  if (results.length === 2) {
    const [n, ch] = results;
    const rel = CERT_CASES.map((c) => { const a = rowOf(n, c), b = rowOf(ch, c); return a && b ? (b.hsPerSec / a.hsPerSec).toFixed(2) : '—'; });
    ratios.push(`${ch.env.runtime} ÷ ${n.env.runtime} (1 in flight): ${rel.join(' / ')} (cases in table order)`);
  }
  lines.push('', ...ratios);
  lines.push('', 'RSA = share of the one-at-a-time wall time spent awaiting the platform\'s RSA (2 × import the peer\'s public key, 2 × sign,',
    '2 × verify per handshake); RSA-only = those six calls alone, sequential, per second; X.509-only = both sides\' certificate',
    'checks alone (parse the peer\'s CERT, validate it against the trustpoint — the CA\'s signature is checked by @peculiar/x509',
    'on WebCrypto, outside the platform and so outside the RSA share — and match the FQDN to the SAN), sequential, per second.');
  return lines.join('\n');
}

export function formatTarget(results: IkeBenchResult[]): string {
  const res = results.find((r) => r.env.runtime === TARGET.runtime);
  const row = res ? rowOf(res, { group: TARGET.group as IkeCase['group'], ppk: TARGET.ppk }) : undefined;
  const desc = `≥ ${TARGET.need} handshakes/s with group ${TARGET.group} (PSK, no PPK) in Chromium`;
  if (!row) return `target ${desc}: no data`;
  const one = row.hsPerSec, par = row.hsPerSecParallel;
  return `target ${desc}: one at a time ${fmtRate(one)} hs/s (${(one / TARGET.need).toFixed(2)}× the target) ${one >= TARGET.need ? 'met' : 'NOT met'}; ` +
    `16 in flight ${fmtRate(par)} hs/s ${par >= TARGET.need ? 'met' : 'NOT met'}`;
}

export function formatInterop(res: InteropResult): string {
  const title = 'Time to UP-ACTIVE over UDP between processes in network namespaces (ECP-256, AES-CBC-256/SHA-256; PSK, then RSA 2048 certificates)';
  if (res.skipped) return `${title}\n  ${res.skipped}`;
  const lines = [title];
  lines.push(`${'pair (initiator→responder)'.padEnd(28)}${'auth'.padEnd(10)}${'command → up'.padEnd(30)}${'median'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}` +
    `${'first msg → up'.padStart(16)}${'×charon'.padStart(9)}${'×PSK'.padStart(7)}`);
  for (const r of res.rows) {
    const auth = r.auth ?? 'psk';
    const cc = res.rows.find((x) => x.pair === 'charon→charon' && (x.auth ?? 'psk') === auth);
    const psk = res.rows.find((x) => x.pair === r.pair && (x.auth ?? 'psk') === 'psk');
    const ratio = cc && cc.firstMsgMs && r.firstMsgMs ? `${(r.firstMsgMs / cc.firstMsgMs).toFixed(2)}` : '—';
    const vsPsk = auth !== 'psk' && psk?.firstMsgMs && r.firstMsgMs ? `${(r.firstMsgMs / psk.firstMsgMs).toFixed(2)}` : '';
    lines.push(`${r.pair.padEnd(28)}${(auth === 'psk' ? 'PSK' : 'RSA 2048').padEnd(10)}${r.method.padEnd(30)}${fmtMs(r.commandMs).padStart(8)}${fmtMs(r.commandMinMs).padStart(8)}${fmtMs(r.commandMaxMs).padStart(8)}` +
      `${(r.firstMsgMs === null ? '—' : fmtMs(r.firstMsgMs)).padStart(16)}${ratio.padStart(9)}${vsPsk.padStart(7)}`);
  }
  if (res.certSkipped) lines.push(`  ${res.certSkipped}`);
  lines.push('', `ms; N = ${res.rows[0]?.n ?? 0} set-ups per pair, rounds interleaved (after one warm-up round), PSK rows and certificate rows each in their own topology;`,
    '×charon = first msg → up ÷ charon→charon\'s with the same authentication; ×PSK = first msg → up ÷ the same pair\'s with PSK.',
    'Certificates: strongSwan pki, CA RSA 3072, leaves RSA 2048, SHA-256; RFC 7427 SHA-256 AUTH signatures; FQDN identities.',
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
