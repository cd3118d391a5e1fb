#!/usr/bin/env node
// npm run bench — the crypto benchmarks in Node: webswan-wasm against WebCrypto, node:crypto (OpenSSL)
// and hash-wasm. Bundles test/bench/node-main.ts with esbuild into build/bench/, builds the WASM core
// if missing, verifies every implementation, times all cells (test/bench/harness.ts) and prints tables
// and targets, or with --json only {"rows", "targets", "env"}. --quick: 0.15 s per cell.
import { pathToFileURL } from 'node:url';
import { asmDir, bundle, ensureWasm, parseArgs, printHuman, progressPrinter, wasmInfo } from '../test/bench/prepare.mjs';

const args = parseArgs(process.argv.slice(2), 'usage: node tools/bench-node.mjs [--json] [--quick]');
const t0 = Date.now();
const bench = await import(pathToFileURL(await bundle('test/bench/node-main.ts', 'build/bench/bench-node.mjs', 'node')).href);
ensureWasm(Object.values(bench.CORE_FILES));
const wasms = Object.fromEntries(Object.values(bench.CORE_FILES).map((f) => [f, wasmInfo(f)]));
const res = await bench.runNode(asmDir, { quick: args.quick, progress: args.json ? undefined : progressPrinter() });
res.env = { ...res.env, date: new Date().toISOString(), wasm: wasms[res.env.coreFile], wallSeconds: (Date.now() - t0) / 1000 };
if (args.json) process.stdout.write(`${JSON.stringify(res)}\n`);
else printHuman(res, bench, 'node');
