// <ws-ladder> and <ws-dissection> with REAL entries: two routers negotiate on this very page (virtual time,
// simulated wire, WebCrypto ECDH), every message goes through ladderEntry() as in the router worker, and
// the components must draw the arrows, dissect IKE_AUTH's SK contents and ESP's inner ICMP, fold and filter
// ESP, follow a LabClient's events, show the failure explanation, and work from the keyboard alone. A
// flood of synthetic entries: each is paired once, one render per frame, the view capped, the selection kept.
import { expect } from '@esm-bundle/chai';
import { installBrowserEnv } from './env-browser.js';
import { explanations, labPair, ping, upActive, type LabPair } from '../suites/lab-ladder.js';
import { explain } from '../../src/lab/explain.js';
import { run, until } from '../support/sim.js';
import type { LabClient, LabEvent, LadderEntry, RouterName } from '../../src/lab/protocol.js';
import { LADDER_VIEW_MAX, LadderView, arrowsOf } from '../../web/components/ladder-view.js';
import type { DissectionView } from '../../web/components/dissection-view.js';

installBrowserEnv();

/** A fresh <ws-ladder> (the previous test's one removed: it unsubscribes on disconnect). */
async function mount(setup: (el: LadderView) => void): Promise<LadderView> {
  document.body.querySelectorAll('ws-ladder').forEach((e) => e.remove());
  const el = document.createElement('ws-ladder');
  setup(el);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const rows = (el: LadderView) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('.row')];
const list = (el: LadderView) => el.shadowRoot!.querySelector<HTMLElement>('[role=listbox]')!;

/** Focuses the listbox. A page without system focus (several test files in one run) gets no focus event: send it. */
function focusList(el: LadderView): void {
  list(el).focus();
  if (!document.hasFocus()) list(el).dispatchEvent(new FocusEvent('focus'));
}
const dissection = (el: LadderView) => el.shadowRoot!.querySelector<DissectionView>('ws-dissection');

async function key(el: LadderView, k: string): Promise<void> {
  list(el).dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true, cancelable: true }));
  await el.updateComplete;
}

async function dissectionText(el: LadderView): Promise<string> {
  const d = dissection(el);
  expect(d, 'dissection open').to.exist;
  await d!.updateComplete;
  return d!.shadowRoot!.textContent!.replace(/\s+/g, ' ');
}

/** A LabClient over two in-page routers: ladder entries and explanations exactly as the controller streams them. */
function pageClient(p: LabPair): LabClient {
  const subs = new Set<(e: LabEvent) => void>();
  const emit = (e: LabEvent) => { for (const s of subs) s(e); };
  let id = 0;
  const ladder: LadderEntry[] = [];
  for (const [name, r] of [['A', p.a], ['B', p.b]] as const) {
    r.onMessage(() => {
      // labPair already turned the message into an entry (the last one pushed): stream that one
      const entry = { ...p.entries[p.entries.length - 1], id: ++id };
      ladder.push(entry);
      emit({ kind: 'ladder', entry });
    });
    r.onTrace((t) => {
      const text = explain(t.text, name as RouterName);
      if (text) emit({ kind: 'explain', router: name, at: t.at.getTime(), text });
    });
  }
  return { ladder: () => ladder.slice(), on: (cb) => { subs.add(cb); return () => subs.delete(cb); } } as Partial<LabClient> as LabClient;
}

