// strongSwan 5.9.8 (Debian packages) as an interop peer: one charon per network namespace, ESP in user
// space through kernel-libipsec (TUN device ipsec0, ESP always in UDP 4500), configured from a typed
// description, driven through swanctl/vici. Recipe and findings: /work/shared/reference/strongswan-peer.md.
//
//   await withTopology(async (topo) => {
//     const [a, b] = await topo.addNamespaces('a', 'b');
//     await topo.addVeth({ ns: a, addr: '10.77.0.1/24' }, { ns: b, addr: '10.77.0.2/24' });
//     const conn = (me: string, peer: string, id: string, peerId: string, ts: string, peerTs: string): ConnectionConfig => ({
//       name: 'tun', local_addrs: me, remote_addrs: peer, local: { id }, remote: { id: peerId }, psk: 'secret',
//       children: [{ name: 'net', local_ts: ts, remote_ts: peerTs }] });
//     const A = await startCharon({ topo, ns: a, name: 'A', connections: [conn(...)] });
//     ...
//     await A.initiate('net', 'tun');
//     const [sa] = await A.listSas();           // sa.children[0].packetsOut, sa.ppk, sa.encrAlg, ...
//   });
//
// charon has /var/run/charon.pid compiled in: each daemon gets a private mount namespace with <dir>/run
// bound on /run (`unshare -m --propagation private sh -c 'mount --bind … /run && exec charon'`). The vici
// socket is <dir>/run/charon.vici; the log <dir>/charon.log at ike=4/chd=4 has all keys (ike_name=yes).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NsProcess, type RunResult, type Topology, nsExec, run, sleep, spawnIn } from './netns.js';

export const CHARON = '/usr/lib/ipsec/charon';
/** The plugin list that works in 5.9.8 (kernel-libipsec before kernel-netlink; kdf is required). */
export const DEFAULT_PLUGINS = [
  'random', 'nonce', 'openssl', 'aes', 'sha1', 'sha2', 'hmac', 'kdf', 'gcm', 'pem', 'pkcs1', 'x509', 'pubkey',
  'constraints', 'revocation', 'kernel-libipsec', 'kernel-netlink', 'socket-default', 'vici',
];
export const DEFAULT_LOG_LEVELS: Record<string, number> = { default: 1, ike: 4, chd: 4, cfg: 2, knl: 1, esp: 1, net: 1, enc: 1 };

type Yes = boolean;
type List = string | string[];

export interface AuthConfig {
  auth?: 'psk' | 'pubkey' | string; // default psk
  id: string;
  certs?: List;
  [key: string]: unknown;
}

export interface ChildConfig {
  name: string;
  mode?: 'tunnel' | 'transport' | string; // default tunnel
  local_ts: List;
  remote_ts: List;
  esp_proposals?: List; // default aes256-sha256,aes256gcm16
  start_action?: 'none' | 'trap' | 'start' | string; // default none
  dpd_action?: 'clear' | 'trap' | 'restart' | string;
  close_action?: string;
  rekey_time?: string | number;
  life_time?: string | number;
  rekey_bytes?: string | number;
  rekey_packets?: string | number;
  /** Anything else, written as is into the child's block. */
  extra?: Record<string, unknown>;
}

export interface PpkConfig {
  id: string;
  /** The PPK: 0x… hex (or a string). If omitted only ppk_id is set and no secret is loaded. */
  secret?: string;
  required?: Yes;
}

export interface ConnectionConfig {
  name: string;
  version?: number; // default 2
  local_addrs: List;
  remote_addrs: List;
  local_port?: number;
  remote_port?: number;
  proposals?: List; // default aes256-sha256-ecp256
  local: AuthConfig;
  remote: AuthConfig;
  /** Adds a secrets.ike-<conn> entry for local.id + remote.id. */
  psk?: string;
  /** ppk_id / ppk_required on the connection and (with secret) a secrets.ppk-<conn> entry. */
  ppk?: PpkConfig;
  dpd_delay?: string | number;
  dpd_timeout?: string | number;
  rekey_time?: string | number;
  reauth_time?: string | number;
  over_time?: string | number;
  keyingtries?: number;
  encap?: Yes; // default yes
  mobike?: Yes; // default no
  fragmentation?: Yes | 'force' | 'accept';
  children: ChildConfig[];
  extra?: Record<string, unknown>;
}

