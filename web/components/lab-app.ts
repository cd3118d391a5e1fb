// <ws-lab-app>: the browser lab's page. Header: lab picker, share/export/import, downloads, the colour theme
// (light / dark / system: web/theme.ts), the self-test.
// Middle: the topology between the two wire inspectors, and under them, in a lab with key sources (Dynamic
// PPK), <ws-key-sources>. Then the two consoles side by side (stacked on
// narrow screens), then the ladder of every exchange — beside the consoles on wide screens, where it runs
// the whole height of the page. The consoles are sized so that the ladder starts above the fold of a
// 1280×720 laptop. Everything talks to the routers through one LabClient, given as the `client`
// property (web/main.ts creates the real one).
import { LitElement, css, html, nothing } from 'lit';
import type { LabClient } from '../../src/lab/protocol.js';
import './downloads.js';
import './ladder-view.js';
import './labs.js';
import './terminal.js';
import './topology.js';
import './wire-inspector.js';
import './key-sources.js';
import './theme-toggle.js';
import '../theme.js';

const ICON = new URL('../icon.svg', import.meta.url).href;

export class WsLabApp extends LitElement {
  static override properties = {
    client: { attribute: false },
    error: { type: String },
    showSelftest: { state: true },
  };
  declare client: LabClient | undefined;
  declare error: string;
  declare showSelftest: boolean;

  constructor() {
    super();
    this.error = '';
    this.showSelftest = false;
  }