describe('<ws-ladder> with two real routers', () => {
  let healthy: LabPair;
  before(async () => {
    healthy = await labPair();
    await until(healthy.time, () => upActive(healthy.a) && upActive(healthy.b), 10_000, 'UP-ACTIVE');
    expect(await ping(healthy, healthy.a, '192.0.2.2', 2)).to.equal(2);
  });

  it('one arrow per message, A→B and B→A, each marked received, with its summary as label', async () => {
    const el = await mount((x) => { x.entries = healthy.entries; });
    const arrows = arrowsOf(healthy.entries);
    expect(arrows.length * 2).to.equal(healthy.entries.length, 'every message seen by both routers, drawn once');
    const r = rows(el);
    expect(r.length).to.equal(arrows.length);
    const ike = r.filter((x) => x.classList.contains('ike'));
    expect(ike.slice(0, 4).map((x) => x.classList.contains('ab') ? 'A→B' : 'B→A')).to.deep.equal(['A→B', 'B→A', 'A→B', 'B→A']);
    expect(ike[0].querySelector('.label')!.textContent).to.match(/^IKE_SA_INIT request 0 \[ SA KE No/);
    expect(ike[1].querySelector('.label')!.textContent).to.match(/^IKE_SA_INIT response 0 \[ SA KE No/);
    expect(ike[2].querySelector('.label')!.textContent).to.match(/^IKE_AUTH request 1 \[ IDi .*AUTH SA TSi TSr \]/);
    expect(ike[3].getAttribute('aria-label')).to.match(/^Router B to Router A: IKE_AUTH response 1 .*, received$/);
    expect(r.every((x) => !x.classList.contains('lost'))).to.equal(true, 'nothing lost on a clean wire');
    const esp = r.filter((x) => x.classList.contains('esp'));
    expect(esp.length).to.equal(4, 'two echo requests and two replies');
    expect(esp[0].querySelector('.label')!.textContent).to.match(/^ESP SPI 0x[0-9a-f]{8} seq 1: ICMP echo request 192\.0\.2\.1 → 192\.0\.2\.2/);
    expect(esp[1].classList.contains('ba')).to.equal(true, 'the reply goes B→A');
  });

  it('keyboard only: focus, arrow keys, Enter opens IKE_AUTH with IDi and AUTH decrypted and the keys that did it', async () => {
    const el = await mount((x) => { x.entries = healthy.entries; });
    focusList(el);
    await el.updateComplete;
    expect(list(el).getAttribute('aria-activedescendant')).to.equal(rows(el)[0].id, 'focus selects the first message');
    await key(el, 'ArrowDown');
    await key(el, 'ArrowDown');
    await key(el, 'ArrowUp');
    await key(el, 'ArrowDown');
    const sel = rows(el).find((x) => x.getAttribute('aria-selected') === 'true')!;
    expect(sel.querySelector('.label')!.textContent).to.match(/^IKE_AUTH request 1/);
    await key(el, 'Enter');
    const text = await dissectionText(el);
    expect(text).to.include('IKE_AUTH request 1');
    expect(text).to.include('Encrypted and Authenticated (SK)');
    expect(text).to.match(/IDi.*identification ?10\.77\.0\.1/);
    expect(text).to.match(/AUTH.*method ?SHARED_KEY_MIC/);
    expect(text).to.include('Decrypted with SK_ei and SK_ai');
    expect(text).to.include('Other keys of this IKE SA');
    const skEi = healthy.entries.find((e) => e.summary.startsWith('IKE_AUTH request'))!.keys!.SK_ei;
    expect(text).to.include(skEi, 'the key itself, in hex');
    const d = dissection(el)!;
    const sk = d.shadowRoot!.querySelector('li[data-name="Encrypted and Authenticated (SK)"] > details')!;
    expect(sk.hasAttribute('open')).to.equal(true, 'SK starts expanded');
    const idi = d.shadowRoot!.querySelector<HTMLDetailsElement>('li[data-name="IDi"] > details')!;
    expect(idi.open).to.equal(false, 'payload fields open on demand');
    idi.querySelector('summary')!.click();
    expect(idi.open).to.equal(true, 'expandable');
    await key(el, 'Escape');
    expect(dissection(el)).to.equal(null, 'Escape closes');
    await key(el, 'End');
    expect(rows(el).at(-1)!.getAttribute('aria-selected')).to.equal('true', 'End: the last message');
  });

  it('IKE_SA_INIT: generic header and IANA names, and "sent in clear"', async () => {
    const el = await mount((x) => { x.entries = healthy.entries; });
    rows(el)[0].click();
    await el.updateComplete;
    const text = await dissectionText(el);
    expect(text).to.match(/Exchange type ?IKE_SA_INIT \(34\)/);
    expect(text).to.match(/Next payload ?SA \(33\)/);
    expect(text).to.match(/ENCR ?AES_CBC-256/);
    expect(text).to.include('Sent in clear');
  });

  it('ESP: click shows the inner ICMP echo and the ESP keys', async () => {
    const el = await mount((x) => { x.entries = healthy.entries; });
    rows(el).find((x) => x.classList.contains('esp'))!.click();
    await el.updateComplete;
    const text = await dissectionText(el);
    expect(text).to.match(/Internet Protocol Version 4 ?192\.0\.2\.1 → 192\.0\.2\.2/);
    expect(text).to.match(/Type ?Echo \(ping\) request \(8\)/);
    expect(text).to.include('Decrypted with Encryption key and Authentication key');
  });

  it('ESP can be hidden, long runs are folded and unfold with Enter', async () => {
    const el = await mount((x) => { x.entries = healthy.entries; });
    const box = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=checkbox]')!;
    box.click();
    await el.updateComplete;
    expect(rows(el).some((x) => x.classList.contains('esp'))).to.equal(false, 'ESP hidden');
    expect(rows(el).length).to.equal(4, 'only IKE left');

    const p = await labPair();
    await until(p.time, () => upActive(p.a) && upActive(p.b), 10_000, 'UP-ACTIVE');
    await ping(p, p.a, '192.0.2.2', 5);
    const el2 = await mount((x) => { x.entries = p.entries; });
    const run = rows(el2).find((x) => x.classList.contains('run'))!;
    expect(run.getAttribute('aria-label')).to.match(/^10 ESP packets \(5 A→B, 5 B→A\)/);
    focusList(el2);
    await key(el2, 'End');
    await key(el2, 'Enter');
    expect(rows(el2).filter((x) => x.classList.contains('esp') && !x.classList.contains('run')).length).to.equal(10, 'unfolded');
  });

  it('a packet the wire lost is drawn as not received', async () => {
    const p = await labPair();
    await until(p.time, () => upActive(p.a) && upActive(p.b), 10_000, 'UP-ACTIVE');
    p.wire.filter = () => false; // cut the cable
    await ping(p, p.a, '192.0.2.2', 1);
    const el = await mount((x) => { x.entries = p.entries; });
    const lost = rows(el).filter((x) => x.classList.contains('lost'));
    expect(lost.length).to.be.greaterThan(0);
    expect(lost[0].getAttribute('aria-label')).to.match(/^Router A to Router B: ESP .*, not received$/);
  });

  it('follows a LabClient: PSK mismatch shows the ladder and a plain-sentence banner', async () => {
    const p = await labPair({}, { pskB: 'wrong-key' });
    const client = pageClient(p);
    const el = await mount((x) => { x.client = client; });
    expect(rows(el).length).to.equal(0);
    expect(el.shadowRoot!.textContent).to.include('No messages yet');
    await run(p.time, 5000);
    await el.updateComplete;
    expect(explanations(p.b, 'B').length).to.be.greaterThan(0);
    const banner = el.shadowRoot!.querySelector('[role=alert]')!;
    expect(banner, 'banner').to.exist;
    expect(banner.textContent).to.match(/Router B:.*pre-shared keys differ/s);
    expect(banner.textContent).to.match(/Router A:.*AUTHENTICATION_FAILED/s);
    const labels = rows(el).map((x) => x.querySelector('.label')!.textContent!);
    expect(labels.some((l) => /^IKE_AUTH response 1 \[ N\(AUTH_FAILED\) \]/.test(l))).to.equal(true, labels.join('\n'));
    el.remove();
    await run(p.time, 1000); // unsubscribed: no errors after removal
  });
});

describe('<ws-ladder> and RFC 7383 fragments', () => {
  it('a message sent in fragments pairs with its reassembly: one arrow, received (the bytes differ, the header matches)', () => {
    // RFC 7296 §3.1 header: SPIi, SPIr, next payload, version, exchange, flags, message ID, length
    const spis = '0123456789abcdef' + 'fedcba9876543210';
    const head = (next: string, len: string) => `${spis}${next}20230800000001${len}`;
    const whole = head('23', '00000610') + 'aa'.repeat(1536); // as sent: IDi → SK, 1552 bytes
    const lastFragment = head('35', '00000200') + 'bb'.repeat(484); // as received: the last SKF datagram
    const base = { at: 1, kind: 'ike' as const, summary: 'IKE_AUTH request 1 [ IDi CERT AUTH SA TSi TSr ]', dissection: [] };
    const arrows = arrowsOf([
      { ...base, id: 1, router: 'A', dir: 'out', rawHex: whole },
      { ...base, id: 2, router: 'B', dir: 'in', rawHex: lastFragment },
    ]);
    expect(arrows.length).to.equal(1, 'one arrow');
    expect(arrows[0].sent && arrows[0].received, 'sent and received').to.be.ok;
    const other = arrowsOf([
      { ...base, id: 1, router: 'A', dir: 'out', rawHex: whole },
      { ...base, id: 2, router: 'B', dir: 'in', rawHex: head('35', '00000200').replace('00000001', '00000002') + 'bb'.repeat(484) },
    ]);
    expect(other.length).to.equal(2, 'another message ID is another message');
  });
});

describe('<ws-ladder> under a flood of entries', () => {
  /** A LabClient that only streams events (what the ladder needs). */
  function streamClient(): { client: LabClient; emit: (e: LabEvent) => void } {
    const subs = new Set<(e: LabEvent) => void>();
    const client = { ladder: () => [], on: (cb: (e: LabEvent) => void) => { subs.add(cb); return () => subs.delete(cb); } } as Partial<LabClient> as LabClient;
    return { client, emit: (e) => { for (const s of subs) s(e); } };
  }
  let id = 0;
  /** Message n seen by both routers: the sender's 'out' entry, then the receiver's 'in' (every 7th is lost). */
  function message(n: number, kind: 'ike' | 'esp' = 'ike'): LadderEntry[] {
    const from: RouterName = n % 2 ? 'B' : 'A';
    const to: RouterName = from === 'A' ? 'B' : 'A';
    const summary = kind === 'ike' ? `INFORMATIONAL request ${n} [ ]` : `ESP SPI 0x0000abcd seq ${n}: ICMP echo request`;
    const base = { at: n, kind, summary, dissection: [], rawHex: n.toString(16).padStart(8, '0') };
    const out: LadderEntry = { ...base, id: ++id, router: from, dir: 'out' };
    return n % 7 === 3 ? [out] : [out, { ...base, id: ++id, router: to, dir: 'in' }];
  }

  it('pairs each entry once, renders once per frame, keeps the last 2000 messages and says so', async () => {
    const { client, emit } = streamClient();
    const el = await mount((x) => { x.client = client; });
    const before = { ...el.stats };
    const entries: LadderEntry[] = [];
    for (let n = 0; entries.length < 5000; n++) entries.push(...message(n));
    entries.length = 5000;
    // entries arrive in separate tasks (as the workers' messages do); frames are run by hand
    const frames: FrameRequestCallback[] = [];
    const raf = window.requestAnimationFrame;
    window.requestAnimationFrame = (cb) => { frames.push(cb); return frames.length; };
    try {
      for (let i = 0; i < 5000; i += 500) {
        for (const entry of entries.slice(i, i + 500)) emit({ kind: 'ladder', entry });
        await new Promise((r) => setTimeout(r, 0));
      }
      expect(el.stats.paired - before.paired).to.equal(5000, 'each entry paired exactly once, on arrival');
      expect(el.stats.renders).to.equal(before.renders, 'no render before the frame');
      expect(frames.length).to.equal(1, 'one frame requested for the whole burst');
      frames.shift()!(performance.now());
      await new Promise((r) => setTimeout(r, 0));
      expect(el.stats.renders - before.renders).to.equal(1, 'one render for the whole burst');
    } finally {
      window.requestAnimationFrame = raf;
    }
    await el.updateComplete;
    const r = rows(el);
    expect(r.length).to.be.at.most(LADDER_VIEW_MAX);
    expect(r.length).to.be.greaterThan(LADDER_VIEW_MAX - 10);
    const last = entries[entries.length - 1];
    expect(r.at(-1)!.querySelector('.label')!.textContent).to.equal(last.summary, 'the latest message is shown');
    expect(el.shadowRoot!.querySelector('.older')!.textContent).to.match(/^Older exchanges not shown: the ladder keeps the last 2000 messages, ESP packets dropped before IKE messages \(\d+ earlier messages dropped\)\.$/);
    const lost = r.filter((x) => x.classList.contains('lost')).length;
    expect(lost).to.be.greaterThan(200, 'messages never received stay drawn as lost');
    // arrows of the dropped messages are forgotten, their other halves still pair with nothing stale
    expect(arrowsOf(entries).length).to.be.greaterThan(LADDER_VIEW_MAX);
    el.remove();
  });

  it('a ping flood drops old ESP packets before the IKE exchange', async () => {
    const { client, emit } = streamClient();
    const el = await mount((x) => { x.client = client; });
    let n = 50_000;
    for (let i = 0; i < 4; i++) for (const entry of message(n++)) emit({ kind: 'ladder', entry });
    for (let i = 0; i < 3000; i++) for (const entry of message(n++, 'esp')) emit({ kind: 'ladder', entry });
    await el.updateComplete;
    const arrows = el.arrows();
    expect(arrows.length).to.equal(LADDER_VIEW_MAX);
    expect(arrows.slice(0, 4).map((a) => a.summary)).to.deep.equal([0, 1, 2, 3].map((i) => `INFORMATIONAL request ${50_000 + i} [ ]`));
    expect(arrows.at(-1)!.summary).to.equal(`ESP SPI 0x0000abcd seq ${n - 1}: ICMP echo request`);
    expect(el.shadowRoot!.querySelector('.older')!.textContent).to.include('(1004 earlier messages dropped)');
    const run = rows(el).find((x) => x.classList.contains('run'))!;
    expect(run.getAttribute('aria-label')).to.match(/^1996 ESP packets/);
    el.remove();
  });

  it('keeps the keyboard selection on the same message while entries stream in and old ones drop off', async () => {
    const { client, emit } = streamClient();
    const el = await mount((x) => { x.client = client; });
    let n = 100_000;
    for (let i = 0; i < 50; i++) for (const entry of message(n++)) emit({ kind: 'ladder', entry });
    await el.updateComplete;
    focusList(el);
    await key(el, 'End');
    await key(el, 'ArrowUp');
    const selected = () => rows(el).find((x) => x.getAttribute('aria-selected') === 'true');
    const chosen = n - 2;
    const label = selected()!.querySelector('.label')!.textContent;
    expect(label).to.equal(`INFORMATIONAL request ${chosen} [ ]`);
    for (let i = 0; i < 500; i++) for (const entry of message(n++)) emit({ kind: 'ladder', entry });
    await el.updateComplete;
    expect(selected()!.querySelector('.label')!.textContent).to.equal(label, 'same message selected');
    expect(list(el).getAttribute('aria-activedescendant')).to.equal(selected()!.id);
    await key(el, 'ArrowDown');
    expect(selected()!.querySelector('.label')!.textContent).to.equal(`INFORMATIONAL request ${chosen + 1} [ ]`, 'moves from there');
    // the selected message drops off the top: the selection moves to the oldest message shown
    for (let i = 0; i < 2100; i++) for (const entry of message(n++)) emit({ kind: 'ladder', entry });
    await el.updateComplete;
    expect(selected(), 'a selection is kept').to.exist;
    expect(selected()).to.equal(rows(el)[0]);
    expect(list(el).getAttribute('aria-activedescendant')).to.equal(rows(el)[0].id);
    // ESP folded into a run: a selected ESP packet selects its run
    emit({ kind: 'lab', name: 'x' });
    for (let i = 0; i < 3; i++) for (const entry of message(n++, 'esp')) emit({ kind: 'ladder', entry });
    await el.updateComplete;
    await key(el, 'End');
    for (let i = 0; i < 5; i++) for (const entry of message(n++, 'esp')) emit({ kind: 'ladder', entry });
    await el.updateComplete;
    expect(selected()!.classList.contains('run')).to.equal(true, 'the run that now holds it');
    el.remove();
  });
});
