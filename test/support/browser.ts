// Node-side helpers for end-to-end tests of the built app in headless Chromium (puppeteer-core): the
// `npm start` server on a free port, a browser with its own profile, console-error collection, tshark and
// the gzip size of dist files. Node only (never imported by the web-test-runner suites).
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface DistServer { url: string; port: number; stop(): void }

/** tools/serve.mjs's server (what `npm start` runs) for `dist/` on a free port of 127.0.0.1. */
export async function serveDist(root: string, port = 0): Promise<DistServer> {
  const { serveDir } = await import(join(root, 'tools', 'serve.mjs')) as { serveDir: (dir: string, o: { port: number }) => Promise<Server> };
  const server = await serveDir(join(root, 'dist'), { port });
  const p = (server.address() as AddressInfo).port;
  let stopped = false;
  return {
    url: `http://127.0.0.1:${p}/`, port: p,
    stop() {
      if (stopped) return;
      stopped = true;
      server.close();
      server.closeAllConnections();
    },
  };
}

export function launchChromium(userDataDir: string, viewport = { width: 1440, height: 900 }): Promise<Browser> {
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, userDataDir, args: CHROMIUM_ARGS, defaultViewport: viewport });
}

/** Every console error and uncaught exception of the page, as text. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const loc = m.location();
    errors.push(`${m.text()}${loc?.url ? ` (${loc.url}${loc.lineNumber !== undefined ? `:${loc.lineNumber}` : ''})` : ''}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
  return errors;
}

export interface RunResult { code: number | null; stdout: string; stderr: string }

export function run(cmd: string, args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? (err as unknown as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** `WIRESHARK_CONFIG_DIR=keyDir tshark -n -r pcap …`, stdout. */
export async function tshark(pcap: string, keyDir: string, args: string[]): Promise<string> {
  const r = await run('tshark', ['-n', '-r', pcap, ...args], { WIRESHARK_CONFIG_DIR: keyDir });
  if (r.code !== 0) throw new Error(`tshark -r ${pcap} ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  return r.stdout;
}

export interface SizedFile { path: string; bytes: number; gzip: number }

/** Raw and gzip (level 9, what a static server would send pre-compressed) size of every file under `dir`. */
export function gzipSizes(dir: string, filter: (path: string) => boolean = () => true): SizedFile[] {
  const out: SizedFile[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const rel = relative(dir, p);
        if (!filter(rel)) continue;
        const b = readFileSync(p);
        out.push({ path: rel, bytes: b.length, gzip: gzipSync(b, { level: 9 }).length });
      }
    }
  };
  walk(dir);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** The frames of `tshark -V` output. */
export function framesOf(text: string): string[] {
  return text.split(/^(?=Frame \d+: )/m).filter((f) => f.startsWith('Frame '));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
