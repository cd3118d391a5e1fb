// <ws-ladder>: the ladder diagram of the lab (issue [4/5]). Two lifelines, Router A and Router B; one arrow per
// message — each message is reported by both routers, so the sender's 'out' entry draws the arrow and the
// receiver's 'in' entry marks it received (an arrow never received was lost on the wire). IKE messages
// are bold arrows, ESP packets thin ones that can be hidden or folded into runs. Failure explanations
// from the engine's trace sit above the ladder as plain sentences.
//
// Keyboard: the ladder is one listbox — arrow keys, Home/End and PageUp/PageDown move the selection,
// Enter or Space opens the message in <ws-dissection> (or unfolds a run of ESP packets), Escape closes.
//
// A ping flood streams hundreds of entries a second: each is paired on arrival in O(1) (Pairing keeps the
// arrows still waiting for their other half in a map), the view renders at most once per animation frame,
// and only the last LADDER_VIEW_MAX messages stay, ESP packets dropped before IKE messages (a note says
// older ones are not shown).
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { LabClient, LabEvent, LadderEntry, RouterName } from '../../src/lab/protocol.js';
import { repeat } from 'lit/directives/repeat.js';
import './dissection-view.js';
import '../theme.js';

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
/**
 * The same message seen by both routers: ESP by SPI, sequence and inner packet; IKE by its header without
 * the next-payload and length fields (RFC 7296 §3.1: SPIs, version, exchange, flags, message ID). A message
 * sent in RFC 7383 fragments is reported whole by its sender and, reassembled, with its last fragment by
 * the receiver: their bytes differ, the header key does not. Retransmissions share the key and pair in order.
 */
const matchKey = (e: LadderEntry, from: RouterName): string => `${e.kind}:${from}:${e.kind === 'ike' ? ikeHeaderKey(e.rawHex) : e.summary}`;
const ikeHeaderKey = (h: string): string => (h.length >= 56 ? h.slice(0, 32) + h.slice(34, 48) : h);

/** A first-in first-out queue with O(1) amortised shift. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  push(x: T): void { this.items.push(x); }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) { this.items = this.items.slice(this.head); this.head = 0; }
    return x;
  }
  get length(): number { return this.items.length - this.head; }
}

/**
 * Pairs entries into arrows one at a time (O(1) amortised per entry): the arrows still waiting for their
 * other half sit in a map by match key. Keeps at most `cap` arrows: beyond it the oldest ESP packet goes
 * (the oldest IKE message only when no ESP is left, so a ping flood does not push the negotiation off the
 * ladder), and its half still waiting is forgotten. Memory and the view stay bounded.
 */
export class Pairing {
  /** Arrows in the order the lab saw the first of each pair, dropped ones included until the next compaction. */
  private list: Arrow[] = [];
  private readonly dropped_ = new WeakSet<Arrow>();
  private inList = 0;
  private readonly esp = new Fifo<Arrow>();
  private readonly ike = new Fifo<Arrow>();
  private readonly open = new Map<string, Arrow[]>();
  private readonly byId = new Map<number, Arrow>();
  private readonly keyOf = new WeakMap<Arrow, string>();
  /** Arrows dropped so far to stay within the cap. */
  dropped = 0;
  /** Entries paired so far (each entry is handled exactly once). */
  added = 0;

  constructor(readonly cap = Infinity) {}

  add(e: LadderEntry): void {
    this.added++;
    const from = e.dir === 'out' ? e.router : other(e.router);
    const key = matchKey(e, from);
    const waiting = this.open.get(key);
    if (waiting) {
      const i = waiting.findIndex((x) => (e.dir === 'out' ? !x.sent : !x.received));
      if (i >= 0) {
        const a = waiting[i];
        if (e.dir === 'out') a.sent = e; else a.received = e;
        if (a.sent && a.received) this.unwait(key, waiting, i);
        return;
      }
    }
    const n: Arrow = { id: e.id, from, to: other(from), kind: e.kind, summary: e.summary, ...(e.dir === 'out' ? { sent: e } : { received: e }) };
    this.list.push(n);
    (n.kind === 'esp' ? this.esp : this.ike).push(n);
    this.byId.set(n.id, n);
    this.keyOf.set(n, key);
    if (waiting) waiting.push(n); else this.open.set(key, [n]);
    if (this.size > this.cap) this.evict();
  }