export type SecretConfig =
  | { type: 'ike'; name?: string; ids: string[]; secret: string }
  | { type: 'ppk'; name?: string; id: string | string[]; secret: string }
  | { type: 'raw'; name: string; body: Record<string, unknown> };

export interface CharonOptions {
  ns: string;
  /** Working directory (config, run/, log). Default <topo.dir>/<name>. */
  dir?: string;
  name: string;
  /** If given, the daemon is also killed when the topology is cleaned up (recommended). */
  topo?: Topology;
  connections?: ConnectionConfig[];
  secrets?: SecretConfig[];
  /** filelog levels; merged over DEFAULT_LOG_LEVELS. */
  logLevels?: Record<string, number>;
  plugins?: string[];
  /** Extra settings in the charon { } section of strongswan.conf, e.g. { retransmit_tries: 2 }. */
  charonSettings?: Record<string, unknown>;
  /** Raw files to place below swanctl/ (e.g. { 'x509ca/ca.crt': pem }). */
  files?: Record<string, string>;
  /** Run `swanctl --load-all` after start (default true). */
  load?: boolean;
  startTimeoutMs?: number;
}

export interface ChildSa {
  name: string;
  uniqueid: number;
  reqid: number;
  state: string;
  mode: string;
  protocol: string;
  encap: boolean;
  spiIn: string;
  spiOut: string;
  encrAlg: string;
  encrKeysize?: number;
  integAlg?: string;
  dhGroup?: string;
  bytesIn: number;
  packetsIn: number;
  bytesOut: number;
  packetsOut: number;
  localTs: string[];
  remoteTs: string[];
  raw: VdictSection;
}

export interface IkeSa {
  name: string;
  uniqueid: number;
  version: number;
  state: string;
  localHost: string;
  localPort: number;
  localId: string;
  remoteHost: string;
  remotePort: number;
  remoteId: string;
  initiator: boolean;
  initiatorSpi: string;
  responderSpi: string;
  encrAlg: string;
  encrKeysize?: number;
  integAlg?: string;
  prfAlg: string;
  dhGroup: string;
  ppk: boolean;
  natRemote: boolean;
  natLocal: boolean;
  children: ChildSa[];
  raw: VdictSection;
}

export type VdictValue = string | string[] | VdictSection;
export interface VdictSection { [key: string]: VdictValue }

export interface Charon {
  readonly name: string;
  readonly ns: string;
  readonly dir: string;
  readonly uri: string;
  readonly logPath: string;
  readonly process: NsProcess;
  /** swanctl with SWANCTL_DIR and --uri set; throws on a non-zero exit unless check is false. */
  swanctl(args: string[], opts?: { check?: boolean; timeoutMs?: number }): Promise<RunResult>;
  loadAll(): Promise<RunResult>;
  /** Rewrite swanctl.conf with new connections/secrets and load them (`--load-all`). */
  reconfigure(connections: ConnectionConfig[], secrets?: SecretConfig[]): Promise<RunResult>;
  /** `swanctl --initiate`; waits until established (or failed: throws with the output). */
  initiate(child: string, ike?: string, opts?: { timeoutMs?: number; check?: boolean }): Promise<RunResult>;
  terminate(sel: { ike?: string; child?: string; ikeId?: number; childId?: number; force?: boolean }, opts?: { check?: boolean }): Promise<RunResult>;
  rekeyChild(child: string, opts?: { reauth?: boolean }): Promise<RunResult>;
  rekeyIke(ike: string, opts?: { reauth?: boolean }): Promise<RunResult>;
  listSas(filter?: { ike?: string; child?: string }): Promise<IkeSa[]>;
  /** The charon.log text so far. */
  log(): string;
  /** Polls charon.log (only text after `since` chars, default 0) until re matches. */
  waitForLog(re: RegExp, timeoutMs?: number, since?: number): Promise<RegExpMatchArray>;
  /** Wireshark UAT files (ikev2_decryption_table, esp_sa, preferences) for the SAs charon knows now; returns outDir. */
  writeWiresharkKeys(outDir: string): Promise<string>;
  /** SIGKILL (no DELETE sent: for DPD / dead peer tests). */
  kill(): Promise<void>;
  /** SIGTERM, waits for exit (charon deletes its SAs, TUN device, routes). */
  stop(): Promise<void>;
}

