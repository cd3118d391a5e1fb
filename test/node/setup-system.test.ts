// tools/setup-system.sh, the first step of npm test: reports what is present, and without root it
// stops with a message naming the missing Debian packages instead of failing later in obscure ways.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './env-node.js';
import { equal, ok } from '../support/assert.js';

const script = join(projectRoot(), 'tools', 'setup-system.sh');
const run = (args: string[], env: Record<string, string> = {}, asUser = false) => {
  const cmd = asUser ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'bash', script, ...args] : ['bash', script, ...args];
  return spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', env: { ...process.env, ...env } });
};

describe('tools/setup-system.sh', () => {
  it('reports the packages present', () => {
    const r = run(['--check']);
    equal(r.status, 0, `exit code (${r.stderr})`);
    ok(/chromium/.test(r.stdout), 'names chromium');
  });

  it('--check names what is missing and exits 1', () => {
    const r = run(['--check'], { WEBSWAN_SETUP_REQUIRE: 'webswan-no-such-package:/nonexistent/bin' });
    equal(r.status, 1, 'exit code');
    ok(/missing Debian packages: webswan-no-such-package/.test(r.stderr), r.stderr);
  });

  it('without root it refuses to install and says what to install', () => {
    if (process.getuid?.() !== 0) {
      const r = run([], { WEBSWAN_SETUP_REQUIRE: 'webswan-no-such-package:/nonexistent/bin' });
      equal(r.status, 1, 'exit code');
      ok(/apt-get install -y webswan-no-such-package/.test(r.stderr), r.stderr);
      return;
    }
    // as root (CI): drop to nobody for this check
    const r = run([], { WEBSWAN_SETUP_REQUIRE: 'webswan-no-such-package:/nonexistent/bin' }, true);
    equal(r.status, 1, `exit code (${r.stderr})`);
    ok(/need these Debian packages: webswan-no-such-package/.test(r.stderr), r.stderr);
    ok(/apt-get install -y webswan-no-such-package/.test(r.stderr), 'tells how to install');
  });
});
