// Shared by tools/bench-node.mjs and tools/bench-browser.mjs: command-line flags, building the WASM core
// when it is missing (tools/build-asm.mjs), bundling the TypeScript benchmark code with esbuild into
// build/bench/, and the facts about the build that go into the result's `env`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const asmDir = join(root, 'build', 'asm');

export function parseArgs(argv, usage) {
  const known = new Set(['--json', '--quick', '--help', '-h']);
  const bad = argv.filter((a) => !known.has(a));
  if (bad.length || argv.includes('--help') || argv.includes('-h')) {
    (bad.length ? process.stderr : process.stdout).write(`${bad.length ? `unknown argument ${bad.join(' ')}\n` : ''}${usage}\n`);
    process.exit(bad.length ? 2 : 0);
  }
  return { json: argv.includes('--json'), quick: argv.includes('--quick') };
}

/**
 * Build the WASM core (tools/build-asm.mjs; its output goes to stderr) if any of `files` (the core's
 * builds, CORE_FILES) is missing from build/asm/; warn when they are older than asm/.
 */
export function ensureWasm(files) {
  const paths = files.map((f) => join(asmDir, f));
  const missing = files.filter((f, i) => !existsSync(paths[i]));
  if (missing.length) {
    process.stderr.write(`build/asm/${missing.join(', ')} missing: running tools/build-asm.mjs\n`);
    execFileSync(process.execPath, [join(root, 'tools', 'build-asm.mjs')], { stdio: ['ignore', 2, 2], cwd: root });
    const still = files.filter((f, i) => !existsSync(paths[i]));
    if (still.length) throw new Error(`tools/build-asm.mjs did not produce build/asm/${still.join(', ')}`);
    return;
  }
  const src = join(root, 'asm');
  const newest = Math.max(...readdirSync(src).filter((f) => f.endsWith('.ts')).map((f) => statSync(join(src, f)).mtimeMs));
  if (paths.some((p) => newest > statSync(p).mtimeMs)) {
    process.stderr.write('warning: build/asm/*.wasm is older than asm/ (node tools/build-asm.mjs rebuilds it)\n');
  }
}

/** Size and SHA-256 prefix of the core build a run used. */
export function wasmInfo(file) {
  const bytes = readFileSync(join(asmDir, file));
  return { file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex').slice(0, 16) };
}

/** esbuild, bundled, ES module; returns the absolute output path. */
export async function bundle(entry, outfile, platform) {
  const out = join(root, outfile);
  await build({
    entryPoints: [join(root, entry)], outfile: out, bundle: true, format: 'esm', platform,
    target: platform === 'node' ? 'node20' : 'es2022', sourcemap: 'linked', logLevel: 'warning',
    tsconfig: join(root, 'tsconfig.json'),
  });
  return out;
}

/** Progress lines on stderr, with the time since the start. */
export function progressPrinter() {
  const t0 = Date.now();
  return (msg) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);
}

export function printHuman(res, report, runtime) {
  const e = res.env;
  console.log(`webswan benchmarks — ${runtime}, ${e.quick ? 'quick' : 'full'} run: ${e.rounds} interleaved rounds × ${e.seconds} s per cell after ${e.warmup} s warm-up, median per cell`);
  console.log(`${e.checksPassed} correctness checks passed before timing; core ${e.wasm.file} (${e.coreVariant}, ${e.wasm.bytes} bytes, sha256 ${e.wasm.sha256}); ${e.wallSeconds} s in all\n`);
  console.log(report.formatTables(res.rows));
  console.log(`\n${report.formatTargets(res.targets, runtime)}`);
  const noisy = e.noisiestCells.map((n) => `${n.cell} ${n.pct}%`).join(', ');
  console.log(`\nnoisiest cells, (max − min) / median of the rounds: ${noisy}`);
}
