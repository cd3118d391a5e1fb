// <ws-key-sources> against a fake LabClient: shown only in a lab with key sources (labs() says
// keySources: true) and a client that has keySource(); the KPs, their routers and counters and the link
// state from keySource({op: 'status'}) and 'keySource' events; each control calls keySource with the right
// action; bad numbers are refused with a message; a failing control says so; no polling.
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../web/components/key-sources.js';
import type { WsKeySources } from '../../web/components/key-sources.js';
import { linkText } from '../../web/components/key-sources.js';
import { FakeLab, keySourceStatus, mount, until } from './ui-fake.js';
declare function afterEach(fn: () => void | Promise<void>): void; // mocha's (test/support/globals.d.ts has the shared subset)

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T & Element>(sel)!;
const text = (el: Element, sel: string) => $(el, sel)?.textContent!.replace(/\s+/g, ' ').trim();
const row = (el: Element, kp: string) => [...$(el, `tr[data-kp=${kp}]`).querySelectorAll('th, td')].map((c) => c.textContent!.replace(/\s+/g, ' ').trim());

afterEach(() => { document.querySelectorAll('ws-key-sources').forEach((e) => e.remove()); });

async function panel(current = 'ppk-dynamic'): Promise<{ el: WsKeySources; lab: FakeLab }> {
  const lab = new FakeLab();
  lab.current = current;
  lab.keyStatus = keySourceStatus({}, { A: { issued: 3, unavailable: 1 }, B: { delivered: 2, refused: 1, errors: 1 } });
  lab.keyStatus.ends[1].pending = 1;
  const el = mount<WsKeySources>('ws-key-sources', { client: lab });
  await el.updateComplete;
  if (current === 'ppk-dynamic') await until(() => $(el, 'tr[data-kp=KP_A]'), 'status shown');
  return { el, lab };
}

