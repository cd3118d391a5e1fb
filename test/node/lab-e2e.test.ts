// The browser lab end to end (issue [4/5], "Proof"): the built app (dist/) served by tools/serve.mjs (what
// `npm start` runs) in headless Debian Chromium through puppeteer-core. The PSK lab loaded from the lab
// picker, committed on both routers, UP-ACTIVE, ping 100 %, `show ikev2 session detail` on both sides; the
// same for manual PPK, dynamic PPK and certificates (enrolment typed in both terminals, RSA/RSA); a broken lab
// explains itself on the ladder; 20 % loss + 20 % reordering on both directions of the wire and the tunnel
// still comes up with the ping loss the impairment implies; the
// exported pcap + key files decrypt in tshark with [correct] checksums; the server stopped, the page
// reloaded from the service worker and the PSK lab again, offline. No console errors along the way.
// Screenshots of the main states go to build/screenshots/. The numbers of the closing note (commit →
// UP-ACTIVE, page load cold/offline, bundle size, datagrams/s) are printed (docs/lab-numbers.md: method).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { projectRoot } from './env-node.js';
import { equal, ok } from '../support/assert.js';
import { type DistServer, collectErrors, framesOf, gzipSizes, kb, launchChromium, serveDist, tshark } from '../support/browser.js';

const root = projectRoot();
const SHOTS = join(root, 'build', 'screenshots');

type Router = 'A' | 'B';
const PSK = { lab: 'psk-ipv4', A: '192.0.2.1', B: '192.0.2.2' };
const PPK = { lab: 'ppk-manual', A: '209.165.200.225', B: '209.165.200.226' };

/** What the page-side probe (installed before the app's scripts) keeps. */
interface Probe {
  readyAt?: number;
  explain: { router: Router; text: string }[];
  ladder: { router: Router; dir: 'in' | 'out'; summary: string; t: number; at: number }[];
  wire: { out: number; in: number; dropped: number; lost: number; reordered: number; corrupted: number };
  /** Datagrams each router put on the wire (sent, or lost by the impairment on the way out). */
  sentBy: Record<Router, number>;
  deep(...sels: string[]): Element | null;
  reset(): void;
}
type ProbeWindow = Window & { __e2e: Probe; webswanLab: import('../../src/lab/protocol.js').LabClient };

/**
 * Runs in the page before any of its scripts: notes when window.webswanLab appears (the lab is up: both
 * workers started, the WebRTC link open, the lab restored) and follows its events.
 */
function installProbe(): void {
  const w = window as unknown as ProbeWindow;
  const probe: Probe = {
    explain: [], ladder: [], wire: { out: 0, in: 0, dropped: 0, lost: 0, reordered: 0, corrupted: 0 }, sentBy: { A: 0, B: 0 },
    deep(...sels: string[]): Element | null {
      let scope: Document | ShadowRoot = document;
      let el: Element | null = null;
      for (const s of sels) {
        el = scope.querySelector(s);
        if (!el) return null;
        if (el.shadowRoot) scope = el.shadowRoot;
      }
      return el;
    },
    reset() {
      probe.explain = []; probe.ladder = [];
      probe.wire = { out: 0, in: 0, dropped: 0, lost: 0, reordered: 0, corrupted: 0 };
      probe.sentBy = { A: 0, B: 0 };
    },
  };
  w.__e2e = probe;
  let lab: ProbeWindow['webswanLab'] | undefined;
  Object.defineProperty(window, 'webswanLab', {
    configurable: true, enumerable: true,
    get: () => lab,
    set: (v: ProbeWindow['webswanLab']) => {
      lab = v;
      if (!v) return;
      probe.readyAt ??= performance.now();
      v.on((e) => {
        if (e.kind === 'explain') probe.explain.push({ router: e.router, text: e.text });
        else if (e.kind === 'ladder') {
          probe.ladder.push({ router: e.entry.router, dir: e.entry.dir, summary: e.entry.summary, t: performance.now(), at: e.entry.at });
        } else if (e.kind === 'wire') {
          if (e.dropped) { probe.wire.dropped++; if (/impairment/.test(e.dropped)) probe.wire.lost++; } else probe.wire[e.dir]++;
          if (e.dir === 'out' && (!e.dropped || /impairment/.test(e.dropped))) probe.sentBy[e.router]++;
          if (e.mark === 'reordered') probe.wire.reordered++;
          if (e.mark === 'corrupted') probe.wire.corrupted++;
        }
      });
    },
  });
}

