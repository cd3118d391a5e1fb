// `webswan kme`: a pair of SKIP key servers (draft-cisco-skip-02) in one Node process, over HTTPS.
//
//   webswan kme --listen 127.0.0.1:10001 --id KP_A --peer KP_B@127.0.0.1:10002
//               --psk-identity ID --psk-hex HEX   and/or   --cert FILE --key FILE
//               [--peer-psk-identity ID --peer-psk-hex HEX]
//
// One process runs both Key Providers of a pair, each on its own listener (KP_A on --listen, KP_B on the
// address in --peer); their out-of-band synchronisation is the simulated QKD link of src/skip/pair.ts, in
// this process's memory. Each router talks to "its" KP only, as with two boxes joined by a QKD fibre —
// so the draft's client-side flow is exercised faithfully without inventing a KP↔KP wire protocol that the
// draft leaves out of scope. Options:
//   --psk-identity ID, --psk-hex HEX            the TLS-PSK of KP_A's listener (its SKIP client, router A)
//   --peer-psk-identity ID, --peer-psk-hex HEX  the TLS-PSK of KP_B's listener (router B); default: the same
//                           as KP_A's (one PSK for both, as before). Two routers are two SKIP clients, each
//                           with its own credential: each listener accepts only its own identity and key, so
//                           router A's PSK fails the handshake on KP_B's listener and the other way round
//   --remote-id GLOB        KP_A's advertised remoteSystemID entries (repeatable; default: the peer's ID)
//   --peer-remote-id GLOB   KP_B's (repeatable; default: --id)
//   --link-delay MS         keys reach the other end MS later (GET /key/{keyId} there is 503 until then)
//   --link-budget BITS      total key material the link delivers before GET /key is 503
//   --no-entropy            GET /entropy is 503 and capabilities say "entropy": false
// TLS: TLS 1.2 and 1.3. With a PSK (pskCallback, identity checked), TLS 1.2 offers the draft's
// DHE-PSK-AES256-CBC-SHA384 and DHE-PSK-AES256-CBC-SHA plus the IOS XE set (PSK-/DHE-PSK-AES256-GCM-SHA384,
// PSK-AES256-CBC-SHA384); TLS 1.3 PSK works only with TLS_AES_128_GCM_SHA256 (OpenSSL's callback PSKs are
// bound to SHA-256; TLS_AES_256_GCM_SHA384 is for certificates). With --cert/--key, TLS 1.2 offers the
// draft's AES256-SHA256 and ECDHE-ECDSA-AES256-GCM-SHA384 plus ECDHE-RSA-AES256-GCM-SHA384, and TLS 1.3
// TLS_AES_256_GCM_SHA384. The PSKs are never printed; WEBSWAN_KME_PSK_HEX and WEBSWAN_KME_PEER_PSK_HEX may
// carry them instead of --psk-hex and --peer-psk-hex (so they stay out of `ps`). The certificate, when given,
// serves both listeners. SIGINT/SIGTERM closes both listeners.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { webcrypto } from 'node:crypto';
import { KeyServer } from '../../skip/server.js';
import { KeyPair } from '../../skip/pair.js';

export interface HostPort { host: string; port: number }
export interface KmePsk { identity: string; key: Buffer }

export interface KmeArgs {
  listen: HostPort;
  id: string;
  peer: HostPort & { id: string };
  remoteIds: string[];
  peerRemoteIds: string[];
  /** KP_A's listener (--psk-*). */
  psk?: KmePsk;
  /** KP_B's listener (--peer-psk-*); absent: `psk` serves it too. */
  peerPsk?: KmePsk;
  cert?: string;
  key?: string;
  entropy: boolean;
  linkDelayMs: number;
  linkBudgetBits: number | null;
}

export const KME_PSK_CIPHERS_TLS12 = ['DHE-PSK-AES256-CBC-SHA384', 'DHE-PSK-AES256-CBC-SHA', 'DHE-PSK-AES256-GCM-SHA384', 'PSK-AES256-GCM-SHA384', 'PSK-AES256-CBC-SHA384'];
export const KME_CERT_CIPHERS_TLS12 = ['ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'AES256-SHA256'];
export const KME_TLS13_CERT = 'TLS_AES_256_GCM_SHA384';
export const KME_TLS13_PSK = 'TLS_AES_128_GCM_SHA256';

function parseHostPort(v: string): HostPort | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(v);
  if (!m) return null;
  const port = Number(m[3]);
  return port <= 65535 ? { host: m[1] ?? m[2], port } : null;
}

