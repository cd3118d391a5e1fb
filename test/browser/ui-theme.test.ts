// The colour themes (web/theme.ts): the toggle (system / light / dark) stores the choice and applies it,
// another toggle and a reload (index.html's inline head script, run as the page runs it) find it again,
// the system's prefers-color-scheme decides when nothing is chosen, and the meta theme-color follows. Every
// component, in every state that has its own colours, meets WCAG AA in both themes; the ladder keeps IKE,
// ESP and lost messages apart; the consoles' xterm.js theme follows the theme live.
import { expect } from '@esm-bundle/chai';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import '../../web/components/lab-app.js';
import type { WsLabApp } from '../../web/components/lab-app.js';
import type { WsTerminal } from '../../web/components/terminal.js';
import type { WsThemeToggle } from '../../web/components/theme-toggle.js';
import type { LadderEntry, RouterName } from '../../src/lab/protocol.js';
import type { SelftestReport } from '../../src/crypto/index.js';
import { THEME_KEY, TOKENS, currentTheme, setThemePreference, themePreference, tokenValue, type Theme } from '../../web/theme.js';
import { FakeLab, mount, routerState, tunnel, until } from './ui-fake.js';
import { contrastFailures, hexRgb, ratio, rgba } from './ui-contrast.js';
declare function afterEach(fn: () => void | Promise<void>): void;

const sr = (el: Element) => el.shadowRoot!;
const root = document.documentElement;
const token = (name: string) => getComputedStyle(root).getPropertyValue(`--ws-${name}`).trim();
const rgb = (h: string) => `rgb(${hexRgb(h).join(', ')})`;

/** web/index.html as served, parsed. */
async function indexHtml(): Promise<Document> {
  return new DOMParser().parseFromString(await (await fetch('/web/index.html')).text(), 'text/html');
}

/** What a reload does before first paint: index.html's inline script in <head>, run on this page. */
async function runHeadScript(): Promise<void> {
  const scripts = [...(await indexHtml()).head.querySelectorAll('script:not([src])')];
  expect(scripts.length, 'one inline script in <head>').to.equal(1);
  new Function(scripts[0].textContent!)();
}

afterEach(async () => {
  setThemePreference('system');
  await emulateMedia({ colorScheme: 'light' });
  document.querySelectorAll('ws-lab-app, ws-theme-toggle, ws-terminal').forEach((e) => e.remove());
});