describe('ui: <ws-key-sources>', () => {
  it('describes the link in words', () => {
    expect(linkText({ cut: false, delayMs: 0, budgetBits: null })).to.deep.equal({ state: 'up', parts: ['key budget unlimited'] });
    expect(linkText({ cut: true, delayMs: 500, budgetBits: 512 })).to.deep.equal({ state: 'cut', parts: ['slowed by 500 ms', '512 bits left (2 keys of 256)'] });
    expect(linkText({ cut: false, delayMs: 0, budgetBits: 300 }).parts).to.deep.equal(['300 bits left (1 key of 256)']);
    expect(linkText({ cut: false, delayMs: 0, budgetBits: 0 }).parts).to.deep.equal(['out of keys (budget 0 bits)']);
  });

  it('shows both KPs with their routers, addresses and counters, and the link state', async () => {
    const { el, lab } = await panel();
    expect(el.hidden).to.equal(false);
    expect(lab.callsOf('keySource')).to.deep.equal([[{ op: 'status' }]]);
    expect(row(el, 'KP_A')).to.deep.equal(['KP_A 192.0.2.34:10001', 'Router A', 'issued 3', 'delivered 0', 'refused 1', 'waiting 0']);
    expect(row(el, 'KP_B')).to.deep.equal(['KP_B 192.0.2.35:10002', 'Router B', 'issued 0', 'delivered 2', 'refused 2', 'waiting 1']);
    expect(text(el, '.link')).to.equal('QKD link KP_A ═ KP_B: up · key budget unlimited');
    expect($(el, '.link').getAttribute('role')).to.equal('status');
    expect($(el, 'table').getAttribute('aria-labelledby')).to.equal('ks-h');
    expect(text(el, '#ks-h')).to.equal('Key sources (SKIP)');
    for (const id of ['ks-delay', 'ks-budget']) expect($(el, `label[for=${id}]`), id).to.not.equal(null);
    expect($<HTMLInputElement>(el, 'input[name=cut]').closest('label')!.textContent).to.include('Cut the QKD link');
  });

  it('follows keySource events: link state, counters, a KP that stopped answering — without polling', async () => {
    const { el, lab } = await panel();
    const st = keySourceStatus({ cut: true, delayMs: 250, budgetBits: 1024 }, { A: { issued: 4, unavailable: 3 } });
    st.ends[1].reachable = false;
    lab.emit({ kind: 'keySource', status: st });
    await el.updateComplete;
    expect($(el, '[data-link]').dataset.link).to.equal('cut');
    expect(text(el, '.link')).to.equal('QKD link KP_A ═ KP_B: ✂ cut · no new keys (HTTP 503): a new IKE SA gets no PPK · slowed by 250 ms · 1024 bits left (4 keys of 256)');
    expect($<HTMLInputElement>(el, 'input[name=cut]').checked).to.equal(true);
    expect($<HTMLInputElement>(el, '#ks-delay').value).to.equal('250');
    expect(row(el, 'KP_A').slice(2)).to.deep.equal(['issued 4', 'delivered 0', 'refused 3', 'waiting 0']);
    expect(row(el, 'KP_B')[0]).to.equal('KP_B 192.0.2.35:10002 not answering');
    lab.emit({ kind: 'keySource', status: keySourceStatus() });
    await el.updateComplete;
    expect($<HTMLInputElement>(el, 'input[name=cut]').checked).to.equal(false);
    expect(text(el, '.link')).to.equal('QKD link KP_A ═ KP_B: up · key budget unlimited');
    await new Promise((r) => setTimeout(r, 300));
    expect(lab.callsOf('keySource'), 'one status read, then events only').to.deep.equal([[{ op: 'status' }]]);
  });

  it('a status read answered after a newer event does not overwrite it (answers and events travel on different ports)', async () => {
    const lab = new FakeLab();
    lab.current = 'ppk-dynamic';
    lab.keyStatus = keySourceStatus(); // what the read will say: nothing issued yet
    let answer!: () => void;
    const real = lab.keySource.bind(lab);
    lab.keySource = (action) => new Promise((resolve) => { answer = () => { void real(action).then(resolve); }; });
    const el = mount<WsKeySources>('ws-key-sources', { client: lab });
    await until(() => answer, 'the status read asked');
    lab.emit({ kind: 'keySource', status: keySourceStatus({}, { A: { issued: 1 }, B: { delivered: 1 } }) }); // a key went meanwhile
    await el.updateComplete;
    answer(); // the older answer arrives last
    await new Promise((r) => setTimeout(r, 20));
    await el.updateComplete;
    expect(row(el, 'KP_A').slice(2)).to.deep.equal(['issued 1', 'delivered 0', 'refused 0', 'waiting 0']);
    expect(row(el, 'KP_B').slice(2)).to.deep.equal(['issued 0', 'delivered 1', 'refused 0', 'waiting 0']);
  });

  it('cut / restore, delay, budget, unlimited and reset call keySource with the right action', async () => {
    const { el, lab } = await panel();
    const cut = $<HTMLInputElement>(el, 'input[name=cut]');
    cut.click();
    await until(() => $(el, '[data-link]').dataset.link === 'cut', 'cut shown');
    cut.click();
    await until(() => $(el, '[data-link]').dataset.link === 'up', 'restored');

    const delay = $<HTMLInputElement>(el, '#ks-delay');
    delay.value = '1500';
    $<HTMLButtonElement>(el, 'form.delay button[type=submit]').click();
    await until(() => text(el, '.link').includes('slowed by 1500 ms'), 'delay shown');

    // Enter in the budget field submits it, as a keyboard user expects
    const budget = $<HTMLInputElement>(el, '#ks-budget');
    budget.focus();
    await sendKeys({ type: '512' });
    await sendKeys({ press: 'Enter' });
    await until(() => text(el, '.link').includes('512 bits left'), 'budget shown');
    expect(budget.value).to.equal('512');

    $<HTMLButtonElement>(el, 'button.unlimited').click();
    await until(() => text(el, '.link').includes('key budget unlimited'), 'unlimited');
    expect(budget.value).to.equal('');

    budget.value = '0';
    budget.dispatchEvent(new Event('input'));
    $<HTMLButtonElement>(el, 'form.budget button[type=submit]').click();
    await until(() => text(el, '.link').includes('out of keys'), 'budget 0');

    $<HTMLButtonElement>(el, 'button.reset').click();
    await until(() => text(el, '.link') === 'QKD link KP_A ═ KP_B: up · key budget unlimited', 'reset');
    expect(lab.callsOf('keySource').map((c) => c[0])).to.deep.equal([
      { op: 'status' }, { op: 'cut' }, { op: 'restore' }, { op: 'slow', ms: 1500 }, { op: 'budget', bits: 512 },
      { op: 'budget', bits: null }, { op: 'budget', bits: 0 }, { op: 'reset' },
    ]);
    expect($<HTMLInputElement>(el, '#ks-delay').value).to.equal('0');
  });

  it('refuses a bad delay or budget with a message, and shows a failing control', async () => {
    const { el, lab } = await panel();
    const delay = $<HTMLInputElement>(el, '#ks-delay');
    delay.value = '-5';
    $<HTMLButtonElement>(el, 'form.delay button[type=submit]').click();
    await el.updateComplete;
    expect(text(el, '.err')).to.include('Delay: a whole number of milliseconds');
    expect($(el, '.err').getAttribute('role')).to.equal('alert');
    const budget = $<HTMLInputElement>(el, '#ks-budget');
    budget.value = '12.5';
    budget.dispatchEvent(new Event('input'));
    $<HTMLButtonElement>(el, 'form.budget button[type=submit]').click();
    await el.updateComplete;
    expect(text(el, '.err')).to.include('Key budget: a whole number of bits');
    expect(lab.callsOf('keySource')).to.deep.equal([[{ op: 'status' }]]);

    lab.keySourceError = 'lab: controller disposed';
    const cut = $<HTMLInputElement>(el, 'input[name=cut]');
    cut.click();
    await until(() => $(el, '.err')?.textContent?.includes('Could not cut the link: lab: controller disposed'), 'error shown');
    expect(cut.checked, 'the toggle goes back to the real state').to.equal(false);
  });

  it('is hidden outside a lab with key sources and follows lab loads', async () => {
    const { el, lab } = await panel('psk-ipv4');
    expect(el.hidden).to.equal(true);
    expect(getComputedStyle(el).display).to.equal('none');
    expect(lab.callsOf('keySource'), 'no status read while hidden').to.deep.equal([]);
    lab.emit({ kind: 'lab', name: 'ppk-dynamic' });
    await until(() => $(el, 'tr[data-kp=KP_B]'), 'shown after the Dynamic PPK lab loads');
    expect(el.hidden).to.equal(false);
    expect(getComputedStyle(el).display).to.equal('block');
    lab.emit({ kind: 'lab', name: 'ppk-manual' });
    await el.updateComplete;
    expect(el.hidden).to.equal(true);
    expect($(el, 'table')).to.equal(null);

    // a client without key-source controls never shows it
    const bare = new FakeLab();
    bare.current = 'ppk-dynamic';
    (bare as { keySource?: unknown }).keySource = undefined;
    const el2 = mount<WsKeySources>('ws-key-sources', { client: bare });
    await el2.updateComplete;
    expect(el2.hidden).to.equal(true);
  });

  it('unsubscribes when removed', async () => {
    const { el, lab } = await panel();
    expect(lab.listenerCount).to.equal(1);
    el.remove();
    expect(lab.listenerCount).to.equal(0);
  });
});