const numbers: Record<string, string> = {};
function note(key: string, value: string): void {
  numbers[key] = value;
  console.log(`[lab-e2e] ${key}: ${value}`);
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function exec(page: Page, router: Router, ...lines: string[]): Promise<string> {
  return page.evaluate(async (r: Router, ls: string[]) => {
    let out = '';
    for (const l of ls) out += await (window as unknown as ProbeWindow).webswanLab.exec(r, l);
    return out;
  }, router, lines);
}

/** Polls `show ikev2 session` on both routers until both say UP-ACTIVE (the issue's check). */
async function waitUp(page: Page, timeoutMs: number): Promise<number> {
  return page.evaluate(async (timeout: number) => {
    const lab = (window as unknown as ProbeWindow).webswanLab;
    const t0 = performance.now();
    while (performance.now() - t0 < timeout) {
      const [a, b] = await Promise.all([lab.exec('A', 'show ikev2 session'), lab.exec('B', 'show ikev2 session')]);
      if (/Status\s+: UP-ACTIVE/.test(a) && /Status\s+: UP-ACTIVE/.test(b)) return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`not UP-ACTIVE within ${timeout} ms:\nA: ${await lab.exec('A', 'show ikev2 session')}\nB: ${await lab.exec('B', 'show ikev2 session')}`);
  }, timeoutMs);
}

/**
 * "Commit on both routers", timed: tunnel-ip1 shut on both (sessions gone), then `no shutdown` committed on
 * B (the responder, first) and on A. The clock starts just before A's `commit` goes to the worker and stops
 * when (a) the IKE_AUTH response reaches the page as A's ladder event ('event'), or (b) a tight loop of
 * `show ikev2 session` on A first prints UP-ACTIVE ('poll'). Only the engines, crypto and data channel
 * are in the interval: the WebRTC link was set up long before.
 */
async function commitCycle(page: Page, how: 'event' | 'poll'): Promise<{ total: number; commitReturned: number; entryAt: number }> {
  await exec(page, 'A', 'configure', 'interface tunnel-ip1', 'shutdown', 'commit', 'end');
  await exec(page, 'B', 'configure', 'interface tunnel-ip1', 'shutdown', 'commit', 'end');
  await page.waitForFunction(async () => {
    const s = await (window as unknown as ProbeWindow).webswanLab.state();
    return s.A.sessions.length === 0 && s.B.sessions.length === 0;
  }, { timeout: 10_000, polling: 20 });
  await exec(page, 'B', 'configure', 'interface tunnel-ip1', 'no shutdown', 'commit', 'end');
  await exec(page, 'A', 'configure', 'interface tunnel-ip1', 'no shutdown');
  const r = await page.evaluate(async (mode: 'event' | 'poll') => {
    const w = window as unknown as ProbeWindow;
    const lab = w.webswanLab;
    let upAt: number | undefined, entryAt = 0;
    const seen = new Promise<void>((resolve) => {
      const off = lab.on((e) => {
        if (e.kind === 'ladder' && e.entry.router === 'A' && e.entry.dir === 'in' && /^IKE_AUTH response/.test(e.entry.summary)) {
          upAt = performance.now(); entryAt = e.entry.at; off(); resolve();
        }
      });
    });
    const wall0 = Date.now();
    const t0 = performance.now();
    const committed = lab.exec('A', 'commit');
    let commitReturned = 0;
    void committed.then(() => { commitReturned = performance.now() - t0; });
    if (mode === 'event') {
      await Promise.race([seen, new Promise((_, rej) => setTimeout(() => rej(new Error('no IKE_AUTH response within 10 s')), 10_000))]);
      await committed;
      return { total: upAt! - t0, commitReturned, entryAt: entryAt - wall0 };
    }
    await committed;
    for (;;) {
      if (/Status\s+: UP-ACTIVE/.test(await lab.exec('A', 'show ikev2 session'))) return { total: performance.now() - t0, commitReturned, entryAt: -1 };
      if (performance.now() - t0 > 10_000) throw new Error('not UP-ACTIVE within 10 s of the commit');
    }
  }, how);
  await exec(page, 'A', 'end');
  return r;
}

function pingStats(out: string): { pct: number; ok: number; sent: number } {
  const m = /Success rate is (\d+) percent \((\d+)\/(\d+)\)/.exec(out);
  ok(m, `no ping summary in:\n${out}`);
  return { pct: Number(m[1]), ok: Number(m[2]), sent: Number(m[3]) };
}

/** `show ikev2 session detail` field values (label → values, in order). */
function fields(out: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const f = /^(\S.*?)\s+: (.*)$/.exec(line.trimEnd());
    if (f) m.set(f[1], [...(m.get(f[1]) ?? []), f[2]]);
  }
  return m;
}

async function checkDetail(page: Page, quantum: string, encryption: string, auth = 'PSK/PSK'): Promise<void> {
  for (const r of ['A', 'B'] as const) {
    const out = await exec(page, r, 'show ikev2 session detail');
    const f = fields(out);
    equal(f.get('Status')?.[0], 'UP-ACTIVE', `${r} Status\n${out}`);
    equal(f.get('Role')?.[0], r === 'A' ? 'Initiator' : 'Responder', `${r} Role\n${out}`);
    equal(f.get('Encryption/Keysize')?.[0], encryption, `${r} Encryption/Keysize\n${out}`);
    equal(f.get('Authentication(Sign/Verify)')?.[0], auth, `${r} Authentication\n${out}`);
    equal(f.get('Quantum resistance')?.[0], quantum, `${r} Quantum resistance\n${out}`);
    ok(f.get('Child Count')?.[0] === '1', `${r} one Child SA\n${out}`);
  }
}

/** The lab picker: choose a lab and press "Load lab"; resolves when the picker says it is loaded. */
async function loadFromPicker(page: Page, lab: string): Promise<void> {
  const select = await page.waitForSelector('ws-lab-app >>> ws-labs >>> select#lab', { timeout: 20_000 });
  ok(select, 'the lab picker');
  const chosen = await select.select(lab);
  equal(chosen[0], lab, 'picker selection');
  const title = await page.evaluate((n: string) => (window as unknown as ProbeWindow).webswanLab.labs().find((l) => l.name === n)!.title, lab);
  await page.click('ws-lab-app >>> ws-labs >>> button#load');
  await page.waitForFunction((t: string) => {
    const s = (window as unknown as ProbeWindow).__e2e.deep('ws-lab-app', 'ws-labs', '.status');
    return s?.textContent?.includes(`Loaded ${t}`);
  }, { timeout: 10_000, polling: 20 }, title);
  equal(await page.evaluate(() => (window as unknown as ProbeWindow).webswanLab.currentLab()), lab, 'current lab');
}