// ------------------------------------------------------------------ configuration

const yn = (b: boolean) => (b ? 'yes' : 'no');

function fmtValue(v: unknown): string {
  if (Array.isArray(v)) return v.map(fmtValue).join(',');
  if (typeof v === 'boolean') return yn(v);
  if (typeof v === 'number') return String(v);
  const s = String(v);
  return /^[A-Za-z0-9_.:/@,=*%+-]*$/.test(s) && s !== '' ? s : `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Render a nested object in strongswan.conf / swanctl.conf syntax (undefined values are left out). */
export function renderSettings(obj: Record<string, unknown>, indent = ''): string {
  let out = '';
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out += `${indent}${k} {\n${renderSettings(v as Record<string, unknown>, indent + '  ')}${indent}}\n`;
    else out += `${indent}${k} = ${fmtValue(v)}\n`;
  }
  return out;
}

export function swanctlConf(connections: ConnectionConfig[], secrets: SecretConfig[] = []): string {
  const conns: Record<string, unknown> = {};
  const secs: Record<string, unknown> = {};
  for (const c of connections) {
    const children: Record<string, unknown> = {};
    for (const ch of c.children) {
      children[ch.name] = {
        mode: ch.mode ?? 'tunnel', local_ts: ch.local_ts, remote_ts: ch.remote_ts,
        esp_proposals: ch.esp_proposals ?? 'aes256-sha256,aes256gcm16', start_action: ch.start_action ?? 'none',
        dpd_action: ch.dpd_action, close_action: ch.close_action, rekey_time: ch.rekey_time, life_time: ch.life_time,
        rekey_bytes: ch.rekey_bytes, rekey_packets: ch.rekey_packets, ...ch.extra,
      };
    }
    conns[c.name] = {
      version: c.version ?? 2, local_addrs: c.local_addrs, remote_addrs: c.remote_addrs, local_port: c.local_port,
      remote_port: c.remote_port, proposals: c.proposals ?? 'aes256-sha256-ecp256', encap: c.encap ?? true,
      mobike: c.mobike ?? false, fragmentation: c.fragmentation, dpd_delay: c.dpd_delay, dpd_timeout: c.dpd_timeout,
      rekey_time: c.rekey_time, reauth_time: c.reauth_time, over_time: c.over_time, keyingtries: c.keyingtries,
      ppk_id: c.ppk?.id, ppk_required: c.ppk?.required,
      ...c.extra,
      local: { auth: 'psk', ...c.local }, remote: { auth: 'psk', ...c.remote },
      children,
    };
    if (c.psk !== undefined) secs[`ike-${c.name}`] = { 'id-1': c.local.id, 'id-2': c.remote.id, secret: c.psk };
    if (c.ppk?.secret !== undefined) secs[`ppk-${c.name}`] = { id: c.ppk.id, secret: c.ppk.secret };
  }
  secrets.forEach((s, i) => {
    if (s.type === 'raw') secs[s.name] = s.body;
    else if (s.type === 'ike') secs[s.name ?? `ike-x${i}`] = { ...Object.fromEntries(s.ids.map((id, j) => [`id-${j + 1}`, id])), secret: s.secret };
    else {
      const ids = Array.isArray(s.id) ? s.id : [s.id];
      secs[s.name ?? `ppk-x${i}`] = { ...(ids.length === 1 ? { id: ids[0] } : Object.fromEntries(ids.map((id, j) => [`id-${j + 1}`, id]))), secret: s.secret };
    }
  });
  // PSKs are written quoted unless 0x/0s; renderSettings quotes anything unusual
  return renderSettings({ connections: conns, secrets: secs });
}

export function strongswanConf(dir: string, opts: Pick<CharonOptions, 'logLevels' | 'plugins' | 'charonSettings'> = {}): string {
  const levels = { ...DEFAULT_LOG_LEVELS, ...opts.logLevels };
  return `# generated by test/support/strongswan-peer.ts\n` + renderSettings({
    charon: {
      load: (opts.plugins ?? DEFAULT_PLUGINS).join(' '),
      ...opts.charonSettings,
      plugins: { vici: { socket: `unix://${dir}/run/charon.vici` } },
      syslog: {},
      filelog: {
        main: {
          path: join(dir, 'charon.log'), time_format: '%T', time_add_ms: true, ike_name: true,
          append: true, // reload-settings would truncate the log (and lose the keys) with append = no
          flush_line: true, ...levels,
        },
      },
    },
  });
}

