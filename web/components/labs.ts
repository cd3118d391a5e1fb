// <ws-labs>: the lab presets (client.labs(); the broken ones are grouped and marked, they are there to be
// diagnosed), loading one into both routers, and moving a lab in and out of the page: export to a JSON
// file, import from one, share as a URL (copied to the clipboard, and shown so it can be copied by hand).
// The picker and the status follow the 'lab' event, so a lab loaded through window.webswanLab or a shared
// URL shows here too.
import { LitElement, css, html, nothing } from 'lit';
import type { LabClient } from '../../src/lab/protocol.js';
import { download } from './files.js';
import { LabEvents } from './lab-events.js';
import '../theme.js';

type LabInfo = { name: string; title: string; broken: boolean };
const tooltip = (l: LabInfo) => (l.broken ? `${l.title} — broken on purpose: find the fault and fix it` : l.title);

export class WsLabs extends LitElement {
  static override properties = {
    client: { attribute: false },
    labs: { state: true },
    selected: { state: true },
    current: { state: true },
    busy: { state: true },
    status: { state: true },
    shared: { state: true },
  };
  declare client: LabClient | undefined;
  declare labs: LabInfo[];
  declare selected: string;
  declare current: string | undefined;
  declare busy: boolean;
  declare status: string;
  declare shared: string;
  private labsOf?: LabClient;
  // a lab may also be loaded by window.webswanLab or a shared URL: the controller says so on every load
  // (the event comes as the routers restart; the load is over once the client names the lab as current)
  private readonly events = new LabEvents(this, (e) => {
    if (e.kind === 'lab') {
      this.current = e.name;
      if (e.name && this.labs.some((l) => l.name === e.name)) this.selected = e.name;
      if (this.busy) return; // our own load: run() reports it
      this.awaiting = { name: e.name };
      this.status = `Loading ${e.name === undefined ? 'a configuration' : this.titleOf(e.name)}…`;
    }
    if (this.awaiting && !this.busy && this.client?.currentLab() === this.awaiting.name) {
      this.status = this.loadedNote(this.awaiting.name);
      this.awaiting = undefined;
    }
  });
  /** A lab loaded elsewhere whose load is not over yet. */
  private awaiting?: { name: string | undefined };

  constructor() {
    super();
    this.labs = [];
    this.selected = '';
    this.busy = false;
    this.status = '';
    this.shared = '';
  }

  static override styles = css`
    :host { display: block; font-size: .875rem; }
    .bar { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem; }
    label { font-weight: 600; }
    select, button, .file { font: inherit; padding: .25rem .55rem; border-radius: .35rem; border: 1px solid var(--ws-control-border);
      background: var(--ws-input-bg); color: var(--ws-text); }
    select { max-width: min(26rem, 100%); }
    button, .file { cursor: pointer; background: var(--ws-control-bg); }
    button.primary { background: var(--ws-accent); color: var(--ws-on-accent); border-color: var(--ws-accent); }
    button:hover { filter: brightness(.95); }
    button[disabled] { opacity: .6; cursor: progress; }
    :is(select, button, input):focus-visible, .file:focus-within { outline: 3px solid var(--ws-header-focus); outline-offset: 2px; }
    .file input { position: absolute; width: 1px; height: 1px; opacity: 0; }
    .status { font-size: .8rem; }
    .status:empty { display: none; }
    .share { width: 100%; font: .75rem ui-monospace, monospace; margin-top: .2rem; }
    .current { font-size: .8rem; opacity: .95; }
  `;

  override willUpdate(): void {
    if (this.client && this.client !== this.labsOf) {
      this.labsOf = this.client;
      this.labs = this.client.labs();
      this.current = this.client.currentLab();
      this.selected = this.current ?? this.labs.find((l) => !l.broken)?.name ?? this.labs[0]?.name ?? '';
    }
  }

