// `webswan router --config FILE [--control PATH] [--keylog DIR] [--pcap FILE] [--pki-dir DIR]`: one router
// as a Node process. The Router (src/router) does IKE and ESP; this file only binds it to the host:
//   UDP 500 and 4500 on each interface address of the running configuration (re-bound after a commit
//     changes them); a datagram received on socket (addr, port) goes to router.receive with dst = addr,
//     and the router's datagrams leave through the socket bound to (src, sport);
//   --control PATH  console sessions on a Unix socket, for `webswan cli` (protocol: control.ts, the top
//                   comment: newline-delimited JSON {line|help|complete} → {out}* then {done, prompt});
//   --pcap FILE     every datagram in and out, as IPv4/UDP packets in a pcap file, written as it happens;
//   --keylog DIR    Wireshark's ikev2_decryption_table, esp_sa and preferences, rewritten (atomically)
//                   whenever an SA is installed — DIR then works as WIRESHARK_CONFIG_DIR for the pcap;
//   --pki-dir DIR   the trustpoints' certificates and private keys kept across restarts: DIR/NAME.json per
//                   trustpoint (0600, DIR 0700), loaded at start for the configured trustpoints, rewritten
//                   atomically on every change (pki-dir.ts). Without it they live only in memory.
// Key sources (`sks profile … kme server …`, dynamic PPK): HTTPS from this process's network namespace,
// TLS-PSK with the profile's `kme psk id … key seven …` (key-source.ts).
// SIGINT/SIGTERM: the router sends Delete for its SAs (at most 2 s), the sockets close, exit 0.
import { readFile } from 'node:fs/promises';
import { loadCoreNode } from '../../crypto/load-node.js';
import { formatLoadErrors, loadConfig } from '../../config/load.js';
import { Router, type RouterOptions } from '../../router/router.js';
import { DEFAULT_RETRANSMIT } from '../../ike/manager.js';
import { realTime } from '../../util/clock.js';
import { claimSocketPath, serveControl } from './control.js';
import { UdpHost } from './udp.js';
import { KeyLogDir, PcapFile } from './capture-files.js';
import { createKeySourceFetch } from './key-source.js';
import { PkiDir } from './pki-dir.js';
import { TrustpointStore } from '../../pki/trustpoint.js';

export interface RouterArgs { config: string; control?: string; keylog?: string; pcap?: string; pkiDir?: string }

const SHUTDOWN_CAP_MS = 2000;

export function parseRouterArgs(args: string[]): RouterArgs | string {
  const out: Partial<RouterArgs> = {};
  const opts: Record<string, keyof RouterArgs> = { '--config': 'config', '--control': 'control', '--keylog': 'keylog', '--pcap': 'pcap', '--pki-dir': 'pkiDir' };
  for (let i = 0; i < args.length; i++) {
    const key = opts[args[i]];
    if (!key) return `router: unknown option ${args[i]}`;
    const v = args[++i];
    if (v === undefined || v === '') return `router: ${args[i - 1]} needs a value`;
    out[key] = v;
  }
  if (!out.config) return 'router: --config FILE is required';
  return out as RouterArgs;
}

const log = (text: string) => process.stderr.write(`webswan: ${text}\n`);
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Hidden knobs for tests (not in --help): WEBSWAN_DPD_SEC (liveness check after that many idle seconds,
 * 0 = off), WEBSWAN_RETRANSMIT_MS / _BASE / _TRIES (first retransmission timeout, back-off factor, number of
 * retransmissions), WEBSWAN_REKEY_FRACTION (rekey after this fraction of a lifetime, default 0.9). IOS XR's
 * `ikev2 global dpd` is not in the grammar yet and lifetimes are at least 120 s; strongSwan interop tests
 * need a dead peer noticed, and a rekey started by webswan, within seconds.
 */
function timerOverrides(warn: (t: string) => void): Pick<RouterOptions, 'dpdSec' | 'retransmit' | 'rekeyFraction'> {
  const env = process.env;
  const num = (k: string, min: number): number | undefined => {
    const v = env[k];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (Number.isFinite(n) && n >= min) return n;
    warn(`${k}=${v} ignored (a number >= ${min} expected)`);
    return undefined;
  };
  const out: Pick<RouterOptions, 'dpdSec' | 'retransmit' | 'rekeyFraction'> = {};
  const dpd = num('WEBSWAN_DPD_SEC', 0);
  if (dpd !== undefined) out.dpdSec = dpd;
  const frac = num('WEBSWAN_REKEY_FRACTION', 0.001);
  if (frac !== undefined) out.rekeyFraction = Math.min(frac, 0.99);
  const ms = num('WEBSWAN_RETRANSMIT_MS', 1), base = num('WEBSWAN_RETRANSMIT_BASE', 1), tries = num('WEBSWAN_RETRANSMIT_TRIES', 0);
  if (ms !== undefined || base !== undefined || tries !== undefined) {
    out.retransmit = { timeoutMs: ms ?? DEFAULT_RETRANSMIT.timeoutMs, base: base ?? DEFAULT_RETRANSMIT.base, tries: Math.floor(tries ?? DEFAULT_RETRANSMIT.tries) };
  }
  return out;
}