const SWANCTL_SUBDIRS = ['x509', 'x509ca', 'x509aa', 'x509ac', 'x509crl', 'x509ocsp', 'private', 'rsa', 'ecdsa', 'bliss', 'pkcs8', 'pkcs12', 'pubkey', 'conf.d'];

// ------------------------------------------------------------------ list-sas parsing

/** Parse swanctl's `--pretty` dump (one element per line) into nested sections; several messages → array. */
export function parseViciPretty(text: string): { event: string; body: VdictSection }[] {
  const msgs: { event: string; body: VdictSection }[] = [];
  const stack: VdictSection[] = [];
  let list: string[] | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (list) {
      if (line === ']') { list = null; continue; }
      list.push(line);
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = /^(.*\S) \{$/.exec(line))) {
      const sec: VdictSection = {};
      if (stack.length === 0) msgs.push({ event: m[1], body: sec });
      else stack[stack.length - 1][m[1]] = sec;
      stack.push(sec);
    } else if (line === '}') {
      stack.pop();
    } else if ((m = /^([^=\s]+) = \[$/.exec(line))) {
      list = [];
      stack[stack.length - 1][m[1]] = list;
    } else if ((m = /^([^=\s]+) = (.*)$/.exec(line))) {
      if (stack.length) stack[stack.length - 1][m[1]] = m[2];
    }
  }
  return msgs;
}

const str = (s: VdictSection, k: string): string => (typeof s[k] === 'string' ? (s[k] as string) : '');
const num = (s: VdictSection, k: string): number => Number(str(s, k) || 0);
const optNum = (s: VdictSection, k: string): number | undefined => (str(s, k) ? Number(str(s, k)) : undefined);
const arr = (s: VdictSection, k: string): string[] => (Array.isArray(s[k]) ? (s[k] as string[]) : str(s, k) ? [str(s, k)] : []);

export function parseListSas(pretty: string): IkeSa[] {
  const out: IkeSa[] = [];
  for (const msg of parseViciPretty(pretty)) {
    if (msg.event !== 'list-sa event') continue;
    for (const [name, v] of Object.entries(msg.body)) {
      const s = v as VdictSection;
      const kids = (s['child-sas'] ?? {}) as VdictSection;
      out.push({
        name, raw: s, uniqueid: num(s, 'uniqueid'), version: num(s, 'version'), state: str(s, 'state'),
        localHost: str(s, 'local-host'), localPort: num(s, 'local-port'), localId: str(s, 'local-id'),
        remoteHost: str(s, 'remote-host'), remotePort: num(s, 'remote-port'), remoteId: str(s, 'remote-id'),
        initiator: str(s, 'initiator') === 'yes', initiatorSpi: str(s, 'initiator-spi'), responderSpi: str(s, 'responder-spi'),
        encrAlg: str(s, 'encr-alg'), encrKeysize: optNum(s, 'encr-keysize'), integAlg: str(s, 'integ-alg') || undefined,
        prfAlg: str(s, 'prf-alg'), dhGroup: str(s, 'dh-group'), ppk: str(s, 'ppk') === 'yes',
        natRemote: str(s, 'nat-remote') === 'yes', natLocal: str(s, 'nat-local') === 'yes',
        children: Object.values(kids).map((cv) => {
          const c = cv as VdictSection;
          return {
            name: str(c, 'name'), raw: c, uniqueid: num(c, 'uniqueid'), reqid: num(c, 'reqid'), state: str(c, 'state'),
            mode: str(c, 'mode'), protocol: str(c, 'protocol'), encap: str(c, 'encap') === 'yes',
            spiIn: str(c, 'spi-in'), spiOut: str(c, 'spi-out'), encrAlg: str(c, 'encr-alg'), encrKeysize: optNum(c, 'encr-keysize'),
            integAlg: str(c, 'integ-alg') || undefined, dhGroup: str(c, 'dh-group') || undefined,
            bytesIn: num(c, 'bytes-in'), packetsIn: num(c, 'packets-in'), bytesOut: num(c, 'bytes-out'), packetsOut: num(c, 'packets-out'),
            localTs: arr(c, 'local-ts'), remoteTs: arr(c, 'remote-ts'),
          };
        }),
      });
    }
  }
  return out;
}

