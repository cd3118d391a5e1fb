// The `webswan router`'s transport to its SKIP key sources (RouterOptions.keySourceFetch): a fetch-compatible
// function over node:https, with TLS-PSK when the sks profile has one.
//
// Configuration (IOS XR, Cisco-IOS-XR-um-sks-server-cfg type/remote/kme/psk/{id,key/seven}):
//   sks profile QKD type remote
//    kme server ipv4 192.0.2.34 port 10001
//    kme psk id router1 key seven <type-7>      (or `key seven !<clear text>`, stored type-7)
// The PSK is the type-7 plaintext: when it is an even number of hex digits it is those octets (so
// `webswan kme --psk-hex 0011…` matches `key seven !0011…`), otherwise its UTF-8 bytes. The identity is the
// `id` as typed. Which profile a request belongs to is decided from the URL the SkipClient built: the first
// profile (by name) whose `kme server` address and port match it; its PSK is read from the running
// configuration at each request, so a commit takes effect at the next connection.
//
// With a PSK: TLS 1.2 with the draft's DHE-PSK-AES256-CBC-SHA384 / DHE-PSK-AES256-CBC-SHA first, then the IOS
// XE set (DHE-PSK-/PSK-AES256-GCM-SHA384, PSK-AES256-CBC-SHA384); TLS 1.3 TLS_AES_128_GCM_SHA256 (the only
// TLS 1.3 suite Node's callback PSK can use — docs/skip.md). The server has no certificate, so
// `checkServerIdentity` accepts: the PSK authenticates both ends. Without a PSK: ordinary HTTPS, the server
// certificate checked against Node's CA store (NODE_EXTRA_CA_CERTS adds a lab CA) and the host name.
// The PSK is never printed; a failed handshake is reported with its TLS error only.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { RouterConfig, SksProfile } from '../../config/model.js';
import { type7Decode } from '../../config/type7.js';
import type { SkipFetch } from '../../skip/client.js';

/** TLS 1.2 PSK suites, in preference order (docs/skip.md measured them against `webswan kme`). */
export const PSK_CIPHERS_TLS12 = ['DHE-PSK-AES256-CBC-SHA384', 'DHE-PSK-AES256-CBC-SHA', 'DHE-PSK-AES256-GCM-SHA384', 'PSK-AES256-GCM-SHA384', 'PSK-AES256-CBC-SHA384'];
export const PSK_CIPHER_TLS13 = 'TLS_AES_128_GCM_SHA256';

export interface KeySourcePsk { profile: string; identity: string; key: Buffer }

/** The PSK octets of a type-7 `kme psk … key seven` value (see the top comment). */
export function pskKeyBytes(type7: string): Buffer {
  const plain = type7Decode(type7);
  return /^([0-9a-fA-F]{2})+$/.test(plain) ? Buffer.from(plain, 'hex') : Buffer.from(plain, 'utf8');
}

const unbracket = (h: string) => (h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h);

function serverMatches(s: SksProfile, host: string, port: number): boolean {
  if (s.kmePort !== port) return false;
  const h = host.toLowerCase();
  if (s.kmeIpv4) return s.kmeIpv4 === h;
  if (s.kmeIpv6) return normV6(s.kmeIpv6) === normV6(h);
  if (s.kmeHostname) return s.kmeHostname.toLowerCase() === h;
  return false;
}

function normV6(a: string): string {
  try { return new URL(`http://[${a}]/`).hostname; } catch { return a.toLowerCase(); }
}

/** The sks profile (and its PSK, if any) that a key-source URL belongs to. */
export function profileForUrl(cfg: RouterConfig, url: URL): { name: string; psk?: KeySourcePsk } | undefined {
  const host = unbracket(url.hostname);
  const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  for (const name of Object.keys(cfg.sksProfiles).sort()) {
    const s = cfg.sksProfiles[name];
    if (!serverMatches(s, host, port)) continue;
    if (s.kmePskId && s.kmePskKey) return { name, psk: { profile: name, identity: s.kmePskId, key: pskKeyBytes(s.kmePskKey) } };
    return { name };
  }
  return undefined;
}

export interface KeySourceFetchOptions {
  /** The running configuration, read at each request. */
  config: () => RouterConfig;
  /** A line for the router's log (never carries the PSK). */
  log?: (line: string) => void;
}

/**
 * A fetch(url, init) for the SkipClient: GET only (the SKIP API has no bodies), the Response built from the
 * node:https answer; `init.signal` aborts the request (the client's timeout). One TLS connection per request
 * (no keep-alive: the key sources are contacted rarely and a commit may change the PSK).
 */
export function createKeySourceFetch(opts: KeySourceFetchOptions): SkipFetch {
  return (input, init = {}) => new Promise<Response>((resolve, reject) => {
    let url: URL;
    try { url = new URL(input); } catch { reject(new TypeError(`bad key source URL ${input}`)); return; }
    const signal = init.signal ?? undefined;
    if (signal?.aborted) { reject(signal.reason ?? new Error('aborted')); return; }
    let prof: ReturnType<typeof profileForUrl>;
    try { prof = profileForUrl(opts.config(), url); } catch (e) {
      reject(new TypeError(`key source ${url.host}: the sks profile's PSK cannot be decoded (${e instanceof Error ? e.message : String(e)})`));
      return;
    }
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => { headers[k] = v; });
    const psk = prof?.psk;
    const common = {
      method: init.method ?? 'GET', host: unbracket(url.hostname), port: url.port || undefined,
      path: `${url.pathname}${url.search}`, headers, agent: false,
    };
    const req = url.protocol === 'http:' ? httpRequest(common) : httpsRequest({
      ...common,
      ...(psk ? {
        minVersion: 'TLSv1.2' as const,
        ciphers: [PSK_CIPHER_TLS13, ...PSK_CIPHERS_TLS12].join(':'),
        pskCallback: () => ({ psk: psk.key, identity: psk.identity }),
        // no certificate on a PSK server: the PSK authenticates it
        checkServerIdentity: () => undefined,
      } : {}),
    });
    const onAbort = () => req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new TypeError(`${prof?.psk ? `TLS-PSK identity '${prof.psk.identity}': ` : ''}${e.message}`));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => { signal?.removeEventListener('abort', onAbort); reject(new TypeError(e.message)); });
      res.on('end', () => {
        signal?.removeEventListener('abort', onAbort);
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (v === undefined) continue;
          for (const x of Array.isArray(v) ? v : [v]) h.append(k, x);
        }
        const status = res.statusCode ?? 500;
        const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, statusText: res.statusMessage, headers: h }));
      });
    });
    req.end();
  });
}
