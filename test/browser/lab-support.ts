// Helpers of the browser lab tests that drive a real LabController (two router workers over a WebRTC data
// channel, the key-server worker): both routers UP-ACTIVE, waiting for it, and `label : value` show fields.
import type { LabController } from '../../web/lab/controller.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The page URL the lab tests give the controller (share links are built on it). */
export const PAGE = 'http://lab.test/index.html';

export async function bothUp(lab: LabController): Promise<boolean> {
  const [a, b] = await Promise.all([lab.exec('A', 'show ikev2 session'), lab.exec('B', 'show ikev2 session')]);
  return /UP-ACTIVE/.test(a) && /UP-ACTIVE/.test(b);
}

/** Both routers UP-ACTIVE within `ms`: the time it took; otherwise throws with both session outputs. */
export async function waitUp(lab: LabController, ms = 15000): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    if (await bothUp(lab)) return performance.now() - t0;
    await sleep(50);
  }
  throw new Error(`not UP-ACTIVE after ${ms} ms: A ${await lab.exec('A', 'show ikev2 session')} B ${await lab.exec('B', 'show ikev2 session')}`);
}

/** `label : value` fields of a show command (label → values in order). */
export function fields(out: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const f = /^\s*(\S.*?)\s+: (.*)$/.exec(line.trimEnd());
    if (f) m.set(f[1], [...(m.get(f[1]) ?? []), f[2]]);
  }
  return m;
}