export function parseKmeArgs(args: string[]): KmeArgs | string {
  let listen: HostPort | null = null, peer: (HostPort & { id: string }) | null = null, id = '';
  const remoteIds: string[] = [], peerRemoteIds: string[] = [];
  let pskIdentity: string | undefined, pskHex: string | undefined, cert: string | undefined, key: string | undefined;
  let peerPskIdentity: string | undefined, peerPskHex: string | undefined;
  let entropy = true, linkDelayMs = 0, linkBudgetBits: number | null = null;
  for (let i = 0; i < args.length; i++) {
    const opt = args[i];
    if (opt === '--no-entropy') { entropy = false; continue; }
    const v = args[++i];
    if (v === undefined || v === '') return `kme: ${opt} needs a value`;
    switch (opt) {
      case '--listen': if (!(listen = parseHostPort(v))) return `kme: --listen wants HOST:PORT, not '${v}'`; break;
      case '--id': id = v; break;
      case '--peer': {
        const at = v.lastIndexOf('@');
        const hp = at > 0 ? parseHostPort(v.slice(at + 1)) : null;
        if (!hp) return `kme: --peer wants PEER_ID@HOST:PORT (the other key server of the pair), not '${v}'`;
        peer = { id: v.slice(0, at), ...hp };
        break;
      }
      case '--remote-id': remoteIds.push(v); break;
      case '--peer-remote-id': peerRemoteIds.push(v); break;
      case '--psk-identity': pskIdentity = v; break;
      case '--psk-hex': pskHex = v; break;
      case '--peer-psk-identity': peerPskIdentity = v; break;
      case '--peer-psk-hex': peerPskHex = v; break;
      case '--cert': cert = v; break;
      case '--key': key = v; break;
      case '--link-delay': if (!/^\d+$/.test(v)) return 'kme: --link-delay wants milliseconds'; linkDelayMs = Number(v); break;
      case '--link-budget': if (!/^\d+$/.test(v)) return 'kme: --link-budget wants bits'; linkBudgetBits = Number(v); break;
      default: return `kme: unknown option ${opt}`;
    }
  }
  if (!listen) return 'kme: --listen HOST:PORT is required';
  if (!id) return 'kme: --id SYSTEM_ID is required';
  if (!peer) return 'kme: --peer PEER_ID@HOST:PORT is required';
  if (peer.id === id) return 'kme: the peer needs a system ID of its own';
  const psk = pskOption('', pskIdentity, pskHex ?? (process.env.WEBSWAN_KME_PSK_HEX || undefined));
  if (typeof psk === 'string') return psk;
  const peerPsk = pskOption('peer-', peerPskIdentity, peerPskHex ?? (process.env.WEBSWAN_KME_PEER_PSK_HEX || undefined));
  if (typeof peerPsk === 'string') return peerPsk;
  if ((cert === undefined) !== (key === undefined)) return 'kme: --cert and --key go together';
  if (!psk && !cert) return 'kme: TLS needs a PSK (--psk-identity/--psk-hex) or a certificate (--cert/--key)';
  return {
    listen, id, peer,
    remoteIds: remoteIds.length ? remoteIds : [peer.id],
    peerRemoteIds: peerRemoteIds.length ? peerRemoteIds : [id],
    psk, ...(peerPsk ? { peerPsk } : {}),
    cert, key, entropy, linkDelayMs, linkBudgetBits,
  };
}

/** `--{prefix}psk-identity` + `--{prefix}psk-hex` (or its env variable): a PSK, none, or what is wrong. */
function pskOption(prefix: string, identity: string | undefined, hex: string | undefined): KmePsk | undefined | string {
  if ((identity === undefined) !== (hex === undefined)) return `kme: --${prefix}psk-identity and --${prefix}psk-hex go together`;
  if (hex === undefined) return undefined;
  if (!/^([0-9a-fA-F]{2}){16,256}$/.test(hex)) return `kme: the ${prefix ? 'peer\'s ' : ''}PSK must be 16 to 256 bytes of hex`;
  return { identity: identity!, key: Buffer.from(hex, 'hex') };
}

export interface KmeHandle {
  pair: KeyPair;
  servers: { a: KeyServer; b: KeyServer };
  /** The bound addresses (ports resolved when 0 was asked for). */
  addresses: { a: HostPort; b: HostPort };
  close(): Promise<void>;
}

const random = (n: number): Uint8Array => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) webcrypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
};

