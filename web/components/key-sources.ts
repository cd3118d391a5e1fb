// <ws-key-sources>: the lab's two SKIP Key Providers (KP_A for router A, KP_B for router B, joined by the
// simulated QKD link; src/lab/key-source.ts in the key-server worker) and the controls of that link, for
// the labs whose routers get their PPKs from them (labs() says `keySources: true`: Dynamic PPK). Elsewhere
// the panel is hidden. It shows each KP's system ID, address and router, the keys it issued, delivered and
// refused, the keys waiting for its router, and the link: up or cut, slowed by N ms, the key budget left.
// The controls call client.keySource(...): cut / restore (a toggle), delay (ms), budget (bits, or
// unlimited), reset. It follows 'keySource' events (every control, from here or window.webswanLab, and the
// counters as keys are requested) and 'lab' events (shown or hidden); it never polls. No key bytes reach it.
import { LitElement, css, html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { KeySourceAction, KeySourceStatus, LabClient, LabEvent } from '../../src/lab/protocol.js';
import { LabEvents } from './lab-events.js';

/** The SKIP key size the routers ask for (256 bits): the budget is also shown in keys. */
const KEY_BITS = 256;
/** The longest delay the field accepts (10 minutes). */
export const MAX_DELAY_MS = 600_000;

type End = KeySourceStatus['ends'][number];

/** Every answer that was not a key: 503 (link down, out of keys, in transit), 4xx, 500. */
export const refusedOf = (e: End): number => e.stats.refused + e.stats.unavailable + e.stats.errors;

/** The link in words: "cut", "up", "up · slowed by 500 ms · 512 bits left (2 keys)". */
export function linkText(link: KeySourceStatus['link']): { state: 'up' | 'cut'; parts: string[] } {
  const parts: string[] = [];
  if (link.delayMs > 0) parts.push(`slowed by ${link.delayMs} ms`);
  if (link.budgetBits === null) parts.push('key budget unlimited');
  else if (link.budgetBits <= 0) parts.push('out of keys (budget 0 bits)');
  else {
    const keys = Math.floor(link.budgetBits / KEY_BITS);
    parts.push(`${link.budgetBits} bits left (${keys} key${keys === 1 ? '' : 's'} of ${KEY_BITS})`);
  }
  return { state: link.cut ? 'cut' : 'up', parts };
}

export class WsKeySources extends LitElement {
  static override properties = {
    client: { attribute: false },
    status: { state: true },
    lab: { state: true },
    error: { state: true },
    budgetDraft: { state: true },
  };
  declare client: LabClient | undefined;
  declare status: KeySourceStatus | undefined;
  /** The lab loaded (from currentLab(), then 'lab' events). */
  declare lab: string | undefined;
  declare error: string;
  /** What the budget field holds (not the budget left, which runs down as keys are issued). */
  declare budgetDraft: string;

  private readonly events = new LabEvents(this, (e) => this.onEvent(e), (c) => {
    this.lab = c.currentLab();
    this.refresh();
  });

  constructor() {
    super();
    this.error = '';
    this.budgetDraft = '';
  }

  /** Shown only in a lab whose routers use the key source, with a client that has the controls. */
  get active(): boolean {
    const c = this.client;
    return !!c?.keySource && !!c.labs().find((l) => l.name === this.lab)?.keySources;
  }

  static override styles = css`
    /* a strip across the network row (the lab's grid): two KP lines beside the controls */
    :host { display: block; grid-column: 1 / -1; font-size: .82rem; color: var(--ws-text, #10202f); }
    :host([hidden]) { display: none; }
    .head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .1rem .6rem; margin-bottom: .25rem; }
    h2 { font-size: .95rem; margin: 0; }
    .link { margin: 0; display: flex; flex-wrap: wrap; gap: .1rem .4rem; align-items: baseline; }
    .badge { font-weight: 700; padding: 0 .4rem; border-radius: .3rem; border: 1px solid; }
    .badge.up { color: var(--ws-up-text, #0d4f2a); background: var(--ws-up-bg, #e8f7ee); border-color: var(--ws-up-border, #15803d); }
    .badge.cut { color: var(--ws-danger-text, #7a1510); background: var(--ws-danger-bg, #fde2e1); border-color: var(--ws-danger-border, #b3261e); }
    .body { display: flex; flex-wrap: wrap; gap: .3rem 1.5rem; align-items: flex-start; }
    table { border-collapse: collapse; font: .78rem/1.35 ui-monospace, 'DejaVu Sans Mono', monospace; }
    th, td { padding: .1rem .9rem .1rem 0; text-align: left; white-space: nowrap; }
    th { font-weight: 700; }
    td b { font-weight: 700; }
    .addr, .lbl { font-weight: 400; color: var(--ws-text-muted, #3d4d5c); }
    .stopped { color: var(--ws-danger, #9b1c14); font-weight: 600; }
    .controls { display: flex; flex-wrap: wrap; gap: .3rem .9rem; align-items: center; flex: 1 1 22rem; max-width: 34rem; }
    form { display: flex; gap: .45rem; align-items: center; margin: 0; }
    label { font-weight: 600; }
    .cut { display: flex; align-items: center; gap: .35rem; }
    .cut input { width: 1.05rem; height: 1.05rem; margin: 0; accent-color: var(--ws-danger-border, #b3261e); }
    .cut.on { color: var(--ws-danger, #9b1c14); }
    input[type=number] { font: inherit; width: 6.5rem; padding: .1rem .3rem; border-radius: .3rem;
      border: 1px solid var(--ws-control-border, #9fb3c8); background: var(--ws-input-bg, #fff); color: var(--ws-text, #10202f); }
    #ks-delay { width: 5.5rem; }
    button { font: inherit; padding: .1rem .55rem; border-radius: .35rem; border: 1px solid var(--ws-border-strong, #33506e);
      background: var(--ws-surface, #fff); color: var(--ws-text, #10202f); cursor: pointer; }
    button:hover { background: var(--ws-surface-3, #e8eef5); }
    :is(button, input):focus-visible { outline: 3px solid var(--ws-focus, #1f6fd1); outline-offset: 2px; }
    .err { color: var(--ws-danger, #9b1c14); margin: .25rem 0 0; }
  `;

  override willUpdate(): void {
    const on = this.active;
    if (on !== !this.hidden) this.hidden = !on;
  }

  override render() {
    if (!this.active) return nothing;
    const s = this.status;
    const link = s ? linkText(s.link) : undefined;
    const cut = !!s?.link.cut;
    return html`
      <div class="head">
        <h2 id="ks-h">Key sources (SKIP)</h2>
        <p class="link" role="status" aria-live="polite">
          ${link ? html`<span>QKD link KP_A ═ KP_B:</span> <span class="badge ${link.state}" data-link=${link.state}>${link.state === 'cut' ? '✂ cut' : 'up'}</span>
            ${cut ? html`<span class="part">· no new keys (HTTP 503): a new IKE SA gets no PPK</span>` : nothing}
            ${link.parts.map((p) => html` <span class="part">· ${p}</span>`)}` : html`<span>QKD link: reading…</span>`}
        </p>
      </div>
      <div class="body">
        <table aria-labelledby="ks-h">
          <tbody>
            ${(s?.ends ?? []).map((e) => html`<tr data-kp=${e.systemID}>
              <th scope="row">${e.systemID} <span class="addr">${e.address}</span>${e.reachable ? nothing : html` <span class="stopped">not answering</span>`}</th>
              <td>Router ${e.router}</td>
              <td><span class="lbl">issued</span> <b class="issued">${e.stats.issued}</b></td>
              <td><span class="lbl">delivered</span> <b class="delivered">${e.stats.delivered}</b></td>
              <td><span class="lbl">refused</span> <b class="refused">${refusedOf(e)}</b></td>
              <td><span class="lbl">waiting</span> <b class="pending">${e.pending}</b></td>
            </tr>`)}
          </tbody>
        </table>
        <div class="controls">
          <label class="cut ${cut ? 'on' : ''}"><input type="checkbox" name="cut" .checked=${live(cut)} ?disabled=${!s}
            @change=${(e: Event) => this.act({ op: (e.target as HTMLInputElement).checked ? 'cut' : 'restore' })}>
            ✂ Cut the QKD link</label>
          <form class="delay" novalidate @submit=${(e: Event) => this.setDelay(e)}>
            <label for="ks-delay">Delay</label>
            <input id="ks-delay" name="delay" type="number" min="0" max=${MAX_DELAY_MS} step="100" inputmode="numeric"
              .value=${String(s?.link.delayMs ?? 0)} aria-describedby="ks-delay-unit">
            <span id="ks-delay-unit">ms</span>
            <button type="submit" aria-label="Set the delay">Set</button>
          </form>
          <form class="budget" novalidate @submit=${(e: Event) => this.setBudget(e)}>
            <label for="ks-budget">Key budget</label>
            <input id="ks-budget" name="budget" type="number" min="0" step=${KEY_BITS} inputmode="numeric" placeholder="unlimited"
              .value=${this.budgetDraft} @input=${(e: Event) => { this.budgetDraft = (e.target as HTMLInputElement).value; }}
              aria-describedby="ks-budget-unit">
            <span id="ks-budget-unit">bits</span>
            <button type="submit" aria-label="Set the key budget">Set</button>
            <button type="button" class="unlimited" @click=${() => { this.budgetDraft = ''; void this.act({ op: 'budget', bits: null }); }}>Unlimited</button>
          </form>
          <button type="button" class="reset" title="Link up, no delay, unlimited keys, both KPs answering"
            @click=${() => { this.budgetDraft = ''; void this.act({ op: 'reset' }); }}>Reset link</button>
        </div>
      </div>
      ${this.error ? html`<p class="err" role="alert">${this.error}</p>` : nothing}`;
  }

  private setDelay(e: Event): void {
    e.preventDefault();
    const raw = this.renderRoot.querySelector<HTMLInputElement>('#ks-delay')!.value.trim();
    const ms = Number(raw);
    if (raw === '' || !Number.isInteger(ms) || ms < 0 || ms > MAX_DELAY_MS) {
      this.error = `Delay: a whole number of milliseconds from 0 to ${MAX_DELAY_MS}.`;
      return;
    }
    void this.act({ op: 'slow', ms });
  }

  private setBudget(e: Event): void {
    e.preventDefault();
    const raw = this.budgetDraft.trim();
    if (raw === '') { void this.act({ op: 'budget', bits: null }); return; }
    const bits = Number(raw);
    if (!Number.isInteger(bits) || bits < 0) {
      this.error = 'Key budget: a whole number of bits, 0 or more (empty: unlimited).';
      return;
    }
    void this.act({ op: 'budget', bits });
  }

  /** One control; the answer is the new status (a 'keySource' event follows too). */
  async act(action: KeySourceAction): Promise<void> {
    const c = this.client;
    if (!c?.keySource) return;
    this.error = '';
    const seen = this.eventCount;
    try {
      const s = await c.keySource(action);
      if (this.eventCount === seen) this.status = s; // an event that came meanwhile is newer than this answer
    } catch (err) {
      this.error = `Could not ${action.op === 'slow' ? 'set the delay' : action.op === 'budget' ? 'set the budget' : `${action.op} the link`}: ${(err as Error).message}`;
      this.refresh();
    }
  }

  /** Reads the status once (shown, or a lab loaded); events keep it current afterwards. */
  private refresh(): void {
    const c = this.client;
    if (!c?.keySource || !this.active) return;
    // events and answers travel on different ports: an answer that arrives after an event may be older
    const seen = this.eventCount;
    c.keySource({ op: 'status' }).then((s) => { if (this.client === c && this.eventCount === seen) this.status = s; }, () => {});
  }

  /** 'keySource' events received so far (a read's answer loses to any event that came after it was asked). */
  private eventCount = 0;

  private onEvent(e: LabEvent): void {
    if (e.kind === 'keySource') { this.eventCount++; this.status = e.status; }
    else if (e.kind === 'lab') {
      this.lab = e.name;
      this.error = '';
      this.budgetDraft = '';
      this.refresh();
    }
  }
}
customElements.define('ws-key-sources', WsKeySources);

declare global {
  interface HTMLElementTagNameMap { 'ws-key-sources': WsKeySources }
}