  override render() {
    const working = this.labs.filter((l) => !l.broken);
    const broken = this.labs.filter((l) => l.broken);
    // the title alone (the broken ones say "Broken:" and sit in their group), short enough for the select to show whole
    const opt = (l: LabInfo) => html`<option value=${l.name} title=${tooltip(l)} ?selected=${l.name === this.selected}>${l.title}</option>`;
    return html`
      <div class="bar">
        <label for="lab">Lab</label>
        <select id="lab" .value=${this.selected} @change=${(e: Event) => { this.selected = (e.target as HTMLSelectElement).value; }}>
          <optgroup label="Working labs">${working.map(opt)}</optgroup>
          ${broken.length ? html`<optgroup label="Broken labs (find the fault)">${broken.map(opt)}</optgroup>` : nothing}
        </select>
        <button class="primary" id="load" ?disabled=${this.busy || !this.selected} @click=${() => this.load(this.selected)}>Load lab</button>
        <button id="export" ?disabled=${this.busy} @click=${() => this.exportLab()}>Export…</button>
        <label class="file" id="import-label">Import…<input id="import" type="file" accept=".json,application/json"
          ?disabled=${this.busy} @change=${(e: Event) => this.importFile(e)}></label>
        <button id="share" ?disabled=${this.busy} @click=${() => this.share()}>Share link</button>
        ${this.current && !this.status.includes(this.titleOf(this.current))
          ? html`<span class="current">Loaded: <b>${this.titleOf(this.current)}</b></span>` : nothing}
        <span class="status" role="status" aria-live="polite">${this.status}</span>
      </div>
      ${this.shared ? html`<input class="share" id="share-url" readonly aria-label="Share URL" .value=${this.shared} @focus=${(e: Event) => (e.target as HTMLInputElement).select()}>` : nothing}
    `;
  }

  private titleOf(name: string): string { return this.labs.find((l) => l.name === name)?.title ?? name; }

  /** What to do now that a lab is loaded: working labs come up by themselves, broken ones want a fix. */
  private loadedNote(name: string | undefined): string {
    if (name === undefined) return 'Loaded a configuration of your own on both routers.';
    const lab = this.labs.find((l) => l.name === name);
    if (lab?.broken) return `Loaded ${lab.title}. This lab is broken on purpose: read the explanation, fix the configuration in a terminal, commit.`;
    return `Loaded ${this.titleOf(name)}. Both routers restarted with it; the tunnel comes up by itself.`;
  }

  private async run(what: string, fn: () => Promise<string | void>): Promise<void> {
    if (!this.client) return;
    this.busy = true;
    this.status = `${what}…`;
    try {
      this.status = (await fn()) || '';
    } catch (e) {
      this.status = `${what} failed: ${(e as Error).message ?? String(e)}`;
    } finally {
      this.busy = false;
      this.current = this.client.currentLab();
    }
  }

  async load(name: string): Promise<void> {
    await this.run(`Loading ${this.titleOf(name)}`, async () => {
      await this.client!.load(name);
      this.dispatchEvent(new CustomEvent('lab-loaded', { detail: { name }, bubbles: true, composed: true }));
      return this.loadedNote(name);
    });
  }

  private async exportLab(): Promise<void> {
    await this.run('Export', async () => {
      const json = await this.client!.exportLab();
      const name = `webswan-lab-${this.client!.currentLab() ?? 'custom'}.json`;
      download(name, json, 'application/json');
      return `Saved ${name}`;
    });
  }

  private async importFile(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    await this.run(`Import of ${file.name}`, async () => {
      await this.client!.importLab(await file.text());
      this.dispatchEvent(new CustomEvent('lab-loaded', { detail: { name: this.client!.currentLab() }, bubbles: true, composed: true }));
      return `Imported ${file.name}`;
    });
    input.value = '';
  }

  private async share(): Promise<void> {
    await this.run('Share', async () => {
      const url = await this.client!.shareUrl();
      this.shared = url;
      try {
        await navigator.clipboard.writeText(url);
        return 'Link copied to the clipboard';
      } catch {
        return 'Copy the link below';
      }
    });
  }
}
customElements.define('ws-labs', WsLabs);


declare global {
  interface HTMLElementTagNameMap { 'ws-labs': WsLabs }
}
