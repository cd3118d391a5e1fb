// <ws-lab-app> with a fake LabClient: every panel gets the client, the layout holds at 1280×720 (consoles
// side by side, the ladder above the fold), puts the ladder beside them at 1920×1080 and stacks on narrow
// screens, keyboard focus reaches the controls, text meets WCAG AA contrast, the self-test opens in a
// dialog, and nothing logs an error.
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../web/components/lab-app.js';
import type { WsLabApp } from '../../web/components/lab-app.js';
import { FakeLab, mount, routerState, tunnel, until } from './ui-fake.js';
declare function beforeEach(fn: () => void | Promise<void>): void; // mocha's (test/support/globals.d.ts has the shared subset)
declare function afterEach(fn: () => void | Promise<void>): void;

const sr = (el: Element) => el.shadowRoot!;

/** Walks elements through open shadow roots. */
function* deep(root: Element | ShadowRoot): Generator<Element> {
  for (const el of root.querySelectorAll('*')) {
    yield el;
    if (el.shadowRoot) yield* deep(el.shadowRoot);
  }
}

function parent(el: Element): Element | null {
  return el.parentElement ?? ((el.getRootNode() as ShadowRoot).host ?? null);
}

function rgba(c: string): [number, number, number, number] {
  const m = c.match(/rgba?\(([^)]+)\)/);
  if (!m) return [0, 0, 0, 0];
  const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p[3] ?? 1];
}

function luminance([r, g, b]: number[]): number {
  const f = (v: number) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

function background(el: Element): number[] {
  for (let e: Element | null = el; e; e = parent(e)) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c[3] > 0.5) return c;
  }
  return [255, 255, 255];
}

