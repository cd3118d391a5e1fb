// Deno entry: source-phase imports compile the .wasm files while loading, needing no permission.
//   deno run --no-config --no-lock --no-remote --no-npm --no-prompt --quiet dist/edge/deno-entry.mjs
import source simd from './webswan-core.wasm';
import source relaxed from './webswan-core-rsimd.wasm';
import { runSelftest } from './webswan-edge.mjs';

let report;
try {
  report = await runSelftest({ simd, relaxed });
} catch (e) {
  report = { ok: false, error: String((e && e.stack) || e) };
}
console.log(JSON.stringify(report));
Deno.exit(report.ok ? 0 : 1);
