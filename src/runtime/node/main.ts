// The `webswan` command (Node): `router` (a router on UDP 500/4500 with a control socket, pcap and key
// log), `cli` (a console session on a running router), `console` (one router's IOS XR command line,
// no network), `selftest` and --version. Later issues add the key source.
import { loadCoreNode } from '../../crypto/load-node.js';
import { selftest } from '../../crypto/index.js';
import { parseConsoleArgs, runConsole } from './console-cmd.js';
import { parseRouterArgs, runRouter } from './router-cmd.js';
import { parseCliArgs, runCli } from './cli-cmd.js';
import { parseKmeArgs, runKme } from './kme-cmd.js';

declare const __WEBSWAN_VERSION__: string;
const VERSION = typeof __WEBSWAN_VERSION__ === 'string' ? __WEBSWAN_VERSION__ : '0.0.0-dev';

const USAGE = `usage: webswan <command> [options]

commands:
  router --config FILE [--control PATH] [--keylog DIR] [--pcap FILE] [--pki-dir PKIDIR]
                      run a router: IKEv2/ESP on UDP 500 and 4500 of its interface addresses; PATH is a
                      Unix socket for \`webswan cli\`; DIR receives Wireshark's key tables (secrets!);
                      FILE records every datagram in and out (pcap); PKIDIR keeps the trustpoints'
                      certificates and private keys across restarts (PKIDIR/NAME.json, mode 0600);
                      SIGINT/SIGTERM stops it
  cli --control PATH [-c COMMAND]...
                      a console session on a running router: each -c line in order in one session,
                      or interactive without -c
  console [--config FILE]
                      one router's IOS XR command line on stdin/stdout (interactive on a terminal,
                      line by line from a pipe); FILE is a saved running-config to start from
  kme --listen HOST:PORT --id ID --peer PEER_ID@HOST:PORT (--psk-identity ID --psk-hex HEX | --cert F --key F)
      [--peer-psk-identity ID --peer-psk-hex HEX]
                      a pair of SKIP key servers (draft-cisco-skip-02) over HTTPS, joined by a simulated
                      QKD link: ID on --listen, PEER_ID on the --peer address (docs/skip.md); the --peer
                      listener has its own TLS-PSK with --peer-psk-* (default: the same PSK)
  selftest [--json]   run the crypto core's known-answer tests (FIPS-197, SP 800-38A/D, FIPS 180,
                      RFC 2202/4231/4868/3602/5903, NIST IKEv2 KDF, strongSwan key schedules)
  --version, -V       print the version
  help, --help, -h    this text
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case '--version': case '-V': case 'version':
      process.stdout.write(`webswan ${VERSION}\n`);
      return 0;
    case undefined: case 'help': case '--help': case '-h':
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    case 'console': {
      const a = parseConsoleArgs(rest);
      if (typeof a === 'string') return usageError(a);
      return runConsole(a);
    }
    case 'router': {
      const a = parseRouterArgs(rest);
      if (typeof a === 'string') return usageError(a);
      const code = await runRouter(a, VERSION);
      // everything is closed by now; should a forgotten handle keep the loop alive, do not hang
      setTimeout(() => process.exit(code), 1000).unref();
      return code;
    }
    case 'cli': {
      const a = parseCliArgs(rest);
      if (typeof a === 'string') return usageError(a);
      return runCli(a);
    }
    case 'kme': {
      const a = parseKmeArgs(rest);
      if (typeof a === 'string') return usageError(a);
      return runKme(a);
    }
    case 'selftest': {
      const unknown = rest.filter((a) => a !== '--json');
      if (unknown.length) return usageError(`selftest: unknown option ${unknown[0]}`);
      const core = await loadCoreNode();
      const report = await selftest(core);
      if (rest.includes('--json')) {
        process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      } else {
        for (const c of report.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}${c.error ? `\n      ${c.error}` : ''}\n`);
        process.stdout.write(`\nwebswan ${VERSION} selftest: ${report.passed} passed, ${report.failed} failed ` +
          `(${report.ms} ms, ECDH via ${report.platform})\n`);
      }
      return report.ok ? 0 : 1;
    }
    default:
      return usageError(`unknown command '${cmd}'`);
  }
}

function usageError(msg: string): number {
  process.stderr.write(`webswan: ${msg}\n\n${USAGE}`);
  return 2;
}