describe('ui: <ws-lab-app>', () => {
  let errors: unknown[] = [];
  const origError = console.error;
  beforeEach(() => { errors = []; console.error = (...a: unknown[]) => { errors.push(a); origError(...a); }; });
  afterEach(() => { console.error = origError; document.querySelectorAll('ws-lab-app').forEach((e) => e.remove()); });

  async function app(): Promise<{ el: WsLabApp; lab: FakeLab }> {
    const lab = new FakeLab();
    lab.states.A = routerState('A', { tunnels: [tunnel({ state: 'up', quantumSafe: true })] });
    lab.states.B = routerState('B', { tunnels: [tunnel({ state: 'up', quantumSafe: true })] });
    const el = mount<WsLabApp>('ws-lab-app', { client: lab });
    await el.updateComplete;
    const termA = sr(el).querySelector('ws-terminal[router=A]')!;
    await (termA as unknown as { ready(): Promise<void> }).ready();
    await until(() => sr(el).querySelector('ws-topology')!.shadowRoot!.querySelector('.tunnel'), 'topology state');
    return { el, lab };
  }

  it('hands the client to every panel and renders the ladder', async () => {
    const { el, lab } = await app();
    for (const tag of ['ws-labs', 'ws-downloads', 'ws-topology', 'ws-terminal', 'ws-wire-inspector', 'ws-ladder']) {
      const all = [...sr(el).querySelectorAll(tag)];
      expect(all.length, tag).to.be.greaterThan(0);
      for (const c of all) expect((c as unknown as { client: unknown }).client, tag).to.equal(lab);
    }
    expect(customElements.get('ws-ladder'), 'ladder defined').to.not.equal(undefined);
    expect(errors).to.deep.equal([]);
  });

  it('shows a starting message without a client, and the error when the lab cannot start', async () => {
    const el = mount<WsLabApp>('ws-lab-app');
    await el.updateComplete;
    expect(sr(el).querySelector('.starting')!.textContent).to.include('Starting');
    el.error = 'no WebRTC';
    await el.updateComplete;
    expect(sr(el).querySelector('[role=alert]')!.textContent).to.include('no WebRTC');
  });

  it('fits a 1280×720 laptop: consoles side by side; they stack on a narrow screen', async () => {
    await setViewport({ width: 1280, height: 720 });
    const { el } = await app();
    const [a, b] = [...sr(el).querySelectorAll('ws-terminal')].map((t) => t.getBoundingClientRect());
    expect(Math.abs(a.top - b.top)).to.be.lessThan(2);
    expect(a.right).to.be.lessThan(b.left);
    expect(b.right).to.be.at.most(1280);
    expect(document.documentElement.scrollWidth, 'no horizontal scroll').to.be.at.most(1280);
    const topo = sr(el).querySelector('ws-topology')!.getBoundingClientRect();
    expect(topo.top).to.be.lessThan(720);
    const ladder = sr(el).querySelector('.ladder')!.getBoundingClientRect();
    expect(ladder.top, 'the ladder starts above the fold, with room for its first messages').to.be.lessThan(720 - 120);
    expect(a.height, 'consoles keep a usable height').to.be.at.least(200);
    await setViewport({ width: 900, height: 900 });
    await new Promise((r) => setTimeout(r, 100));
    const [a2, b2] = [...sr(el).querySelectorAll('ws-terminal')].map((t) => t.getBoundingClientRect());
    expect(b2.top).to.be.at.least(a2.bottom);
    expect(document.documentElement.scrollWidth).to.be.at.most(900);
    await setViewport({ width: 1280, height: 720 });
  });

  it('on a wide screen the ladder runs beside the network and the consoles, as tall as both', async () => {
    await setViewport({ width: 1920, height: 1080 });
    try {
      const { el } = await app();
      const [a, b] = [...sr(el).querySelectorAll('ws-terminal')].map((t) => t.getBoundingClientRect());
      const net = sr(el).querySelector('.net')!.getBoundingClientRect();
      const ladder = sr(el).querySelector('.ladder')!.getBoundingClientRect();
      expect(ladder.left).to.be.greaterThan(b.right);
      expect(Math.abs(ladder.top - net.top)).to.be.lessThan(2);
      expect(Math.abs(ladder.bottom - a.bottom)).to.be.lessThan(2);
      expect(b.left - a.left, 'consoles wide enough for IOS XR output').to.be.at.least(560);
      expect(a.bottom, 'everything above the fold').to.be.at.most(1080);
      expect(document.documentElement.scrollWidth).to.be.at.most(1920);
    } finally {
      await setViewport({ width: 1280, height: 720 });
    }
  });

  it('text meets WCAG AA contrast (4.5:1, 3:1 for large text)', async () => {
    await setViewport({ width: 1280, height: 720 });
    const { el } = await app();
    const menu = sr(el).querySelector('ws-downloads')!.shadowRoot!.querySelector('details')!;
    menu.open = true; // the Downloads menu's contents count too
    const bad: string[] = [];
    let checked = 0;
    for (const e of deep(sr(el))) {
      if (e.closest('.xterm') || (e.getRootNode() as ShadowRoot).host?.closest?.('.xterm')) continue;
      const own = [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      if (!own) continue;
      const cs = getComputedStyle(e);
      if (cs.visibility === 'hidden' || cs.display === 'none' || e.getBoundingClientRect().width === 0) continue;
      checked++;
      const fg = rgba(cs.color);
      const l1 = luminance(fg), l2 = luminance(background(e));
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      const size = parseFloat(cs.fontSize), weight = Number(cs.fontWeight);
      const need = size >= 24 || (size >= 18.66 && weight >= 700) ? 3 : 4.5;
      if (ratio < need) bad.push(`${e.tagName.toLowerCase()}.${e.className} "${e.textContent!.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
    }
    expect(bad).to.deep.equal([]);
    expect(checked).to.be.greaterThan(40);
  });

  it('is keyboard operable: Tab reaches the lab picker, buttons, sliders and the consoles, with a visible focus', async () => {
    const { el } = await app();
    (document.activeElement as HTMLElement | null)?.blur();
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await sendKeys({ press: 'Tab' });
      let a: Element | null = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      if (!a) continue;
      const host = (a.getRootNode() as ShadowRoot).host;
      seen.push(`${host?.tagName.toLowerCase() ?? ''}>${a.tagName.toLowerCase()}${a.id ? '#' + a.id : ''}`);
      if (a.tagName === 'TEXTAREA') break;
      const cs = getComputedStyle(a);
      expect(cs.outlineStyle !== 'none' || cs.boxShadow !== 'none', `focus visible on ${seen[seen.length - 1]}`).to.equal(true);
    }
    expect(seen).to.include('ws-labs>select#lab');
    expect(seen).to.include('ws-labs>button#load');
    expect(seen).to.include('ws-downloads>summary');
    expect(seen.some((s) => s.startsWith('ws-wire-inspector>input#lossPct'))).to.equal(true);
    expect(seen[seen.length - 1]).to.equal('ws-terminal>textarea');
    void el;
  });

  it('opens the crypto self-test in a dialog and closes it', async () => {
    const { el } = await app();
    sr(el).querySelector<HTMLButtonElement>('#selftest-btn')!.click();
    await el.updateComplete;
    const d = sr(el).querySelector<HTMLDialogElement>('dialog#selftest')!;
    expect(d.open).to.equal(true);
    expect(d.querySelector('webswan-app')).to.not.equal(null);
    d.querySelector<HTMLButtonElement>('.close button')!.click();
    await el.updateComplete;
    expect(sr(el).querySelector('dialog#selftest')).to.equal(null);
  });
});
