// <ws-lab-app> with a fake LabClient: every panel gets the client, the layout holds at 1280×720 (consoles
// side by side, the ladder above the fold), puts the ladder beside them at 1920×1080 and stacks on narrow
// screens, keyboard focus reaches the controls, text meets WCAG AA contrast in the light and the dark theme,
// the self-test opens in a dialog, and nothing logs an error.
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../web/components/lab-app.js';
import type { WsLabApp } from '../../web/components/lab-app.js';
import { FakeLab, mount, routerState, tunnel, until } from './ui-fake.js';
import { contrastFailures } from './ui-contrast.js';
import { setThemePreference } from '../../web/theme.js';
declare function beforeEach(fn: () => void | Promise<void>): void; // mocha's (test/support/globals.d.ts has the shared subset)
declare function afterEach(fn: () => void | Promise<void>): void;

const sr = (el: Element) => el.shadowRoot!;

describe('ui: <ws-lab-app>', () => {
  let errors: unknown[] = [];
  const origError = console.error;
  beforeEach(() => { errors = []; console.error = (...a: unknown[]) => { errors.push(a); origError(...a); }; });
  afterEach(() => { console.error = origError; document.querySelectorAll('ws-lab-app').forEach((e) => e.remove()); });

  /** `current`: the lab loaded ('ppk-dynamic' shows the key sources strip). */
  async function app(current?: string): Promise<{ el: WsLabApp; lab: FakeLab }> {
    const lab = new FakeLab();
    lab.current = current;
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
    for (const tag of ['ws-labs', 'ws-downloads', 'ws-topology', 'ws-terminal', 'ws-wire-inspector', 'ws-key-sources', 'ws-ladder']) {
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

  it('in the Dynamic PPK lab the key sources strip spans the network row; 1280×720, 900 px and 1920×1080 still fit', async () => {
    await setViewport({ width: 1280, height: 720 });
    try {
      const { el } = await app('ppk-dynamic');
      const ks = sr(el).querySelector('ws-key-sources')!;
      await until(() => ks.shadowRoot!.querySelector('tr[data-kp=KP_B]'), 'key sources status');
      expect(ks.hasAttribute('hidden')).to.equal(false);
      const net = sr(el).querySelector('.net')!.getBoundingClientRect();
      let k = ks.getBoundingClientRect();
      const inspB = sr(el).querySelector('ws-wire-inspector[router=B]')!.getBoundingClientRect();
      expect(k.top, 'under the inspectors').to.be.at.least(inspB.bottom);
      expect(Math.abs(k.left - net.left) + Math.abs(k.right - net.right), 'as wide as the network row').to.be.lessThan(2);
      expect(k.height, 'a strip, not a tall panel').to.be.at.most(110);
      const [a, b] = [...sr(el).querySelectorAll('ws-terminal')].map((t) => t.getBoundingClientRect());
      expect(a.top).to.be.at.least(k.bottom);
      expect(Math.abs(a.top - b.top)).to.be.lessThan(2);
      expect(a.height, 'consoles keep a usable height').to.be.at.least(200);
      const ladder = sr(el).querySelector('.ladder')!.getBoundingClientRect();
      expect(ladder.top, 'the ladder still starts above the fold').to.be.lessThan(720 - 120);
      expect(document.documentElement.scrollWidth, 'no horizontal scroll').to.be.at.most(1280);
      // cut, slowed and budgeted: the longest status line still fits
      ks.shadowRoot!.querySelector<HTMLInputElement>('input[name=cut]')!.click();
      await until(() => ks.shadowRoot!.querySelector<HTMLElement>('[data-link]')?.dataset.link === 'cut', 'cut');
      await (ks as unknown as { act(a: unknown): Promise<void> }).act({ op: 'slow', ms: 1500 });
      await (ks as unknown as { act(a: unknown): Promise<void> }).act({ op: 'budget', bits: 4096 });
      await new Promise((r) => setTimeout(r, 50));
      expect(ks.getBoundingClientRect().height, 'cut: no taller').to.be.at.most(k.height + 1);

      await setViewport({ width: 900, height: 900 });
      await new Promise((r) => setTimeout(r, 100));
      k = ks.getBoundingClientRect();
      expect(k.right).to.be.at.most(900);
      const [a2, b2] = [...sr(el).querySelectorAll('ws-terminal')].map((t) => t.getBoundingClientRect());
      expect(a2.top).to.be.at.least(k.bottom);
      expect(b2.top).to.be.at.least(a2.bottom);
      expect(document.documentElement.scrollWidth).to.be.at.most(900);

      await setViewport({ width: 1920, height: 1080 });
      await new Promise((r) => setTimeout(r, 100));
      const [a3] = [...sr(el).querySelectorAll('ws-terminal')].map((t) => t.getBoundingClientRect());
      const ladder3 = sr(el).querySelector('.ladder')!.getBoundingClientRect();
      expect(ks.getBoundingClientRect().right).to.be.lessThan(ladder3.left);
      expect(Math.abs(ladder3.bottom - a3.bottom)).to.be.lessThan(2);
      expect(a3.bottom, 'everything above the fold').to.be.at.most(1080);
    } finally {
      await setViewport({ width: 1280, height: 720 });
    }
  });

  it('the key sources strip is hidden outside the Dynamic PPK lab', async () => {
    const { el, lab } = await app('psk-ipv4');
    const ks = sr(el).querySelector('ws-key-sources')!;
    expect(ks.hasAttribute('hidden')).to.equal(true);
    expect(ks.getBoundingClientRect().height).to.equal(0);
    lab.emit({ kind: 'lab', name: 'ppk-dynamic' });
    await until(() => !ks.hasAttribute('hidden'), 'shown when the Dynamic PPK lab loads');
    expect(ks.getBoundingClientRect().height).to.be.greaterThan(40);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`text meets WCAG AA contrast (4.5:1, 3:1 for large text): ${theme} theme`, async () => {
      await setViewport({ width: 1280, height: 720 });
      setThemePreference(theme);
      try {
        const { el } = await app('ppk-dynamic'); // the Dynamic PPK lab: the key sources strip counts too
        const ks = sr(el).querySelector('ws-key-sources')!.shadowRoot!;
        await until(() => ks.querySelector('tr[data-kp=KP_B]'), 'key sources status');
        const budget = ks.querySelector<HTMLInputElement>('#ks-budget')!;
        budget.value = '512';
        budget.dispatchEvent(new Event('input'));
        const menu = sr(el).querySelector('ws-downloads')!.shadowRoot!.querySelector('details')!;
        menu.open = true; // the Downloads menu's contents count too
        const { bad, checked } = contrastFailures(sr(el));
        expect(bad).to.deep.equal([]);
        expect(checked).to.be.greaterThan(40);
        expect(getComputedStyle(el).colorScheme, 'the theme in effect').to.equal(theme);
        // the strip with the QKD link cut: its red badge and note
        ks.querySelector<HTMLInputElement>('input[name=cut]')!.click();
        await until(() => ks.querySelector<HTMLElement>('[data-link]')?.dataset.link === 'cut', 'cut');
        const cut = contrastFailures(ks);
        expect(cut.bad).to.deep.equal([]);
        expect(cut.checked).to.be.greaterThan(20);
      } finally {
        setThemePreference('system');
      }
    });
  }

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
    expect(seen).to.include('ws-theme-toggle>select#theme');
    expect(seen.some((s) => s.startsWith('ws-wire-inspector>input#lossPct'))).to.equal(true);
    expect(seen[seen.length - 1]).to.equal('ws-terminal>textarea');
    void el;
  });

  it('is keyboard operable in the Dynamic PPK lab: after the wire inspectors, Tab walks the key sources controls, then the consoles', async () => {
    const { el } = await app('ppk-dynamic');
    const ks = sr(el).querySelector('ws-key-sources')!;
    await until(() => ks.shadowRoot!.querySelector('tr[data-kp=KP_B]'), 'key sources status');
    const clearB = [...sr(el).querySelector('ws-wire-inspector[router=B]')!.shadowRoot!.querySelectorAll('button')].pop()!;
    clearB.focus();
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      await sendKeys({ press: 'Tab' });
      let a: Element | null = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      if (!a) continue;
      const host = (a.getRootNode() as ShadowRoot).host;
      seen.push(`${host?.tagName.toLowerCase() ?? ''}>${a.tagName.toLowerCase()}${a.id ? '#' + a.id : ''}${a.className ? '.' + a.className : ''}`);
      if (a.tagName === 'TEXTAREA') break;
      const cs = getComputedStyle(a);
      expect(cs.outlineStyle !== 'none' || cs.boxShadow !== 'none', `focus visible on ${seen[seen.length - 1]}`).to.equal(true);
    }
    expect(seen).to.deep.equal(['ws-key-sources>input', 'ws-key-sources>input#ks-delay', 'ws-key-sources>button',
      'ws-key-sources>input#ks-budget', 'ws-key-sources>button', 'ws-key-sources>button.unlimited', 'ws-key-sources>button.reset',
      'ws-terminal>textarea.xterm-helper-textarea']);
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
