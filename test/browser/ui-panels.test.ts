// <ws-topology>, <ws-wire-inspector>, <ws-labs> and <ws-downloads> against a fake LabClient.
import { expect } from '@esm-bundle/chai';
import '../../web/components/topology.js';
import '../../web/components/wire-inspector.js';
import '../../web/components/labs.js';
import '../../web/components/downloads.js';
import type { WsTopology } from '../../web/components/topology.js';
import { tunnelLook } from '../../web/components/topology.js';
import type { WsWireInspector } from '../../web/components/wire-inspector.js';
import type { WsLabs } from '../../web/components/labs.js';
import type { WsDownloads } from '../../web/components/downloads.js';
import { captureBundle } from '../../web/components/downloads.js';
import { tar, untar } from '../../web/components/files.js';
import { FakeLab, mount, routerState, tunnel, until } from './ui-fake.js';
declare function afterEach(fn: () => void | Promise<void>): void; // mocha's (test/support/globals.d.ts has the shared subset)

const frame = () => new Promise((r) => setTimeout(r, 150)); // throttled renders run on the next frame
const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T & Element>(sel)!;
const $$ = (el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];

afterEach(() => { for (const t of ['ws-topology', 'ws-wire-inspector', 'ws-labs', 'ws-downloads']) document.querySelectorAll(t).forEach((e) => e.remove()); });

describe('ui: <ws-topology>', () => {
  it('combines both ends of a tunnel into one state', () => {
    expect(tunnelLook(tunnel(), tunnel())).to.equal('down');
    expect(tunnelLook(tunnel({ state: 'negotiating' }), tunnel())).to.equal('negotiating');
    expect(tunnelLook(tunnel({ state: 'up' }), tunnel({ state: 'negotiating' }))).to.equal('negotiating');
    expect(tunnelLook(tunnel({ state: 'up' }), tunnel({ state: 'up' }))).to.equal('up');
    expect(tunnelLook(tunnel({ state: 'up', quantumSafe: true }), tunnel({ state: 'up', quantumSafe: true }))).to.equal('quantum-safe');
  });

  it('renders routers, then each tunnel state (text and icon, not colour alone) and counters from state events', async () => {
    const lab = new FakeLab();
    lab.states.A = routerState('A', { hostname: 'PE1', addresses: ['GigabitEthernet0/0/0/0 192.0.2.1/24', 'tunnel-ip1 10.1.1.1/30'] });
    const el = mount<WsTopology>('ws-topology', { client: lab });
    await until(() => $(el, '[data-router=A] .hostname')?.textContent === 'PE1', 'initial state');
    expect($(el, '[data-router=A] ul').textContent).to.include('192.0.2.1/24');
    expect($(el, '.none').textContent).to.include('No tunnel');

    const states: [Partial<Parameters<typeof tunnel>[0]>, string, string][] = [
      [{ state: 'down' }, 'down', 'down'],
      [{ state: 'negotiating' }, 'negotiating', 'negotiating'],
      [{ state: 'up' }, 'up', 'UP-ACTIVE'],
      [{ state: 'up', quantumSafe: true }, 'quantum-safe', 'UP-ACTIVE · quantum-safe'],
    ];
    for (const [t, look, text] of states) {
      lab.emit({ kind: 'state', state: routerState('A', { hostname: 'PE1', tunnels: [tunnel({ ...t, packetsOut: 5, bytesOut: 520 })] }) });
      lab.emit({ kind: 'state', state: routerState('B', { tunnels: [tunnel({ ...t, packetsOut: 4, bytesOut: 2048, drops: 1 })] }) });
      await el.updateComplete;
      const box = $(el, '.tunnel');
      expect(box.dataset.state).to.equal(look);
      expect($(el, '.tunnel .state').textContent).to.equal(text);
      expect($(el, '.tunnel .icon svg path')).to.not.equal(null);
      expect(box.getAttribute('aria-label')).to.equal(`tunnel-ip1: ${text}`);
    }
    const rows = $$(el, 'tbody tr').map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent!.trim()));
    expect(rows).to.deep.equal([['A → B', '5', '520 B', '1'], ['B → A', '4', '2.0 KiB', '0']]);
    const colours = new Set<string>();
    for (const look of ['down', 'negotiating', 'up', 'quantum-safe']) {
      box(el).className = `tunnel ${look}`;
      colours.add(getComputedStyle(box(el)).borderColor);
    }
    expect(colours.size).to.equal(4);
  });

  it('shows a failure explanation under a tunnel that is not up, and drops it once up', async () => {
    const lab = new FakeLab();
    const el = mount<WsTopology>('ws-topology', { client: lab });
    lab.emit({ kind: 'state', state: routerState('A', { tunnels: [tunnel({ state: 'negotiating' })] }) });
    lab.emit({ kind: 'explain', router: 'A', at: 0, text: 'B rejected the PSK: the keys differ.' });
    await el.updateComplete;
    expect($(el, '.explain').textContent).to.equal('B rejected the PSK: the keys differ.');
    expect($(el, '.explain').getAttribute('role')).to.equal('alert');
    lab.emit({ kind: 'state', state: routerState('A', { tunnels: [tunnel({ state: 'up' })] }) });
    lab.emit({ kind: 'state', state: routerState('B', { tunnels: [tunnel({ state: 'up' })] }) });
    await el.updateComplete;
    expect($(el, '.explain')).to.equal(null);
  });

  it('unsubscribes when removed', async () => {
    const lab = new FakeLab();
    const el = mount<WsTopology>('ws-topology', { client: lab });
    await el.updateComplete;
    expect(lab.listenerCount).to.equal(1);
    el.remove();
    expect(lab.listenerCount).to.equal(0);
  });
});