describe('ui: theme choice', () => {
  it('the toggle sets, stores and applies light, dark and system; another toggle and a reload find it again', async () => {
    // the page's meta theme-color tags, as index.html has them
    for (const m of (await indexHtml()).head.querySelectorAll('meta[name=theme-color]')) document.head.append(m.cloneNode());
    const metas = () => [...document.querySelectorAll<HTMLMetaElement>('meta[name=theme-color]')];
    expect(metas().map((m) => m.media)).to.deep.equal(['(prefers-color-scheme: light)', '(prefers-color-scheme: dark)']);
    expect(metas().map((m) => m.content)).to.deep.equal([tokenValue('header-bg', 'light'), tokenValue('header-bg', 'dark')]);

    const toggle = mount<WsThemeToggle>('ws-theme-toggle');
    await toggle.updateComplete;
    const select = sr(toggle).querySelector('select')!;
    expect(select.value).to.equal('system');
    expect(root.hasAttribute('data-theme')).to.equal(false);
    const choose = async (v: string) => { select.value = v; select.dispatchEvent(new Event('change')); await toggle.updateComplete; };

    await choose('dark');
    expect(localStorage.getItem(THEME_KEY)).to.equal('dark');
    expect(root.getAttribute('data-theme')).to.equal('dark');
    expect(token('page-bg')).to.equal(tokenValue('page-bg', 'dark'));
    expect(getComputedStyle(root).colorScheme).to.equal('dark');
    expect(metas().map((m) => m.content), 'both metas: the chosen theme').to.deep.equal([tokenValue('header-bg', 'dark'), tokenValue('header-bg', 'dark')]);

    const second = mount<WsThemeToggle>('ws-theme-toggle');
    await second.updateComplete;
    expect(sr(second).querySelector('select')!.value, 'a new toggle shows the stored choice').to.equal('dark');
    root.removeAttribute('data-theme');
    await runHeadScript();
    expect(root.getAttribute('data-theme'), 'the head script restores it before first paint').to.equal('dark');

    await choose('light');
    expect(localStorage.getItem(THEME_KEY)).to.equal('light');
    expect(sr(second).querySelector('select')!.value, 'the other toggle follows').to.equal('light');
    await emulateMedia({ colorScheme: 'dark' });
    expect(token('page-bg'), 'an explicit light wins over a dark system').to.equal(tokenValue('page-bg', 'light'));
    expect(currentTheme()).to.equal('light');

    await choose('system');
    expect(localStorage.getItem(THEME_KEY)).to.equal(null);
    expect(root.hasAttribute('data-theme')).to.equal(false);
    expect(token('page-bg'), 'system, dark').to.equal(tokenValue('page-bg', 'dark'));
    expect(currentTheme()).to.equal('dark');
    await emulateMedia({ colorScheme: 'light' });
    expect(token('page-bg'), 'system, light').to.equal(tokenValue('page-bg', 'light'));
    expect(metas().map((m) => m.content), 'each meta: its own scheme').to.deep.equal([tokenValue('header-bg', 'light'), tokenValue('header-bg', 'dark')]);
    metas().forEach((m) => m.remove());
  });

  it('ignores a stored value that is not a theme', async () => {
    localStorage.setItem(THEME_KEY, 'purple');
    root.removeAttribute('data-theme');
    await runHeadScript();
    expect(root.hasAttribute('data-theme')).to.equal(false);
    expect(themePreference()).to.equal('system');
    localStorage.removeItem(THEME_KEY);
  });

  it('with storage refused (private mode) the choice still holds for the page', async () => {
    const get = Storage.prototype.getItem, set = Storage.prototype.setItem;
    Storage.prototype.getItem = () => { throw new DOMException('denied', 'SecurityError'); };
    Storage.prototype.setItem = () => { throw new DOMException('denied', 'SecurityError'); };
    try {
      setThemePreference('dark');
      expect(themePreference()).to.equal('dark');
      expect(currentTheme()).to.equal('dark');
      expect(root.getAttribute('data-theme')).to.equal('dark');
      setThemePreference('light');
      expect(themePreference()).to.equal('light');
    } finally {
      Storage.prototype.getItem = get;
      Storage.prototype.setItem = set;
      setThemePreference('system');
    }
  });

  it('the manifest keeps the light theme\'s colours (it has no per-scheme colours)', async () => {
    const m = await (await fetch('/web/manifest.webmanifest')).json() as { theme_color: string; background_color: string };
    expect(m.theme_color).to.equal(tokenValue('header-bg', 'light'));
    expect(m.background_color).to.equal(tokenValue('page-bg', 'light'));
  });

  it('the ladder tells IKE, ESP and lost messages apart in both themes', () => {
    for (const t of ['light', 'dark'] as const) {
      const [ike, esp, lost, surface] = (['ike', 'esp', 'lost', 'surface'] as const).map((k) => hexRgb(tokenValue(k, t)));
      for (const [a, b, what] of [[ike, esp, 'IKE/ESP'], [ike, lost, 'IKE/lost'], [esp, lost, 'ESP/lost']] as const) {
        const d = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
        expect(d, `${t}: ${what} colours differ`).to.be.greaterThan(100);
      }
      for (const c of [ike, esp, lost]) expect(ratio(c, surface), `${t}: arrow against the panel (3:1)`).to.be.at.least(3);
    }
  });
});