  private unwait(key: string, waiting: Arrow[], i: number): void {
    waiting.splice(i, 1);
    if (!waiting.length) this.open.delete(key);
  }

  private evict(): void {
    const a = (this.esp.length ? this.esp : this.ike).shift()!;
    this.dropped++;
    this.inList++;
    this.dropped_.add(a);
    this.byId.delete(a.id);
    const key = this.keyOf.get(a)!;
    const waiting = this.open.get(key);
    const i = waiting?.indexOf(a) ?? -1;
    if (waiting && i >= 0) this.unwait(key, waiting, i);
    // compact now and then: amortised O(1)
    if (this.inList > 1024 && this.inList * 2 > this.list.length) {
      this.list = this.list.filter((x) => !this.dropped_.has(x));
      this.inList = 0;
    }
  }

  get size(): number { return this.esp.length + this.ike.length; }

  /** The live arrows, oldest first (a fresh array). */
  arrows(): Arrow[] { return this.inList ? this.list.filter((x) => !this.dropped_.has(x)) : this.list.slice(); }

  get(id: number): Arrow | undefined { return this.byId.get(id); }
}

/** Pair the entries of both routers into arrows, in the order the lab saw the first of each pair. */
export function arrowsOf(entries: readonly LadderEntry[]): Arrow[] {
  const p = new Pairing();
  for (const e of [...entries].sort((x, y) => x.id - y.id)) p.add(e);
  return p.arrows();
}

/** A row of the listbox: one arrow, or a folded run of ESP packets. */
type Row = { kind: 'arrow'; arrow: Arrow } | { kind: 'run'; id: number; arrows: Arrow[] };

/** Runs of more ESP packets than this are folded into one row until opened. */
const FOLD_AT = 4;

/** The ladder shows at most this many messages (arrows); older ones are dropped, and a note says so. */
export const LADDER_VIEW_MAX = 2000;

export class LadderView extends LitElement {
  static override properties = {
    client: { attribute: false },
    explanations: { attribute: false },
    showEsp: { type: Boolean, attribute: 'show-esp' },
    selected: { state: true },
    opened: { state: true },
    unfolded: { state: true },
  };
  declare client: LabClient | undefined;
  declare explanations: Explanation[];
  declare showEsp: boolean;
  /** Row key of the selection (an arrow's id, or a run's first id). */
  declare selected: number | undefined;
  /** The arrow shown in the dissection. */
  declare opened: number | undefined;
  declare unfolded: Set<number>;
  /** Work done so far (tests: pairing is incremental and renders are batched). */
  readonly stats = { paired: 0, renders: 0 };
  private unsubscribe: (() => void) | undefined;
  private pairing = new Pairing(LADDER_VIEW_MAX);
  /** Bumped on every change of the pairing (memo key of the arrows). */
  private version = 0;
  private memo: { version: number; arrows: Arrow[] } | undefined;
  /** The rows as last rendered (keyboard navigation walks what is on screen). */
  private view: Row[] = [];
  /** New entries are paired at once, but drawn at most once per animation frame. */
  private dirty = false;
  private frameRequested = false;

  constructor() {
    super();
    this.explanations = [];
    this.showEsp = true;
    this.unfolded = new Set();
  }