function box(el: WsTopology): HTMLElement { return $(el, '.tunnel'); }

describe('ui: <ws-wire-inspector>', () => {
  function slide(el: Element, id: string, value: number): void {
    const input = $<HTMLInputElement>(el, `#${id}`);
    input.value = String(value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  it('sends the whole impairment to setImpairment for its router', async () => {
    const lab = new FakeLab();
    const el = mount<WsWireInspector>('ws-wire-inspector', { client: lab, router: 'B' });
    await el.updateComplete;
    for (const id of ['lossPct', 'delayMs', 'jitterMs', 'reorderPct', 'duplicatePct', 'corruptPct']) {
      expect($(el, `label[for=${id}]`)).to.not.equal(null);
    }
    slide(el, 'lossPct', 20);
    slide(el, 'delayMs', 100);
    slide(el, 'jitterMs', 25);
    slide(el, 'reorderPct', 10);
    slide(el, 'duplicatePct', 2);
    slide(el, 'corruptPct', 1);
    const cut = $<HTMLInputElement>(el, 'input[name=cut]');
    cut.click();
    await el.updateComplete;
    const calls = lab.callsOf('setImpairment');
    expect(calls[0]).to.deep.equal(['B', { lossPct: 20 }]);
    expect(calls[calls.length - 1]).to.deep.equal(['B', {
      lossPct: 20, delayMs: 100, jitterMs: 25, reorderPct: 10, duplicatePct: 2, corruptPct: 1, cut: true,
    }]);
    expect($(el, '#lossPct-out').textContent).to.equal('20 %');
    slide(el, 'lossPct', 0);
    expect(lab.callsOf('setImpairment').pop()![1]).to.not.have.property('lossPct');
    cut.click();
    await el.updateComplete;
    expect(lab.callsOf('setImpairment').pop()![1]).to.not.have.property('cut');
    ($$(el, 'button').find((b) => b.textContent!.includes('Clear')) as HTMLButtonElement).click();
    await el.updateComplete;
    expect(lab.callsOf('setImpairment').pop()).to.deep.equal(['B', {}]);
    expect($<HTMLInputElement>(el, '#delayMs').value).to.equal('0');
  });

  it('follows impairments set elsewhere (window.webswanLab): sliders, outputs and the cut box', async () => {
    const lab = new FakeLab();
    const el = mount<WsWireInspector>('ws-wire-inspector', { client: lab, router: 'A' });
    await el.updateComplete;
    lab.emit({ kind: 'impairment', router: 'B', impairment: { lossPct: 50 } });
    lab.emit({ kind: 'impairment', router: 'A', impairment: { lossPct: 20, reorderPct: 20, delayMs: 300, cut: true, seed: 7 } });
    await el.updateComplete;
    expect($<HTMLInputElement>(el, '#lossPct').value).to.equal('20');
    expect($(el, '#lossPct-out').textContent).to.equal('20 %');
    expect($(el, '#reorderPct-out').textContent).to.equal('20 %');
    expect($<HTMLInputElement>(el, '#delayMs').value).to.equal('300');
    expect($<HTMLInputElement>(el, '#delayMs').getAttribute('aria-valuetext')).to.equal('300 ms');
    expect($<HTMLInputElement>(el, 'input[name=cut]').checked).to.equal(true);
    expect($(el, '#jitterMs-out').textContent).to.equal('0 ms');
    // moving a slider now keeps the rest of that setting (seed included)
    const input = $<HTMLInputElement>(el, '#jitterMs');
    input.value = '10';
    input.dispatchEvent(new Event('change', { bubbles: true }));
    expect(lab.callsOf('setImpairment').pop()).to.deep.equal(['A', { lossPct: 20, reorderPct: 20, delayMs: 300, cut: true, seed: 7, jitterMs: 10 }]);
    lab.emit({ kind: 'impairment', router: 'A', impairment: {} });
    await el.updateComplete;
    expect($<HTMLInputElement>(el, '#lossPct').value).to.equal('0');
    expect($<HTMLInputElement>(el, 'input[name=cut]').checked).to.equal(false);
  });

  it('counts the datagrams of its router from wire events', async () => {
    const lab = new FakeLab();
    const el = mount<WsWireInspector>('ws-wire-inspector', { client: lab, router: 'A' });
    await el.updateComplete;
    for (let i = 0; i < 50; i++) lab.emit({ kind: 'wire', router: 'A', dir: 'out', at: i, length: 100 });
    for (let i = 0; i < 7; i++) lab.emit({ kind: 'wire', router: 'A', dir: 'in', at: i, length: 10 });
    lab.emit({ kind: 'wire', router: 'A', dir: 'out', at: 0, length: 100, dropped: 'loss' });
    lab.emit({ kind: 'wire', router: 'A', dir: 'out', at: 0, length: 100, mark: 'duplicate' });
    lab.emit({ kind: 'wire', router: 'B', dir: 'out', at: 0, length: 100 });
    await frame();
    expect($(el, '.sent').textContent).to.equal('51');
    expect($(el, '.received').textContent).to.equal('7');
    expect($(el, '.dropped').textContent).to.equal('1');
    expect($(el, '.counters').textContent).to.include('last: loss');
    expect($(el, '.counters').textContent).to.include('1 duplicated');
  });
});

describe('ui: <ws-labs>', () => {
  it('lists the labs with the broken ones marked, and loads the chosen one', async () => {
    const lab = new FakeLab();
    const el = mount<WsLabs>('ws-labs', { client: lab });
    await el.updateComplete;
    const groups = $$(el, 'optgroup');
    expect(groups.map((g) => g.getAttribute('label'))).to.deep.equal(['Working labs', 'Broken labs (find the fault)']);
    expect([...groups[1].querySelectorAll('option')].map((o) => o.textContent)).to.deep.equal(['PSK mismatch']);
    expect(groups[1].querySelector('option')!.title).to.include('broken on purpose');
    expect($(el, 'label[for=lab]')).to.not.equal(null);
    const select = $<HTMLSelectElement>(el, 'select');
    expect(select.value).to.equal('psk-ipv4');
    select.value = 'broken-psk';
    select.dispatchEvent(new Event('change'));
    let loaded = '';
    el.addEventListener('lab-loaded', (e) => { loaded = (e as CustomEvent).detail.name; });
    $<HTMLButtonElement>(el, '#load').click();
    await until(() => loaded, 'lab-loaded');
    expect(lab.callsOf('load')).to.deep.equal([['broken-psk']]);
    await el.updateComplete;
    expect($(el, '.status').textContent).to.include('Loaded PSK mismatch');
    expect($(el, '.status').textContent).to.include('broken on purpose: read the explanation, fix the configuration in a terminal, commit');
    expect($(el, '.status').textContent).not.to.include('Commit to bring the tunnel up');
    expect($(el, '.current'), 'the lab is named once').to.equal(null);
    select.value = 'psk-ipv4';
    select.dispatchEvent(new Event('change'));
    $<HTMLButtonElement>(el, '#load').click();
    await until(() => $(el, '.status').textContent!.includes('Loaded PSK, IPv4'), 'second load');
    expect($(el, '.status').textContent).to.include('the tunnel comes up by itself');
  });

  it('shows long lab titles whole', async () => {
    const lab = new FakeLab();
    lab.labList = [
      { name: 'psk-ipv4', title: 'Pre-shared key, IPv4 identities', broken: false },
      { name: 'ppk-manual', title: 'Quantum-safe: manual PPK (RFC 8784)', broken: false },
      { name: 'broken-ppk', title: 'Broken: PPK required on one side only', broken: true },
    ];
    const el = mount<WsLabs>('ws-labs', { client: lab }, 'display: block; width: 1200px');
    await el.updateComplete;
    const select = $<HTMLSelectElement>(el, 'select');
    for (const name of ['ppk-manual', 'broken-ppk']) {
      select.value = name;
      select.dispatchEvent(new Event('change'));
      await el.updateComplete;
      // the select is as wide as its longest option (no max-width cut): the text fits the box
      const probe = document.createElement('span');
      probe.style.font = getComputedStyle(select).font;
      probe.textContent = select.selectedOptions[0].textContent;
      document.body.append(probe);
      const need = probe.getBoundingClientRect().width;
      probe.remove();
      expect(select.getBoundingClientRect().width, name).to.be.greaterThan(need + 20);
    }
  });

  it('exports, imports a file, and shares a URL', async () => {
    const lab = new FakeLab();
    const el = mount<WsLabs>('ws-labs', { client: lab });
    await el.updateComplete;
    $<HTMLButtonElement>(el, '#export').click();
    await until(() => lab.callsOf('exportLab').length === 1, 'exportLab');

    const input = $<HTMLInputElement>(el, '#import');
    const dt = new DataTransfer();
    dt.items.add(new File(['{"format":"webswan-lab"}'], 'mine.json', { type: 'application/json' }));
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
    await until(() => lab.callsOf('importLab').length === 1, 'importLab');
    expect(lab.callsOf('importLab')[0]).to.deep.equal(['{"format":"webswan-lab"}']);

    $<HTMLButtonElement>(el, '#share').click();
    await until(() => $(el, '#share-url'), 'share URL shown');
    expect($<HTMLInputElement>(el, '#share-url').value).to.equal('http://127.0.0.1:8080/#lab=abc');
  });

  it('follows a lab loaded elsewhere (window.webswanLab, a shared URL) from the \'lab\' event', async () => {
    const lab = new FakeLab();
    lab.current = 'psk-ipv4';
    const el = mount<WsLabs>('ws-labs', { client: lab });
    await el.updateComplete;
    // the event comes as the routers restart; the client names the lab as current once the load is over
    lab.emit({ kind: 'lab', name: 'broken-psk' });
    await el.updateComplete;
    expect($<HTMLSelectElement>(el, 'select').value).to.equal('broken-psk');
    expect($(el, '.status').textContent).to.equal('Loading PSK mismatch…');
    expect($(el, '.current')?.textContent ?? '').not.to.include('PSK, IPv4', 'nothing of the previous lab');
    lab.current = 'broken-psk';
    lab.emit({ kind: 'state', state: routerState('A') });
    await el.updateComplete;
    expect($(el, '.status').textContent).to.match(/^Loaded PSK mismatch\. This lab is broken on purpose/);
    expect($(el, '.current')).to.equal(null);

    lab.emit({ kind: 'lab', name: 'ppk-manual' });
    lab.current = 'ppk-manual';
    lab.emit({ kind: 'console', router: 'A', text: 'x' });
    await el.updateComplete;
    expect($<HTMLSelectElement>(el, 'select').value).to.equal('ppk-manual');
    expect($(el, '.status').textContent).to.include('Loaded Manual PPK');
    expect($(el, '.current')?.textContent ?? '').not.to.include('PSK mismatch');
  });

  it('reports a failed load', async () => {
    const lab = new FakeLab();
    lab.load = async () => { throw new Error('router A refused 2 lines'); };
    const el = mount<WsLabs>('ws-labs', { client: lab });
    await el.updateComplete;
    $<HTMLButtonElement>(el, '#load').click();
    await until(() => $(el, '.status').textContent!.includes('failed'), 'error shown');
    expect($(el, '.status').textContent).to.include('router A refused 2 lines');
  });
});

describe('ui: <ws-downloads>', () => {
  it('writes a ustar archive that reads back', () => {
    const files = untar(tar([{ name: 'a.txt', body: 'hello\n' }, { name: 'd/b.bin', body: new Uint8Array(600).fill(7) }]));
    expect(files.map((f) => f.name)).to.deep.equal(['a.txt', 'd/b.bin']);
    expect(new TextDecoder().decode(files[0].body)).to.equal('hello\n');
    expect(files[1].body.length).to.equal(600);
  });

  it('bundles a capture with its Wireshark key files as a configuration directory', () => {
    const t = untar(captureBundle('A', new Uint8Array([1, 2, 3]), { ikev2_decryption_table: 'x', esp_sa: 'y' }, 'psk-ipv4'));
    expect(t.map((f) => f.name)).to.deep.equal([
      'webswan-A/README.txt', 'webswan-A/link-A.pcap', 'webswan-A/wireshark/ikev2_decryption_table', 'webswan-A/wireshark/esp_sa',
    ]);
    expect(new TextDecoder().decode(t[0].body)).to.include('WIRESHARK_CONFIG_DIR=webswan-A/wireshark tshark -r webswan-A/link-A.pcap');
  });

  it('downloads each router\'s capture + keys, pcap and running-config', async () => {
    const lab = new FakeLab();
    const el = mount<WsDownloads>('ws-downloads', { client: lab });
    await el.updateComplete;
    $<HTMLButtonElement>(el, 'button[data-action=bundle][data-router=B]').click();
    await until(() => $(el, '.status').textContent!.includes('webswan-B.tar'), 'bundle saved');
    expect(lab.callsOf('pcap')).to.deep.equal([['B']]);
    expect(lab.callsOf('keyFiles')).to.deep.equal([['B']]);
    $<HTMLButtonElement>(el, 'button[data-action=config][data-router=A]').click();
    await until(() => $(el, '.status').textContent!.includes('running-config'), 'config saved');
    expect(lab.callsOf('runningConfig')).to.deep.equal([['A']]);
  });
});
