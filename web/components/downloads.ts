// <ws-downloads>: what leaves the lab as files. "Capture + keys" is one click and one file per link: a tar
// holding the pcap of that router's link and Wireshark's key files (ikev2_decryption_table, esp_sa,
// preferences) laid out as a Wireshark configuration directory, plus a README with the tshark line:
//   tar xf webswan-A.tar && WIRESHARK_CONFIG_DIR=webswan-A/wireshark tshark -r webswan-A/link-A.pcap
// The running-config of each router downloads as text.
import { LitElement, css, html } from 'lit';
import type { LabClient, RouterName } from '../../src/lab/protocol.js';
import { download, tar } from './files.js';
import '../theme.js';

const ROUTERS: RouterName[] = ['A', 'B'];

export function captureBundle(router: RouterName, pcap: Uint8Array, keys: Record<string, string>, lab?: string): Uint8Array {
  const dir = `webswan-${router}`;
  const readme = [
    `webswan lab${lab ? ` "${lab}"` : ''}: capture of router ${router}'s link, with the keys that decrypt it.`,
    '',
    `  ${dir}/link-${router}.pcap      the datagrams as on the wire (outer IPv4/UDP, ports 500/4500)`,
    `  ${dir}/wireshark/             a Wireshark configuration directory: ${Object.keys(keys).join(', ') || '(no SAs yet)'}`,
    '',
    'Decrypt with tshark:',
    `  WIRESHARK_CONFIG_DIR=${dir}/wireshark tshark -r ${dir}/link-${router}.pcap -V`,
    'or in Wireshark: copy the files of wireshark/ into your personal configuration folder',
    '(Help > About Wireshark > Folders), or start it with the same WIRESHARK_CONFIG_DIR.',
    '',
  ].join('\n');
  return tar([
    { name: `${dir}/README.txt`, body: readme },
    { name: `${dir}/link-${router}.pcap`, body: pcap },
    ...Object.entries(keys).map(([name, body]) => ({ name: `${dir}/wireshark/${name}`, body })),
  ]);
}

export class WsDownloads extends LitElement {
  static override properties = { client: { attribute: false }, status: { state: true } };
  declare client: LabClient | undefined;
  declare status: string;

  constructor() { super(); this.status = ''; }

  static override styles = css`
    :host { display: block; position: relative; font-size: .875rem; }
    summary { cursor: pointer; padding: .25rem .6rem; border-radius: .35rem; border: 1px solid var(--ws-header-border); list-style: none; }
    summary::-webkit-details-marker { display: none; }
    summary::after { content: ' ▾'; }
    details[open] summary::after { content: ' ▴'; }
    summary:focus-visible { outline: 3px solid var(--ws-header-focus); outline-offset: 2px; }
    .menu { position: absolute; right: 0; top: calc(100% + .35rem); z-index: 20; width: max-content; max-width: 92vw;
      background: var(--ws-surface); color: var(--ws-text); border: 1px solid var(--ws-control-border); border-radius: .5rem; padding: .6rem .75rem;
      box-shadow: 0 8px 24px var(--ws-shadow); display: grid; gap: .45rem; }
    .group { display: flex; gap: .35rem; align-items: center; flex-wrap: wrap; }
    .group b { font-weight: 650; min-width: 5rem; }
    button { font: inherit; padding: .25rem .55rem; border-radius: .35rem; border: 1px solid var(--ws-border-strong); background: var(--ws-control-bg);
      color: var(--ws-text); cursor: pointer; }
    button:hover { filter: brightness(.95); }
    button:focus-visible { outline: 3px solid var(--ws-focus); outline-offset: 2px; }
    .note { margin: 0; font-size: .78rem; max-width: 34rem; color: var(--ws-text-muted); }
    .status { font-size: .8rem; }
    .status:empty { display: none; }
  `;

  override render() {
    return html`
      <details @keydown=${(e: KeyboardEvent) => this.onKey(e)} @toggle=${(e: Event) => this.onToggle(e)}>
        <summary>Downloads</summary>
        <div class="menu" role="group" aria-label="Downloads">
          ${ROUTERS.map((r) => html`
            <div class="group"><b>Router ${r}</b>
              <button data-action="bundle" data-router=${r} @click=${() => this.bundle(r)}
                title="pcap of ${r}'s link with Wireshark's key files, in one .tar">Capture + Wireshark keys (.tar)</button>
              <button data-action="pcap" data-router=${r} @click=${() => this.pcapOnly(r)}>pcap only</button>
              <button data-action="config" data-router=${r} @click=${() => this.config(r)}>running-config</button>
            </div>`)}
          <p class="note">The .tar holds the pcap and a Wireshark configuration folder with the keys; its README has
            the tshark command.</p>
          <div class="status" role="status" aria-live="polite">${this.status}</div>
        </div>
      </details>`;
  }

  /** An open menu closes when the pointer goes down anywhere else. */
  private readonly outside = (e: PointerEvent): void => {
    if (e.composedPath().includes(this)) return;
    const d = this.renderRoot.querySelector('details');
    if (d) d.open = false;
  };

  private onToggle(e: Event): void {
    if ((e.target as HTMLDetailsElement).open) document.addEventListener('pointerdown', this.outside, true);
    else document.removeEventListener('pointerdown', this.outside, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.outside, true);
  }

  private onKey(e: KeyboardEvent): void {
    const d = e.currentTarget as HTMLDetailsElement;
    if (e.key !== 'Escape' || !d.open) return;
    d.open = false;
    d.querySelector('summary')?.focus();
    e.stopPropagation();
  }

  private async act(what: string, fn: () => Promise<string>): Promise<void> {
    if (!this.client) return;
    try { this.status = await fn(); } catch (e) { this.status = `${what} failed: ${(e as Error).message ?? String(e)}`; }
  }

  async bundle(r: RouterName): Promise<void> {
    await this.act('Capture', async () => {
      const [pcap, keys] = await Promise.all([this.client!.pcap(r), this.client!.keyFiles(r)]);
      download(`webswan-${r}.tar`, captureBundle(r, pcap, keys, this.client!.currentLab()), 'application/x-tar');
      return `Saved webswan-${r}.tar (${pcap.length} bytes of capture, ${Object.keys(keys).length} key files)`;
    });
  }

  async pcapOnly(r: RouterName): Promise<void> {
    await this.act('Capture', async () => {
      const pcap = await this.client!.pcap(r);
      download(`link-${r}.pcap`, pcap, 'application/vnd.tcpdump.pcap');
      return `Saved link-${r}.pcap`;
    });
  }

  async config(r: RouterName): Promise<void> {
    await this.act('Configuration', async () => {
      const text = await this.client!.runningConfig(r);
      const host = (await this.client!.state())[r]?.hostname ?? r;
      download(`${host}-running-config.txt`, text, 'text/plain');
      return `Saved ${host}-running-config.txt`;
    });
  }
}
customElements.define('ws-downloads', WsDownloads);

declare global {
  interface HTMLElementTagNameMap { 'ws-downloads': WsDownloads }
}
