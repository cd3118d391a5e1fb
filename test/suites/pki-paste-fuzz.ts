// Hostile pastes at the IOS XR console's certificate commands (docs/pki.md): `crypto ca authenticate LAB`
// (the CA certificate) and `crypto ca import LAB certificate` (the router certificate, then its PKCS#8
// key), fed mutated PEM — base64 with bad characters, wrong / mismatched / missing BEGIN and END lines,
// truncations, concatenations, DER bit flips and trailing bytes re-encoded as valid base64, huge pastes —
// and random lines. fast-check with a fixed seed; a failure is shrunk to the smallest paste.
// Properties: the console never throws; after the paste ends the answer is the normal flow (the
// certificate shown and `Do you accept…`, the key asked for, the installed message) or exactly one clear
// `%` line (no stack, no `undefined`, bounded length); after a refusal the trustpoint store's material()
// is unchanged; the console remains usable (`show crypto ca certificates` answers at the exec prompt).
import fc from 'fast-check';
import { VirtualTime } from '../../src/util/clock.js';
import type { TrustpointStore } from '../../src/pki/trustpoint.js';
import { LabCa, type IssuedIdentity } from '../../src/pki/lab-ca.js';
import { parseCertificate, toPem } from '../../src/pki/certificate.js';
import { env } from '../support/env.js';
import { equal, ok } from '../support/assert.js';
import { SimWire } from '../support/sim.js';
import { bareRouter } from './pki-config.js';

export interface PasteFuzzOptions {
  /** fast-check runs per property (default 150). */
  runs?: number;
  seed?: number;
  watchEscapes?: (onEscape: (what: string, e: unknown) => void) => () => void;
}

const START = new Date(Date.UTC(2026, 0, 1));
const EXEC_PROMPT = 'RP/0/RP0/CPU0:ios#';
const END_PASTE = 'End with a blank line or the word "quit" on a line by itself';

interface Material { caPem: string; leaf: IssuedIdentity; otherPems: string[]; otherKeys: string[] }

/** What is typed: the lines, then the blank line (a blank line before any text is ignored: then `quit`) or `quit`. */
const pasteOf = (text: string, quit: boolean): string[] => { const l = bodyLines(text); return [...l, quit || !l.length ? 'quit' : '']; };

/** PEM → lines as pasted; blank and `quit` lines are kept out of the body (they end a paste). */
const bodyLines = (text: string): string[] => text.split('\n').map((l) => l.replace(/[\r\n]/g, '')).filter((l) => l.trim() !== '' && l.trim().toLowerCase() !== 'quit');

const PEM_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE', 'CERTIFICATE REQUEST', 'PRIVATE KEY', 'RSA PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY', 'PUBLIC KEY', '', 'CERTIFICATE-', 'certificate'];

