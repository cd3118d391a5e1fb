// rollup: three builds from one source tree.
//   dist/            the web app (page + module worker + WASM core + workbox service worker + manifest)
//   dist/node/       the `webswan` CLI for Node (bin/webswan.mjs runs it)
//   dist/edge/       the edge-runtime module (workerd / Deno), with their entry files and config
// The WASM core is built beforehand by tools/build-asm.mjs (asc) into build/asm/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import { generateSW } from 'rollup-plugin-workbox';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const WASM = 'build/asm/webswan-core.wasm';
const WASM_RSIMD = 'build/asm/webswan-core-rsimd.wasm';

// rollup does not follow `new URL('<relative>', import.meta.url)`: emit .ts/.js targets as chunks
// (module worker entries) and anything else (the .wasm) as assets, and point the URL at them.
function importMetaUrlFiles() {
  const re = /new URL\(\s*(['"`])(\.{1,2}\/[^'"`]+)\1\s*,\s*import\.meta\.url\s*\)/g;
  return {
    name: 'import-meta-url-files',
    transform(code, id) {
      if (!code.includes('import.meta.url')) return null;
      let changed = false;
      const out = code.replace(re, (_m, _q, rel) => {
        const abs = path.resolve(path.dirname(id), rel);
        const ref = /\.(ts|js|mjs)$/.test(rel)
          ? this.emitFile({ type: 'chunk', id: abs, name: path.basename(rel).replace(/\.(ts|js|mjs)$/, '') })
          : this.emitFile({ type: 'asset', name: path.basename(rel), source: readFileSync(abs) });
        changed = true;
        return `new URL(import.meta.ROLLUP_FILE_URL_${ref})`;
      });
      return changed ? { code: out, map: null } : null;
    },
  };
}

function copy(files) {
  return {
    name: 'copy',
    generateBundle() {
      for (const [from, fileName] of files) this.emitFile({ type: 'asset', fileName, source: readFileSync(from) });
    },
  };
}

const ts = (extra = {}) => esbuild({ target: 'es2022', tsconfig: 'tsconfig.json', ...extra });
const define = { __WEBSWAN_VERSION__: JSON.stringify(pkg.version) };

export default [
  {
    input: { main: 'web/main.ts' },
    output: {
      dir: 'dist', format: 'es', entryFileNames: '[name].js',
      chunkFileNames: 'assets/[name]-[hash].js', assetFileNames: 'assets/[name]-[hash][extname]',
    },
    plugins: [
      // ES builds first: some of @peculiar/x509's dependencies (pvtsutils) point `browser` at a CommonJS file
      nodeResolve({ browser: true, mainFields: ['module', 'browser', 'main'] }),
      ts({ minify: true, define }),
      importMetaUrlFiles(),
      copy([['web/index.html', 'index.html'], ['web/manifest.webmanifest', 'manifest.webmanifest'], ['web/icon.svg', 'icon.svg'],
        ...['icon-192.png', 'icon-512.png', 'icon-maskable-512.png'].map((f) => [`web/icons/${f}`, `icons/${f}`])]),
      generateSW({
        swDest: 'dist/sw.js',
        globDirectory: 'dist',
        globPatterns: ['**/*.{html,js,wasm,webmanifest,svg,png}'],
        globIgnores: ['sw.js', 'node/**', 'edge/**'],
        inlineWorkboxRuntime: true,
        mode: 'production',
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
      }),
    ],
  },
  {
    input: 'src/runtime/node/cli.ts',
    // one file: the certificate code (a dynamic import in the engine) is inlined
    output: { file: 'dist/node/webswan.mjs', format: 'es', inlineDynamicImports: true },
    external: [/^node:/],
    plugins: [nodeResolve(), ts({ target: 'node20', define }), copy([[WASM, 'webswan-core.wasm'], [WASM_RSIMD, 'webswan-core-rsimd.wasm']])],
  },
  {
    input: 'src/runtime/edge/selftest.ts',
    output: { file: 'dist/edge/webswan-edge.mjs', format: 'es' },
    plugins: [
      nodeResolve({ browser: true, mainFields: ['module', 'browser', 'main'] }),
      ts({ define }),
      copy([
        [WASM, 'webswan-core.wasm'],
        [WASM_RSIMD, 'webswan-core-rsimd.wasm'],
        ['src/runtime/edge/workerd-entry.mjs', 'workerd-entry.mjs'],
        ['src/runtime/edge/deno-entry.mjs', 'deno-entry.mjs'],
        ['src/runtime/edge/workerd.capnp', 'workerd.capnp'],
      ]),
    ],
  },
  {
    // the SKIP key-server pair (src/skip) as an edge module: `export default { fetch }`
    input: 'src/runtime/edge/kme-worker.ts',
    output: { file: 'dist/edge/kme-edge.mjs', format: 'es' },
    plugins: [nodeResolve({ browser: true, mainFields: ['module', 'browser', 'main'] }), ts({ define }), copy([['src/runtime/edge/kme-workerd.capnp', 'kme-workerd.capnp']])],
  },
];