let nextId = 0;
function ike(from: RouterName, summary: string, received: boolean, keys?: Record<string, string>): LadderEntry[] {
  const rawHex = (++nextId).toString(16).padStart(8, '0') + '2120220800000000';
  const base = {
    at: Date.now(), kind: 'ike' as const, summary, rawHex, keys,
    dissection: [
      { name: 'IKE header', children: [{ name: 'Exchange type', value: summary.split(' ')[0] }, { name: 'Message ID', value: '1' }] },
      ...(keys ? [{ name: 'Encrypted and Authenticated (SK)', value: 'decrypted with SK_ei and SK_ai', children: [{ name: 'IDi', value: 'IPv4 192.0.2.1' }, { name: 'AUTH', value: 'Shared Key MIC' }] }] : []),
    ],
  };
  const to: RouterName = from === 'A' ? 'B' : 'A';
  return [{ ...base, id: ++nextId, router: from, dir: 'out' }, ...(received ? [{ ...base, id: ++nextId, router: to, dir: 'in' as const }] : [])];
}
function esp(from: RouterName, seq: number): LadderEntry[] {
  const summary = `ESP SPI 0xc0ffee01 seq ${seq}: ICMP echo request 10.1.1.1 → 10.2.2.2`;
  const base = { at: Date.now(), kind: 'esp' as const, summary, rawHex: '4500001c', dissection: [{ name: 'IPv4', value: '10.1.1.1 → 10.2.2.2' }], keys: { 'ESP encryption': 'aabb' } };
  return [{ ...base, id: ++nextId, router: from, dir: 'out' }, { ...base, id: ++nextId, router: from === 'A' ? 'B' : 'A', dir: 'in' }];
}

/** The lab in every state with colours of its own: tunnel states, explanations, a cut wire, the ladder with a dissection open. */
async function busyLab(): Promise<WsLabApp> {
  const lab = new FakeLab();
  const tunnels = [tunnel({ state: 'up', quantumSafe: true }), tunnel({ name: 'tunnel-ip2', state: 'negotiating' }),
    tunnel({ name: 'tunnel-ip3', state: 'down' }), tunnel({ name: 'tunnel-ip4', state: 'up' })];
  lab.states.A = routerState('A', { tunnels });
  lab.states.B = routerState('B', { tunnels: tunnels.map((t, i) => (i === 1 ? { ...t, state: 'down' as const } : t)) });
  const keys = { SK_ei: '00112233', SK_ai: '44556677', SK_er: '8899aabb', SK_ar: 'ccddeeff' };
  const entries = [...ike('A', 'IKE_SA_INIT request 0 [ SA KE No ]', true), ...ike('B', 'IKE_SA_INIT response 0 [ SA KE No ]', true),
    ...ike('A', 'IKE_AUTH request 1 [ IDi AUTH SA TSi TSr ]', true, keys), ...esp('A', 1),
    ...ike('A', 'INFORMATIONAL request 2 [ ]', false, keys), ...[2, 3, 4, 5, 6, 7].flatMap((s) => esp(s % 2 ? 'A' : 'B', s))];
  const el = mount<WsLabApp>('ws-lab-app', { client: lab });
  await el.updateComplete;
  await (sr(el).querySelector('ws-terminal[router=A]') as WsTerminal).ready();
  lab.emit({ kind: 'lab', name: 'broken-psk' }); // before the entries: a lab load starts the ladder over
  for (const entry of entries) lab.emit({ kind: 'ladder', entry });
  lab.emit({ kind: 'explain', router: 'A', at: Date.now(), text: 'Router B rejected the pre-shared key: the keys differ.' });
  lab.emit({ kind: 'impairment', router: 'A', impairment: { cut: true, lossPct: 20 } });
  lab.emit({ kind: 'wire', router: 'A', dir: 'out', at: 0, length: 100, dropped: 'impairment: cable cut' });
  const ladder = sr(el).querySelector('ws-ladder')!;
  await until(() => sr(ladder).querySelector('.row.lost') && sr(ladder).querySelector('.row.run'), 'ladder rows');
  const auth = [...sr(ladder).querySelectorAll<HTMLElement>('.row[data-arrow]')].find((r) => /IKE_AUTH/.test(r.getAttribute('aria-label')!))!;
  auth.click();
  await until(() => sr(ladder).querySelector('ws-dissection')?.shadowRoot?.querySelector('dl.keys'), 'dissection');
  const d = sr(ladder).querySelector('ws-dissection')!;
  sr(d).querySelectorAll('details').forEach((x) => { x.open = true; });
  await until(() => sr(sr(el).querySelector('ws-topology')!).querySelectorAll('.tunnel').length === 4, 'four tunnels');
  await until(() => sr(sr(el).querySelector('ws-topology')!).querySelector('.explain'), 'explanation under a tunnel');
  sr(sr(el).querySelector('ws-downloads')!).querySelector('details')!.open = true;
  await new Promise((r) => setTimeout(r, 50));
  return el;
}