function der(pem: string): Uint8Array {
  const b64 = pem.replace(/-----[^-]*-----/g, '').replace(/\s+/g, '');
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** A mutation of a PEM text (fast-check shrinks both the choice and its parameters). */
function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const line = fc.string({ unit: 'grapheme-ascii', maxLength: 80 });
  return fc.oneof(
    base,
    // bad base64: characters outside the alphabet, at random places
    fc.tuple(base, fc.array(fc.tuple(fc.nat(), fc.constantFrom('!', '*', ' ', '\t', '=', '-', '.', 'é', '\u0000', '\u00ff', '😀', '====', '\\')), { minLength: 1, maxLength: 6 }))
      .map(([pem, edits]) => {
        const lines = pem.split('\n');
        for (const [at, ch] of edits) {
          const i = 1 + (at % Math.max(1, lines.length - 2)), l = lines[i] ?? '';
          const j = at % (l.length + 1);
          lines[i] = l.slice(0, j) + ch + l.slice(j + 1);
        }
        return lines.join('\n');
      }),
    // wrong, mismatched or missing headers
    fc.tuple(base, fc.constantFrom(...PEM_LABELS), fc.constantFrom(...PEM_LABELS), fc.nat(4)).map(([pem, b, e, how]) => {
      const body = pem.replace(/-----BEGIN [^-]*-----\n?/, '').replace(/-----END [^-]*-----\n?/, '');
      return [`-----BEGIN ${b}-----\n${body}-----END ${e}-----`, body, `-----BEGIN ${b}-----\n${body}`, `${body}-----END ${e}-----`,
        `----BEGIN ${b}----\n${body}----END ${b}----`][how];
    }),
    // truncated: whole lines or within a line
    fc.tuple(base, fc.nat()).map(([pem, n]) => pem.slice(0, n % (pem.length + 1))),
    fc.tuple(base, fc.nat()).map(([pem, n]) => { const l = pem.split('\n'); return l.slice(0, n % (l.length + 1)).join('\n'); }),
    // DER edits re-encoded as valid base64: bit flips, truncation, trailing bytes
    fc.tuple(base, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), fc.constantFrom('flip', 'cut', 'tail'), fc.uint8Array({ minLength: 1, maxLength: 40 }))
      .map(([pem, bits, how, tail]) => {
        let d: Uint8Array;
        try { d = der(pem); } catch { return pem; }
        if (!d.length) return pem;
        if (how === 'flip') { d = d.slice(); for (const b of bits) d[(b >> 3) % d.length] ^= 1 << (b & 7); }
        if (how === 'cut') d = d.subarray(0, bits[0] % d.length);
        if (how === 'tail') { const x = new Uint8Array(d.length + tail.length); x.set(d); x.set(tail, d.length); d = x; }
        return toPem(d, /BEGIN ([^-]*)-/.exec(pem)?.[1] ?? 'CERTIFICATE');
      }),
    // concatenations (two blocks, or a block and junk)
    fc.tuple(base, base, fc.array(line, { maxLength: 3 })).map(([a, b, junk]) => [a, ...junk, b].join('\n')),
    // huge: the body repeated, or many random lines
    fc.tuple(base, fc.integer({ min: 10, max: 60 })).map(([pem, n]) => {
      const l = pem.split('\n');
      return [l[0], ...Array.from({ length: n }, () => l.slice(1, -2)).flat(), ...l.slice(-2)].join('\n');
    }),
    fc.array(line, { minLength: 1, maxLength: 30 }).map((ls) => ls.join('\n')),
    fc.tuple(line, fc.integer({ min: 1000, max: 200_000 })).map(([l, n]) => `-----BEGIN CERTIFICATE-----\n${'A'.repeat(n)}${l}\n-----END CERTIFICATE-----`),
  );
}

/** The console answer after the paste intro: its non-empty lines. */
function answerLines(out: string): string[] {
  const at = out.indexOf(END_PASTE);
  return (at < 0 ? out : out.slice(at + END_PASTE.length)).split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
}

