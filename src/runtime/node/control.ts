// The control socket of `webswan router --control PATH`, and the client `webswan cli` uses on it.
//
// Protocol: a Unix stream socket (mode 0600, so only the router's user — root — can connect), carrying
// newline-delimited JSON objects (UTF-8, one object per line, at most 64 KiB a line). Each connection is
// one console session (its own mode, configuration session and history), like one vty.
//
//   router → client, once on connect:   {"hello":"webswan 0.1.0","prompt":"RP/0/RP0/CPU0:R1#"}
//   client → router, requests (handled one at a time, in order; a client may pipeline them):
//     {"line":"show running-config"}   run a line as if typed after the prompt
//     {"help":"ikev2 profile P "}       what `?` shows after that text
//     {"complete":"sh"}                 what Tab does to that text
//   router → client, per request: any number of
//     {"out":"text"}                    console output exactly as the console wrote it (newlines included)
//   then exactly one
//     {"done":true,"prompt":"RP/0/RP0/CPU0:R1(config)#","closed":false}
//   with, for "complete", "line" (the new text) and "choices" (what to list when ambiguous).
//   "closed":true means the session ended (`exit` in EXEC mode); the router then closes the connection.
//   {"out"} can also arrive between requests (output of `debug` while the session waits).
//   A malformed request gets {"error":"…"} and the connection is closed.
import * as net from 'node:net';
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import type { Router } from '../../router/router.js';

export const MAX_MESSAGE = 64 * 1024;

export type ControlRequest = { line: string } | { help: string } | { complete: string };

export interface Hello { hello: string; prompt: string }
export interface Done { done: true; prompt: string; closed: boolean; line?: string; choices?: string[] }
export type ControlMessage = Hello | { out: string } | Done | { error: string };

/** Splits a byte stream into newline-terminated JSON messages; undefined from push() means a line was too long. */
class LineReader {
  private buf = '';
  private readonly decoder = new TextDecoder();
  push(chunk: Uint8Array): string[] | undefined {
    this.buf += this.decoder.decode(chunk, { stream: true });
    const parts = this.buf.split('\n');
    this.buf = parts.pop()!;
    if (this.buf.length > MAX_MESSAGE || parts.some((p) => p.length > MAX_MESSAGE)) return undefined;
    return parts.filter((p) => p.trim() !== '');
  }
}

function parseRequest(text: string): ControlRequest | string {
  let v: unknown;
  try { v = JSON.parse(text); } catch { return 'not JSON'; }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object';
  const o = v as Record<string, unknown>;
  for (const k of ['line', 'help', 'complete'] as const) {
    if (k in o) return typeof o[k] === 'string' ? { [k]: o[k] } as ControlRequest : `"${k}" is not a string`;
  }
  return 'expected "line", "help" or "complete"';
}

/**
 * Make `path` free for a new control socket: nothing there, or a stale socket left by a router that
 * died (removed). Returns an error text when another router answers there or the path is not a socket.
 */
export async function claimSocketPath(path: string): Promise<string | undefined> {
  let isSocket: boolean;
  try { isSocket = lstatSync(path).isSocket(); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `cannot use ${path}: ${(e as Error).message}`;
  }
  if (!isSocket) return `${path} exists and is not a socket; not removing it`;
  const live = await new Promise<boolean>((resolve) => {
    const c = net.connect(path);
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => resolve(false));
  });
  if (live) return `another router is already serving ${path}`;
  try { unlinkSync(path); } catch (e) { return `cannot remove stale socket ${path}: ${(e as Error).message}`; }
  return undefined;
}

export interface ControlServer { close(): Promise<void> }

