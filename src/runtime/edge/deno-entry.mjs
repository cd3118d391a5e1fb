// Deno entry: a source-phase import compiles the .wasm while loading, needing no permission.
//   deno run --no-config --no-lock --no-remote --no-npm --no-prompt --quiet dist/edge/deno-entry.mjs
import source coreModule from './webswan-core.wasm';
import { runSelftest } from './webswan-edge.mjs';

let report;
try {
  report = await runSelftest(coreModule);
} catch (e) {
  report = { ok: false, error: String((e && e.stack) || e) };
}
console.log(JSON.stringify(report));
Deno.exit(report.ok ? 0 : 1);
