#!/usr/bin/env node
// npm run bench:browser — the crypto benchmarks in headless Chromium: webswan-wasm against WebCrypto
// and hash-wasm. Bundles test/bench/browser-page.ts (and node-main.ts, for the report formatter) with
// esbuild into build/bench/, builds the WASM core if missing, serves the page from 127.0.0.1 on an ephemeral
// port, runs it with puppeteer-core and prints tables and targets, or with --json only
// {"rows", "targets", "env"}. --quick: 0.15 s per cell. Browser and server are closed on every path.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { asmDir, bundle, ensureWasm, parseArgs, printHuman, progressPrinter, root, wasmInfo } from '../test/bench/prepare.mjs';

const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
const CHROME_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
const RUN_TIMEOUT_MS = 10 * 60 * 1000;

const args = parseArgs(process.argv.slice(2), 'usage: node tools/bench-browser.mjs [--json] [--quick]');
const progress = args.json ? () => {} : progressPrinter();
const t0 = Date.now();

const pageJs = await bundle('test/bench/browser-page.ts', 'build/bench/bench-browser.js', 'browser');
const report = await import(pathToFileURL(await bundle('test/bench/node-main.ts', 'build/bench/bench-node.mjs', 'node')).href);
const coreFiles = Object.values(report.CORE_FILES);
ensureWasm(coreFiles);
const wasms = Object.fromEntries(coreFiles.map((f) => [f, wasmInfo(f)])); // before anything can rebuild them
const html = '<!doctype html><meta charset="utf-8"><title>webswan benchmarks</title><script type="module" src="/bench-browser.js"></script>\n';
writeFileSync(join(root, 'build', 'bench', 'index.html'), html);

const FILES = {
  '/': ['text/html; charset=utf-8', () => html],
  '/bench-browser.js': ['text/javascript; charset=utf-8', () => readFileSync(pageJs)],
  '/bench-browser.js.map': ['application/json', () => readFileSync(`${pageJs}.map`)],
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
async function shutdown() {
  const b = browser;
  browser = undefined;
  await b?.close().catch(() => {});
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(() => resolve()));
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => { shutdown().finally(() => process.exit(130)); });
}

let res;
try {
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  const url = `http://127.0.0.1:${server.address().port}/`;
  progress(`serving ${url}; launching ${CHROME}`);
  browser = await puppeteer.launch({
    executablePath: CHROME, headless: true, args: CHROME_ARGS, protocolTimeout: RUN_TIMEOUT_MS,
  });
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => { pageErrors.push(e); process.stderr.write(`page error: ${e.message}\n`); });
  page.on('console', (m) => { if (!args.json || m.type() === 'error') process.stderr.write(`console.${m.type()}: ${m.text()}\n`); });
  await page.exposeFunction('benchProgress', (msg) => progress(msg));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => typeof window.runBench === 'function', { timeout: 30000 });
  res = await page.evaluate((o) => window.runBench(o), { quick: args.quick, asmUrl: '/asm/' });
  if (pageErrors.length) throw pageErrors[0];
  res.env = { ...res.env, chromium: await browser.version(), node: process.version };
} catch (e) {
  process.stderr.write(`bench-browser: ${e?.stack ?? e}\n`);
  process.exitCode = 1;
} finally {
  await shutdown();
}

if (res) {
  res.env = { ...res.env, date: new Date().toISOString(), wasm: wasms[res.env.coreFile], wallSeconds: (Date.now() - t0) / 1000 };
  if (args.json) process.stdout.write(`${JSON.stringify(res)}\n`);
  else printHuman(res, report, 'chromium');
}
