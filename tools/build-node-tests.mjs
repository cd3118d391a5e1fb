#!/usr/bin/env node
// Transpile src/ and test/ (TypeScript) to build/node-test/ for node:test. Type checking is tsc's job
// (npm run typecheck); this only strips types, file by file, keeping the layout.
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const walk = (d) => readdirSync(d).flatMap((f) => {
  const p = join(d, f);
  return statSync(p).isDirectory() ? walk(p) : /\.ts$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
});
const entryPoints = [...walk(join(root, 'src')), ...walk(join(root, 'test'))];
const outdir = join(root, 'build', 'node-test');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints, outdir, outbase: root, format: 'esm', platform: 'node', target: 'node20', bundle: false,
  sourcemap: 'inline', logLevel: 'warning',
});
console.log(`transpiled ${entryPoints.length} files to ${relative(root, outdir)}/`);