describe('ui: both themes', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`every component meets WCAG AA in the ${theme} theme (chosen, and from the system)`, async () => {
      await setViewport({ width: 1280, height: 720 });
      for (const how of ['chosen', 'system'] as const) {
        if (how === 'chosen') setThemePreference(theme);
        else { setThemePreference('system'); await emulateMedia({ colorScheme: theme }); }
        const el = await busyLab();
        expect(getComputedStyle(el).colorScheme).to.equal(theme);
        const topo = sr(sr(el).querySelector('ws-topology')!);
        expect([...topo.querySelectorAll('.tunnel')].map((t) => t.getAttribute('data-state'))).to.deep.equal(['quantum-safe', 'negotiating', 'down', 'up']);
        const ladder = sr(sr(el).querySelector('ws-ladder')!);
        for (const sel of ['.banner', '.row.lost', '.row.run', '.row.esp[data-arrow]', '.row[aria-selected=true]', 'ws-dissection']) {
          expect(ladder.querySelector(sel), sel).to.not.equal(null);
        }
        expect(sr(sr(el).querySelector('ws-wire-inspector')!).querySelector('.cut.on')).to.not.equal(null);
        const { bad, checked } = contrastFailures(sr(el));
        expect(bad, `${theme} (${how})`).to.deep.equal([]);
        expect(checked).to.be.greaterThan(90);
        el.remove();
      }
    });

    it(`the starting and error states and the self-test dialog meet WCAG AA in the ${theme} theme`, async () => {
      setThemePreference(theme);
      const el = mount<WsLabApp>('ws-lab-app');
      await el.updateComplete;
      expect(contrastFailures(sr(el).querySelector('.starting')!.parentElement!).bad).to.deep.equal([]);
      el.error = 'no WebRTC';
      await el.updateComplete;
      sr(el).querySelector<HTMLButtonElement>('#selftest-btn')!.click();
      await el.updateComplete;
      const app = sr(el).querySelector('webswan-app') as HTMLElement & { report?: SelftestReport; updateComplete: Promise<boolean> };
      await until(() => customElements.get('webswan-app') && app.shadowRoot, 'self-test view');
      const running = contrastFailures(sr(el));
      expect(running.bad, 'running').to.deep.equal([]);
      app.report = {
        ok: false, passed: 1, failed: 1, platform: 'WebCrypto', variant: 'simd', ms: 3,
        checks: [{ name: 'AES-CBC', ok: true }, { name: 'HMAC-SHA-256', ok: false, error: 'got 00, want 01' }],
      } as SelftestReport;
      await app.updateComplete;
      expect(sr(app).querySelector('li.bad .err')).to.not.equal(null);
      const { bad, checked } = contrastFailures(sr(el));
      expect(bad).to.deep.equal([]);
      expect(checked).to.be.greaterThan(10);
      app.report = { ...app.report, ok: true, failed: 0, checks: [{ name: 'AES-CBC', ok: true }] } as SelftestReport;
      await app.updateComplete;
      expect(contrastFailures(sr(el)).bad, 'passed').to.deep.equal([]);
    });
  }
});

