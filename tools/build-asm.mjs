#!/usr/bin/env node
// asc: asm/ → build/asm/webswan-core.wasm (+ .wat for reading). Skips the compile when the output is
// newer than every source. Flags: -O3, the stub runtime (no GC: the core never allocates at run time),
// SIMD (i8x16.swizzle is the constant-time table lookup), no assertions (bounds are checked by hand).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'build', 'asm', 'webswan-core.wasm');
const sources = readdirSync(join(root, 'asm')).filter((f) => f.endsWith('.ts')).map((f) => join(root, 'asm', f));
const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
if (existsSync(out) && statSync(out).mtimeMs >= newest && !process.argv.includes('--force')) {
  console.log('build/asm/webswan-core.wasm is up to date');
  process.exit(0);
}
mkdirSync(join(root, 'build', 'asm'), { recursive: true });
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
execFileSync(process.execPath, [asc, join(root, 'asm', 'index.ts'), '-o', out, '-t', out.replace(/\.wasm$/, '.wat'),
  '-O3', '--runtime', 'stub', '--enable', 'simd', '--noAssert'], { stdio: 'inherit', cwd: root });
console.log(`built ${out} (${statSync(out).size} bytes)`);
