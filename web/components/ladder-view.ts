// <ws-ladder>: the ladder diagram of the lab (issue [4/5]). Two lifelines, Router A and Router B; one arrow per
// message — each message is reported by both routers, so the sender's 'out' entry draws the arrow and the
// receiver's 'in' entry marks it received (an arrow never received was lost on the wire). IKE messages
// are bold arrows, ESP packets thin ones that can be hidden or folded into runs. Failure explanations
// from the engine's trace sit above the ladder as plain sentences.
//
// Keyboard: the ladder is one listbox — arrow keys, Home/End and PageUp/PageDown move the selection,
// Enter or Space opens the message in <ws-dissection> (or unfolds a run of ESP packets), Escape closes.
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { LabClient, LabEvent, LadderEntry, RouterName } from '../../src/lab/protocol.js';
import './dissection-view.js';

/** One message on the ladder: who sent it, and the two routers' views of it. */
export interface Arrow {
  /** The id of the first entry seen for it (stable: the key of its row). */
  id: number;
  from: RouterName;
  to: RouterName;
  kind: 'ike' | 'esp';
  summary: string;
  sent?: LadderEntry;
  received?: LadderEntry;
}

export interface Explanation { router: RouterName; at: number; text: string }

const other = (r: RouterName): RouterName => (r === 'A' ? 'B' : 'A');
/** The same datagram seen by both routers: IKE by its bytes, ESP by SPI, sequence and inner packet. */
const matchKey = (e: LadderEntry, from: RouterName): string => `${e.kind}:${from}:${e.kind === 'ike' ? e.rawHex : e.summary}`;

/** Pair the entries of both routers into arrows, in the order the lab saw the first of each pair. */
export function arrowsOf(entries: readonly LadderEntry[]): Arrow[] {
  const out: Arrow[] = [];
  const open = new Map<string, Arrow[]>();
  for (const e of [...entries].sort((x, y) => x.id - y.id)) {
    const from = e.dir === 'out' ? e.router : other(e.router);
    const key = matchKey(e, from);
    const waiting = open.get(key);
    const a = waiting?.find((x) => (e.dir === 'out' ? !x.sent : !x.received));
    if (a) {
      if (e.dir === 'out') a.sent = e; else a.received = e;
      if (a.sent && a.received) waiting!.splice(waiting!.indexOf(a), 1);
      continue;
    }
    const n: Arrow = { id: e.id, from, to: other(from), kind: e.kind, summary: e.summary, ...(e.dir === 'out' ? { sent: e } : { received: e }) };
    out.push(n);
    open.set(key, [...(waiting ?? []), n]);
  }
  return out;
}

/** A row of the listbox: one arrow, or a folded run of ESP packets. */
type Row = { kind: 'arrow'; arrow: Arrow } | { kind: 'run'; id: number; arrows: Arrow[] };

/** Runs of more ESP packets than this are folded into one row until opened. */
const FOLD_AT = 4;

export class LadderView extends LitElement {
  static override properties = {
    client: { attribute: false },
    entries: { attribute: false },
    explanations: { attribute: false },
    showEsp: { type: Boolean, attribute: 'show-esp' },
    selected: { state: true },
    opened: { state: true },
    unfolded: { state: true },
  };
  declare client: LabClient | undefined;
  declare entries: LadderEntry[];
  declare explanations: Explanation[];
  declare showEsp: boolean;
  /** Row key of the selection (an arrow's id, or a run's first id). */
  declare selected: number | undefined;
  /** The arrow shown in the dissection. */
  declare opened: number | undefined;
  declare unfolded: Set<number>;
  private unsubscribe: (() => void) | undefined;
  private memo: { entries: readonly LadderEntry[]; arrows: Arrow[] } | undefined;

  constructor() {
    super();
    this.entries = [];
    this.explanations = [];
    this.showEsp = true;
    this.unfolded = new Set();
  }