describe('ui: the consoles follow the theme', () => {
  const ANSI = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

  it('the terminal colours meet AA on the terminal background in both themes', () => {
    for (const t of ['light', 'dark'] as Theme[]) {
      const bg = hexRgb(tokenValue('term-bg', t));
      for (const c of ['fg', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan'] as const) {
        expect(ratio(hexRgb(tokenValue(`term-${c}`, t)), bg), `${t}: ${c}`).to.be.at.least(4.5);
      }
      expect(ratio(hexRgb(tokenValue('term-selection-fg', t)), hexRgb(tokenValue('term-selection', t))), `${t}: selection`).to.be.at.least(4.5);
    }
  });

  it('xterm.js takes the theme at start and switches live: chosen, and from the system', async () => {
    await emulateMedia({ colorScheme: 'light' });
    const lab = new FakeLab();
    const el = mount<WsTerminal>('ws-terminal', { router: 'A', client: lab }, 'height: 300px; width: 700px');
    await el.ready();
    const screen = () => sr(el).querySelector('.xterm-scrollable-element')!;
    const rows = () => sr(el).querySelector('.xterm-rows')!;
    const expectTheme = (t: Theme, why: string) => {
      const opt = el.term!.options.theme!;
      expect(opt.background, why).to.equal(tokenValue('term-bg', t));
      expect(opt.foreground, why).to.equal(tokenValue('term-fg', t));
      expect(opt.cyan, why).to.equal(tokenValue('term-cyan', t));
      expect(getComputedStyle(screen()).backgroundColor, `${why}: drawn`).to.equal(rgb(tokenValue('term-bg', t)));
      expect(getComputedStyle(rows()).color, `${why}: text`).to.equal(rgb(tokenValue('term-fg', t)));
      expect(getComputedStyle(sr(el).querySelector('.bar')!).backgroundColor, `${why}: title bar`).to.equal(rgb(tokenValue('term-bar-bg', t)));
    };
    expectTheme('light', 'at start (system: light)');
    setThemePreference('dark');
    expectTheme('dark', 'dark chosen');
    setThemePreference('light');
    await emulateMedia({ colorScheme: 'dark' });
    expectTheme('light', 'light chosen, system dark');
    setThemePreference('system');
    await until(() => el.term!.options.theme!.background === tokenValue('term-bg', 'dark'), 'system dark');
    expectTheme('dark', 'system dark');
    await emulateMedia({ colorScheme: 'light' });
    await until(() => el.term!.options.theme!.background === tokenValue('term-bg', 'light'), 'system light');
    expectTheme('light', 'system light');
    // detached while the theme changes: it catches up when attached again
    el.remove();
    setThemePreference('dark');
    document.body.append(el);
    expectTheme('dark', 're-attached');
  });

  it('what the consoles print meets AA in both themes (every ANSI colour, the prompt, the text)', async () => {
    const el = mount<WsTerminal>('ws-terminal', { router: 'A', client: new FakeLab() }, 'height: 300px; width: 700px');
    await el.ready();
    const line = ANSI.map((c, i) => `\x1b[3${i}m${c}\x1b[0m`).join(' ');
    await new Promise<void>((r) => el.term!.write(`\r\n${line}\r\nplain text\r\n`, r));
    for (const t of ['light', 'dark'] as Theme[]) {
      setThemePreference(t);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const bg = hexRgb(tokenValue('term-bg', t));
      const spans = [...sr(el).querySelectorAll<HTMLElement>('.xterm-rows span, .xterm-rows > div')]
        .filter((s) => [...s.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim()));
      const seen = spans.map((s) => s.textContent!.trim());
      for (const c of ANSI) expect(seen, `${t}: ${c} drawn`).to.include(c);
      const bad = spans.map((s) => [s.textContent!.trim(), ratio(rgba(getComputedStyle(s).color), bg)] as const).filter(([, r]) => r < 4.5);
      expect(bad, t).to.deep.equal([]);
    }
  });
});

it('every token has a light and a dark value, as colours', () => {
  for (const [k, [l, d]] of Object.entries(TOKENS)) {
    for (const v of [l, d]) expect(v, k).to.match(/^(#[0-9a-f]{6}|rgba\(\d+, \d+, \d+, \.\d+\))$/);
  }
});
