#!/usr/bin/env node
// npm run build: the WASM core (asc), then rollup (web app, Node CLI, edge module). Writes
// dist/.build-stamp so `npm start` can tell whether a rebuild is needed.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = (script, args = []) => execFileSync(process.execPath, [join(root, script), ...args], { stdio: 'inherit', cwd: root });
node('tools/build-asm.mjs', process.argv.slice(2));
rmSync(join(root, 'dist'), { recursive: true, force: true }); // no stale chunks for the service worker to precache
node('node_modules/rollup/dist/bin/rollup', ['-c', '--silent']);
writeFileSync(join(root, 'dist', '.build-stamp'), new Date().toISOString() + '\n');
console.log('build: dist/ (web app), dist/node/ (CLI), dist/edge/ (workerd, Deno) are ready');