// ------------------------------------------------------------------ keys from the log → Wireshark

interface KeyDump { tag: string; label: string; hex: string; line: number }

/** Hex dumps (`<label> => N bytes @ 0x…` + `   0: XX XX …` lines) from a charon log written with ike_name = yes. */
export function parseKeyDumps(log: string): { dumps: KeyDump[]; lines: string[] } {
  const lines = log.split('\n');
  const pfx = /^\S+ (\d+)\[(\w+)\] <([^>]*)> (.*)$/, hexl = /^\s*\d+: ((?:[0-9A-F]{2} ){1,16})/;
  const dumps: KeyDump[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = pfx.exec(lines[i]);
    if (!m || !/ => \d+ bytes @/.test(m[4])) continue;
    let hex = '', j = i + 1;
    for (; j < lines.length; j++) {
      const m2 = pfx.exec(lines[j]);
      if (!m2 || m2[1] !== m[1]) break;
      const h = hexl.exec(m2[4]);
      if (!h) break;
      hex += h[1].replace(/ /g, '').toLowerCase();
    }
    dumps.push({ tag: m[3], label: m[4].split(' => ')[0], hex, line: i });
    i = j - 1;
  }
  return { dumps, lines };
}

const WS_IKE_ENC: Record<string, string> = {
  'AES_CBC/128': 'AES-CBC-128 [RFC3602]', 'AES_CBC/192': 'AES-CBC-192 [RFC3602]', 'AES_CBC/256': 'AES-CBC-256 [RFC3602]',
  'AES_CTR/128': 'AES-CTR-128 [RFC5930]', 'AES_CTR/256': 'AES-CTR-256 [RFC5930]',
  'AES_GCM_16/128': 'AES-GCM-128 with 16 octet ICV [RFC5282]', 'AES_GCM_16/256': 'AES-GCM-256 with 16 octet ICV [RFC5282]',
};
const WS_IKE_INT: Record<string, string> = {
  HMAC_SHA2_256_128: 'HMAC_SHA2_256_128 [RFC4868]', HMAC_SHA2_384_192: 'HMAC_SHA2_384_192 [RFC4868]',
  HMAC_SHA2_512_256: 'HMAC_SHA2_512_256 [RFC4868]', HMAC_SHA1_96: 'HMAC_SHA1_96 [RFC2404]', none: 'NONE [RFC4306]',
};
const WS_ESP_ENC: Record<string, string> = {
  AES_CBC: 'AES-CBC [RFC3602]', AES_CTR: 'AES-CTR [RFC3686]', AES_GCM_16: 'AES-GCM with 16 octet ICV [RFC4106]',
  AES_GCM_12: 'AES-GCM with 12 octet ICV [RFC4106]', AES_GCM_8: 'AES-GCM with 8 octet ICV [RFC4106]',
};
const WS_ESP_INT: Record<string, string> = {
  HMAC_SHA2_256_128: 'HMAC-SHA-256-128 [RFC4868]', HMAC_SHA2_384_192: 'HMAC-SHA-384-192 [RFC4868]',
  HMAC_SHA2_512_256: 'HMAC-SHA-512-256 [RFC4868]', HMAC_SHA1_96: 'HMAC-SHA-1-96 [RFC2404]', none: 'NULL',
};

/**
 * Wireshark UAT lines for the given SAs from the log.
 * - IKE keys: for an IKE_SA made by a rekey, the last Sk_* dumps before `IKE_SA name[N] rekeyed` under the old
 *   SA's tag (we initiated) or its own (we responded); otherwise the first under its own tag (PPK re-derives only
 *   d/pi/pr). Only SAs that still exist are written: packets of deleted IKE_SAs stay encrypted.
 * - ESP keys: the last dumps before the `SPI 0x<spi-in>, src` line, with that line's tag. The CHILD_SA initiator
 *   role comes from the last IKE_AUTH / CREATE_CHILD_SA request line before it (generating = we initiated).
 */
