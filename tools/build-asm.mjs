#!/usr/bin/env node
// asc: asm/ → build/asm/webswan-core.wasm and webswan-core-rsimd.wasm (+ .wat for reading). Skips the
// compile when the outputs are newer than every source. Flags: -O3, the stub runtime (no GC: the core
// never allocates at run time), SIMD (i8x16.swizzle is the constant-time table lookup), no assertions
// (bounds are checked by hand). The -rsimd build also enables relaxed SIMD (see lut() in asm/aes.ts);
// the loader uses it where the engine supports relaxed SIMD (Chromium, Deno, workerd; not Node 20).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outs = [
  [join(root, 'build', 'asm', 'webswan-core.wasm'), 'simd'],
  [join(root, 'build', 'asm', 'webswan-core-rsimd.wasm'), 'simd,relaxed-simd'],
];
const sources = readdirSync(join(root, 'asm')).filter((f) => f.endsWith('.ts')).map((f) => join(root, 'asm', f));
const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
if (outs.every(([out]) => existsSync(out) && statSync(out).mtimeMs >= newest) && !process.argv.includes('--force')) {
  console.log('build/asm: the WASM core is up to date');
  process.exit(0);
}
mkdirSync(join(root, 'build', 'asm'), { recursive: true });
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
for (const [out, features] of outs) {
  execFileSync(process.execPath, [asc, join(root, 'asm', 'index.ts'), '-o', out, '-t', out.replace(/\.wasm$/, '.wat'),
    '-O3', '--runtime', 'stub', '--enable', features, '--noAssert'], { stdio: 'inherit', cwd: root });
  console.log(`built ${out} (${statSync(out).size} bytes, features ${features})`);
}
