// The colour themes in the built app (dist/ served as by `npm start`, headless Chromium through
// puppeteer-core): no flash of the wrong theme — when <body> is parsed, a stored dark choice, or a dark
// system with no choice, already gives <html> the dark colour scheme and a dark page background (index.html's
// inline head script, before any module runs); the header's toggle switches the whole app and the consoles
// live and survives a reload. Screenshots at 1280×720 of both themes, a loaded lab with the ladder and an
// IKE_AUTH dissection open, go to build/screenshots/dark-theme-{light,dark}-*.png. No console errors.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { projectRoot } from './env-node.js';
import { equal, ok } from '../support/assert.js';
import { type DistServer, collectErrors, launchChromium, serveDist } from '../support/browser.js';

const root = projectRoot();
const SHOTS = join(root, 'build', 'screenshots');

interface FirstPaint { theme: string | null; scheme: string; bodyBg: string }
type ThemeWindow = Window & { __firstPaint?: FirstPaint; webswanLab?: import('../../src/lab/protocol.js').LabClient };

/** Runs before the page's scripts: what <html> and <body> look like the moment <body> is parsed. */
function probeFirstPaint(): void {
  const w = window as ThemeWindow;
  const mo = new MutationObserver(() => {
    if (!document.body) return;
    mo.disconnect();
    w.__firstPaint = {
      theme: document.documentElement.getAttribute('data-theme'),
      scheme: getComputedStyle(document.documentElement).colorScheme,
      bodyBg: getComputedStyle(document.body).backgroundColor,
    };
  });
  mo.observe(document, { childList: true, subtree: true });
}

/** Relative luminance of 'rgb(r, g, b)'. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
  const f = (v: number) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

/** Follows open shadow roots: deep(page, 'ws-lab-app', 'ws-ladder', '.row') → that element's property. */
async function deepEval<T>(page: Page, sels: string[], fn: string): Promise<T> {
  return page.evaluate((s: string[], f: string) => {
    let scope: Document | ShadowRoot = document;
    let el: Element | null = null;
    for (const sel of s) {
      el = scope.querySelector(sel);
      if (!el) return null;
      if (el.shadowRoot) scope = el.shadowRoot;
    }
    return new Function('el', `return (${f})`)(el);
  }, sels, fn) as Promise<T>;
}

