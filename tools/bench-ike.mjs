#!/usr/bin/env node
// npm run bench:ike — IKEv2 set-up speed, in one run:
//  1. full IKE_SA_INIT + IKE_AUTH handshakes per second between two in-process IkeEngines (PSK: DH groups
//     19/20/21; certificates: RSA 2048 and 3072 from the lab CA, group 19; each without and with a manual
//     PPK) in Node (node:crypto ECDH and RSA) — test/bench/ike-handshake.ts, test/bench/ike-certs.ts;
//  2. the same in headless Chromium (WebCrypto ECDH; esbuild bundle served from 127.0.0.1, puppeteer-core);
//  3. time to UP-ACTIVE of webswan ↔ strongSwan next to strongSwan ↔ strongSwan (and webswan ↔ webswan) over
//     UDP between processes in network namespaces, with PSK and with RSA 2048 certificates made by
//     strongSwan's pki — test/bench/ike-strongswan.ts, test/bench/ike-strongswan-cert.ts; needs root.
// Prints tables, or with --json only {"handshakes": [node, chromium], "interop", "target", "env"}.
// --quick: short cells, 1 round, 3 set-ups per pair. --skip-browser / --skip-strongswan leave parts out.
// No assertions on speed: the target line only says met / NOT met.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { asmDir, bundle, ensureWasm, progressPrinter, root, wasmInfo } from '../test/bench/prepare.mjs';

const USAGE = 'usage: node tools/bench-ike.mjs [--json] [--quick] [--skip-browser] [--skip-strongswan]';
const KNOWN = new Set(['--json', '--quick', '--skip-browser', '--skip-strongswan', '--help', '-h']);
const argv = process.argv.slice(2);
const bad = argv.filter((a) => !KNOWN.has(a));
if (bad.length || argv.includes('--help') || argv.includes('-h')) {
  (bad.length ? process.stderr : process.stdout).write(`${bad.length ? `unknown argument ${bad.join(' ')}\n` : ''}${USAGE}\n`);
  process.exit(bad.length ? 2 : 0);
}
const args = { json: argv.includes('--json'), quick: argv.includes('--quick'), browser: !argv.includes('--skip-browser'), strongswan: !argv.includes('--skip-strongswan') };
const progress = args.json ? () => {} : progressPrinter();
const t0 = Date.now();

const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
const CHROME_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
const RUN_TIMEOUT_MS = 10 * 60 * 1000;

const bench = await import(pathToFileURL(await bundle('test/bench/ike-node.ts', 'build/bench/bench-ike-node.mjs', 'node')).href);
const coreFiles = Object.values(bench.CORE_FILES);
ensureWasm(coreFiles);
const wasms = Object.fromEntries(coreFiles.map((f) => [f, wasmInfo(f)]));

const handshakes = [];
let failed = false;

// 1. Node
{
  const res = await bench.runIkeNode(asmDir, { quick: args.quick, progress });
  res.env.wasm = wasms[res.env.coreFile];
  handshakes.push(res);
}

// 2. Chromium
if (args.browser) {
  const pageJs = await bundle('test/bench/ike-page.ts', 'build/bench/bench-ike-browser.js', 'browser');
  const html = '<!doctype html><meta charset="utf-8"><title>webswan IKE benchmark</title><script type="module" src="/bench-ike-browser.js"></script>\n';
  writeFileSync(join(root, 'build', 'bench', 'ike.html'), html);
  const FILES = {
    '/': ['text/html; charset=utf-8', () => html],
    '/bench-ike-browser.js': ['text/javascript; charset=utf-8', () => readFileSync(pageJs)],
    '/bench-ike-browser.js.map': ['application/json', () => readFileSync(`${pageJs}.map`)],
  };
  for (const f of coreFiles) FILES[`/asm/${f}`] = ['application/wasm', () => readFileSync(join(asmDir, f))];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = FILES[path];
    if (path === '/favicon.ico') { res.writeHead(204).end(); return; }
    if (!file) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n'); return; }
    res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]());
  });
  let browser;
  const shutdown = async () => {
    const b = browser;
    browser = undefined;
    await b?.close().catch(() => {});
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(() => resolve()));
  };
  const onSig = () => { shutdown().finally(() => process.exit(130)); };
  process.once('SIGINT', onSig);
  process.once('SIGTERM', onSig);
  try {
    await new Promise((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
    const url = `http://127.0.0.1:${server.address().port}/`;
    progress(`serving ${url}; launching ${CHROME}`);
    browser = await puppeteer.launch({ executablePath: CHROME, headless: true, args: CHROME_ARGS, protocolTimeout: RUN_TIMEOUT_MS });
    const page = await browser.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => { pageErrors.push(e); process.stderr.write(`page error: ${e.message}\n`); });
    page.on('console', (m) => { if (!args.json || m.type() === 'error') process.stderr.write(`console.${m.type()}: ${m.text()}\n`); });
    await page.exposeFunction('benchProgress', (msg) => progress(msg));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof window.runIkeBench === 'function', { timeout: 30000 });
    const res = await page.evaluate((o) => window.runIkeBench(o), { quick: args.quick, asmUrl: '/asm/' });
    if (pageErrors.length) throw pageErrors[0];
    res.env = { ...res.env, chromium: await browser.version(), wasm: wasms[res.env.coreFile] };
    handshakes.push(res);
  } catch (e) {
    process.stderr.write(`bench-ike (chromium): ${e?.stack ?? e}\n`);
    failed = true;
  } finally {
    await shutdown();
    process.removeListener('SIGINT', onSig);
    process.removeListener('SIGTERM', onSig);
  }
}

// 3. strongSwan
let interop;
if (args.strongswan) {
  try {
    const cli = await bundle('src/runtime/node/cli.ts', 'build/bench/webswan-cli.mjs', 'node');
    interop = await bench.runInterop({ n: args.quick ? 3 : 10, webswanCli: cli, progress });
    if (interop.certError) {
      process.stderr.write(`bench-ike (strongSwan, certificates): ${interop.certError}\n`);
      failed = true;
    }
  } catch (e) {
    process.stderr.write(`bench-ike (strongSwan): ${e?.stack ?? e}\n`);
    failed = true;
  }
}

const env = { date: new Date().toISOString(), node: process.version, quick: args.quick, wallSeconds: (Date.now() - t0) / 1000 };
const target = bench.formatTarget(handshakes);
if (args.json) {
  process.stdout.write(`${JSON.stringify({ handshakes, interop: interop ?? null, target, env })}\n`);
} else {
  const e = handshakes[0].env;
  console.log(`webswan IKE benchmark — ${args.quick ? 'quick' : 'full'} run: ${e.rounds} rounds × ${e.seconds} s per cell after ${e.warmup} s warm-up, median per cell; ` +
    `core ${e.coreFile} (${e.coreVariant}); node ${process.version}${handshakes[1] ? `, ${handshakes[1].env.chromium}` : ''}; ${env.wallSeconds} s in all\n`);
  for (const h of handshakes) {
    const cert = h.checks.find((c) => c.startsWith('RSA'));
    console.log(`${h.env.runtime}: ${h.checks.length} cases verified before timing (${h.checks[0]}; …${cert ? `; ${cert}; …` : ''})`);
  }
  console.log(`\n${bench.formatHandshakes(handshakes)}\n\n${target}`);
  if (interop) console.log(`\n${bench.formatInterop(interop)}`);
}
if (failed) process.exitCode = 1;
