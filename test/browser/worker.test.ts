// The core in a module Web Worker through comlink, as the app runs it, and the page's self-test view.
import { startCoreWorker } from '../../src/runtime/worker/core-client.js';
import '../../web/selftest-view.js';
import { equal, ok } from '../support/assert.js';

describe('crypto core in a Web Worker', () => {
  const handle = startCoreWorker();
  after(() => handle.worker.terminate());

  it('answers through comlink from a WorkerGlobalScope', async () => {
    equal(await handle.api.ping(), 'pong', 'ping');
    equal(await handle.api.inWorker(), true, 'runs in a worker');
  });

  it('passes the self-test there, with WebCrypto for ECDH', async () => {
    const r = await handle.api.selftest();
    ok(r.ok, `failed checks: ${JSON.stringify(r.checks.filter((c) => !c.ok))}`);
    ok(r.passed >= 29, 'all checks ran');
    equal(r.platform, 'webcrypto', 'platform');
    equal(r.variant, 'relaxed-simd', 'the worker loads the relaxed-SIMD build in Chromium');
  });

  it('<webswan-app> shows the result', async () => {
    const el = document.createElement('webswan-app');
    document.body.append(el);
    try {
      const deadline = Date.now() + 20000;
      let summary: Element | null | undefined;
      while (Date.now() < deadline) {
        summary = el.shadowRoot?.querySelector('.summary[data-passed]');
        if (summary) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      ok(summary, 'summary rendered');
      equal(summary!.getAttribute('data-failed'), '0', 'no failures shown');
      ok(/passed/.test(summary!.textContent ?? ''), 'text says passed');
      equal(summary!.getAttribute('role'), 'status', 'announced to assistive technology');
      ok((el.shadowRoot?.querySelectorAll('li.pass').length ?? 0) >= 29, 'every check listed');
    } finally {
      el.remove();
    }
  });
});