  static override styles = css`
    :host { display: block; font-size: .9rem; color: var(--ws-text); background: var(--ws-surface); }
    .banner { margin: 0 0 .5rem; padding: .5rem .75rem; border-radius: .4rem; background: var(--ws-danger-bg); color: var(--ws-danger-text); border: 1px solid var(--ws-danger-border); }
    .banner p { margin: .15rem 0; }
    .banner .who { font-weight: 700; margin-right: .35rem; }
    .tools { display: flex; gap: 1rem; align-items: center; margin: 0 0 .35rem; }
    .heads, .row { display: grid; grid-template-columns: clamp(2.5rem, 9%, 5.5rem) minmax(0, 1fr) clamp(2.5rem, 9%, 5.5rem); align-items: end; }
    .heads { display: flex; justify-content: space-between; font-weight: 700; position: sticky; top: 0; background: var(--ws-surface);
      padding-bottom: .25rem; z-index: 1; white-space: nowrap; }
    .list { max-height: var(--ws-ladder-height, 28rem); overflow-y: auto; border: 1px solid var(--ws-rule); border-radius: .4rem; padding: 0 .25rem; }
    .list:focus-visible { outline: 3px solid var(--ws-focus); outline-offset: 2px; }
    .row { cursor: pointer; min-height: 2.1rem; }
    .lane { align-self: stretch; }
    .lane.a { border-right: 2px solid var(--ws-lane); }
    .lane.b { border-left: 2px solid var(--ws-lane); }
    .msg { padding: .15rem .4rem .2rem; min-width: 0; }
    .label { display: block; font-family: ui-monospace, monospace; font-size: .8rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .ab .label { text-align: left; } .ba .label { text-align: right; }
    .line { position: relative; display: block; height: 0; border-top: 2px solid var(--ws-ike); margin: .2rem 0 .1rem; }
    .line::after { content: ''; position: absolute; top: -6px; border: 5px solid transparent; }
    .ab .line::after { right: -2px; border-left: 8px solid var(--ws-ike); border-right: 0; }
    .ba .line::after { left: -2px; border-right: 8px solid var(--ws-ike); border-left: 0; }
    .esp .line { border-top-width: 1px; border-color: var(--ws-esp); }
    .esp.ab .line::after { border-left-color: var(--ws-esp); top: -5px; border-width: 4px; border-left-width: 7px; }
    .esp.ba .line::after { border-right-color: var(--ws-esp); top: -5px; border-width: 4px; border-right-width: 7px; }
    .esp .label { font-size: .75rem; color: var(--ws-esp-text); }
    .lost .line { border-top-style: dashed; border-color: var(--ws-lost); }
    .lost.ab .line::after { border-left-color: var(--ws-lost); } .lost.ba .line::after { border-right-color: var(--ws-lost); }
    .mark { font-size: .7rem; color: var(--ws-mark); }
    .lost .mark { color: var(--ws-danger); font-weight: 700; }
    .run .label { font-style: italic; color: var(--ws-esp-text); text-align: center; }
    .row[aria-selected='true'] .msg { background: var(--ws-selected-bg); border-radius: .25rem; }
    .row[aria-selected='true'] .label { color: var(--ws-selected-text); }
    .empty { padding: 1rem; text-align: center; color: var(--ws-text-muted); }
    .older { margin: 0 0 .3rem; font-size: .8rem; color: var(--ws-text-muted); font-style: italic; }
    ws-dissection { margin-top: .75rem; padding: .5rem .75rem; border: 1px solid var(--ws-rule); border-radius: .4rem; }
    .close { float: right; }
    button { font: inherit; padding: .15rem .6rem; border-radius: .35rem; border: 1px solid var(--ws-border-strong);
      background: var(--ws-control-bg); color: var(--ws-text); cursor: pointer; }
    button:focus-visible, input:focus-visible { outline: 3px solid var(--ws-focus); outline-offset: 2px; }
  `;

  /** The entries on the ladder (of the arrows still shown), oldest first. Setting it starts the ladder over from them. */
  get entries(): LadderEntry[] {
    return this.allArrows().flatMap((a) => [a.sent, a.received].filter((e): e is LadderEntry => !!e)).sort((x, y) => x.id - y.id);
  }

  set entries(list: readonly LadderEntry[]) {
    this.restart();
    for (const e of [...list].sort((x, y) => x.id - y.id)) this.add(e);
    this.requestUpdate();
  }

  private restart(): void {
    this.pairing = new Pairing(LADDER_VIEW_MAX);
    this.version++;
  }

  private add(e: LadderEntry): void {
    this.pairing.add(e);
    this.stats.paired++;
    this.version++;
  }

