// webswan against strongSwan 5.9.8 in network namespaces (test/node/interop-strongswan.test.ts): one
// `webswan router` process in namespace W, one charon in namespace S, a veth between them.
//
//   W: webswan router  10.77.0.1/24 ──veth── 10.77.0.2/24  S: charon (libipsec, ipsec0)
//      tunnel-ip1 192.0.2.1/24 (inside webswan)                 192.0.2.2/32 on lo
//
// The IOS XR configuration of webswan and the swanctl connection of charon are built from one description
// of the case (algorithms, identities, PSKs, PPKs, roles), so each test says only what differs.
// webswan is driven through its control socket (the protocol `webswan cli` speaks), in process.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ControlClient } from '../../src/runtime/node/control.js';
import { type NsProcess, type Topology, sleep } from './netns.js';
import { type Charon, type ConnectionConfig, type IkeSa, type SecretConfig, startCharon } from './strongswan-peer.js';

export const W_ADDR = '10.77.0.1', S_ADDR = '10.77.0.2', W_INNER = '192.0.2.1', S_INNER = '192.0.2.2';
export const PSK = 'interop-psk-0123456789';
/** RFC 8784 PPK_ID: IOS XR accepts base64 characters only (no '-'), so not strongSwan's `ppk-test-id`. */
export const PPK_ID = 'ppkTestId1';
export const PPK_X = 'ppk-secret-X-0123456789abcdefghij';
export const PPK_Y = 'ppk-secret-Y-0123456789abcdefghij';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url)); // build/node-test/test/support → repo
export const WEBSWAN_BIN = join(ROOT, 'bin', 'webswan.mjs');

// ------------------------------------------------------------------ algorithms: IOS XR name → strongSwan name