/** Serve console sessions of `router` on a Unix socket at `path` (claimed beforehand with claimSocketPath). */
export async function serveControl(router: Router, path: string, version: string): Promise<ControlServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    session(router, sock, version);
  });
  // created 0600 from the start (umask), not chmod'ed after a window in which others could connect
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => { server.off('error', reject); resolve(); });
    });
  } finally { process.umask(umask); }
  chmodSync(path, 0o600);
  server.on('error', (e) => process.stderr.write(`webswan: control socket: ${e.message}\n`));
  return {
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => {
        try { unlinkSync(path); } catch { /* removed by close already */ }
        resolve();
      });
    }),
  };
}

function session(router: Router, sock: net.Socket, version: string): void {
  const send = (m: ControlMessage) => { if (!sock.destroyed && sock.writable) sock.write(JSON.stringify(m) + '\n'); };
  const con = router.console((text) => send({ out: text }));
  const reader = new LineReader();
  let chain = Promise.resolve();
  const fail = (error: string) => { send({ error }); sock.end(); };
  send({ hello: version, prompt: con.prompt });
  sock.on('data', (chunk) => {
    const lines = reader.push(chunk);
    if (!lines) return fail(`message longer than ${MAX_MESSAGE} bytes`);
    for (const text of lines) {
      const req = parseRequest(text);
      chain = chain.then(async () => {
        if (con.closed || sock.destroyed) return;
        if (typeof req === 'string') return fail(`bad request: ${req}`);
        if ('line' in req) {
          await con.input(req.line);
          send({ done: true, prompt: con.prompt, closed: con.closed });
          if (con.closed) sock.end();
        } else if ('help' in req) {
          send({ out: con.help(req.help) });
          send({ done: true, prompt: con.prompt, closed: false });
        } else {
          const c = con.complete(req.complete);
          send({ done: true, prompt: con.prompt, closed: false, line: c.line, choices: c.choices });
        }
      }).catch((e) => {
        process.stderr.write(`webswan: control session: ${e instanceof Error ? e.message : String(e)}\n`);
        fail('internal error');
      });
    }
  });
  sock.on('error', () => sock.destroy()); // a client that went away: nothing to tell anyone
}

/** The client end: `webswan cli`. */
export class ControlClient {
  private readonly reader = new LineReader();
  private waiting: ((m: Done | Error) => void)[] = [];
  private ended = false;
  hello?: Hello;
  /** Output of the console, as it arrives. */
  onOut: (text: string) => void = () => {};
  /** The router closed the connection (session ended, router stopped). */
  onClose: () => void = () => {};

  private constructor(private readonly sock: net.Socket) {}

  static connect(path: string): Promise<ControlClient> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(path);
      const c = new ControlClient(sock);
      let greeted = false;
      sock.once('error', (e) => { if (!greeted) reject(e); });
      sock.on('data', (chunk) => {
        const lines = c.reader.push(chunk);
        if (!lines) { sock.destroy(); return c.endAll(new Error('control: message too long')); }
        for (const text of lines) {
          let m: ControlMessage;
          try { m = JSON.parse(text) as ControlMessage; } catch { continue; }
          if ('hello' in m) { c.hello = m; greeted = true; resolve(c); }
          else if ('out' in m) c.onOut(m.out);
          else if ('done' in m) c.waiting.shift()?.(m);
          else if ('error' in m) c.endAll(new Error(`control: router says: ${m.error}`));
        }
      });
      sock.on('close', () => {
        if (!greeted) reject(new Error('connection closed before the router answered'));
        c.endAll(new Error('control: connection closed'));
        if (greeted) c.onClose();
      });
      sock.on('error', () => { /* reported through close */ });
    });
  }

  private endAll(e: Error): void {
    this.ended = true;
    const w = this.waiting;
    this.waiting = [];
    for (const f of w) f(e);
  }

  /** Send a request; resolves with its `done` once all its output has been passed to onOut. */
  request(r: ControlRequest): Promise<Done> {
    if (this.ended) return Promise.reject(new Error('control: connection closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push((m) => (m instanceof Error ? reject(m) : resolve(m)));
      this.sock.write(JSON.stringify(r) + '\n');
    });
  }

  close(): void { this.sock.end(); }
}
