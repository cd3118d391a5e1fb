// Chromium, the whole page on the real workers: <ws-lab-app> with the real LabController (two router
// workers over the WebRTC data channel, the key-server worker with KP_A ═ QKD link ═ KP_B). The "Key sources"
// strip is hidden until the Dynamic PPK lab loads, then shows both KPs and their counters from the worker's
// 'keySource' events; its cut toggle cuts the QKD link, so after `clear ikev2 sa` on A the tunnel stays down
// and the topology explains why (the key source answered 503) while KP_A's refused counter moves; the toggle
// again restores the link and the tunnel comes back with a fresh key (issued moves).
import '../../web/components/lab-app.js';
import type { WsLabApp } from '../../web/components/lab-app.js';
import { LabController } from '../../web/lab/controller.js';
import { LabStore } from '../../src/lab/store.js';
import type { LabEvent } from '../../src/lab/protocol.js';
import { equal, ok } from '../support/assert.js';
import { bothUp, PAGE, sleep } from './lab-support.js';

const B_TUNNEL = '209.165.200.226';

async function waitFor<T>(what: string, f: () => T | Promise<T>, ms = 15000): Promise<NonNullable<T>> {
  const t0 = performance.now();
  for (;;) {
    const v = await f();
    if (v) return v as NonNullable<T>;
    if (performance.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

describe('browser lab: the "Key sources" strip drives the real key server (Dynamic PPK)', function () {
  let lab: LabController;
  let app: WsLabApp;
  const DB = `webswan-lab-ks-ui-test-${Date.now()}`;
  const events: LabEvent[] = [];
  const ks = () => app.shadowRoot!.querySelector('ws-key-sources')!;
  const q = <T extends Element = HTMLElement>(sel: string) => ks().shadowRoot!.querySelector<T & Element>(sel);
  const count = (kp: string, what: 'issued' | 'delivered' | 'refused' | 'pending') => Number(q(`tr[data-kp=${kp}] .${what}`)?.textContent ?? NaN);
  const explanation = () => app.shadowRoot!.querySelector('ws-topology')!.shadowRoot!.querySelector('.explain')?.textContent ?? '';

  before(async () => {
    lab = await LabController.create({ store: DB, url: PAGE, initial: false });
    lab.on((e) => events.push(e));
    app = document.createElement('ws-lab-app');
    app.client = lab;
    document.body.append(app);
    await app.updateComplete;
  });
  after(async () => {
    app?.remove();
    lab?.dispose();
    await LabStore.destroy(DB);
  });

  it('hidden without a lab; shown with KP_A/KP_B and moving counters once the Dynamic PPK lab is up', async () => {
    await waitFor('the strip rendered', () => ks());
    equal(ks().hidden, true, 'hidden before a lab with key sources');
    await lab.load('ppk-dynamic');
    await waitFor('UP-ACTIVE on both', () => bothUp(lab));
    equal(ks().hidden, false, 'shown in the Dynamic PPK lab');
    // the counters arrive as 'keySource' events pushed by the key-server worker
    await waitFor('KP_A issued and KP_B delivered in the strip', () => count('KP_A', 'issued') >= 1 && count('KP_B', 'delivered') >= 1);
    ok(events.some((e) => e.kind === 'keySource'), 'keySource events');
    equal(q('tr[data-kp=KP_A] td')?.textContent, 'Router A', 'KP_A serves router A');
    equal(q('tr[data-kp=KP_B] td')?.textContent, 'Router B', 'KP_B serves router B');
    ok(q('tr[data-kp=KP_A] th')!.textContent!.includes('192.0.2.34:10001'), 'KP_A address');
    equal(q('[data-link]')?.dataset.link, 'up', 'link up');
  });

  it('the cut toggle cuts the QKD link: clear ikev2 sa leaves the tunnel down, explained; KP_A refuses', async () => {
    const refused0 = count('KP_A', 'refused');
    q<HTMLInputElement>('input[name=cut]')!.click();
    await waitFor('the strip says cut', () => q('[data-link]')?.dataset.link === 'cut');
    equal((await lab.keySource({ op: 'status' })).link.cut, true, 'the key server\'s link is cut');
    await lab.exec('A', 'clear ikev2 sa');
    const ping = await lab.exec('A', `ping ${B_TUNNEL} count 2 timeout 1`);
    ok(/Success rate is 0 percent/.test(ping), `ping with the QKD link cut: ${ping}`);
    const why = await waitFor('the topology\'s explanation of the PPK failure', () => (/PPK/.test(explanation()) ? explanation() : ''));
    console.log(`topology explains: ${why}`);
    ok(/503|down|key source/i.test(why), `the explanation names the key source: ${why}`);
    await waitFor('KP_A\'s refused counter moved', () => count('KP_A', 'refused') > refused0);
    await sleep(500);
    ok(!(await bothUp(lab)), 'no SA without a PPK (required)');
    ok(app.shadowRoot!.querySelector('ws-topology')!.shadowRoot!.querySelector('.tunnel')!.getAttribute('data-state') !== 'quantum-safe', 'topology not up');
  });

  it('the toggle again restores the link: the tunnel comes back with a fresh key', async () => {
    const issued0 = count('KP_A', 'issued'), delivered0 = count('KP_B', 'delivered');
    q<HTMLInputElement>('input[name=cut]')!.click();
    await waitFor('the strip says up', () => q('[data-link]')?.dataset.link === 'up');
    await lab.exec('A', 'clear ikev2 sa');
    await waitFor('UP-ACTIVE again', async () => {
      if (await bothUp(lab)) return true;
      await lab.exec('A', `ping ${B_TUNNEL} count 1 timeout 1`);
      return false;
    });
    const detail = await lab.exec('A', 'show ikev2 session detail');
    ok(/Quantum resistance\s+: Enabled with dynamic PPK/.test(detail), `dynamic PPK again:\n${detail}`);
    await waitFor('issued and delivered moved', () => count('KP_A', 'issued') > issued0 && count('KP_B', 'delivered') > delivered0);
  });

  it('budget and delay from the strip reach the key server; Reset link clears them; another lab hides the strip', async () => {
    const budget = q<HTMLInputElement>('#ks-budget')!;
    budget.value = '0';
    budget.dispatchEvent(new Event('input'));
    q<HTMLButtonElement>('form.budget button[type=submit]')!.click();
    await waitFor('out of keys shown', () => /out of keys/.test(q('.link')?.textContent ?? ''));
    const delay = q<HTMLInputElement>('#ks-delay')!;
    delay.value = '700';
    q<HTMLButtonElement>('form.delay button[type=submit]')!.click();
    await waitFor('slowed shown', () => /slowed by 700 ms/.test(q('.link')?.textContent ?? ''));
    equal(JSON.stringify((await lab.keySource({ op: 'status' })).link), JSON.stringify({ cut: false, delayMs: 700, budgetBits: 0 }), 'the key server\'s link');
    q<HTMLButtonElement>('button.reset')!.click();
    await waitFor('reset shown', () => /key budget unlimited/.test(q('.link')?.textContent ?? '') && !/slowed/.test(q('.link')?.textContent ?? ''));
    equal(JSON.stringify((await lab.keySource({ op: 'status' })).link), JSON.stringify({ cut: false, delayMs: 0, budgetBits: null }), 'reset');
    await lab.load('psk-ipv4');
    await waitFor('hidden in the PSK lab', () => ks().hidden);
  });
});
