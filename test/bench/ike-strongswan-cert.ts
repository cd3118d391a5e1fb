// Certificates for the strongSwan rows of npm run bench:ike (test/bench/ike-strongswan.ts): made once per
// run with strongSwan's own `pki` tool in a temporary directory — a root CA (RSA 3072, self-signed with
// SHA-256) and one RSA 2048 leaf per router (A, B = charon; W, R = webswan), each with its FQDN as SAN
// dNSName, EKU serverAuth + ikeIntermediate, signed with SHA-256 — and webswan's way of receiving them: the
// IOS XR exec commands typed on the router's control socket, as a user would paste them (docs/pki.md):
//   crypto ca authenticate BENCH            → paste the CA's PEM lines, a blank line, then `yes`
//   crypto ca import BENCH certificate      → paste the certificate, a blank line, the PKCS#8 key, a blank line
// charon gets its files in swanctl/x509ca, x509, private (the PKCS#1 key `pki --gen` wrote); webswan gets
// the same key as PKCS#8 (`openssl pkcs8 -topk8 -nocrypt`), the only form `crypto ca import` accepts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlClient } from '../../src/runtime/node/control.js';
import { type RunResult, run } from '../support/netns.js';

export type Node4 = 'A' | 'B' | 'W' | 'R';
export const TRUSTPOINT = 'BENCH';
export const FQDN: Record<Node4, string> = { A: 'a.bench.example', B: 'b.bench.example', W: 'w.bench.example', R: 'r.bench.example' };
export const CA_DN = 'C=XX, O=webswan bench, CN=bench Root CA';

export interface Credential { certPem: string; keyPem: string; pkcs8Pem: string }
export interface BenchCerts { caPem: string; leaf: Record<Node4, Credential>; bits: number; seconds: number }

async function must(p: Promise<RunResult>): Promise<string> {
  const r = await p;
  if (r.code !== 0) throw new Error(`${r.cmd}: exit ${r.code ?? r.signal}\n${r.stderr}`);
  return r.stdout;
}
// pki reads dates in local time: keep it UTC, as test/support/interop-cert.ts does
const pki = (args: string[]) => must(run('pki', args, { env: { TZ: 'UTC' }, timeoutMs: 60_000 }));

/** CA + four RSA 2048 leaves with `pki`; the directory is removed before returning (the PEM is kept in memory). */
export async function makePkiCerts(): Promise<BenchCerts> {
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'webswan-bench-ike-pki-'));
  try {
    const genKey = async (name: string, bits: number) => {
      const path = join(dir, `${name}.key`);
      writeFileSync(path, await pki(['--gen', '--type', 'rsa', '--size', String(bits), '--outform', 'pem']));
      return path;
    };
    const caKey = await genKey('ca', 3072);
    const caPem = await pki(['--self', '--ca', '--lifetime', '3650', '--in', caKey, '--type', 'rsa', '--dn', CA_DN, '--digest', 'sha256', '--outform', 'pem']);
    const caPath = join(dir, 'ca.crt');
    writeFileSync(caPath, caPem);
    const leaf = {} as Record<Node4, Credential>;
    // two at a time: the machine has 2 cores
    for (const pair of [['A', 'B'], ['W', 'R']] as const) {
      await Promise.all(pair.map(async (k) => {
        const key = await genKey(k, 2048);
        const certPem = await pki(['--issue', '--in', key, '--type', 'rsa', '--cacert', caPath, '--cakey', caKey,
          '--dn', `C=XX, O=webswan bench, CN=${FQDN[k]}`, '--san', FQDN[k], '--flag', 'serverAuth', '--flag', 'ikeIntermediate',
          '--digest', 'sha256', '--lifetime', '30', '--outform', 'pem']);
        const keyPem = readFileSync(key, 'utf8');
        const pkcs8Pem = await must(run('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', key]));
        leaf[k] = { certPem, keyPem, pkcs8Pem };
      }));
    }
    return { caPem, leaf, bits: 2048, seconds: Math.round(performance.now() - t0) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** charon's swanctl files: the CA, its certificate (`certs = charon.crt` in the connection) and its key. */
export function charonFiles(c: BenchCerts, me: 'A' | 'B'): Record<string, string> {
  return { 'x509ca/ca.crt': c.caPem, 'x509/charon.crt': c.leaf[me].certPem, 'private/charon.key': c.leaf[me].keyPem };
}

const pasted = (pem: string): string[] => [...pem.trim().split('\n'), ''];

/**
 * Lines typed in one console session of its own on the control socket; returns a terminal-like transcript
 * (each line after the prompt it was typed at, then what it printed: questions such as `Do you accept this
 * certificate? [yes/no]:` are prompts).
 */
async function typed(control: string, lines: string[]): Promise<string> {
  const client = await ControlClient.connect(control);
  let text = '', prompt = client.hello?.prompt ?? '';
  client.onOut = (t) => { text += t; };
  try {
    for (const line of lines) {
      text += `${prompt}${line}\n`;
      const r = await client.request({ line });
      if (r.closed) throw new Error(`webswan control: session closed after ${line}`);
      prompt = r.prompt;
    }
  } finally { client.close(); }
  return text;
}

/**
 * `crypto ca authenticate` and `crypto ca import … certificate` on a running `webswan router` (its
 * configuration has `crypto ca trustpoint BENCH` / `enrollment terminal`); checks what the console answers.
 */
export async function installOnWebswan(control: string, c: BenchCerts, me: 'W' | 'R'): Promise<void> {
  const auth = await typed(control, [`crypto ca authenticate ${TRUSTPOINT}`, ...pasted(c.caPem), 'yes']);
  if (!auth.includes(CA_DN) || !auth.endsWith('Do you accept this certificate? [yes/no]: yes\n')) throw new Error(`webswan ${me}: crypto ca authenticate:\n${auth}`);
  const imp = await typed(control, [`crypto ca import ${TRUSTPOINT} certificate`, ...pasted(c.leaf[me].certPem), ...pasted(c.leaf[me].pkcs8Pem)]);
  if (!imp.includes(`installed in trustpoint ${TRUSTPOINT}`)) throw new Error(`webswan ${me}: crypto ca import:\n${imp}`);
  const shown = await typed(control, ['terminal length 0', `show crypto ca certificates ${TRUSTPOINT}`]);
  if (!shown.includes(FQDN[me]) || !shown.includes('Private key    : present')) throw new Error(`webswan ${me}: show crypto ca certificates:\n${shown}`);
}