export function wiresharkKeyLines(log: string, sas: IkeSa[]): { ike: string[]; esp: string[] } {
  const { dumps, lines } = parseKeyDumps(log);
  const tagOf = (line: string) => /^\S+ \d+\[\w+\] <([^>]*)>/.exec(line)?.[1] ?? '';
  const last = (tag: string, label: string, before: number) =>
    dumps.filter((d) => d.tag === tag && d.label === label && d.line < before).pop()?.hex ?? '';
  const first = (tag: string, label: string) => dumps.find((d) => d.tag === tag && d.label === label)?.hex ?? '';
  const ike: string[] = [], esp: string[] = [];
  for (const sa of sas) {
    const tag = `${sa.name}|${sa.uniqueid}`;
    const rekeyedAt = lines.findIndex((l) => l.includes(`IKE_SA ${sa.name}[${sa.uniqueid}] rekeyed`));
    const sk = (k: string) => {
      if (rekeyedAt < 0) return first(tag, `Sk_${k} secret`);
      const tags = [tag, tagOf(lines[rekeyedAt])];
      return dumps.filter((d) => tags.includes(d.tag) && d.label === `Sk_${k} secret` && d.line < rekeyedAt).pop()?.hex ?? '';
    };
    if (!sk('ei')) continue; // keys not in the log (log level, or log rotated): tshark 4.0 crashes on empty keys
    ike.push([sa.initiatorSpi, sa.responderSpi, sk('ei'), sk('er'),
      `"${WS_IKE_ENC[`${sa.encrAlg}/${sa.encrKeysize}`] ?? sa.encrAlg}"`, sk('ai'), sk('ar'),
      `"${WS_IKE_INT[sa.integAlg ?? 'none'] ?? sa.integAlg}"`].join(','));
    const ip = sa.localHost.includes(':') ? 'IPv6' : 'IPv4';
    for (const c of sa.children) {
      const at = lines.findIndex((l) => l.includes(`SPI 0x${c.spiIn}, src`));
      if (at < 0) continue;
      const ctag = tagOf(lines[at]);
      let childInit = sa.initiator;
      const uid = ctag.split('|').pop()!; // before a config matched, the responder's lines are tagged <N> only
      for (let i = at; i >= 0; i--) {
        const lt = tagOf(lines[i]);
        if (lt !== ctag && lt !== uid) continue;
        const m = /(generating|parsed) (IKE_AUTH|CREATE_CHILD_SA) request/.exec(lines[i]);
        if (m) { childInit = m[1] === 'generating'; break; }
      }
      const key = (l: string) => last(ctag, `${l} key`, at);
      if (!key('encryption initiator')) continue;
      const [mine, peer] = childInit ? ['initiator', 'responder'] : ['responder', 'initiator'];
      for (const [src, dst, spi, role] of [[sa.localHost, sa.remoteHost, c.spiOut, mine], [sa.remoteHost, sa.localHost, c.spiIn, peer]]) {
        esp.push([ip, src, dst, `0x${spi}`, WS_ESP_ENC[c.encrAlg] ?? c.encrAlg, `0x${key(`encryption ${role}`)}`,
          WS_ESP_INT[c.integAlg ?? 'none'] ?? c.integAlg, `0x${key(`integrity ${role}`)}`].map((x) => `"${x}"`).join(','));
      }
    }
  }
  return { ike, esp };
}

// ------------------------------------------------------------------ the daemon