  /** A render on the next animation frame (or in 100 ms when the page is hidden), however many entries arrive before. */
  private scheduleRender(): void {
    this.dirty = true;
    if (this.frameRequested) return;
    this.frameRequested = true;
    const run = () => {
      this.frameRequested = false;
      if (this.dirty) this.requestUpdate();
    };
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') requestAnimationFrame(run);
    else setTimeout(run, 100);
  }

  /** `updateComplete` also covers entries received but not drawn yet (their frame has not come). */
  protected override getUpdateComplete(): Promise<boolean> {
    if (this.dirty) this.requestUpdate();
    return super.getUpdateComplete();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client')) this.subscribe();
    this.dirty = false;
    this.view = this.rows();
    // keep the selection on screen: a message folded into a run, hidden, or dropped off the top selects its nearest row
    if (this.selected !== undefined && !this.view.some((r) => this.rowKey(r) === this.selected)) {
      this.selected = this.view.length ? this.rowKey(this.view[this.nearest(this.view, this.selected)]) : undefined;
    }
  }

  /** Index of the last row whose key is at most `key` (rows are in id order), else the first row. */
  private nearest(rows: readonly Row[], key: number): number {
    let best = 0;
    for (let i = 0; i < rows.length; i++) {
      if (this.rowKey(rows[i]) <= key) best = i; else break;
    }
    return best;
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
    this.entries = c.ladder();
    this.unsubscribe = c.on((e: LabEvent) => {
      if (e.kind === 'ladder') { this.add(e.entry); this.scheduleRender(); }
      else if (e.kind === 'explain') this.explain(e);
      else if (e.kind === 'lab') {
        this.restart();
        this.explanations = [];
        this.selected = undefined;
        this.opened = undefined;
        this.unfolded = new Set();
      }
    });
  }

  private explain(e: Explanation): void {
    if (this.explanations.some((x) => x.router === e.router && x.text === e.text)) return;
    this.explanations = [...this.explanations, { router: e.router, at: e.at, text: e.text }];
  }

  /** Every arrow shown (at most LADDER_VIEW_MAX), computed once per change. */
  private allArrows(): Arrow[] {
    if (this.memo?.version !== this.version) this.memo = { version: this.version, arrows: this.pairing.arrows() };
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
      else for (const arrow of run) rows.push({ kind: 'arrow', arrow });
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
    const rows = this.view;
    if (!rows.length) return;
    const found = this.selected === undefined ? -1 : rows.findIndex((r) => this.rowKey(r) === this.selected);
    const i = Math.max(0, found);
    const at = (n: number) => this.rowKey(rows[Math.min(rows.length - 1, Math.max(0, n))]);
    const current = found >= 0 ? rows[found] : undefined;
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
    const a = this.pairing.get(this.opened);
    return a?.sent ?? a?.received;
  }

  override render() {
    this.stats.renders++;
    const rows = this.view;
    let espCount = 0;
    for (const a of this.allArrows()) if (a.kind === 'esp') espCount++;
    const older = this.pairing.dropped;
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
      ${older ? html`<p class="older" role="note">${`Older exchanges not shown: the ladder keeps the last ${LADDER_VIEW_MAX} messages, `
        + `ESP packets dropped before IKE messages (${older} earlier ${older === 1 ? 'message' : 'messages'} dropped).`}</p>` : nothing}
      <div class="list" role="listbox" tabindex="0" aria-label="Ladder of IKE messages and ESP packets between Router A and Router B"
          aria-activedescendant=${active ?? nothing} @keydown=${(ev: KeyboardEvent) => this.onKey(ev)}
          @focus=${() => { if (this.selected === undefined && rows.length) this.select(this.rowKey(rows[0])); }}>
        <div class="heads" aria-hidden="true"><span>Router A</span><span></span><span>Router B</span></div>
        ${rows.length ? repeat(rows, (r) => this.rowKey(r), (r) => (r.kind === 'arrow' ? this.arrowRow(r.arrow) : this.runRow(r)))
          : html`<div class="empty">No messages yet. A loaded lab starts negotiating by itself; a configuration of your own starts once both routers have committed it.</div>`}
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