export const SW_IKE_ENC: Record<string, string> = {
  'aes-cbc-128': 'aes128', 'aes-cbc-192': 'aes192', 'aes-cbc-256': 'aes256', 'aes-gcm-128': 'aes128gcm16', 'aes-gcm-256': 'aes256gcm16',
};
export const SW_HASH: Record<string, string> = { 'sha-1': 'sha1', 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512' };
export const SW_DH: Record<string, string> = { 19: 'ecp256', 20: 'ecp384', 21: 'ecp521' };
export const SW_ESP_ENC: Record<string, string> = {
  'esp-aes': 'aes128', 'esp-192-aes': 'aes192', 'esp-256-aes': 'aes256', 'esp-gcm-128': 'aes128gcm16', 'esp-gcm-256': 'aes256gcm16',
};
export const SW_ESP_AUTH: Record<string, string> = {
  'esp-hmac-sha1': 'sha1', 'esp-hmac-sha-256': 'sha256', 'esp-hmac-sha-384': 'sha384', 'esp-hmac-sha-512': 'sha512',
};
/** What swanctl --list-sas reports for each IOS XR name. */
export const SW_LIST_IKE_ENC: Record<string, [string, number]> = {
  'aes-cbc-128': ['AES_CBC', 128], 'aes-cbc-192': ['AES_CBC', 192], 'aes-cbc-256': ['AES_CBC', 256],
  'aes-gcm-128': ['AES_GCM_16', 128], 'aes-gcm-256': ['AES_GCM_16', 256],
};
export const SW_LIST_INTEG: Record<string, string> = {
  'sha-1': 'HMAC_SHA1_96', 'sha-256': 'HMAC_SHA2_256_128', 'sha-384': 'HMAC_SHA2_384_192', 'sha-512': 'HMAC_SHA2_512_256',
};
export const SW_LIST_PRF: Record<string, string> = {
  'sha-1': 'PRF_HMAC_SHA1', 'sha-256': 'PRF_HMAC_SHA2_256', 'sha-384': 'PRF_HMAC_SHA2_384', 'sha-512': 'PRF_HMAC_SHA2_512',
};
export const SW_LIST_DH: Record<string, string> = { 19: 'ECP_256', 20: 'ECP_384', 21: 'ECP_521' };
export const SW_LIST_ESP_ENC: Record<string, [string, number]> = {
  'esp-aes': ['AES_CBC', 128], 'esp-192-aes': ['AES_CBC', 192], 'esp-256-aes': ['AES_CBC', 256],
  'esp-gcm-128': ['AES_GCM_16', 128], 'esp-gcm-256': ['AES_GCM_16', 256],
};
export const SW_LIST_ESP_AUTH: Record<string, string> = {
  'esp-hmac-sha1': 'HMAC_SHA1_96', 'esp-hmac-sha-256': 'HMAC_SHA2_256_128', 'esp-hmac-sha-384': 'HMAC_SHA2_384_192',
  'esp-hmac-sha-512': 'HMAC_SHA2_512_256',
};

// ------------------------------------------------------------------ one case, both configurations

export interface Algorithms {
  ikeEnc: string; ikeInteg?: string; prf: string; dh: number;
  espEnc: string; espAuth?: string; pfs?: number;
}
export const DEFAULT_ALGS: Algorithms = { ikeEnc: 'aes-cbc-256', ikeInteg: 'sha-256', prf: 'sha-256', dh: 19, espEnc: 'esp-256-aes', espAuth: 'esp-hmac-sha-256' };

export interface PpkSide {
  /** PPK_ID (webswan: `ppk manual id`; strongSwan: ppk_id on the connection unless idInConn is false). */
  id?: string;
  /** The PPK as text (webswan's octets of the text = strongSwan's quoted ASCII secret); none = no secret. */
  key?: string;
  required?: boolean;
  /** strongSwan only: put ppk_id on the connection (default true when id is set). */
  idInConn?: boolean;
  /** strongSwan only: the PPK_ID the loaded secret is for (default id). */
  secretId?: string;
}

export interface CaseOptions {
  /** Who starts IKE: webswan (`tunnel destination`, default) or strongSwan (`set responder-only` on webswan). */
  initiator?: 'webswan' | 'strongswan';
  algs?: Partial<Algorithms>;
  /** strongSwan's proposals if they should differ from the webswan ones (proposal mismatch). */
  swProposals?: string; swEspProposals?: string;
  pskWebswan?: string; pskStrongswan?: string;
  /** webswan's `identity local …` (e.g. 'fqdn routerA.example.com'); default its address. */
  webswanId?: string;
  /** webswan's `match identity remote …`; default `address 10.77.0.2 255.255.255.255`. */
  webswanMatch?: string;
  /** strongSwan's own id; default its address. */
  strongswanId?: string;
  ppkWebswan?: PpkSide; ppkStrongswan?: PpkSide;
  ikeLifetime?: number; childLifetime?: number;
  /** strongSwan's local_ts (default 192.0.2.2/32) and remote_ts (default 192.0.2.1/32). */
  swLocalTs?: string; swRemoteTs?: string;
  swConn?: Partial<ConnectionConfig>;
  swChild?: Record<string, unknown>;
}

export function webswanConfig(o: CaseOptions = {}): string {
  const a = { ...DEFAULT_ALGS, ...o.algs };
  const gcm = a.ikeEnc.includes('gcm');
  const ppk = o.ppkWebswan?.id && o.ppkWebswan.key ? `  ppk manual id ${o.ppkWebswan.id} key ${o.ppkWebswan.key}${o.ppkWebswan.required ? ' required' : ''}\n` : '';
  const espGcm = a.espEnc.includes('gcm');
  return [
    'hostname W',
    'interface GigabitEthernet0/0/0/0', ` ipv4 address ${W_ADDR} 255.255.255.0`, '!',
    'ikev2 proposal P1', ` encryption ${a.ikeEnc}`, ...(gcm || !a.ikeInteg ? [] : [` integrity ${a.ikeInteg}`]), ` prf ${a.prf}`, ` dh-group ${a.dh}`, '!',
    'ikev2 policy POL', ` match address local ${W_ADDR}`, ' proposal P1', '!',
    'keyring KR', ' peer SWAN', `  address ${S_ADDR} 255.255.255.255`, `  pre-shared-key ${o.pskWebswan ?? PSK}`, ppk.trimEnd(), ' !', '!',
    'ikev2 profile PROF', ...(o.webswanId ? [` identity local ${o.webswanId}`] : []),
    ` match identity remote ${o.webswanMatch ?? `address ${S_ADDR} 255.255.255.255`}`, ' keyring KR', ' authentication local pre-shared',
    ` lifetime ${o.ikeLifetime ?? 3600}`, '!',
    'ipsec transform-set TS', ` transform ${a.espEnc}${espGcm || !a.espAuth ? '' : ` ${a.espAuth}`}`, ' mode tunnel', '!',
    'ipsec profile IPP', ' set ikev2-profile PROF', ' set transform-set TS', ...(a.pfs ? [` set pfs group${a.pfs}`] : []),
    ` set security-association lifetime seconds ${o.childLifetime ?? 3600}`, ...(o.initiator === 'strongswan' ? [' set responder-only'] : []), '!',
    'interface tunnel-ip1', ` ipv4 address ${W_INNER} 255.255.255.0`, ' tunnel mode ipsec ipv4', ' tunnel source GigabitEthernet0/0/0/0',
    ` tunnel destination ${S_ADDR}`, ' tunnel protection ipsec profile IPP', '!', '',
  ].filter((l) => l !== '').join('\n');
}

export function swIkeProposal(a: Algorithms): string {
  const gcm = a.ikeEnc.includes('gcm');
  return [SW_IKE_ENC[a.ikeEnc], ...(gcm || !a.ikeInteg ? [] : [SW_HASH[a.ikeInteg]]), `prf${SW_HASH[a.prf]}`, SW_DH[a.dh]].join('-');
}

export function swEspProposal(a: Algorithms): string {
  const gcm = a.espEnc.includes('gcm');
  return [SW_ESP_ENC[a.espEnc], ...(gcm || !a.espAuth ? [] : [SW_ESP_AUTH[a.espAuth]]), ...(a.pfs ? [SW_DH[a.pfs]] : [])].join('-');
}

/** The swanctl connection `tun` (child `net`) and its secrets, mirroring webswanConfig(o). */
export function strongswanConfig(o: CaseOptions = {}): { connections: ConnectionConfig[]; secrets: SecretConfig[] } {
  const a = { ...DEFAULT_ALGS, ...o.algs };
  const localId = o.strongswanId ?? S_ADDR;
  const remoteId = o.webswanId ? o.webswanId.replace(/^(fqdn|address) /, '') : W_ADDR;
  const p = o.ppkStrongswan;
  const secrets: SecretConfig[] = [{ type: 'ike', name: 'ike-tun', ids: [localId, remoteId], secret: o.pskStrongswan ?? PSK }];
  if (p?.key !== undefined) secrets.push({ type: 'ppk', name: 'ppk-1', id: p.secretId ?? p.id ?? PPK_ID, secret: p.key });
  const ppkConn = p && (p.idInConn ?? !!p.id) ? { ppk_id: p.id, ppk_required: p.required ?? false } : {};
  return {
    secrets,
    connections: [{
      name: 'tun', local_addrs: S_ADDR, remote_addrs: W_ADDR, proposals: o.swProposals ?? swIkeProposal(a),
      local: { id: localId }, remote: { id: remoteId }, dpd_delay: 0, keyingtries: 1, ...o.swConn,
      extra: { ...ppkConn, ...o.swConn?.extra },
      children: [{
        name: 'net', local_ts: o.swLocalTs ?? `${S_INNER}/32`, remote_ts: o.swRemoteTs ?? `${W_INNER}/32`,
        esp_proposals: o.swEspProposals ?? swEspProposal(a), ...(o.swChild ? { extra: o.swChild } : {}),
      }],
    }],
  };
}

// ------------------------------------------------------------------ the webswan process

export interface ShowFields { [label: string]: string }
export interface WebswanSession { id: number; status: string; fields: ShowFields; children: ShowFields[] }
export interface WebswanIpsecSa { fields: ShowFields; inbound: ShowFields; outbound: ShowFields }

export interface Webswan {
  readonly process: NsProcess;
  readonly control: string;
  /** Run EXEC/config lines in one console session; resolves with their output. */
  cli(...lines: string[]): Promise<string>;
  sessions(detail?: boolean): Promise<WebswanSession[]>;
  ipsecSa(): Promise<WebswanIpsecSa[]>;
  /** `show ikev2 trace` text. */
  trace(): Promise<string>;
  /** `ping DEST count N`; returns [ok, sent] from the Success rate line. */
  ping(dest: string, count?: number, extra?: string): Promise<{ received: number; sent: number; output: string }>;
  /** Stderr and stdout of the router process. */
  output(): string;
  stop(): Promise<void>;
}

const fieldRe = /^(\S.*?)\s*: (.*)$/;

/** `Label   : value` lines → an object (later labels win). */
export function parseFields(lines: string[]): ShowFields {
  const f: ShowFields = {};
  for (const l of lines) { const m = fieldRe.exec(l); if (m) f[m[1].trim()] = m[2].trim(); }
  return f;
}

/** `show ikev2 session [detail]`. */
export function parseSessions(text: string): WebswanSession[] {
  const out: WebswanSession[] = [];
  // `Session ID` opens a session (followed by -----) and reappears inside the detail of its IKE SA
  const blocks = text.split(/\n(?=Session ID\s+: \d+\n-----\n)/).filter((b) => /^Session ID\s+: \d+\n-----\n/.test(b));
  for (const b of blocks) {
    const [head, ...kids] = b.split(/-----\nChild SA\n-----\n/);
    const fields = parseFields(head.split('\n'));
    out.push({ id: Number(fields['Session ID']), status: fields.Status, fields, children: kids.map((k) => parseFields(k.split('\n'))) });
  }
  return out;
}

/** `show ipsec sa interface tunnel-ipN detail`. */
export function parseIpsecSa(text: string): WebswanIpsecSa[] {
  return text.split(/\n-----\n(?=Interface Name)/).filter((b) => /Interface Name/.test(b)).map((b) => {
    const [head, rest = ''] = b.split(/-----\nInbound SA\n/);
    const [inb, outb = ''] = rest.split(/-----\nOutbound SA\n/);
    return { fields: parseFields(head.split('\n')), inbound: parseFields(inb.split('\n')), outbound: parseFields(outb.split('\n')) };
  });
}

export interface WebswanStartOptions {
  keylog?: string; pcap?: string;
  /** Extra environment (WEBSWAN_DPD_SEC, WEBSWAN_RETRANSMIT_MS, …). */
  env?: Record<string, string>;
}

export async function startWebswan(topo: Topology, ns: string, config: string, o: WebswanStartOptions = {}): Promise<Webswan> {
  const cfgPath = join(topo.dir, 'webswan.cfg'), control = join(topo.dir, 'webswan.sock');
  writeFileSync(cfgPath, config);
  const args = [WEBSWAN_BIN, 'router', '--config', cfgPath, '--control', control,
    ...(o.keylog ? ['--keylog', o.keylog] : []), ...(o.pcap ? ['--pcap', o.pcap] : [])];
  const proc = topo.spawn(ns, process.execPath, args, { name: 'webswan', env: o.env });
  await proc.waitForOutput(/router \S+ running/, 15_000);
  const client = await ControlClient.connect(control);
  let out = '';
  client.onOut = (t) => { out += t; };
  let chain: Promise<unknown> = Promise.resolve();
  const cli = (...lines: string[]): Promise<string> => {
    const job = chain.then(async () => {
      out = '';
      for (const line of lines) await client.request({ line });
      return out;
    });
    chain = job.catch(() => undefined);
    return job;
  };
  return {
    process: proc, control, cli,
    async sessions(detail = false) { return parseSessions(await cli(`show ikev2 session${detail ? ' detail' : ''}`)); },
    async ipsecSa() { return parseIpsecSa(await cli('show ipsec sa interface tunnel-ip1 detail')); },
    trace: () => cli('show ikev2 trace'),
    async ping(dest, count = 5, extra = '') {
      const output = await cli(`ping ${dest} count ${count}${extra ? ` ${extra}` : ''}`);
      const m = /Success rate is \d+ percent \((\d+)\/(\d+)\)/.exec(output);
      if (!m) throw new Error(`webswan ping: unexpected output:\n${output}`);
      return { received: Number(m[1]), sent: Number(m[2]), output };
    },
    output: () => proc.output(),
    async stop() { client.close(); await proc.stop('SIGTERM', 3000); },
  };
}

// ------------------------------------------------------------------ a case: topology, both peers, up

export interface Pair {
  topo: Topology;
  w: string; s: string;
  /** veth ends: [in W, in S]. */
  veth: [string, string];
  webswan: Webswan;
  charon: Charon;
  opts: CaseOptions;
}

export interface PairOptions extends CaseOptions {
  webswanStart?: WebswanStartOptions;
  /** Called after the topology exists and charon runs, before webswan starts (e.g. to start a capture). */
  beforeWebswan?: (p: Omit<Pair, 'webswan'>) => Promise<void>;
  /** webswan writes its key log to <topo.dir>/keylog and its --pcap to <topo.dir>/webswan.pcap. */
  capture?: boolean;
  /** Give charon a short retransmission schedule (failure cases end quickly). */
  charonSettings?: Record<string, unknown>;
}

/** Namespaces W and S, the veth, 192.0.2.2 on S's lo, charon (loaded) and the webswan router (started). */
export async function startPair(topo: Topology, o: PairOptions = {}): Promise<Pair> {
  const [w, s] = await topo.addNamespaces('w', 's');
  const veth = await topo.addVeth({ ns: w, addr: `${W_ADDR}/24` }, { ns: s, addr: `${S_ADDR}/24` });
  await topo.addAddress(s, `${S_INNER}/32`);
  const sw = strongswanConfig(o);
  const charon = await startCharon({
    topo, ns: s, name: 'S', connections: sw.connections, secrets: sw.secrets,
    charonSettings: { retransmit_timeout: 1, retransmit_base: 1.4, retransmit_tries: 2, ...o.charonSettings },
  });
  await o.beforeWebswan?.({ topo, w, s, veth, charon, opts: o });
  const files = o.capture ? { keylog: join(topo.dir, 'keylog'), pcap: join(topo.dir, 'webswan.pcap') } : {};
  const webswan = await startWebswan(topo, w, webswanConfig(o), { ...files, ...o.webswanStart });
  return { topo, w, s, veth, webswan, charon, opts: o };
}

/** Poll until cond() resolves truthy; throws with what() after timeoutMs. */
export async function waitFor<T>(cond: () => Promise<T | undefined | false>, timeoutMs: number, what: () => string | Promise<string>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms: ${await what()}`);
    await sleep(50);
  }
}

/** Both sides report the IKE SA and one Child SA up: webswan UP-ACTIVE, charon ESTABLISHED + INSTALLED. */
export async function waitUp(p: Pair, timeoutMs = 5000): Promise<{ sw: IkeSa; ws: WebswanSession }> {
  return waitFor(async () => {
    const [sw] = await p.charon.listSas();
    if (!sw || sw.state !== 'ESTABLISHED' || !sw.children.some((c) => c.state === 'INSTALLED')) return undefined;
    const ws = (await p.webswan.sessions(true)).find((x) => x.status === 'UP-ACTIVE');
    return ws ? { sw, ws } : undefined;
  }, timeoutMs, () => diagnostics(p));
}

/** Polls `show ikev2 trace` until re matches; returns the match. */
export async function waitTrace(p: Pick<Pair, 'webswan' | 'charon'>, re: RegExp, timeoutMs = 5000): Promise<RegExpMatchArray> {
  return waitFor(async () => (await p.webswan.trace()).match(re) ?? undefined, timeoutMs, async () => `no ${re} in webswan's trace${await diagnostics(p)}`);
}

/** Polls charon.log until re matches (with both logs in the error). */
export async function waitCharonLog(p: Pick<Pair, 'webswan' | 'charon'>, re: RegExp, timeoutMs = 5000): Promise<RegExpMatchArray> {
  return waitFor(async () => p.charon.log().match(re) ?? undefined, timeoutMs, async () => `no ${re} in charon.log${await diagnostics(p)}`);
}

/** The end of both logs, for assertion messages. */
export async function diagnostics(p: Pick<Pair, 'webswan' | 'charon'>): Promise<string> {
  let trace = '';
  try { trace = await p.webswan.trace(); } catch (e) { trace = `(no trace: ${(e as Error).message})`; }
  const tail = (t: string, n: number) => t.split('\n').slice(-n).join('\n');
  return `\n--- webswan trace:\n${tail(trace, 40)}\n--- webswan output:\n${tail(p.webswan.output(), 15)}\n--- charon.log:\n${tail(p.charon.log().split('\n').filter((l) => !/^\S+ \d+\[\w+\] <[^>]*>\s+\d+: /.test(l) && !/=> \d+ bytes @|vici client/.test(l)).join('\n'), 40)}`;
}