  static override styles = css`
    :host { display: block; font-size: .9rem; color: CanvasText; background: Canvas; }
    .banner { margin: 0 0 .5rem; padding: .5rem .75rem; border-radius: .4rem; background: #fde2e1; color: #5f0f0a; border: 1px solid #b3261e; }
    .banner p { margin: .15rem 0; }
    .banner .who { font-weight: 700; margin-right: .35rem; }
    .tools { display: flex; gap: 1rem; align-items: center; margin: 0 0 .35rem; }
    .heads, .row { display: grid; grid-template-columns: 5.5rem 1fr 5.5rem; align-items: end; }
    .heads { font-weight: 700; text-align: center; position: sticky; top: 0; background: Canvas; padding-bottom: .25rem; z-index: 1; }
    .list { max-height: var(--ws-ladder-height, 28rem); overflow-y: auto; border: 1px solid color-mix(in srgb, CanvasText 30%, Canvas); border-radius: .4rem; padding: 0 .25rem; }
    .list:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
    .row { cursor: pointer; min-height: 2.1rem; }
    .lane { align-self: stretch; }
    .lane.a { border-right: 2px solid #4a4a4a; }
    .lane.b { border-left: 2px solid #4a4a4a; }
    .msg { padding: .15rem .4rem .2rem; min-width: 0; }
    .label { display: block; font-family: ui-monospace, monospace; font-size: .8rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .ab .label { text-align: left; } .ba .label { text-align: right; }
    .line { position: relative; display: block; height: 0; border-top: 2px solid #174ea6; margin: .2rem 0 .1rem; }
    .line::after { content: ''; position: absolute; top: -6px; border: 5px solid transparent; }
    .ab .line::after { right: -2px; border-left: 8px solid #174ea6; border-right: 0; }
    .ba .line::after { left: -2px; border-right: 8px solid #174ea6; border-left: 0; }
    .esp .line { border-top-width: 1px; border-color: #3c6e47; }
    .esp.ab .line::after { border-left-color: #3c6e47; top: -5px; border-width: 4px; border-left-width: 7px; }
    .esp.ba .line::after { border-right-color: #3c6e47; top: -5px; border-width: 4px; border-right-width: 7px; }
    .esp .label { font-size: .75rem; color: #2d5436; }
    .lost .line { border-top-style: dashed; border-color: #b3261e; }
    .lost.ab .line::after { border-left-color: #b3261e; } .lost.ba .line::after { border-right-color: #b3261e; }
    .mark { font-size: .7rem; color: #5c5c5c; }
    .lost .mark { color: #9b1c14; font-weight: 700; }
    .run .label { font-style: italic; color: #2d5436; text-align: center; }
    .row[aria-selected='true'] .msg { background: #dbe7fb; border-radius: .25rem; }
    .row[aria-selected='true'] .label { color: #0b1d3a; }
    .empty { padding: 1rem; text-align: center; color: #4d4d4d; }
    ws-dissection { margin-top: .75rem; padding: .5rem .75rem; border: 1px solid color-mix(in srgb, CanvasText 30%, Canvas); border-radius: .4rem; }
    .close { float: right; }
    button { font: inherit; }
    button:focus-visible, input:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
  `;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client')) this.subscribe();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.client && !this.unsubscribe) this.subscribe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Start from the client's ladder so far, then follow its events. */
  private subscribe(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const c = this.client;
    if (!c) return;
    this.entries = c.ladder().slice();
    this.unsubscribe = c.on((e: LabEvent) => {
      if (e.kind === 'ladder') this.entries = [...this.entries, e.entry];
      else if (e.kind === 'explain') this.explain(e);
      else if (e.kind === 'lab') { this.entries = []; this.explanations = []; }
    });
  }

  private explain(e: Explanation): void {
    if (this.explanations.some((x) => x.router === e.router && x.text === e.text)) return;
    this.explanations = [...this.explanations, { router: e.router, at: e.at, text: e.text }];
  }

  /** Every arrow, paired once per new entries array. */
  private allArrows(): Arrow[] {
    if (this.memo?.entries !== this.entries) this.memo = { entries: this.entries, arrows: arrowsOf(this.entries) };
    return this.memo.arrows;
  }

  /** The arrows on the ladder now (ESP hidden when switched off). */
  arrows(): Arrow[] {
    const all = this.allArrows();
    return this.showEsp ? all : all.filter((a) => a.kind === 'ike');
  }

  private rows(): Row[] {
    const rows: Row[] = [];
    let run: Arrow[] = [];
    const flush = () => {
      if (run.length > FOLD_AT && !this.unfolded.has(run[0].id)) rows.push({ kind: 'run', id: run[0].id, arrows: run });
      else rows.push(...run.map((arrow) => ({ kind: 'arrow' as const, arrow })));
      run = [];
    };
    for (const a of this.arrows()) {
      if (a.kind === 'esp') { run.push(a); continue; }
      flush();
      rows.push({ kind: 'arrow', arrow: a });
    }
    flush();
    return rows;
  }

  private rowKey(r: Row): number { return r.kind === 'arrow' ? r.arrow.id : r.id; }

  private select(key: number | undefined): void {
    this.selected = key;
    void this.updateComplete.then(() => {
      const el = key === undefined ? null : this.renderRoot.querySelector<HTMLElement>(`#row-${key}`);
      el?.scrollIntoView?.({ block: 'nearest' });
    });
  }

  private activate(r: Row): void {
    if (r.kind === 'run') {
      this.unfolded = new Set([...this.unfolded, r.id]);
      this.select(r.arrows[0].id);
      return;
    }
    this.opened = r.arrow.id;
  }