/** The "Key sources" strip: hidden, or its text (Dynamic PPK lab). */
async function keySourcesStrip(page: Page): Promise<{ hidden: boolean; text: string } | undefined> {
  return page.evaluate(() => {
    const k = (window as unknown as ProbeWindow).__e2e.deep('ws-lab-app', 'ws-key-sources');
    return k ? { hidden: k.hasAttribute('hidden') && getComputedStyle(k).display === 'none', text: k.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '' } : undefined;
  });
}

async function tunnelLook(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as ProbeWindow).__e2e.deep('ws-lab-app', 'ws-topology', '.tunnel')?.getAttribute('data-state') ?? undefined);
}

async function shot(page: Page, name: string): Promise<string> {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

async function exportCapture(page: Page, router: Router, dir: string): Promise<{ pcap: string; keyDir: string }> {
  const got = await page.evaluate(async (r: Router) => {
    const lab = (window as unknown as ProbeWindow).webswanLab;
    const bytes = await lab.pcap(r);
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { pcap: btoa(bin), keys: await lab.keyFiles(r) };
  }, router);
  const keyDir = join(dir, `keys-${router}`);
  mkdirSync(keyDir, { recursive: true });
  for (const [f, text] of Object.entries(got.keys)) writeFileSync(join(keyDir, f), text);
  const pcap = join(dir, `link-${router}.pcap`);
  writeFileSync(pcap, Buffer.from(got.pcap, 'base64'));
  return { pcap, keyDir };
}

/** Every frame of the capture: IP/UDP checksums good; IKE SK ICVs and ESP ICVs [correct], ICMP inside ESP. */
async function checkCapture(pcap: string, keyDir: string, r: Router): Promise<Record<string, number>> {
  const text = await tshark(pcap, keyDir, ['-V', '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE']);
  const frames = framesOf(text);
  ok(frames.length > 0, `no frames in ${pcap}`);
  const n: Record<string, number> = { frames: frames.length, IKE_SA_INIT: 0, IKE_AUTH: 0, INFORMATIONAL: 0, CREATE_CHILD_SA: 0, esp: 0, echo: 0 };
  const table = readFileSync(join(keyDir, 'ikev2_decryption_table'), 'utf8');
  // encrypted IKE messages of an IKE SA that the exported key files do not have (checked last, see below)
  const unkeyed: string[] = [];
  for (const f of frames) {
    const head = f.slice(0, f.indexOf('\n'));
    ok(/\[Header checksum status: Good\]/.test(f), `${head}: IPv4 header checksum not good\n${f.slice(0, 2000)}`);
    ok(/User Datagram Protocol/.test(f) && /\[Checksum Status: Good\]/.test(f), `${head}: UDP checksum not good\n${f.slice(0, 2000)}`);
    ok(!/Bad\]|\[incorrect|\[Checksum Status: Bad/.test(f), `${head}: a bad checksum\n${f.slice(0, 3000)}`);
    const ex = /Exchange type: (\S+)/.exec(f)?.[1];
    if (ex) {
      n[ex] = (n[ex] ?? 0) + 1;
      if (ex === 'IKE_SA_INIT') continue;
      const ispi = /Initiator SPI: ([0-9a-f]{16})/.exec(f)?.[1] ?? '?';
      if (!table.includes(`${ispi},`)) {
        unkeyed.push(`${head.replace(/:.*/, '')}: ${ex} ${/Flags: .*\((.*)\)/.exec(f)?.[1] ?? ''}, message ID ${/Message ID: (\S+)/.exec(f)?.[1]}, IKE SA ${ispi}, ${/Src: (\S+),/.exec(f)?.[1]} → ${/Dst: (\S+)\n/.exec(f)?.[1]}`);
        continue;
      }
      ok(/Decrypted Data \(\d+ bytes\)/.test(f), `${head} (${ex}): not decrypted\n${f.slice(0, 3000)}`);
      ok(/Integrity Checksum Data: [0-9a-f]+ .*\[correct\]/.test(f), `${head} (${ex}): ICV not [correct]\n${f.slice(0, 3000)}`);
      continue;
    }
    ok(/Encapsulating Security Payload/.test(f), `${head}: neither IKE nor ESP\n${f.slice(0, 2000)}`);
    n.esp++;
    ok(/ESP ICV: [0-9a-f]+ .*\[correct\]/.test(f), `${head}: ESP ICV not [correct]\n${f.slice(0, 3000)}`);
    ok(/Internet Control Message Protocol[\s\S]*Type: (8 \(Echo \(ping\) request\)|0 \(Echo \(ping\) reply\))/.test(f), `${head}: no ICMP echo inside ESP\n${f.slice(0, 3000)}`);
    n.echo++;
  }
  // Every message of the capture must decrypt with the exported files. A message of an IKE SA missing from
  // them is a capture/keylog mismatch (for example a previous lab's late Delete recorded after the reset).
  ok(unkeyed.length === 0, `${r}'s capture holds ${unkeyed.length} encrypted IKE message(s) whose IKE SA is not in the exported key files `
    + `(everything else checked: ${JSON.stringify(n)}):\n  ${unkeyed.join('\n  ')}`);
  return n;
}

describe('browser lab end to end (dist/ served as by npm start, headless Chromium)', () => {
  let server: DistServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let errors: string[] = [];
  const profile = mkdtempSync(join(tmpdir(), 'webswan-e2e-chromium-'));
  const work = mkdtempSync(join(tmpdir(), 'webswan-e2e-'));
  const t0 = Date.now();
  let requested: string[] = [];
  let coldRequests: string[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await serveDist(root);
    browser = await launchChromium(profile);
    page = await browser.newPage();
    errors = collectErrors(page);
    page.on('request', (r) => requested.push(r.url()));
    await page.evaluateOnNewDocument(installProbe);
  });

  after(async () => {
    await browser?.close();
    server?.stop();
    rmSync(profile, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    console.log(`[lab-e2e] ---- numbers (${((Date.now() - t0) / 1000).toFixed(1)} s run) ----`);
    for (const [k, v] of Object.entries(numbers)) console.log(`[lab-e2e] ${k}: ${v}`);
  });

  it('cold load: both routers start, the lab picker loads the PSK lab', async () => {
    const res = await page.goto(server!.url, { waitUntil: 'load' });
    equal(res?.status(), 200, 'HTTP status');
    await page.waitForFunction(() => (window as unknown as ProbeWindow).__e2e.readyAt !== undefined, { timeout: 20_000, polling: 10 });
    const t = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, ready: (window as unknown as ProbeWindow).__e2e.readyAt! };
    });
    coldRequests = [...new Set(requested)];
    note('page load, cold (first visit, fresh profile)', `DOMContentLoaded ${ms(t.dcl)}, load ${ms(t.load)}, lab ready (workers + WASM + WebRTC link + lab restored) ${ms(t.ready)}`);
    const routers = await page.evaluate(() => (window as unknown as ProbeWindow).webswanLab.routers());
    equal(routers.join(','), 'A,B', 'routers()');
    const link = await page.evaluate(async () => {
      const w = window as unknown as { webswanLab: { linkInfo?: () => Promise<Record<string, { ordered: boolean; maxRetransmits: number | null; readyState: string }>> } };
      return w.webswanLab.linkInfo ? w.webswanLab.linkInfo() : undefined;
    });
    if (link) for (const r of ['A', 'B']) ok(link[r]?.ordered === false && link[r]?.maxRetransmits === 0 && link[r]?.readyState === 'open', `link ${r}: ${JSON.stringify(link[r])}`);
    await loadFromPicker(page, PSK.lab);
    // a loaded lab boots both routers with their configuration: A initiates at once, no commit needed
    let upAfterLoad: string;
    try { upAfterLoad = `UP-ACTIVE on both after ${ms(await waitUp(page, 3000))} of polling`; } catch { upAfterLoad = 'not UP-ACTIVE within 3 s'; }
    note('after loading from the picker, before any commit', `${upAfterLoad}; topology says ${await tunnelLook(page)}`);
    equal((await keySourcesStrip(page))?.hidden, true, 'no key sources strip in the PSK lab');
    console.log(`[lab-e2e] screenshot ${await shot(page, '1-lab-loaded')}`);
  });

  it('PSK lab: commit on both routers → UP-ACTIVE, ping 100 %, session detail on both sides; commit → UP-ACTIVE timed', async () => {
    const byEvent: number[] = [], byPoll: number[] = [], commitRet: number[] = [], entry: number[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await commitCycle(page, 'event');
      byEvent.push(c.total); commitRet.push(c.commitReturned); entry.push(c.entryAt);
    }
    for (let i = 0; i < 4; i++) byPoll.push((await commitCycle(page, 'poll')).total);
    await waitUp(page, 5000);
    const fmt = (xs: number[]) => `median ${ms(median(xs))} (min ${ms(Math.min(...xs))}, max ${ms(Math.max(...xs))}, n=${xs.length})`;
    note('2nd commit → IKE_AUTH response at A (page clock, ladder event)', fmt(byEvent));
    note('2nd commit → IKE_AUTH response at A (worker wall clock, entry.at, 1 ms resolution)', fmt(entry));
    note('2nd commit → `show ikev2 session` on A prints UP-ACTIVE (tight polling)', fmt(byPoll));
    note('2nd commit: exec(A, "commit") resolved after', fmt(commitRet));
    const ping = await exec(page, 'A', `ping ${PSK.B}`);
    ok(/!!!!!/.test(ping), `ping: ${ping}`);
    equal(pingStats(ping).pct, 100, `ping success rate\n${ping}`);
    await checkDetail(page, 'Disabled', 'AES-CBC/256');

    // the same from the keyboard, in Router A's terminal (xterm.js): Tab completion, then the command
    await page.click('ws-lab-app >>> ws-terminal#termA');
    await page.keyboard.type('sh');
    await page.keyboard.press('Tab');
    await page.keyboard.type('ikev2 session');
    await page.keyboard.press('Enter');
    const screen = await page.waitForFunction(() => {
      const t = (window as unknown as ProbeWindow).__e2e.deep('ws-lab-app', 'ws-terminal#termA') as (Element & { term?: import('@xterm/xterm').Terminal }) | null;
      const b = t?.term?.buffer.active;
      if (!b) return false;
      let text = '';
      for (let i = 0; i < b.length; i++) text += `${b.getLine(i)?.translateToString(true) ?? ''}\n`;
      return /#show ikev2 session\n[\s\S]*Status\s+: UP-ACTIVE/.test(text) ? text : false;
    }, { timeout: 5000, polling: 50 });
    ok(await screen.jsonValue(), 'the terminal shows the typed command and UP-ACTIVE');

    // datagrams/s through the tunnel: a back-to-back ping (one echo in flight), each one ESP packet each way
    const burst = await page.evaluate(async (dst: string) => {
      const w = window as unknown as ProbeWindow;
      w.__e2e.reset();
      const t = performance.now();
      const out = await w.webswanLab.exec('A', `ping ${dst} count 1000 size 100 timeout 1`);
      const dt = performance.now() - t;
      return { out, dt, wire: { ...w.__e2e.wire } };
    }, PSK.B);
    const st = pingStats(burst.out);
    ok(st.pct >= 99, `flood ping success ${st.pct} %`);
    note('datagrams/s through the tunnel, full UI attached, one ping in flight (A: ping count 1000 size 100)',
      `${Math.round((2 * st.ok) / (burst.dt / 1000))} ESP datagrams/s (${st.ok} echoes in ${ms(burst.dt)}; wire events ${burst.wire.out} sent, ${burst.wire.in} received, ${burst.wire.dropped} dropped)`);
    equal(await tunnelLook(page), 'up', 'topology: tunnel UP-ACTIVE');
    console.log(`[lab-e2e] screenshot ${await shot(page, '2-tunnel-up')}`);
  });

  it('the exported pcap + key files decrypt in tshark: IKE and ESP ICVs [correct], IP/UDP checksums good', async () => {
    // a short ping so that the last frames are plain ESP after all the cycles above
    equal(pingStats(await exec(page, 'A', `ping ${PSK.B} count 3`)).pct, 100, 'ping before export');
    const failures: string[] = [];
    for (const r of ['A', 'B'] as const) {
      const { pcap, keyDir } = await exportCapture(page, r, join(work, 'psk'));
      try {
        const n = await checkCapture(pcap, keyDir, r);
        ok(n.IKE_AUTH >= 2 && n.INFORMATIONAL >= 2 && n.esp >= 10, `${r}: ${JSON.stringify(n)}`);
        note(`tshark, PSK capture of ${r}`, JSON.stringify(n));
      } catch (e) {
        failures.push((e as Error).message);
        note(`tshark, PSK capture of ${r}`, `FAILED: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    equal(failures.length, 0, failures.join('\n'));
  });

  it('a ladder message opens its dissection', async () => {
    const row = await page.evaluateHandle(() => {
      const ladder = (window as unknown as ProbeWindow).__e2e.deep('ws-lab-app', 'ws-ladder');
      const rows = [...(ladder?.shadowRoot?.querySelectorAll<HTMLElement>('.row[data-arrow]') ?? [])];
      return rows.find((r) => /IKE_AUTH request/.test(r.getAttribute('aria-label') ?? '')) ?? null;
    });
    const el = row.asElement() as import('puppeteer-core').ElementHandle<HTMLElement> | null;
    ok(el, 'an IKE_AUTH request on the ladder');
    await el.click();
    await page.waitForSelector('ws-lab-app >>> ws-ladder >>> ws-dissection', { timeout: 5000 });
    const text = await page.evaluate(() => (window as unknown as ProbeWindow).__e2e.deep('ws-lab-app', 'ws-ladder', 'ws-dissection')?.shadowRoot?.textContent ?? '');
    ok(/IKE_AUTH/.test(text) && /SK_e/.test(text), `dissection shows the message and its keys: ${text.slice(0, 400)}`);
    await page.evaluate(() => (window as unknown as ProbeWindow).__e2e.deep('ws-lab-app', 'ws-ladder', 'ws-dissection')?.scrollIntoView());
    console.log(`[lab-e2e] screenshot ${await shot(page, '4-ladder-dissection')}`);
  });

  it('manual PPK lab: UP-ACTIVE, ping 100 %, "Enabled with manual PPK" on both sides, capture decrypts', async () => {
    await loadFromPicker(page, PPK.lab);
    await commitCycle(page, 'event');
    await waitUp(page, 5000);
    const ping = await exec(page, 'A', `ping ${PPK.B}`);
    equal(pingStats(ping).pct, 100, `ping success rate\n${ping}`);
    await checkDetail(page, 'Enabled with manual PPK', 'AES-CBC/256');
    await page.waitForFunction(() => (window as unknown as ProbeWindow).__e2e.deep('ws-lab-app', 'ws-topology', '.tunnel')?.getAttribute('data-state') === 'quantum-safe', { timeout: 3000, polling: 50 });
    const { pcap, keyDir } = await exportCapture(page, 'A', join(work, 'ppk'));
    note('tshark, manual PPK capture of A', JSON.stringify(await checkCapture(pcap, keyDir, 'A')));
    console.log(`[lab-e2e] screenshot ${await shot(page, '3-ppk-quantum-safe')}`);
  });

  it('Dynamic PPK (SKIP) lab from the picker: UP-ACTIVE, ping 100 %, "Enabled with dynamic PPK", key sources reachable', async () => {
    await loadFromPicker(page, 'ppk-dynamic');
    note('Dynamic PPK lab: UP-ACTIVE after loading from the picker', ms(await waitUp(page, 10_000)));
    const ping = await exec(page, 'A', `ping ${PPK.B}`);
    equal(pingStats(ping).pct, 100, `ping success rate\n${ping}`);
    await checkDetail(page, 'Enabled with dynamic PPK', 'AES-CBC/256');
    for (const [r, kp] of [['A', 'KP_A'], ['B', 'KP_B']] as const) {
      const f = fields(await exec(page, r, 'show sks profile'));
      equal(f.get('Reachability')?.[0], 'Reachable', `${r}: key source reachable`);
      equal(f.get('Local System ID')?.[0], kp, `${r}: its own KP`);
      ok(Number(f.get('Keys fetched')?.[0]) >= 1, `${r}: a key fetched`);
    }
    await page.waitForFunction(() => (window as unknown as ProbeWindow).__e2e.deep('ws-lab-app', 'ws-topology', '.tunnel')?.getAttribute('data-state') === 'quantum-safe', { timeout: 3000, polling: 50 });
    // the counters follow key requests with one status event per 100 ms at most
    const shows = (x: Awaited<ReturnType<typeof keySourcesStrip>>) => !!x && !x.hidden && /KP_A 192\.0\.2\.34:10001 Router A issued [1-9]/.test(x.text) && /QKD link KP_A ═ KP_B: up/.test(x.text);
    let strip = await keySourcesStrip(page);
    for (const end = Date.now() + 2000; !shows(strip) && Date.now() < end; strip = await keySourcesStrip(page)) await new Promise((r) => setTimeout(r, 50));
    ok(shows(strip),
      `the key sources strip, shown with KP_A's keys issued: ${JSON.stringify(strip)}`);
    console.log(`[lab-e2e] screenshot ${await shot(page, '3b-ppk-dynamic-quantum-safe')}`);
  });

  it('Certificates lab from the picker: the enrolment in both terminals, UP-ACTIVE, ping 100 %, RSA/RSA on both sides, capture decrypts', async () => {
    await loadFromPicker(page, 'certificates');
    note('Certificates lab: UP-ACTIVE after "Loaded" (CA made and both routers enrolled before)', ms(await waitUp(page, 15_000)));
    const ping = await exec(page, 'A', `ping ${PSK.B}`);
    equal(pingStats(ping).pct, 100, `ping success rate\n${ping}`);
    await checkDetail(page, 'Disabled', 'AES-CBC/256', 'RSA/RSA');
    // the setup was typed where the student sees it: both terminals show the three commands and their answers
    for (const r of ['A', 'B'] as const) {
      const screen = await page.waitForFunction((id: string) => {
        const t = (window as unknown as ProbeWindow).__e2e.deep('ws-lab-app', `ws-terminal#term${id}`) as (Element & { term?: import('@xterm/xterm').Terminal }) | null;
        const b = t?.term?.buffer.active;
        if (!b) return false;
        let text = '';
        for (let i = 0; i < b.length; i++) text += `${b.getLine(i)?.translateToString(true) ?? ''}\n`;
        return /#crypto ca authenticate LAB\n[\s\S]*Do you accept this certificate\? \[yes\/no\]: yes\n[\s\S]*#crypto ca enroll LAB\n[\s\S]*installed in trustpoint LAB/.test(text) ? text : false;
      }, { timeout: 5000, polling: 50 }, r);
      const text = String(await screen.jsonValue());
      ok(!/PRIVATE KEY/.test(text), `${r}: no key material on the terminal`);
    }
    const certs = await exec(page, 'B', 'show crypto ca certificates');
    ok(/DNS:RouterB\.example\.com/.test(certs) && /CN=webswan Lab CA/.test(certs), `B's trustpoint\n${certs}`);
    const json = await page.evaluate(() => (window as unknown as ProbeWindow).webswanLab.exportLab());
    ok(json.includes('crypto ca trustpoint LAB') && !/PRIVATE KEY|BEGIN/.test(json), 'the exported lab has the trustpoint, no certificates or keys');
    const { pcap, keyDir } = await exportCapture(page, 'A', join(work, 'certs'));
    note('tshark, Certificates capture of A', JSON.stringify(await checkCapture(pcap, keyDir, 'A')));
    console.log(`[lab-e2e] screenshot ${await shot(page, '3c-certificates')}`);
  });

  it('a broken lab shows its explanation (ladder banner, topology, explain events)', async () => {
    await page.evaluate(() => (window as unknown as ProbeWindow).__e2e.reset());
    await loadFromPicker(page, 'broken-psk-mismatch');
    const banner = await page.waitForSelector('ws-lab-app >>> ws-ladder >>> .banner[role=alert]', { timeout: 10_000 });
    const text = await banner!.evaluate((e) => e.textContent?.replace(/\s+/g, ' ').trim() ?? '');
    ok(/pre-shared key/i.test(text), `banner names the pre-shared key: ${text}`);
    const events = await page.evaluate(() => (window as unknown as ProbeWindow).__e2e.explain);
    ok(events.length > 0 && events.some((e) => /pre-shared key/i.test(e.text)), `explain events: ${JSON.stringify(events)}`);
    note('broken-psk-mismatch explanation', text);
    const session = await exec(page, 'A', 'show ikev2 session');
    ok(!/UP-ACTIVE/.test(session), `the broken lab must not come up: ${session}`);
    // the topology follows: the broken lab's addresses, its tunnel down (state events come at most every 150 ms)
    const tLoaded = Date.now();
    await page.waitForFunction(() => {
      const p = (window as unknown as ProbeWindow).__e2e;
      return p.deep('ws-lab-app', 'ws-topology', '.tunnel')?.getAttribute('data-state') === 'down'
        && p.deep('ws-lab-app', 'ws-topology', '.router[data-router=A] li')?.textContent === '198.51.100.5';
    }, { timeout: 5000, polling: 20 });
    note('broken lab: the topology shows it (tunnel down, new addresses) after', `${Date.now() - tLoaded} ms more`);
    await page.evaluate(() => (window as unknown as ProbeWindow).__e2e.deep('ws-lab-app', 'ws-ladder')?.scrollIntoView());
    console.log(`[lab-e2e] screenshot ${await shot(page, '5-broken-lab')}`);
    // the other broken labs explain themselves too (API only)
    for (const lab of ['broken-proposal-mismatch', 'broken-ppk-required-one-side', 'broken-wrong-remote-identity']) {
      await page.evaluate(() => (window as unknown as ProbeWindow).__e2e.reset());
      await page.evaluate((n: string) => (window as unknown as ProbeWindow).webswanLab.load(n), lab);
      await page.waitForFunction(() => (window as unknown as ProbeWindow).__e2e.explain.length > 0, { timeout: 10_000, polling: 50 });
      note(`${lab} explanation`, (await page.evaluate(() => (window as unknown as ProbeWindow).__e2e.explain)).map((e) => `${e.router}: ${e.text}`).join(' | '));
    }
  });

  it('20 % loss + 20 % reordering on both directions: the tunnel comes up, ping loss ≈ 1 − 0.8² = 36 %', async () => {
    // different seeds: with one seed both routers would drop the same packet numbers (correlated losses)
    // Bring the lab up under impairment until one bring-up lost an IKE message (59 % of them: 1 − 0.8⁴): the
    // engine retransmits after 4 s, so a bring-up that takes longer than 3.5 s went through a retransmission.
    await page.evaluate(async () => {
      const lab = (window as unknown as ProbeWindow).webswanLab;
      await lab.setImpairment('A', { lossPct: 20, reorderPct: 20, seed: 5 });
      await lab.setImpairment('B', { lossPct: 20, reorderPct: 20, seed: 6 });
    });
    const times: number[] = [];
    let retransmitted: { lost: number; ladder: string[]; lostRows: number; rows: number } | undefined;
    for (let i = 0; i < 8 && !retransmitted; i++) {
      const t = Date.now();
      await page.evaluate(async (n: string) => {
        const w = window as unknown as ProbeWindow;
        const off = w.webswanLab.on((e) => { if (e.kind === 'lab') w.__e2e.reset(); });
        await w.webswanLab.load(n);
        off();
      }, PSK.lab);
      await waitUp(page, 30_000);
      times.push(Date.now() - t);
      if (times[times.length - 1] > 3500) {
        retransmitted = await page.evaluate(() => {
          const p = (window as unknown as ProbeWindow).__e2e;
          const ladder = p.deep('ws-lab-app', 'ws-ladder')?.shadowRoot;
          return {
            lost: p.wire.lost, ladder: p.ladder.map((e) => `${e.router} ${e.dir} ${e.summary.replace(/ \[.*/, '')}`),
            rows: ladder?.querySelectorAll('.row').length ?? -1, lostRows: ladder?.querySelectorAll('.row.lost').length ?? -1,
          };
        });
      }
    }
    note('UP-ACTIVE with 20 % loss + 20 % reordering, bring-ups', `${times.map((t) => `${t} ms`).join(', ')}`);
    ok(retransmitted, `no bring-up needed a retransmission in ${times.length} tries`);
    note('the bring-up with a retransmission, as the ladder shows it', `${retransmitted.lost} datagram(s) lost on the wire; ladder rows ${retransmitted.rows}, `
      + `of them marked lost ${retransmitted.lostRows}; entries: ${retransmitted.ladder.join(' | ')}`);
    const r = await page.evaluate(async (a: string, b: string) => {
      const w = window as unknown as ProbeWindow;
      w.__e2e.reset();
      const [x, y] = await Promise.all([w.webswanLab.exec('A', `ping ${b} count 30 timeout 1`), w.webswanLab.exec('B', `ping ${a} count 30 timeout 1`)]);
      return { x, y, wire: { ...w.__e2e.wire } };
    }, PSK.A, PSK.B);
    const sa = pingStats(r.x), sb = pingStats(r.y);
    const lossPct = 100 - (100 * (sa.ok + sb.ok)) / (sa.sent + sb.sent);
    const wireLoss = (100 * r.wire.lost) / (r.wire.lost + r.wire.out);
    note('ping loss under 20 % loss each way', `${lossPct.toFixed(1)} % of ${sa.sent + sb.sent} echoes (expected 36 %; A→B ${sa.ok}/${sa.sent}, B→A ${sb.ok}/${sb.sent}); wire: ${r.wire.lost} lost of ${r.wire.lost + r.wire.out} sent (${wireLoss.toFixed(1)} %), ${r.wire.reordered} reordered`);
    ok(Math.abs(lossPct - 36) <= 20, `ping loss ${lossPct.toFixed(1)} % should be 36 % ± 20`);
    ok(Math.abs(wireLoss - 20) <= 10, `wire loss ${wireLoss.toFixed(1)} % should be 20 % ± 10`);
    ok(r.wire.reordered > 0, 'some datagrams reordered');
    console.log(`[lab-e2e] screenshot ${await shot(page, '6-impaired')}`);
    await page.evaluate(async () => {
      const lab = (window as unknown as ProbeWindow).webswanLab;
      await lab.setImpairment('A', {});
      await lab.setImpairment('B', {});
    });
  });

  it('offline: server stopped, reload from the service worker, the PSK lab again', async () => {
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await page.waitForFunction(async () => {
      const urls: string[] = [];
      for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) urls.push(r.url);
      return urls.some((u) => /\.wasm\b/.test(u)) && urls.some((u) => /router-worker-/.test(u)) && urls.some((u) => /xterm-/.test(u));
    }, { timeout: 20_000, polling: 200 });
    server!.stop();
    requested = [];
    const res = await page.reload({ waitUntil: 'load' });
    ok(res?.fromServiceWorker(), 'reload answered by the service worker');
    await page.waitForFunction(() => (window as unknown as ProbeWindow).__e2e.readyAt !== undefined, { timeout: 20_000, polling: 10 });
    const t = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, ready: (window as unknown as ProbeWindow).__e2e.readyAt! };
    });
    note('page load, offline (service worker, server stopped)', `DOMContentLoaded ${ms(t.dcl)}, load ${ms(t.load)}, lab ready ${ms(t.ready)}`);
    await loadFromPicker(page, PSK.lab);
    const c = await commitCycle(page, 'event');
    note('offline: 2nd commit → IKE_AUTH response at A', ms(c.total));
    await waitUp(page, 5000);
    const ping = await exec(page, 'A', `ping ${PSK.B}`);
    equal(pingStats(ping).pct, 100, `offline ping\n${ping}`);
    await checkDetail(page, 'Disabled', 'AES-CBC/256');
    console.log(`[lab-e2e] screenshot ${await shot(page, '7-offline-tunnel-up')}`);
    // a laptop screen: what is visible without scrolling
    await page.setViewport({ width: 1280, height: 720 });
    const laptop = join(SHOTS, '8-laptop-1280x720.png');
    await page.screenshot({ path: laptop });
    console.log(`[lab-e2e] screenshot ${laptop}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    equal(overflow, 0, 'no horizontal scrolling at 1280 px');
    await page.setViewport({ width: 1440, height: 900 });
  });

  it('datagrams/s through the tunnel with the UI detached (the runtime alone)', async () => {
    const r = await page.evaluate(async (dst: string) => {
      document.querySelector('ws-lab-app')?.remove();
      const lab = (window as unknown as ProbeWindow).webswanLab;
      const t = performance.now();
      const out = await lab.exec('A', `ping ${dst} count 1000 size 100 timeout 1`);
      return { out, dt: performance.now() - t };
    }, PSK.B);
    const st = pingStats(r.out);
    ok(st.pct >= 99, `ping ${st.pct} %`);
    note('datagrams/s through the tunnel, UI detached (<ws-lab-app> removed), one ping in flight',
      `${Math.round((2 * st.ok) / (r.dt / 1000))} ESP datagrams/s (${st.ok} echoes in ${ms(r.dt)})`);
  });

  it('bundle size (gzip -9 of dist/ JS + WASM, the web app only)', () => {
    const files = gzipSizes(join(root, 'dist'), (p) => /\.(js|wasm)$/.test(p) && !/^(node|edge)\//.test(p));
    const isXterm = (p: string) => /(^|\/)(xterm|addon-fit)-/.test(p);
    const sum = (xs: typeof files) => xs.reduce((s, f) => s + f.gzip, 0);
    const all = sum(files), xterm = sum(files.filter((f) => isXterm(f.path)));
    // what a first visit needs: main.js, the router worker and its chunks, one core build (Chromium: relaxed SIMD)
    const page = files.filter((f) => !isXterm(f.path) && !/^sw\.js$|selftest|core-worker|webswan-core-[A-Za-z0-9_-]{8}\.wasm$/.test(f.path));
    for (const f of files) console.log(`[lab-e2e]   ${f.path.padEnd(44)} ${String(f.bytes).padStart(8)} B  gzip ${String(f.gzip).padStart(7)} B`);
    note('gzip JS+WASM the lab needs, without xterm (main, router worker, chunks, one WASM core)', kb(sum(page)));
    note('gzip JS+WASM the lab needs, with xterm', kb(sum(page) + xterm));
    note('gzip all web JS+WASM in dist/ (both WASM builds, self-test, sw.js, xterm)', `${kb(all)} (xterm + fit addon ${kb(xterm)})`);
    const cold = files.filter((f) => coldRequests.some((u) => new URL(u).pathname === `/${f.path}`));
    note('gzip JS+WASM the page and its workers requested on the first visit (before the service worker precache)',
      `${kb(sum(cold))}: ${cold.map((f) => f.path).join(', ')}`);
    ok(sum(page) <= 250 * 1024, `≤ 250 KB gzip before xterm: ${kb(sum(page))}`);
  });

  it('no console errors during the whole run', () => {
    equal(errors.length, 0, `console errors:\n${errors.join('\n')}`);
  });
});
