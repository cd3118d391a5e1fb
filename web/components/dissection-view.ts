// <ws-dissection>: one ladder entry taken apart (issue [4/5]) — the generic IKE header, every payload with
// its IANA names, the SK contents the lab could decrypt, an ESP packet's inner IPv4/ICMP/UDP, and the keys
// that did it. The tree is native <details>/<summary>, so keyboard and screen readers work without
// scripting; the router worker built the tree (src/lab/ladder.ts), this only shows it.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { DissectNode } from '../../src/ike/codec/describe.js';
import type { LadderEntry } from '../../src/lab/protocol.js';
import '../theme.js';

/** The keys that opened an entry first ("Decrypted with …"), the rest of the SA's keys after. */
export function keysUsed(entry: LadderEntry): { used: [string, string][]; other: [string, string][] } {
  const keys = Object.entries(entry.keys ?? {});
  if (entry.kind === 'esp') return { used: keys, other: [] };
  const sk = findSk(entry.dissection);
  const names = new Set(sk?.value?.match(/SK_[ea][ir]/g) ?? []);
  return { used: keys.filter(([k]) => names.has(k)), other: keys.filter(([k]) => !names.has(k)) };
}

function findSk(nodes: DissectNode[]): DissectNode | undefined {
  return nodes.find((n) => n.name === 'Encrypted and Authenticated (SK)');
}

/** 16 bytes a line, offset first, as a hex viewer shows them. */
function hexDump(h: string): string {
  const lines: string[] = [];
  for (let o = 0; o < h.length; o += 32) {
    const bytes = h.slice(o, o + 32).match(/../g) ?? [];
    lines.push(`${(o / 2).toString(16).padStart(4, '0')}  ${bytes.join(' ')}`);
  }
  return lines.join('\n');
}

export class DissectionView extends LitElement {
  static override properties = { entry: { attribute: false } };
  declare entry: LadderEntry | undefined;

  static override styles = css`
    :host { display: block; font-size: .9rem; line-height: 1.4; color: var(--ws-text); }
    h2 { font-size: 1rem; margin: 0 0 .25rem; font-family: ui-monospace, monospace; word-break: break-word; }
    .meta { margin: 0 0 .5rem; color: var(--ws-text-muted); }
    ul { list-style: none; margin: 0; padding-left: 1.1rem; }
    ul.root { padding-left: 0; }
    li { margin: .1rem 0; }
    summary { cursor: pointer; border-radius: .2rem; }
    summary:focus-visible, :focus-visible { outline: 2px solid var(--ws-focus); outline-offset: 2px; }
    .name { font-weight: 600; }
    .value, code, pre { font-family: ui-monospace, monospace; }
    .value { margin-left: .4rem; word-break: break-all; }
    .leaf { padding-left: 1.05rem; }
    section { margin-top: .75rem; }
    h3 { font-size: .9rem; margin: 0 0 .25rem; }
    dl.keys { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .6rem; margin: 0; }
    dl.keys dt { font-weight: 600; }
    dl.keys dd { margin: 0; font-family: ui-monospace, monospace; word-break: break-all; }
    pre { margin: .25rem 0 0; font-size: .8rem; white-space: pre; overflow-x: auto; }
    .empty { color: var(--ws-text-muted); }
  `;

  private node(n: DissectNode, depth: number): TemplateResult {
    // dissect() repeats a payload's short name as its value ('IDi' IDi): said once is enough
    const value = n.value !== undefined && n.value !== n.name ? n.value : undefined;
    const label = html`<span class="name">${n.name}</span>${value !== undefined ? html`<span class="value">${value}</span>` : nothing}`;
    if (!n.children?.length) return html`<li class="leaf" data-name=${n.name}>${label}</li>`;
    // the header, SK and the inner packets start open; the fields of each payload open on demand
    return html`<li data-name=${n.name}><details ?open=${depth === 0}>
      <summary>${label}</summary>
      <ul role="group">${n.children.map((c) => this.node(c, depth + 1))}</ul>
    </details></li>`;
  }

  private keys(e: LadderEntry): TemplateResult | typeof nothing {
    if (!e.keys) {
      return html`<section aria-label="keys"><h3>Keys</h3><p class="empty">${e.kind === 'ike' ? 'Sent in clear: IKE_SA_INIT is not encrypted.' : 'No keys.'}</p></section>`;
    }
    const { used, other } = keysUsed(e);
    const list = (ks: [string, string][]) => html`<dl class="keys">${ks.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
    return html`<section aria-label="keys">
      <h3>Decrypted with ${used.map(([k]) => k).join(' and ')}</h3>
      ${list(used)}
      ${other.length ? html`<h3>Other keys of this IKE SA</h3>${list(other)}` : nothing}
    </section>`;
  }

  override render() {
    const e = this.entry;
    if (!e) return html`<p class="empty">Select a message on the ladder to see it dissected.</p>`;
    const when = new Date(e.at).toISOString().slice(11, 23);
    return html`
      <h2 id="title">${e.summary}</h2>
      <p class="meta">Router ${e.router} ${e.dir === 'out' ? 'sent' : 'received'} it at ${when}${e.kind === 'esp' ? ' (ESP, decrypted by the lab)' : ''}</p>
      <ul class="root" role="group" aria-labelledby="title">${e.dissection.map((n) => this.node(n, 0))}</ul>
      ${this.keys(e)}
      <section aria-label="raw bytes"><details>
        <summary>${e.kind === 'esp' ? 'Inner packet' : 'Message'} bytes (${e.rawHex.length / 2})</summary>
        <pre>${hexDump(e.rawHex)}</pre>
      </details></section>
    `;
  }
}
customElements.define('ws-dissection', DissectionView);

declare global {
  interface HTMLElementTagNameMap { 'ws-dissection': DissectionView }
}
