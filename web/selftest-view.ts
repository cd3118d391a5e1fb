// <webswan-app>: for now, the crypto core's self-test, run in a module Web Worker through comlink.
import { LitElement, css, html, nothing } from 'lit';
import { startCoreWorker, type CoreWorkerHandle } from '../src/runtime/worker/core-client.js';
import type { SelftestReport } from '../src/crypto/index.js';
import './theme.js';

export class WebswanApp extends LitElement {
  static override properties = { report: { state: true }, error: { state: true } };
  declare report: SelftestReport | undefined;
  declare error: string | undefined;
  private handle: CoreWorkerHandle | undefined;

  static override styles = css`
    :host { display: block; max-width: 56rem; margin: 0 auto; padding: 1.5rem; line-height: 1.45; }
    h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
    p.lead { margin: 0 0 1.25rem; color: var(--ws-text-muted); }
    .summary { font-size: 1.1rem; font-weight: 600; padding: .75rem 1rem; border-radius: .5rem; }
    .ok { background: var(--ws-ok-bg); color: var(--ws-ok-text); }
    .fail { background: var(--ws-danger-bg); color: var(--ws-danger-text); }
    .running { background: var(--ws-surface-3); color: var(--ws-text); }
    ul { list-style: none; padding: 0; margin: 1rem 0 0; font-family: ui-monospace, monospace; font-size: .85rem; }
    li { padding: .15rem 0; }
    li .mark { display: inline-block; width: 3.5rem; font-weight: 700; }
    li.pass .mark { color: var(--ws-ok); }
    li.bad .mark { color: var(--ws-danger); }
    .err { display: block; margin-left: 3.5rem; color: var(--ws-danger); }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.handle = startCoreWorker();
    this.handle.api.selftest().then((r) => { this.report = r; }, (e) => { this.error = String(e); });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.handle?.worker.terminate();
  }

  override render() {
    const r = this.report;
    const status = this.error
      ? html`<div class="summary fail" role="status">Self-test could not run: ${this.error}</div>`
      : !r
        ? html`<div class="summary running" role="status">Running the crypto self-test in a Web Worker…</div>`
        : html`<div class="summary ${r.ok ? 'ok' : 'fail'}" role="status" data-passed=${r.passed} data-failed=${r.failed}>
            Self-test ${r.ok ? 'passed' : 'FAILED'}: ${r.passed} passed, ${r.failed} failed in ${r.ms} ms (${r.variant} core, ECDH via ${r.platform})
          </div>`;
    return html`
      <h1>webswan</h1>
      <p class="lead">IKEv2, ESP and quantum-safe PPKs in the browser. This build shows the constant-time WebAssembly
        crypto core checking itself against published known answers.</p>
      ${status}
      ${r ? html`<ul aria-label="self-test checks">${r.checks.map((c) => html`
        <li class=${c.ok ? 'pass' : 'bad'}><span class="mark">${c.ok ? 'ok' : 'FAIL'}</span>${c.name}
          ${c.error ? html`<span class="err">${c.error}</span>` : nothing}</li>`)}</ul>` : nothing}
    `;
  }
}
customElements.define('webswan-app', WebswanApp);