export async function runRouter(args: RouterArgs, version: string): Promise<number> {
  let text: string;
  try { text = await readFile(args.config, 'utf8'); } catch (e) {
    log(`cannot read ${args.config}: ${errText(e)}`);
    return 1;
  }
  const loaded = loadConfig(text);
  if (loaded.errors.length || loaded.commitErrors.length) {
    if (loaded.errors.length) process.stderr.write(formatLoadErrors(loaded.errors, args.config));
    if (loaded.commitErrors.length) {
      process.stderr.write(`${args.config}: configuration rejected:\n${loaded.commitErrors.map((e) => `  ${e.line}: ${e.message}`).join('\n')}\n`);
    }
    log(`${args.config}: not starting with a configuration that has errors`);
    return 1;
  }
  if (args.control) {
    const busy = await claimSocketPath(args.control);
    if (busy) { log(busy); return 1; }
  }

  // Signals first: a SIGTERM during startup still shuts down cleanly.
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => { stop = resolve; });
  const onSignal = (sig: string) => { log(`${sig}: shutting down`); stop(); };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));

  let pcap: PcapFile | undefined;
  let keylog: KeyLogDir | undefined;
  let pki: PkiDir | undefined;
  try {
    if (args.pkiDir) pki = new PkiDir(args.pkiDir, log);
    if (args.pcap) pcap = new PcapFile(args.pcap, log);
    if (args.keylog) keylog = new KeyLogDir(args.keylog, log);
  } catch (e) {
    log(errText(e));
    pcap?.close();
    return 1;
  }

  const core = await loadCoreNode();
  const udp = new UdpHost((d) => router.receive(d), log);
  // the SKIP key sources of `sks profile`s: HTTPS, TLS-PSK with the profile's `kme psk` (key-source.ts)
  const keySourceFetch = createKeySourceFetch({ config: () => router.store.running, log });
  // certificates back before the router exists: its first IKE exchange (it starts at once) already has them
  const trustpoints = new TrustpointStore();
  if (pki) {
    try {
      await pki.restoreInto(trustpoints, new Set(Object.keys(loaded.config.trustpoints ?? {})));
    } catch (e) {
      log(errText(e));
      pcap?.close();
      return 1;
    }
  }
  const router = new Router({ core, time: realTime(), wire: udp.wire, config: loaded.config, keySourceFetch, trustpoints, ...timerOverrides(log) });
  const name = router.store.running.hostname ?? 'ios';
  if (pcap) { const file = pcap; router.onTap((t) => file.write(t)); }
  if (keylog) { const dir = keylog; router.onKeys((e) => dir.add(e)); }

  let following = Promise.resolve();
  router.onAddressesChanged((addrs) => { following = following.then(() => udp.follow(addrs)); });
  await udp.follow(router.addresses());
  if (!router.addresses().length) log('no interface has an IPv4 address yet: no UDP socket bound');

  const control = args.control ? await serveControl(router, args.control, `webswan ${version}`).catch((e) => {
    log(`control socket ${args.control}: ${errText(e)}`);
    return undefined;
  }) : undefined;
  if (args.control && !control) { udp.close(); pcap?.close(); return 1; }

  log(`router ${name} running: UDP ${udp.keys().join(', ') || 'none'}` +
    `${args.control ? `; control ${args.control}` : ''}${args.pcap ? `; pcap ${args.pcap}` : ''}${args.keylog ? `; keylog ${args.keylog}` : ''}` +
    `${args.pkiDir ? `; pki-dir ${args.pkiDir}` : ''}`);

  await stopped;
  const cap = new Promise<'timeout'>((resolve) => { const t = setTimeout(() => resolve('timeout'), SHUTDOWN_CAP_MS); t.unref(); });
  const how = await Promise.race([router.shutdown().then(() => 'done' as const, (e) => { log(`shutdown: ${errText(e)}`); return 'done' as const; }), cap]);
  if (how === 'timeout') log(`shutdown: Deletes not all sent after ${SHUTDOWN_CAP_MS} ms; closing anyway`);
  await following;
  await pki?.idle();
  udp.close();
  await control?.close();
  pcap?.close();
  log(`router ${router.store.running.hostname ?? 'ios'} stopped`);
  return 0;
}
