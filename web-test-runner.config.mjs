// web-test-runner: the shared suites in headless Debian Chromium (no browser download: /usr/bin/chromium,
// or CHROME_PATH). As root Chromium needs --no-sandbox; background networking is off because this
// machine has no internet (see ../shared/reference/browser-stack.md).
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';

export default {
  rootDir: '.',
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
          '--disable-component-update', '--disable-sync', '--no-first-run',
          ...(process.env.EXTRA_CHROME_ARGS ? process.env.EXTRA_CHROME_ARGS.split(' ') : []),
        ],
      },
    }),
  ],
  testFramework: { config: { timeout: 600000, ui: 'bdd' } },
  testsStartTimeout: 120000,
  testsFinishTimeout: 1500000,
  browserStartTimeout: 120000,
};
