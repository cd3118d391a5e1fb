// <ws-topology>: routers A and B with their hostnames and interface addresses, the shared link, and each
// tunnel between them with its state — down / negotiating / UP-ACTIVE / quantum-safe, told apart by colour,
// icon *and* text — and live counters each way. Fed by 'state' events; the last failure explanation of
// each router is shown under a tunnel that is not up.
import { LitElement, css, html, nothing, svg } from 'lit';
import type { LabClient, LabEvent, RouterName, RouterState, TunnelView } from '../../src/lab/protocol.js';
import { LabEvents } from './lab-events.js';
import '../theme.js';

export type TunnelLook = 'down' | 'negotiating' | 'up' | 'quantum-safe';

/** One tunnel as both ends see it: up only when both say so, quantum-safe when both mixed in a PPK. */
export function tunnelLook(a?: TunnelView, b?: TunnelView): TunnelLook {
  const ends = [a, b].filter((t): t is TunnelView => !!t);
  if (!ends.length) return 'down';
  if (ends.every((t) => t.state === 'up')) return ends.every((t) => t.quantumSafe) ? 'quantum-safe' : 'up';
  if (ends.some((t) => t.state === 'negotiating' || t.state === 'up')) return 'negotiating';
  return 'down';
}

// drawn, not emoji: a machine without an emoji font still shows them
const icon = (d: string) => html`<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">${svg`<path d=${d} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>`}</svg>`;
const LOOK: Record<TunnelLook, { icon: ReturnType<typeof icon>; text: string }> = {
  'down': { icon: icon('M4 4l8 8M12 4l-8 8'), text: 'down' },
  'negotiating': { icon: icon('M13 8a5 5 0 1 1-1.5-3.6M13 2v3h-3'), text: 'negotiating' },
  'up': { icon: icon('M3 8.5l3 3 7-7'), text: 'UP-ACTIVE' },
  'quantum-safe': { icon: icon('M8 1.5l5.5 2v4c0 3.5-2.4 6-5.5 7-3.1-1-5.5-3.5-5.5-7v-4zM5.5 8l2 2 3-3.5'), text: 'UP-ACTIVE · quantum-safe' },
};

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export class WsTopology extends LitElement {
  static override properties = {
    client: { attribute: false },
    states: { state: true },
    explanations: { state: true },
  };
  declare client: LabClient | undefined;
  declare states: Partial<Record<RouterName, RouterState>>;
  declare explanations: Partial<Record<RouterName, string>>;

  private readonly events = new LabEvents(this, (e) => this.onEvent(e), (c) => {
    c.state().then((s) => { this.states = { ...s, ...this.states }; }, () => {});
  });

  constructor() {
    super();
    this.states = {};
    this.explanations = {};
  }

  static override styles = css`
    :host { display: flex; flex-direction: column; justify-content: center; }
    .topo { display: grid; grid-template-columns: minmax(9rem, 1fr) minmax(12rem, 2.2fr) minmax(9rem, 1fr);
      align-items: center; gap: .5rem; }
    .router { border: 2px solid var(--ws-border-strong); border-radius: .6rem; padding: .5rem .7rem; background: var(--ws-surface-2); color: var(--ws-text); }
    .router h3 { margin: 0 0 .2rem; font-size: 1rem; }
    .router .name { display: inline-block; min-width: 1.4rem; padding: 0 .3rem; margin-right: .3rem; border-radius: .3rem;
      background: var(--ws-badge-bg); color: var(--ws-badge-text); text-align: center; }
    .router .role { font-size: .75rem; color: var(--ws-text-muted); }
    .router ul { list-style: none; margin: .25rem 0 0; padding: 0; font: .78rem/1.35 ui-monospace, 'DejaVu Sans Mono', monospace; }
    .middle { display: flex; flex-direction: column; gap: .35rem; }
    .link { position: relative; text-align: center; font-size: .75rem; color: var(--ws-text-muted); }
    .link::before { content: ''; position: absolute; left: 0; right: 0; top: 50%; border-top: 3px solid var(--ws-link-line); z-index: 0; }
    .link span { position: relative; background: var(--ws-surface); padding: 0 .4rem; }
    .tunnel { border-radius: .5rem; padding: .35rem .5rem; border: 2px solid; font-size: .8rem; }
    .tunnel .head { display: flex; align-items: center; gap: .4rem; font-weight: 650; }
    .tunnel .icon { display: inline-flex; width: 1.1rem; justify-content: center; }
    .tunnel.down { border-color: var(--ws-down-border); border-style: dashed; background: var(--ws-down-bg); color: var(--ws-down-text); }
    .tunnel.negotiating { border-color: var(--ws-nego-border); background: var(--ws-nego-bg); color: var(--ws-nego-text); }
    .tunnel.negotiating .icon { display: inline-block; animation: spin 1.2s linear infinite; }
    .tunnel.up { border-color: var(--ws-up-border); background: var(--ws-up-bg); color: var(--ws-up-text); }
    .tunnel.quantum-safe { border-color: var(--ws-qs-border); border-width: 3px; background: var(--ws-qs-bg); color: var(--ws-qs-text); }
    @keyframes spin { to { transform: rotate(360deg); } }
    @media (prefers-reduced-motion: reduce) { .tunnel.negotiating .icon { animation: none; } }
    table { width: 100%; border-collapse: collapse; margin-top: .25rem; font: .75rem ui-monospace, 'DejaVu Sans Mono', monospace; }
    th, td { text-align: right; padding: 0 .3rem; font-weight: 400; }
    th:first-child { text-align: left; }
    thead th { font-weight: 650; }
    .explain { margin: .25rem 0 0; font-size: .8rem; color: var(--ws-danger-text); background: var(--ws-danger-bg); padding: .3rem .45rem; border-radius: .35rem; }
    .none { font-size: .8rem; color: var(--ws-text-muted); text-align: center; }
    @media (max-width: 720px) { .topo { grid-template-columns: 1fr; } }
  `;

  override render() {
    const a = this.states.A, b = this.states.B;
    const n = Math.max(a?.tunnels.length ?? 0, b?.tunnels.length ?? 0);
    const tunnels = Array.from({ length: n }, (_, i) => [a?.tunnels[i], b?.tunnels[i]] as const);
    return html`
      <div class="topo" role="group" aria-label="Topology">
        ${this.routerBox('A', 'initiator')}
        <div class="middle">
          <div class="link" aria-label="Shared Ethernet link between A and B"><span>link (GigabitEthernet0/0/0/0–3, MgmtEth)</span></div>
          ${tunnels.length ? tunnels.map(([ta, tb]) => this.tunnelBox(ta, tb))
            : html`<p class="none">No tunnel configured yet${this.explainFor()}</p>`}
        </div>
        ${this.routerBox('B', 'responder')}
      </div>`;
  }

  private explainFor() {
    const text = this.explanations.A ?? this.explanations.B;
    return text ? html`<p class="explain" role="alert">${text}</p>` : nothing;
  }

  private routerBox(name: RouterName, role: string) {
    const s = this.states[name];
    return html`
      <section class="router" aria-label="Router ${name}" data-router=${name}>
        <h3><span class="name">${name}</span><span class="hostname">${s?.hostname ?? '…'}</span></h3>
        <div class="role">${role}</div>
        <ul aria-label="Interface addresses of ${name}">
          ${s?.addresses.length ? s.addresses.map((a) => html`<li>${a}</li>`) : html`<li>no addresses</li>`}
        </ul>
      </section>`;
  }

  private tunnelBox(ta?: TunnelView, tb?: TunnelView) {
    const look = tunnelLook(ta, tb);
    const { icon, text } = LOOK[look];
    const name = ta?.name ?? tb?.name ?? 'tunnel';
    const row = (label: string, t?: TunnelView, peer?: TunnelView) => html`
      <tr><th scope="row">${label}</th>
        <td class="pkts">${t?.packetsOut ?? 0}</td><td class="bytes">${formatBytes(t?.bytesOut ?? 0)}</td>
        <td class="drops">${(peer?.drops ?? 0)}</td></tr>`;
    const explain = look === 'up' || look === 'quantum-safe' ? nothing : this.explainFor();
    return html`
      <div class="tunnel ${look}" data-state=${look} data-name=${name} role="group" aria-label="${name}: ${text}">
        <div class="head"><span class="icon" aria-hidden="true">${icon}</span>
          <span>${name}</span><span class="state">${text}</span></div>
        <table aria-label="Counters of ${name}">
          <thead><tr><th scope="col">direction</th><th scope="col">packets</th><th scope="col">bytes</th><th scope="col" title="dropped by the receiving router">drops</th></tr></thead>
          <tbody>${row('A → B', ta, tb)}${row('B → A', tb, ta)}</tbody>
        </table>
        ${explain}
      </div>`;
  }

  private onEvent(e: LabEvent): void {
    if (e.kind === 'state') {
      this.states = { ...this.states, [e.state.name]: e.state };
      if (e.state.tunnels.some((t) => t.state === 'up')) {
        const { [e.state.name]: _gone, ...rest } = this.explanations;
        this.explanations = rest;
      }
    } else if (e.kind === 'lab') {
      this.explanations = {};
    } else if (e.kind === 'explain') {
      this.explanations = { ...this.explanations, [e.router]: e.text };
    }
  }
}
customElements.define('ws-topology', WsTopology);

declare global {
  interface HTMLElementTagNameMap { 'ws-topology': WsTopology }
}