  static override styles = css`
    :host { display: block; min-height: 100vh; background: var(--ws-page-bg); color: var(--ws-text); }
    .skip { position: absolute; left: -999px; top: .5rem; background: var(--ws-highlight); color: var(--ws-on-highlight); padding: .4rem .7rem;
      border-radius: .35rem; z-index: 10; }
    .skip:focus { left: .5rem; }
    header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .45rem 1rem;
      background: var(--ws-header-bg); color: var(--ws-header-text); position: relative; z-index: 5; }
    .brand { display: flex; align-items: center; gap: .5rem; }
    ws-labs { flex: 1; min-width: 0; }
    @media (max-width: 1400px) { .tag { display: none; } }
    .brand img { width: 28px; height: 28px; }
    h1 { font-size: 1.2rem; margin: 0; letter-spacing: .01em; }
    .tag { font-size: .8rem; color: var(--ws-header-muted); }
    header.top button { font: inherit; font-size: .85rem; padding: .25rem .6rem; border-radius: .35rem;
      border: 1px solid var(--ws-header-border); background: transparent; color: var(--ws-header-text); cursor: pointer; }
    header.top button:focus-visible { outline: 3px solid var(--ws-header-focus); outline-offset: 2px; }
    main { display: grid; gap: .6rem; padding: .6rem 1rem 1.5rem; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
      grid-template-areas: "net net" "termA termB" "ladder ladder"; }
    .panel { background: var(--ws-surface); border: 1px solid var(--ws-border); border-radius: .6rem; padding: .6rem .75rem; min-width: 0; }
    .panel > h2 { font-size: .95rem; margin: 0 0 .4rem; }
    .net { grid-area: net; display: grid; gap: .75rem; grid-template-columns: minmax(15rem, 1fr) minmax(24rem, 2.3fr) minmax(15rem, 1fr);
      align-items: stretch; }
    #termA { grid-area: termA; } #termB { grid-area: termB; }
    ws-terminal { height: clamp(13rem, calc(100vh - 29rem), 34rem); }
    .ladder { grid-area: ladder; min-height: 12rem; }
    /* wide screens: the ladder beside everything, as tall as the network and the consoles together (its
       own height does not size the rows: it scrolls inside) */
    @media (min-width: 1680px) {
      main { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) minmax(28rem, 1fr);
        grid-template-areas: "net net ladder" "termA termB ladder"; align-items: start; }
      ws-terminal { height: clamp(16rem, calc(100vh - 20rem), 60rem); }
      .ladder { align-self: stretch; height: 0; min-height: 100%; box-sizing: border-box; overflow: auto;
        --ws-ladder-height: calc(100vh - 14rem); }
    }
    /* the key sources strip (<ws-key-sources>, shown in the Dynamic PPK lab) joins the network row: the
       consoles give up its height, so that the ladder still starts above the fold */
    main:has(ws-key-sources:not([hidden])) ws-terminal { height: clamp(12.5rem, calc(100vh - 36rem), 34rem); min-height: 12.5rem; }
    @media (min-width: 1680px) { main:has(ws-key-sources:not([hidden])) ws-terminal { height: clamp(16rem, calc(100vh - 27rem), 60rem); } }
    .starting, .error { padding: 1rem; border-radius: .5rem; }
    .starting { background: var(--ws-surface-3); }
    .error { background: var(--ws-danger-bg); color: var(--ws-danger-text); }
    dialog { max-width: min(60rem, 95vw); max-height: 90vh; border: 0; border-radius: .75rem; padding: 0;
      box-shadow: 0 10px 40px var(--ws-shadow); background: var(--ws-surface); color: var(--ws-text); }
    dialog::backdrop { background: var(--ws-backdrop); }
    dialog .close { position: sticky; top: 0; display: flex; justify-content: flex-end; padding: .5rem; background: var(--ws-surface); }
    dialog .close button { font: inherit; padding: .25rem .7rem; border-radius: .35rem; border: 1px solid var(--ws-border-strong); background: var(--ws-surface); color: var(--ws-text); }
    dialog .close button:focus-visible { outline: 3px solid var(--ws-focus); outline-offset: 2px; }
    @media (max-width: 1180px) {
      .net { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
      .net ws-topology { grid-column: 1 / -1; grid-row: 1; }
    }
    @media (max-width: 1000px) {
      main { grid-template-columns: minmax(0, 1fr); grid-template-areas: "net" "termA" "termB" "ladder"; }
    }
    @media (max-width: 640px) { .net { grid-template-columns: minmax(0, 1fr); } }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    if (location.hash === '#selftest') this.showSelftest = true;
  }

  override render() {
    const c = this.client;
    return html`
      <a class="skip" href="#termA" @click=${(e: Event) => { e.preventDefault(); this.renderRoot.querySelector<HTMLElement>('#termA')?.focus(); }}>Skip to Router A's console</a>
      <header class="top">
        <div class="brand"><img src=${ICON} alt=""><h1>webswan</h1><span class="tag">IKEv2 · ESP · PPK lab, IOS XR CLI</span></div>
        <ws-labs .client=${c}></ws-labs>
        <ws-downloads .client=${c}></ws-downloads>
        <ws-theme-toggle></ws-theme-toggle>
        <button type="button" id="selftest-btn" @click=${() => { this.showSelftest = true; }}>Self-test</button>
      </header>
      <main>
        ${this.error ? html`<div class="error" role="alert" style="grid-column: 1 / -1">The lab could not start: ${this.error}</div>`
          : !c ? html`<div class="starting" role="status" style="grid-column: 1 / -1">Starting routers A and B in Web Workers…</div>` : nothing}
        <section class="net" aria-label="Network">
          <ws-wire-inspector class="panel" router="A" .client=${c}></ws-wire-inspector>
          <ws-topology class="panel" .client=${c}></ws-topology>
          <ws-wire-inspector class="panel" router="B" .client=${c}></ws-wire-inspector>
          <ws-key-sources class="panel" .client=${c}></ws-key-sources>
        </section>
        <ws-terminal id="termA" router="A" .client=${c}></ws-terminal>
        <ws-terminal id="termB" router="B" .client=${c}></ws-terminal>
        <section class="panel ladder" aria-labelledby="ladder-h">
          <h2 id="ladder-h">Exchanges (click a message to dissect it)</h2>
          ${c ? html`<ws-ladder .client=${c}></ws-ladder>` : nothing}
        </section>
      </main>
      ${this.showSelftest ? this.selftestDialog() : nothing}`;
  }

  private selftestDialog() {
    import('../selftest-view.js').catch(() => {});
    return html`<dialog id="selftest" aria-label="Crypto self-test" @close=${() => this.closeSelftest()}>
      <div class="close"><button type="button" @click=${() => this.closeSelftest()}>Close</button></div>
      <webswan-app></webswan-app>
    </dialog>`;
  }

  override updated(): void {
    const d = this.renderRoot.querySelector<HTMLDialogElement>('dialog#selftest');
    if (d && !d.open) d.showModal();
  }

  private closeSelftest(): void {
    this.showSelftest = false;
    if (location.hash === '#selftest') history.replaceState(null, '', location.pathname + location.search);
    this.renderRoot.querySelector<HTMLElement>('#selftest-btn')?.focus();
  }
}
customElements.define('ws-lab-app', WsLabApp);

declare global {
  interface HTMLElementTagNameMap { 'ws-lab-app': WsLabApp }
}
