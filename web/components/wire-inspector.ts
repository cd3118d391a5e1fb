// <ws-wire-inspector router="A">: impairs what a router sends on its link (loss, delay and jitter,
// reordering, duplication, corruption, cutting the cable) through client.setImpairment, and counts the
// datagrams the router sees on the wire ('wire' events), with the last reason one was dropped. The sliders
// follow 'impairment' events, so a setting made through window.webswanLab shows here too.
import { LitElement, css, html } from 'lit';
import type { Impairment, LabClient, LabEvent, RouterName } from '../../src/lab/protocol.js';
import { FrameThrottle, LabEvents } from './lab-events.js';
import '../theme.js';

type Knob = { key: Exclude<keyof Impairment, 'cut'>; label: string; unit: string; max: number; step: number };

export const KNOBS: Knob[] = [
  { key: 'lossPct', label: 'Loss', unit: '%', max: 100, step: 1 },
  { key: 'delayMs', label: 'Delay', unit: 'ms', max: 2000, step: 10 },
  { key: 'jitterMs', label: 'Jitter', unit: 'ms', max: 1000, step: 5 },
  { key: 'reorderPct', label: 'Reordering', unit: '%', max: 100, step: 1 },
  { key: 'duplicatePct', label: 'Duplication', unit: '%', max: 100, step: 1 },
  { key: 'corruptPct', label: 'Corruption', unit: '%', max: 100, step: 1 },
];

interface Counters {
  sent: number; received: number; dropped: number; bytesOut: number; bytesIn: number; lastDrop?: string;
  marked: { duplicate: number; corrupted: number; reordered: number };
}
const zero = (): Counters => ({ sent: 0, received: 0, dropped: 0, bytesOut: 0, bytesIn: 0, marked: { duplicate: 0, corrupted: 0, reordered: 0 } });

export class WsWireInspector extends LitElement {
  static override properties = {
    router: { type: String, reflect: true },
    client: { attribute: false },
    impairment: { state: true },
    error: { state: true },
    moving: { state: true },
  };
  declare router: RouterName;
  declare client: LabClient | undefined;
  declare impairment: Impairment;
  declare error: string;
  /** Slider positions not yet released. */
  declare moving: Impairment;

  /** Live counters (not reactive: a frame-throttled render follows the wire). */
  readonly counters: Counters = zero();
  private readonly throttle = new FrameThrottle(() => this.requestUpdate());
  private readonly events = new LabEvents(this, (e) => this.onEvent(e));

  constructor() {
    super();
    this.router = 'A';
    this.impairment = {};
    this.error = '';
    this.moving = {};
  }

  static override styles = css`
    :host { display: block; font-size: .82rem; }
    fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
    legend { font-weight: 650; padding: 0; margin-bottom: .2rem; }
    .knob { display: grid; grid-template-columns: 5.6rem 1fr 3.8rem; align-items: center; gap: .4rem; line-height: 1.15; }
    input[type=range] { width: 100%; height: 1rem; margin: 0; accent-color: var(--ws-accent); }
    output { font: .8rem ui-monospace, 'DejaVu Sans Mono', monospace; text-align: right; }
    .row { display: flex; gap: .3rem .5rem; align-items: center; justify-content: space-between; margin-top: .3rem; flex-wrap: wrap; }
    .cut { display: flex; align-items: center; gap: .35rem; font-weight: 600; }
    .cut input { width: 1.05rem; height: 1.05rem; accent-color: var(--ws-danger-border); }
    .cut.on { color: var(--ws-danger); }
    button { font: inherit; padding: .2rem .6rem; border-radius: .35rem; border: 1px solid var(--ws-border-strong); background: var(--ws-surface); color: var(--ws-text); cursor: pointer; }
    button:hover { background: var(--ws-surface-3); }
    :is(button, input):focus-visible { outline: 3px solid var(--ws-focus); outline-offset: 2px; }
    .counters { margin-top: .3rem; font: .78rem/1.35 ui-monospace, 'DejaVu Sans Mono', monospace; color: var(--ws-text); }
    .counters .drop { color: var(--ws-danger); }
    .err { color: var(--ws-danger); }
  `;

