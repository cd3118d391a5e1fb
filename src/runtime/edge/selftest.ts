// Edge runtimes (workerd, Deno): the crypto core's self-test behind the standard fetch API. The entry
// modules (workerd-entry.mjs, deno-entry.mjs) obtain the compiled WebAssembly.Module the way each
// runtime allows — workerd forbids compiling WebAssembly from bytes at run time.
import { loadCore, selftest, usePlatform, webCryptoPlatform, type SelftestReport } from '../../crypto/index.js';

export async function runSelftest(module: WebAssembly.Module): Promise<SelftestReport & { runtime: string }> {
  usePlatform(webCryptoPlatform);
  const core = await loadCore(module);
  const report = await selftest(core);
  return { ...report, runtime: typeof navigator !== 'undefined' ? navigator.userAgent : 'unknown' };
}

/** `export default selftestHandler(module)`: GET /selftest answers the report as JSON (500 on failure). */
export function selftestHandler(module: WebAssembly.Module): { fetch(request: Request): Promise<Response> } {
  return {
    async fetch(request: Request): Promise<Response> {
      const { pathname } = new URL(request.url);
      if (pathname === '/health') return new Response('ok\n');
      if (pathname !== '/selftest') return new Response('not found\n', { status: 404 });
      try {
        const report = await runSelftest(module);
        return Response.json(report, { status: report.ok ? 200 : 500 });
      } catch (e) {
        return Response.json({ ok: false, error: e instanceof Error ? e.message : String(e) }, { status: 500 });
      }
    },
  };
}