describe('colour themes in the built app (dist/, headless Chromium)', () => {
  let server: DistServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let errors: string[] = [];
  const profile = mkdtempSync(join(tmpdir(), 'webswan-theme-chromium-'));

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await serveDist(root);
    browser = await launchChromium(profile, { width: 1280, height: 720 });
    page = await browser.newPage();
    errors = collectErrors(page);
    await page.evaluateOnNewDocument(probeFirstPaint);
  });

  after(async () => {
    await browser?.close();
    server?.stop();
    rmSync(profile, { recursive: true, force: true });
  });

  const firstPaint = async () => (await page.evaluate(() => (window as ThemeWindow).__firstPaint))!;
  const ready = () => page.waitForFunction(() => (window as ThemeWindow).webswanLab !== undefined, { timeout: 20_000 });

  it('no flash: a stored choice or the system\'s dark scheme is in effect when <body> is parsed, and survives a reload', async () => {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await page.goto(server!.url, { waitUntil: 'load' });
    let fp = await firstPaint();
    equal(fp.theme, null, 'no choice yet');
    ok(luminance(fp.bodyBg) > 0.8, `light first paint: ${JSON.stringify(fp)}`);

    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await page.reload({ waitUntil: 'load' });
    fp = await firstPaint();
    equal(fp.scheme, 'light dark', 'system: both schemes offered, the dark one used');
    ok(luminance(fp.bodyBg) < 0.05, `dark system, first paint dark: ${JSON.stringify(fp)}`);

    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await ready();
    // the header's toggle, as a user picks it
    const select = await page.waitForSelector('ws-lab-app >>> ws-theme-toggle >>> select#theme', { timeout: 10_000 });
    await select!.select('dark');
    equal(await page.evaluate(() => localStorage.getItem('webswan-theme')), 'dark', 'stored');
    await page.reload({ waitUntil: 'load' });
    fp = await firstPaint();
    equal(fp.theme, 'dark', 'the head script applied the stored choice');
    equal(fp.scheme, 'dark', 'colour scheme at first paint');
    ok(luminance(fp.bodyBg) < 0.05, `stored dark, light system, first paint dark: ${JSON.stringify(fp)}`);
    await ready();
    const shown = await deepEval<string>(page, ['ws-lab-app', 'ws-theme-toggle', 'select'], 'el.value');
    equal(shown, 'dark', 'the toggle shows the stored choice');
    const metas = await page.evaluate(() => [...document.querySelectorAll<HTMLMetaElement>('meta[name=theme-color]')].map((m) => m.content));
    equal(new Set(metas).size, 1, `both theme-color metas follow the choice: ${metas}`);
  });

  it('screenshots at 1280×720: a loaded lab with the ladder and a dissection, light and dark; the consoles follow', async () => {
    await page.evaluate(() => (window as ThemeWindow).webswanLab!.load('psk-ipv4'));
    await page.waitForFunction(() => {
      let s: Document | ShadowRoot = document;
      for (const sel of ['ws-lab-app', 'ws-ladder']) s = s.querySelector(sel)?.shadowRoot ?? s;
      return [...s.querySelectorAll('.row[data-arrow]')].some((r) => /IKE_AUTH response/.test(r.getAttribute('aria-label') ?? ''));
    }, { timeout: 20_000, polling: 50 });
    await page.evaluate(() => (window as ThemeWindow).webswanLab!.exec('A', 'ping 192.0.2.2 count 3'));
    await page.evaluate(() => (window as ThemeWindow).webswanLab!.exec('A', 'show ikev2 session'));
    for (const theme of ['dark', 'light'] as const) {
      await page.evaluate((t: string) => {
        const sel = document.querySelector('ws-lab-app')!.shadowRoot!.querySelector('ws-theme-toggle')!.shadowRoot!.querySelector('select')!;
        sel.value = t;
        sel.dispatchEvent(new Event('change'));
      }, theme);
      await page.evaluate(() => window.scrollTo(0, 0));
      await new Promise((r) => setTimeout(r, 300));
      const termBg = await deepEval<string>(page, ['ws-lab-app', 'ws-terminal[router=A]', '.xterm-scrollable-element'], 'getComputedStyle(el).backgroundColor');
      ok(theme === 'dark' ? luminance(termBg) < 0.05 : luminance(termBg) > 0.8, `${theme}: console background ${termBg}`);
      const pageBg = await deepEval<string>(page, ['ws-lab-app'], 'getComputedStyle(el).backgroundColor');
      ok(theme === 'dark' ? luminance(pageBg) < 0.05 : luminance(pageBg) > 0.8, `${theme}: page background ${pageBg}`);
      await page.screenshot({ path: join(SHOTS, `dark-theme-${theme}-1-lab.png`) });
      const opened = await page.evaluate(() => {
        const ladder = document.querySelector('ws-lab-app')!.shadowRoot!.querySelector('ws-ladder')!.shadowRoot!;
        const row = [...ladder.querySelectorAll<HTMLElement>('.row[data-arrow]')].find((r) => /IKE_AUTH request/.test(r.getAttribute('aria-label') ?? ''));
        row?.click();
        return !!row;
      });
      ok(opened, 'an IKE_AUTH request on the ladder');
      await page.waitForSelector('ws-lab-app >>> ws-ladder >>> ws-dissection', { timeout: 5000 });
      await page.evaluate(() => {
        const ladder = document.querySelector('ws-lab-app')!.shadowRoot!.querySelector('ws-ladder')!;
        ladder.shadowRoot!.querySelector('.row[aria-selected=true]')?.scrollIntoView({ block: 'start' });
        ladder.shadowRoot!.querySelector('ws-dissection')!.scrollIntoView({ block: 'center' });
      });
      await new Promise((r) => setTimeout(r, 300));
      await page.screenshot({ path: join(SHOTS, `dark-theme-${theme}-3-dissection.png`) });
      // the ladder with the selected message, and the dissection under it
      await page.evaluate(() => document.querySelector('ws-lab-app')!.shadowRoot!.querySelector('.ladder')!.scrollIntoView({ block: 'start' }));
      await new Promise((r) => setTimeout(r, 300));
      await page.screenshot({ path: join(SHOTS, `dark-theme-${theme}-2-ladder-dissection.png`) });
      console.log(`[lab-theme-e2e] screenshots build/screenshots/dark-theme-${theme}-{1-lab,2-ladder-dissection,3-dissection}.png`);
    }
    equal(errors.length, 0, errors.join('\n'));
  });
});