  override render() {
    const i = this.impairment;
    const c = this.counters;
    const other = this.router === 'A' ? 'B' : 'A';
    return html`
      <fieldset>
        <legend>Wire at ${this.router}: what ${this.router} sends to ${other}</legend>
        ${KNOBS.map((k) => html`
          <div class="knob">
            <label for=${k.key}>${k.label}</label>
            <input id=${k.key} name=${k.key} type="range" min="0" max=${k.max} step=${k.step} .value=${String(i[k.key] ?? 0)}
              aria-valuetext="${this.moving[k.key] ?? i[k.key] ?? 0} ${k.unit}"
              @input=${(e: Event) => this.preview(k.key, e)} @change=${(e: Event) => this.set(k.key, e)}>
            <output for=${k.key} id="${k.key}-out">${this.moving[k.key] ?? i[k.key] ?? 0} ${k.unit}</output>
          </div>`)}
        <div class="row">
          <label class="cut ${i.cut ? 'on' : ''}"><input type="checkbox" name="cut" .checked=${!!i.cut}
            @change=${(e: Event) => this.apply({ ...this.impairment, cut: (e.target as HTMLInputElement).checked })}>
            ✂ Cut the cable${i.cut ? ' (cut: nothing leaves)' : ''}</label>
          <button type="button" aria-label="Clear all impairments" title="Clear all impairments" @click=${() => this.apply({})}>Clear all</button>
        </div>
        <div class="counters" role="status" aria-live="off" aria-label="Datagrams on the wire at ${this.router}">
          datagrams: <span class="sent">${c.sent}</span> sent (${c.bytesOut} B) ·
          <span class="received">${c.received}</span> received (${c.bytesIn} B) ·
          <span class=${c.dropped ? 'drop' : ''}><span class="dropped">${c.dropped}</span> dropped${c.lastDrop ? ` (last: ${c.lastDrop})` : ''}</span>
          ${c.marked.duplicate + c.marked.corrupted + c.marked.reordered ? html`<br>impaired on the way out:
            ${c.marked.duplicate} duplicated · ${c.marked.corrupted} corrupted · ${c.marked.reordered} reordered` : ''}
        </div>
        ${this.error ? html`<p class="err" role="alert">${this.error}</p>` : ''}
      </fieldset>`;
  }

  /** Shows the value while a slider moves; the router gets it on release ('change'). */
  private preview(key: Knob['key'], e: Event): void {
    this.moving = { ...this.moving, [key]: Number((e.target as HTMLInputElement).value) };
  }

  private set(key: Knob['key'], e: Event): void {
    const v = Number((e.target as HTMLInputElement).value);
    const next = { ...this.impairment };
    if (v) next[key] = v; else delete next[key];
    void this.apply(next);
  }

  /** Sends the whole impairment (unset fields are none). */
  async apply(next: Impairment): Promise<void> {
    if (!next.cut) delete next.cut;
    this.impairment = next;
    this.moving = {};
    this.error = '';
    try { await this.client?.setImpairment(this.router, { ...next }); } catch (e) { this.error = `Could not apply: ${(e as Error).message}`; }
  }

  resetCounters(): void { Object.assign(this.counters, zero()); this.requestUpdate(); }

  private onEvent(e: LabEvent): void {
    if (e.kind === 'impairment' && e.router === this.router) { this.impairment = { ...e.impairment }; return; }
    if (e.kind !== 'wire' || e.router !== this.router) return;
    const c = this.counters;
    if (e.dropped) { c.dropped++; c.lastDrop = e.dropped; }
    else if (e.dir === 'out') { c.sent++; c.bytesOut += e.length; if (e.mark) c.marked[e.mark]++; }
    else { c.received++; c.bytesIn += e.length; }
    this.throttle.request();
  }
}
customElements.define('ws-wire-inspector', WsWireInspector);

declare global {
  interface HTMLElementTagNameMap { 'ws-wire-inspector': WsWireInspector }
}