/** Bridges node:https to KeyServer.fetch (GET only, so request bodies are never read). */
async function serve(server: KeyServer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = `https://${req.headers.host ?? 'kme'}${req.url ?? '/'}`;
  let r: Response;
  try {
    r = await server.fetch(new Request(url, { method: req.method ?? 'GET' }));
  } catch {
    r = new Response(JSON.stringify({ status: 400, message: 'malformed request' }), { status: 400, headers: { 'content-type': 'application/json' } });
  }
  const body = Buffer.from(await r.arrayBuffer());
  const headers: Record<string, string> = { 'content-length': String(body.length) };
  r.headers.forEach((v, k) => { headers[k] = v; });
  res.writeHead(r.status, headers);
  res.end(body);
}

/** KP_B's PSK: --peer-psk-*, else KP_A's. */
const peerPskOf = (a: KmeArgs): KmePsk | undefined => a.peerPsk ?? a.psk;

/** One listener's TLS: its own PSK (if any; only that identity and key are accepted) and/or the certificate. */
function tlsOptions(psk: KmePsk | undefined, certs: { cert: Buffer; key: Buffer } | undefined) {
  const tls13 = [...(certs ? [KME_TLS13_CERT] : []), ...(psk ? [KME_TLS13_PSK] : [])];
  const tls12 = [...(psk ? KME_PSK_CIPHERS_TLS12 : []), ...(certs ? KME_CERT_CIPHERS_TLS12 : [])];
  return {
    minVersion: 'TLSv1.2' as const,
    ciphers: [...tls13, ...tls12].join(':'),
    dhparam: 'auto' as const,
    ...(certs ?? {}),
    ...(psk ? {
      // identities are not secret; an unknown one gets no key and the handshake fails
      pskCallback: (_s: unknown, identity: string) => (identity === psk.identity ? psk.key : null),
    } : {}),
  };
}

export async function startKme(a: KmeArgs, log: (line: string) => void = () => {}): Promise<KmeHandle> {
  const pair = new KeyPair({ a: a.id, b: a.peer.id, link: { delayMs: a.linkDelayMs, budgetBits: a.linkBudgetBits } });
  const mk = (id: string, remotes: string[]) => new KeyServer({
    localSystemID: id, remoteSystemIDs: remotes, pair: pair.end(id), random, entropy: a.entropy,
    log: (line) => log(`kme ${id}: ${line}`),
  });
  const servers = { a: mk(a.id, a.remoteIds), b: mk(a.peer.id, a.peerRemoteIds) };
  const certs = a.cert ? { cert: readFileSync(a.cert), key: readFileSync(a.key!) } : undefined;
  const listen = (ks: KeyServer, hp: HostPort, psk: KmePsk | undefined) => new Promise<Server>((resolve, reject) => {
    const s = createServer(tlsOptions(psk, certs) as Parameters<typeof createServer>[0], (req, res) => { void serve(ks, req, res); });
    s.once('error', reject);
    s.listen(hp.port, hp.host, () => { s.off('error', reject); resolve(s); });
  });
  const sa = await listen(servers.a, a.listen, a.psk);
  let sb: Server;
  try { sb = await listen(servers.b, a.peer, peerPskOf(a)); } catch (e) { sa.close(); throw e; }
  const addr = (s: Server, hp: HostPort): HostPort => ({ host: hp.host, port: (s.address() as AddressInfo).port });
  const close = (s: Server) => new Promise<void>((r) => { s.close(() => r()); s.closeAllConnections(); });
  return {
    pair, servers, addresses: { a: addr(sa, a.listen), b: addr(sb, a.peer) },
    close: async () => { await Promise.all([close(sa), close(sb)]); },
  };
}

const hostText = (hp: HostPort) => (hp.host.includes(':') ? `[${hp.host}]:${hp.port}` : `${hp.host}:${hp.port}`);

export async function runKme(a: KmeArgs): Promise<number> {
  const log = (line: string) => process.stderr.write(`webswan: ${line}\n`);
  let h: KmeHandle;
  try { h = await startKme(a, log); } catch (e) {
    log(`kme: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const tls = (psk: KmePsk | undefined) => [psk ? `TLS-PSK identity '${psk.identity}'` : '', a.cert ? 'certificate' : ''].filter(Boolean).join(' + ');
  log(`kme ${a.id} listening on https://${hostText(h.addresses.a)} (${tls(a.psk)})`);
  log(`kme ${a.peer.id} listening on https://${hostText(h.addresses.b)} (${tls(peerPskOf(a))}${a.peerPsk || !a.psk ? '' : ', the same PSK as ' + a.id})`);
  await new Promise<void>((resolve) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await h.close();
  return 0;
}
