#!/usr/bin/env node
// npm start: build if anything changed since the last build, then serve dist/ on http://127.0.0.1:8080
// (PORT and HOST override). A small static server: GET/HEAD only, no directory listing, no path
// escapes, correct types for .wasm and .webmanifest, and no caching of the HTML or the service worker.
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.css': 'text/css; charset=utf-8', '.map': 'application/json',
};

function newestMtime(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

export function needsBuild() {
  const stamp = join(root, 'dist', '.build-stamp');
  if (!existsSync(stamp)) return true;
  const sources = ['asm', 'src', 'web', 'rollup.config.mjs', 'package.json'].map((p) => join(root, p));
  return Math.max(...sources.map(newestMtime)) > statSync(stamp).mtimeMs;
}

/** Serve `dir`; resolves to the listening http.Server (port 0 picks a free port). */
export function serveDir(dir, { port = 8080, host = '127.0.0.1' } = {}) {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { Allow: 'GET, HEAD' }).end(); return; }
    let path;
    try { path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname); } catch { res.writeHead(400).end(); return; }
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(dir, path));
    if (!file.startsWith(normalize(dir) + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const hashed = /-[A-Za-z0-9_-]{8}\.[a-z]+$/.test(file);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end(); else createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  if (needsBuild()) execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { stdio: 'inherit', cwd: root });
  const port = Number(process.env.PORT ?? 8080), host = process.env.HOST ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65535) { console.error(`serve: bad PORT ${process.env.PORT}`); process.exit(2); }
  serveDir(join(root, 'dist'), { port, host }).then((server) => {
    const { port: p } = server.address();
    console.log(`webswan: serving dist/ on http://${host}:${p}/ (Ctrl-C to stop)`);
  }, (e) => { console.error(`serve: ${e.message}`); process.exit(1); });
}
