#!/usr/bin/env node
// `webswan` command: runs the Node bundle built by `npm run build` (dist/node/webswan.mjs).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/node/webswan.mjs', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('webswan: not built yet; run `npm run build` in the project first\n');
  process.exit(2);
}
await import(entry.href);