export async function startCharon(opts: CharonOptions): Promise<Charon> {
  const { ns, name } = opts;
  const dir = opts.dir ?? (opts.topo ? join(opts.topo.dir, name) : undefined);
  if (!dir) throw new Error('startCharon: give dir or topo');
  mkdirSync(join(dir, 'run'), { recursive: true });
  for (const d of SWANCTL_SUBDIRS) mkdirSync(join(dir, 'swanctl', d), { recursive: true });
  for (const [p, text] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, 'swanctl', p), text);
  const confPath = join(dir, 'strongswan.conf');
  writeFileSync(confPath, strongswanConf(dir, opts));
  const writeSwanctl = (c: ConnectionConfig[], s: SecretConfig[]) => writeFileSync(join(dir, 'swanctl', 'swanctl.conf'), swanctlConf(c, s));
  writeSwanctl(opts.connections ?? [], opts.secrets ?? []);
  const uri = `unix://${dir}/run/charon.vici`;
  const logPath = join(dir, 'charon.log');
  const env = { STRONGSWAN_CONF: confPath, SWANCTL_DIR: join(dir, 'swanctl') };

  // private /run (the compiled-in pid file); ip netns exec → unshare → sh → exec charon: one pid throughout
  const args = ['-m', '--propagation', 'private', 'sh', '-c', `mount --bind '${dir}/run' /run && exec ${CHARON}`];
  const spawnOpts = { env, name: `charon-${name}`, logFile: join(dir, 'charon.stdout') };
  const proc = opts.topo ? opts.topo.spawn(ns, 'unshare', args, spawnOpts) : spawnIn(ns, 'unshare', args, spawnOpts);

  const swanctl = async (a: string[], o: { check?: boolean; timeoutMs?: number } = {}) => {
    const r = await run('swanctl', [...a, '--uri', uri], { env, timeoutMs: o.timeoutMs ?? 20_000 });
    if ((o.check ?? true) && r.code !== 0) {
      throw new Error(`charon ${name}: ${r.cmd} → exit ${r.code ?? r.signal}\n${r.stdout}${r.stderr}\n--- charon.log (tail):\n${tail(readLog(), 40)}`);
    }
    return r;
  };
  const readLog = () => { try { return readFileSync(logPath, 'utf8'); } catch { return ''; } };

  const end = Date.now() + (opts.startTimeoutMs ?? 10_000);
  for (;;) {
    if (!proc.running) throw new Error(`charon ${name} exited at start: ${proc.output()}\n${tail(readLog(), 40)}`);
    if (existsSync(join(dir, 'run', 'charon.vici'))) {
      const r = await run('swanctl', ['--stats', '--uri', uri], { env, timeoutMs: 2000 });
      if (r.code === 0) break;
    }
    if (Date.now() > end) { await proc.kill(); throw new Error(`charon ${name}: vici not answering after ${opts.startTimeoutMs ?? 10_000} ms\n${tail(readLog(), 40)}`); }
    await sleep(20);
  }

  const charon: Charon = {
    name, ns, dir, uri, logPath, process: proc,
    swanctl,
    loadAll: () => swanctl(['--load-all', '--noprompt']),
    async reconfigure(connections, secrets = []) {
      writeSwanctl(connections, secrets);
      return swanctl(['--load-all', '--noprompt']);
    },
    initiate: (child, ike, o = {}) => swanctl(['--initiate', '--child', child, ...(ike ? ['--ike', ike] : []), '--timeout', String(Math.ceil((o.timeoutMs ?? 15_000) / 1000))], { check: o.check, timeoutMs: (o.timeoutMs ?? 15_000) + 2000 }),
    terminate: (sel, o = {}) => swanctl(['--terminate',
      ...(sel.ike ? ['--ike', sel.ike] : []), ...(sel.child ? ['--child', sel.child] : []),
      ...(sel.ikeId !== undefined ? ['--ike-id', String(sel.ikeId)] : []), ...(sel.childId !== undefined ? ['--child-id', String(sel.childId)] : []),
      ...(sel.force ? ['--force'] : []), '--timeout', '10'], o),
    rekeyChild: (child, o = {}) => swanctl(['--rekey', '--child', child, ...(o.reauth ? ['--reauth'] : [])]),
    rekeyIke: (ike, o = {}) => swanctl(['--rekey', '--ike', ike, ...(o.reauth ? ['--reauth'] : [])]),
    async listSas(f = {}) {
      const r = await swanctl(['--list-sas', '--pretty', ...(f.ike ? ['--ike', f.ike] : []), ...(f.child ? ['--child', f.child] : [])]);
      return parseListSas(r.stdout);
    },
    log: readLog,
    async waitForLog(re, timeoutMs = 10_000, since = 0) {
      const stop = Date.now() + timeoutMs;
      for (;;) {
        const m = readLog().slice(since).match(re);
        if (m) return m;
        if (Date.now() > stop) throw new Error(`charon ${name}: no ${re} in charon.log within ${timeoutMs} ms; tail:\n${tail(readLog(), 30)}`);
        await sleep(25);
      }
    },
    async writeWiresharkKeys(outDir) {
      const { ike, esp } = wiresharkKeyLines(readLog(), await charon.listSas());
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, 'ikev2_decryption_table'), ike.join('\n') + '\n');
      writeFileSync(join(outDir, 'esp_sa'), esp.join('\n') + '\n');
      writeFileSync(join(outDir, 'preferences'), 'esp.enable_encryption_decode: TRUE\nesp.enable_authentication_check: TRUE\n');
      return outDir;
    },
    async kill() { await proc.kill(); },
    async stop() { await proc.stop('SIGTERM', 5000); },
  };
  if (opts.load ?? true) await charon.loadAll();
  return charon;
}

