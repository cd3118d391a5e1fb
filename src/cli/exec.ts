// EXEC commands (and the `show` commands configuration modes accept too): dispatch from the matched
// command's tag to the show renderers and router operations.
import type { Segment } from '../config/grammar/matcher.js';
import type { ConfigStore } from '../config/store.js';
import type { Clock } from '../util/clock.js';
import { changeTime, clockLine, timestampLine } from './format.js';
import { showCommitChanges, showCommitList, showRunningConfig } from './session-output.js';
import { showIkev2Sa, showIkev2Session, showIkev2Summary, showIkev2Trace } from './show/ikev2.js';
import { showInterfacesBrief, showIpv4InterfaceBrief, showIpsecSaInterface, showIpsecSaTable, showSksProfiles } from './show/ipsec.js';
import type { PingReply, RouterOps } from './state.js';

declare const __WEBSWAN_VERSION__: string;

export interface ExecEnv {
  ops: RouterOps;
  store: ConfigStore;
  clock: Clock;
  release: string;
  out(...lines: string[]): void;
  write(text: string): void;
  setDebug(on: boolean): void;
}

const last = <T>(v: T | T[] | undefined): T | undefined => (Array.isArray(v) ? v[v.length - 1] : v);

export async function execCommand(seg: Segment, env: ExecEnv): Promise<void> {
  const a = seg.args;
  const stamp = () => env.out(timestampLine(env.clock.now()));
  switch (seg.cmd.tag) {
    case 'show-run': stamp(); env.out(...showRunningConfig(env.store, env.release, a.section ?? [])); return;
    case 'show-commit-list': stamp(); env.out(...showCommitList(env.store, a.n)); return;
    case 'show-commit-changes': stamp(); env.out(...showCommitChanges(env.store, env.release, { last: a.last, id: a.id })); return;
    case 'show-ikev2-session': stamp(); env.out(...showIkev2Session(env.ops.ikeSessions(), !!a.detail, a.sid)); return;
    case 'show-ikev2-sa': stamp(); env.out(...showIkev2Sa(env.ops.ikeSessions(), !!a.detail)); return;
    case 'show-ikev2-summary': stamp(); env.out(...showIkev2Summary(env.ops.ikeSessions())); return;
    case 'show-ikev2-trace': stamp(); env.out(...showIkev2Trace(env.ops.trace())); return;
    case 'show-ipsec-sa': {
      stamp();
      const sas = env.ops.ipsecSas().filter((s) => !a.if || s.interface === a.if);
      env.out(...(a.if || a.detail ? showIpsecSaInterface(sas) : showIpsecSaTable(sas)));
      return;
    }
    case 'show-interfaces-brief': stamp(); env.out(...showInterfacesBrief(env.ops.interfaces())); return;
    case 'show-ipv4-brief': stamp(); env.out(...showIpv4InterfaceBrief(env.ops.interfaces())); return;
    case 'show-sks': stamp(); env.out(...showSksProfiles(env.ops.sksProfiles(), a.name)); return;
    case 'show-clock': stamp(); env.out(clockLine(env.clock.now())); return;
    case 'show-version': {
      stamp();
      const v = typeof __WEBSWAN_VERSION__ === 'string' ? __WEBSWAN_VERSION__ : 'dev';
      env.out(`Cisco IOS XR Software, Version ${env.release} (emulated by webswan ${v})`,
        'IPsec for management traffic: IKEv2 (RFC 7296), ESP (RFC 4303), postquantum preshared keys (RFC 8784)',
        ...(env.store.lastChange ? [`Last configuration change at ${changeTime(env.store.lastChange.at)} by ${env.store.lastChange.user}`] : []));
      return;
    }
    case 'ping': stamp(); return ping(env, a.dest, last<string>(a.srcif) ?? last<string>(a.srcip), last<number>(a.count) ?? 5,
      last<number>(a.size) ?? 100, last<number>(a.timeout) ?? 2);
    case 'clear-ikev2-sa': {
      stamp();
      const n = env.ops.clearIkeSa(a.id);
      if (a.id !== undefined && n === 0) env.out(`% IKE SA ${a.id} not found`);
      return;
    }
    case 'clear-ipsec-sa': stamp(); env.ops.clearIpsecSa(a.if); return;
    case 'debug-ikev2': stamp(); env.setDebug(true); return;
    case 'undebug': stamp(); env.setDebug(false); return;
    default: throw new Error(`cli: no handler for ${seg.cmd.tag}`);
  }
}

async function ping(env: ExecEnv, dest: string, source: string | undefined, count: number, size: number, timeoutSec: number) {
  env.out('Type escape sequence to abort.', `Sending ${count}, ${size}-byte ICMP Echos to ${dest}, timeout is ${timeoutSec} seconds:`);
  const rtts: number[] = [];
  let col = 0;
  const onReply = (r: PingReply) => {
    env.write(r.ok ? '!' : '.');
    if (r.ok && r.rttMs !== undefined) rtts.push(r.rttMs);
    if (++col % 70 === 0) env.write('\n');
  };
  await env.ops.ping({ destination: dest, source, count, size, timeoutSec }, onReply);
  if (col % 70 !== 0) env.write('\n');
  const pct = Math.floor((rtts.length * 100) / count);
  if (rtts.length === 0) {
    env.out(`Success rate is ${pct} percent (0/${count})`);
  } else {
    const min = Math.min(...rtts), max = Math.max(...rtts), avg = Math.round(rtts.reduce((x, y) => x + y, 0) / rtts.length);
    env.out(`Success rate is ${pct} percent (${rtts.length}/${count}), round-trip min/avg/max = ${min}/${avg}/${max} ms`);
  }
}