  private onKey(ev: KeyboardEvent): void {
    const rows = this.rows();
    if (!rows.length) return;
    const i = Math.max(0, rows.findIndex((r) => this.rowKey(r) === this.selected));
    const at = (n: number) => this.rowKey(rows[Math.min(rows.length - 1, Math.max(0, n))]);
    const current = this.selected === undefined ? undefined : rows.find((r) => this.rowKey(r) === this.selected);
    switch (ev.key) {
      case 'ArrowDown': this.select(this.selected === undefined ? at(0) : at(i + 1)); break;
      case 'ArrowUp': this.select(this.selected === undefined ? at(0) : at(i - 1)); break;
      case 'Home': this.select(at(0)); break;
      case 'End': this.select(at(rows.length - 1)); break;
      case 'PageDown': this.select(at(i + 10)); break;
      case 'PageUp': this.select(at(i - 10)); break;
      case 'Enter': case ' ': if (current) this.activate(current); break;
      case 'Escape': this.opened = undefined; break;
      default: return;
    }
    ev.preventDefault();
  }

  private describe(a: Arrow): string {
    const state = a.sent && a.received ? 'received' : a.sent ? 'not received' : 'received (sending not seen)';
    return `Router ${a.from} to Router ${a.to}: ${a.summary}, ${state}`;
  }

  private arrowRow(a: Arrow): TemplateResult {
    const key = a.id;
    const lost = !a.received;
    const mark = a.sent && a.received ? 'received' : a.sent ? 'not received' : 'received';
    return html`<div id="row-${key}" class="row ${a.kind} ${a.from === 'A' ? 'ab' : 'ba'} ${lost ? 'lost' : ''}" role="option"
        aria-selected=${this.selected === key ? 'true' : 'false'} aria-label=${this.describe(a)} data-arrow=${key}
        @click=${() => { this.select(key); this.opened = key; }}>
      <span class="lane a"></span>
      <span class="msg"><span class="label" title=${a.summary}>${a.summary}</span><span class="line"></span>
        <span class="mark" aria-hidden="true">${lost ? '✗ ' : '✓ '}${mark}</span></span>
      <span class="lane b"></span>
    </div>`;
  }

  private runRow(r: Extract<Row, { kind: 'run' }>): TemplateResult {
    const ab = r.arrows.filter((a) => a.from === 'A').length;
    const text = `${r.arrows.length} ESP packets (${ab} A→B, ${r.arrows.length - ab} B→A) — Enter to unfold`;
    return html`<div id="row-${r.id}" class="row run esp" role="option" aria-selected=${this.selected === r.id ? 'true' : 'false'}
        aria-label=${text} aria-expanded="false" data-run=${r.id}
        @click=${() => { this.select(r.id); this.activate(r); }}>
      <span class="lane a"></span><span class="msg"><span class="label">${text}</span></span><span class="lane b"></span>
    </div>`;
  }

  private openedEntry(): LadderEntry | undefined {
    if (this.opened === undefined) return undefined;
    const a = this.allArrows().find((x) => x.id === this.opened);
    return a?.sent ?? a?.received;
  }

  override render() {
    const rows = this.rows();
    const espCount = this.allArrows().filter((a) => a.kind === 'esp').length;
    const opened = this.openedEntry();
    const active = rows.some((r) => this.rowKey(r) === this.selected) ? `row-${this.selected}` : undefined;
    return html`
      ${this.explanations.length ? html`<div class="banner" role="alert" aria-label="why the negotiation failed">
        ${this.explanations.slice(-4).map((x) => html`<p><span class="who">Router ${x.router}:</span>${x.text}</p>`)}
      </div>` : nothing}
      <div class="tools">
        <label><input type="checkbox" .checked=${this.showEsp}
          @change=${(ev: Event) => { this.showEsp = (ev.target as HTMLInputElement).checked; }}> Show ESP packets (${espCount})</label>
      </div>
      <div class="list" role="listbox" tabindex="0" aria-label="Ladder of IKE messages and ESP packets between Router A and Router B"
          aria-activedescendant=${active ?? nothing} @keydown=${(ev: KeyboardEvent) => this.onKey(ev)}
          @focus=${() => { if (this.selected === undefined && rows.length) this.select(this.rowKey(rows[0])); }}>
        <div class="heads" aria-hidden="true"><span>Router A</span><span></span><span>Router B</span></div>
        ${rows.length ? rows.map((r) => (r.kind === 'arrow' ? this.arrowRow(r.arrow) : this.runRow(r)))
          : html`<div class="empty">No messages yet: commit a configuration on both routers.</div>`}
      </div>
      ${opened ? html`<section aria-label="dissection">
        <button class="close" @click=${() => { this.opened = undefined; }} aria-label="Close the dissection">Close</button>
        <ws-dissection .entry=${opened}></ws-dissection>
      </section>` : nothing}
    `;
  }
}
customElements.define('ws-ladder', LadderView);

declare global {
  interface HTMLElementTagNameMap { 'ws-ladder': LadderView }
}
