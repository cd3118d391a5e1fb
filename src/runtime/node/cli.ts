// Process entry of the bundled CLI (dist/node/webswan.mjs).
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write(`webswan: ${e instanceof Error ? e.message : String(e)}\n`); process.exitCode = 1; },
);
