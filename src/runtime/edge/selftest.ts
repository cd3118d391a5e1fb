// Edge runtimes (workerd, Deno): the crypto core's self-test behind the standard fetch API. The entry
// modules (workerd-entry.mjs, deno-entry.mjs) obtain the compiled WebAssembly.Module the way each
// runtime allows — workerd forbids compiling WebAssembly from bytes at run time.
import { bestCoreVariant, loadCore, selftest, usePlatform, webCryptoPlatform, type SelftestReport } from '../../crypto/index.js';

/** The two compiled builds of the core, as the runtime's module loader provides them. */
export interface CoreModules { simd: WebAssembly.Module; relaxed: WebAssembly.Module }

export async function runSelftest(modules: CoreModules): Promise<SelftestReport & { runtime: string }> {
  usePlatform(webCryptoPlatform);
  const core = await loadCore(bestCoreVariant() === 'relaxed-simd' ? modules.relaxed : modules.simd);
  const report = await selftest(core);
  return { ...report, runtime: typeof navigator !== 'undefined' ? navigator.userAgent : 'unknown' };
}

/** `export default selftestHandler(modules)`: GET /selftest answers the report as JSON (500 on failure). */
export function selftestHandler(modules: CoreModules): { fetch(request: Request): Promise<Response> } {
  return {
    async fetch(request: Request): Promise<Response> {
      const { pathname } = new URL(request.url);
      if (pathname === '/health') return new Response('ok\n');
      if (pathname !== '/selftest') return new Response('not found\n', { status: 404 });
      try {
        const report = await runSelftest(modules);
        return Response.json(report, { status: report.ok ? 200 : 500 });
      } catch (e) {
        return Response.json({ ok: false, error: e instanceof Error ? e.message : String(e) }, { status: 500 });
      }
    },
  };
}