/** One clear `%` line: the message a user can act on, not a stack or an internal value. */
function clear(line: string): string | undefined {
  if (!/^% \S/.test(line)) return `not a % line: ${JSON.stringify(line.slice(0, 200))}`;
  if (line.length > 400) return `a % line of ${line.length} characters`;
  if (/\bundefined\b|\[object |\bat .+:\d+:\d+|TypeError|RangeError|SyntaxError/.test(line)) return `an internal message: ${line}`;
  return undefined;
}

export function pkiPasteFuzzSuite(o: PasteFuzzOptions = {}): void {
  const runs = o.runs ?? 150;
  const seed = o.seed ?? 0x9e3e;

  describe('IOS XR console: hostile certificate and key pastes (crypto ca authenticate / import)', () => {
    let m: Material;
    let stop: (() => void) | undefined;
    const escaped: string[] = [];

    before(async () => {
      stop = o.watchEscapes?.((what, e) => escaped.push(`${what}: ${(e as Error)?.stack ?? String(e)}`));
      const e = await env();
      const ca = await LabCa.create({ bits: 2048, now: new Date(START.getTime() - 30 * 86_400_000), dn: 'C=XX, O=lab, CN=lab Test CA' });
      const leaf = await ca.issue({ fqdn: 'routerA.example.com', now: new Date(START.getTime() - 86_400_000) });
      const otherPems = await Promise.all(['ca', 'other-ca', 'sub-ca', 'routerA', 'notca', 'expired'].map(async (f) => (await parseCertificate(await e.text(`pki/${f}.crt`))).pem));
      const otherKeys = await Promise.all(['routerA', 'other-ca'].map((f) => e.text(`pki/${f}.key`)));
      m = { caPem: ca.certificatePem, leaf, otherPems, otherKeys };
    });
    after(() => stop?.());

    /** A router with trustpoint LAB (enrollment terminal); `trusted`: the lab CA already authenticated. */
    async function router(trusted: boolean) {
      const time = new VirtualTime(START.getTime());
      const R = await bareRouter(time, new SimWire(time, 1));
      await R.type('configure', 'crypto ca trustpoint LAB', ' enrollment terminal', 'commit', 'end');
      if (trusted) await R.type('crypto ca authenticate LAB', ...bodyLines(m.caPem), '', 'yes');
      const store = R.r.ops.trustpoints!() as TrustpointStore;
      return { ...R, store };
    }

    /** The console still works: a show command answers at the exec prompt. */
    async function usable(R: Awaited<ReturnType<typeof router>>, what: string): Promise<void> {
      if (R.con.prompt !== EXEC_PROMPT) await R.type(''); // a pending question (paste or yes/no) gets an empty answer
      if (R.con.prompt !== EXEC_PROMPT) await R.type('quit');
      equal(R.con.prompt, EXEC_PROMPT, `${what}: back at the exec prompt`);
      const o = await R.type('show crypto ca certificates');
      ok(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d\.\d{3} UTC\n/.test(o) && !o.includes('%'), `${what}: show crypto ca certificates works:\n${o}`);
      if (R.store.get('LAB')?.caCertificates.length) ok(o.includes('LAB'), `${what}: the trustpoint is shown:\n${o}`);
    }

    const snapshot = (s: TrustpointStore) => JSON.stringify(s.material());
    const messages = new Map<string, number>();
    const note = (l: string) => { const k = l.replace(/'[^']*'|\d+/g, '…').slice(0, 90); messages.set(k, (messages.get(k) ?? 0) + 1); };

    it(`crypto ca authenticate: ${runs} mutated CA pastes — one clear % line or the normal flow, store unchanged after a refusal`, async () => {
      const R = await router(false);
      const base0 = snapshot(R.store);
      const base = fc.constantFrom(m.caPem, ...m.otherPems);
      await fc.assert(fc.asyncProperty(mutated(base), fc.boolean(), async (pem, quit) => {
        const before = snapshot(R.store);
        const out = await R.type('crypto ca authenticate LAB', ...pasteOf(pem, quit));
        const lines = answerLines(out);
        if (R.con.prompt === 'Do you accept this certificate? [yes/no]: ') {
          ok(lines.some((l) => /Fingerprint/.test(l)), `the certificate is shown before the question:\n${out}`);
          const after = await R.type('yes');
          const more = answerLines(after);
          ok(more.length === 0 || (more.length === 1 && !clear(more[0])), `after yes: ${after}`);
          // the normal flow changed the store: back to the empty trustpoint for the next case
          await R.store.restore(JSON.parse(base0));
          R.store.get('LAB')?.wipe();
        } else {
          equal(lines.length, 1, `exactly one line after the paste:\n${out}`);
          const bad = clear(lines[0]);
          ok(!bad, `${bad}\n${out}`);
          note(lines[0]);
          equal(snapshot(R.store), before, `the store is unchanged after: ${lines[0]}`);
        }
        equal(escaped.length, 0, escaped.join('\n'));
        await usable(R, 'after authenticate');
      }), { numRuns: runs, seed, endOnFailure: false });
    });

    it(`crypto ca import … certificate: ${runs} mutated certificate and key pastes — one clear % line or the normal flow, store unchanged after a refusal`, async () => {
      const R = await router(true);
      const base0 = snapshot(R.store);
      const certs = fc.oneof({ weight: 3, arbitrary: fc.constant(m.leaf.certificatePem) }, { weight: 1, arbitrary: fc.constantFrom(m.caPem, ...m.otherPems) });
      const keys = fc.oneof({ weight: 3, arbitrary: fc.constant(m.leaf.privateKeyPem) }, { weight: 1, arbitrary: fc.constantFrom(...m.otherKeys) });
      await fc.assert(fc.asyncProperty(mutated(certs), mutated(keys), fc.boolean(), async (certPem, keyPem, quit) => {
        const before = snapshot(R.store);
        const out = await R.type('crypto ca import LAB certificate', ...pasteOf(certPem, quit));
        let lines = answerLines(out);
        if (lines.some((l) => l.startsWith('Enter the private key'))) {
          // the certificate chains to the trustpoint: now the key
          const out2 = await R.type(...pasteOf(keyPem, false));
          lines = answerLines(out2);
          equal(lines.length, 1, `exactly one line after the key paste:\n${out2}`);
          const bad = clear(lines[0]);
          ok(!bad, `${bad}\n${out2}`);
          if (/installed in trustpoint LAB/.test(lines[0])) {
            await R.store.restore(JSON.parse(base0));
          } else {
            note(lines[0]);
            equal(snapshot(R.store), before, `the store is unchanged after: ${lines[0]}`);
          }
        } else {
          equal(lines.length, 1, `exactly one line after the certificate paste:\n${out}`);
          const bad = clear(lines[0]);
          ok(!bad, `${bad}\n${out}`);
          note(lines[0]);
          equal(snapshot(R.store), before, `the store is unchanged after: ${lines[0]}`);
        }
        equal(escaped.length, 0, escaped.join('\n'));
        await usable(R, 'after import');
      }), { numRuns: runs, seed: seed + 1, endOnFailure: false });
      console.log(`pki paste fuzz: refusals seen (shape, count):\n  ${[...messages].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v} × ${k}`).join('\n  ')}`);
    });

    it('regressions: trailing bytes, a refusal on an empty trustpoint, malformed extension and key messages', async () => {
      // 1. a certificate followed by other bytes (valid base64) was accepted as the certificate alone
      const R = await router(false);
      const before = snapshot(R.store);
      const ca = der(m.caPem);
      let out = await R.type('crypto ca authenticate LAB', ...pasteOf(toPem(Uint8Array.from([...ca, 0, 0]), 'CERTIFICATE'), false));
      equal(answerLines(out).join('\n'), '% Invalid certificate: not an X.509 certificate: 2 bytes after its DER encoding', out);
      // 2. the refusal left an empty trustpoint LAB in the store (material() changed, saved to --pki-dir)
      equal(snapshot(R.store), before, 'store unchanged after the refused authenticate');
      out = await R.type('crypto ca import LAB certificate');
      ok(out.includes('% Trustpoint LAB has no CA certificate'), out);
      equal(snapshot(R.store), before, 'store unchanged after the refused import');
      await R.type('crypto ca authenticate LAB', ...pasteOf(m.caPem, false), 'yes');
      ok(R.store.get('LAB')?.caCertificates.length === 1, 'the CA is installed when accepted');
      // 3. a malformed extension (EKU SEQUENCE made a SET) gave the library's message without saying what failed
      const leaf = der(m.leaf.certificatePem).slice();
      const eku = leaf.findIndex((_, i) => leaf[i] === 0x06 && leaf[i + 1] === 3 && leaf[i + 2] === 0x55 && leaf[i + 3] === 0x1d && leaf[i + 4] === 0x25);
      ok(eku > 0 && leaf[eku + 5] === 0x04 && leaf[eku + 7] === 0x30, 'EKU extension found');
      leaf[eku + 7] = 0x31;
      out = await R.type('crypto ca import LAB certificate', ...pasteOf(toPem(leaf, 'CERTIFICATE'), false));
      ok(/^% Invalid certificate: not an X\.509 certificate: .+/.test(answerLines(out)[0] ?? ''), out);
      // 4. a truncated PKCS#8 key gave the crypto library's bare error
      const key = der(m.leaf.privateKeyPem);
      out = await R.type('crypto ca import LAB certificate', ...pasteOf(m.leaf.certificatePem, false), ...pasteOf(toPem(key.subarray(0, 100), 'PRIVATE KEY'), false));
      ok(/^% Invalid private key: the PRIVATE KEY block is not an RSA PKCS#8 private key \(.+\)$/.test(answerLines(out).pop() ?? ''), out);
      ok(!R.store.get('LAB')?.certificate, 'nothing installed');
    });

    it('random lines at the paste prompts and after them: the console answers and stays usable', async () => {
      const R = await router(true);
      const before = snapshot(R.store);
      await fc.assert(fc.asyncProperty(fc.constantFrom('crypto ca authenticate LAB', 'crypto ca import LAB certificate'),
        fc.array(fc.string({ unit: 'binary', maxLength: 200 }), { maxLength: 12 }), async (cmd, ls) => {
          await R.type(cmd, ...ls.map((l) => l.replace(/[\r\n]/g, '')), '', '', 'quit', '');
          equal(escaped.length, 0, escaped.join('\n'));
          await usable(R, `after ${cmd} and random lines`);
          equal(snapshot(R.store), before, 'random lines change nothing');
        }), { numRuns: Math.max(20, runs >> 2), seed: seed + 2 });
    });
  });
}