function tail(text: string, n: number): string {
  return text.split('\n').slice(-n - 1).join('\n');
}

// ------------------------------------------------------------------ ping, capture, tshark

export interface PingResult { transmitted: number; received: number; lossPct: number; avgMs?: number; output: string; code: number | null }

/** `ping -c count -i 0.2 -W 1 -I src dst` inside ns (iputils ping). Never throws for packet loss. */
export async function pingFrom(ns: string, src: string, dst: string, count = 3, opts: { intervalS?: number; waitS?: number; size?: number } = {}): Promise<PingResult> {
  // -w (a deadline for the whole run) rather than -W alone: once some replies came, iputils' ping waits only
  // two RTTs for the last one, which a loaded 2-core machine can exceed (a lost "reply" that was only late)
  const deadline = Math.ceil(count * (opts.intervalS ?? 0.2) + (opts.waitS ?? 3));
  const args = ['-n', '-c', String(count), '-i', String(opts.intervalS ?? 0.2), '-W', String(opts.waitS ?? 3), '-w', String(deadline), '-I', src];
  if (opts.size !== undefined) args.push('-s', String(opts.size));
  const r = await nsExec(ns, 'ping', [...args, dst], { timeoutMs: (count * (opts.intervalS ?? 0.2) + (opts.waitS ?? 3) + 5) * 1000 });
  const out = r.stdout + r.stderr;
  const m = /(\d+) packets transmitted, (\d+) received/.exec(out);
  if (!m) throw new Error(`ping in ${ns}: unexpected output (exit ${r.code}):\n${out}`);
  const rtt = /= [\d.]+\/([\d.]+)\//.exec(out);
  const transmitted = Number(m[1]), received = Number(m[2]);
  return { transmitted, received, lossPct: transmitted ? ((transmitted - received) * 100) / transmitted : 100, avgMs: rtt ? Number(rtt[1]) : undefined, output: out, code: r.code };
}

export interface Capture {
  readonly pcap: string;
  readonly process: NsProcess;
  /**
   * Stop capturing (SIGINT, so the file is complete). dumpcap gets packets from the kernel in blocks
   * (no immediate mode in tshark 4.0): packets of the last ~250 ms are lost unless we wait first; settleMs default 400.
   */
  stop(settleMs?: number): Promise<void>;
}

/** tshark (dumpcap) capturing on iface inside ns into pcap; resolves once it is capturing. Killed on topology cleanup. */
export async function startCapture(topo: Topology, ns: string, iface: string, pcap: string, filter = 'udp port 500 or udp port 4500'): Promise<Capture> {
  const p = topo.spawn(ns, 'tshark', ['-n', '-i', iface, '-f', filter, '-w', pcap], { name: `tshark-${iface}` });
  await p.waitForOutput(/Capturing on/, 10_000);
  // "Capturing on" comes before dumpcap's filter is attached on a loaded machine: the first packets of an
  // exchange started at once were missing in a CI run (IKE_SA_INIT/IKE_AUTH absent, ESP present)
  await sleep(1000);
  return {
    pcap, process: p,
    async stop(settleMs = 400) {
      await sleep(settleMs);
      await p.stop('SIGINT', 5000);
    },
  };
}

/**
 * Read pcap with tshark using the UAT files in keyDir (WIRESHARK_CONFIG_DIR=keyDir; see Charon.writeWiresharkKeys).
 * extraArgs e.g. ['-V'] or ['-T', 'fields', '-e', 'esp.spi', '-Y', 'icmp']. Returns stdout; throws on a tshark error.
 */
export async function tsharkDecrypt(pcap: string, keyDir: string, extraArgs: string[] = []): Promise<string> {
  const r = await run('tshark', ['-n', '-r', pcap, ...extraArgs], { env: { WIRESHARK_CONFIG_DIR: keyDir }, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`${r.cmd} (WIRESHARK_CONFIG_DIR=${keyDir}): exit ${r.code ?? r.signal}\n${r.stderr}`);
  return r.stdout;
}
