// node:test entry: the shared PKI suite on node:crypto, plus what only Node can do here: OpenSSL verifies
// the lab CA's certificates (`openssl verify -CAfile`) and reads their extensions, and the library is
// checked to load without node: built-ins (so that browsers, workers, workerd and Deno can bundle it).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { installNodeEnv, projectRoot } from './env-node.js';
import { NOW, pkiSuite } from '../suites/pki.js';
import { pkiChainSuite } from '../suites/pki-chain.js';
import { LabCa } from '../../src/pki/lab-ca.js';
import { equal, ok } from '../support/assert.js';

installNodeEnv();
pkiSuite();
pkiChainSuite();

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('pki: OpenSSL reads the lab CA', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'webswan-pki-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('openssl verify -CAfile accepts lab certificates (PKCS#1 and PSS CAs) and refuses another CA', async () => {
    const now = new Date();
    for (const scheme of ['pkcs1', 'pss'] as const) {
      const ca = await LabCa.create({ now, scheme });
      const other = await LabCa.create({ now, bits: 2048, dn: 'CN=Other Lab CA' });
      writeFileSync(join(dir, 'ca.crt'), ca.certificatePem);
      writeFileSync(join(dir, 'other.crt'), other.certificatePem);
      for (const [fqdn, bits, hash] of [['routerA.lab.example', 2048, 'sha256'], ['routerB.lab.example', 3072, 'sha384']] as const) {
        const id = await ca.issue({ fqdn, bits, hash, now, ipv4: ['10.0.0.1'] });
        const f = join(dir, `${fqdn}.crt`);
        writeFileSync(f, id.certificatePem);
        writeFileSync(join(dir, `${fqdn}.key`), id.privateKeyPem);
        equal(openssl('verify', '-CAfile', join(dir, 'ca.crt'), f).trim(), `${f}: OK`, `${scheme} ${fqdn}`);
        ok(!verifies(join(dir, 'other.crt'), f), 'another CA refuses it');
        const text = openssl('x509', '-in', f, '-noout', '-text');
        ok(text.includes(`DNS:${fqdn}, IP Address:10.0.0.1`), 'SAN');
        ok(text.includes('TLS Web Server Authentication, 1.3.6.1.5.5.8.2.2'), 'EKU serverAuth + ikeIntermediate');
        ok(text.includes(`Public-Key: (${bits} bit)`), 'key size');
        ok(text.includes(scheme === 'pss' ? 'rsassaPss' : `${hash}WithRSAEncryption`), 'signature algorithm');
        // the exported key is the certificate's (OpenSSL compares the moduli)
        const mod = (a: string[]) => openssl(...a).trim();
        equal(mod(['rsa', '-in', join(dir, `${fqdn}.key`), '-noout', '-modulus']), mod(['x509', '-in', f, '-noout', '-modulus']), 'key matches');
      }
    }
  });

  it('the lab CA is valid at the injected time only', async () => {
    const ca = await LabCa.create({ now: NOW, bits: 2048 });
    writeFileSync(join(dir, 'old.crt'), ca.certificatePem);
    const text = openssl('x509', '-in', join(dir, 'old.crt'), '-noout', '-startdate');
    equal(text.trim(), 'notBefore=May 31 23:59:00 2027 GMT', 'notBefore = now - 1 minute');
  });

  it('@peculiar/x509 and its dependencies import no node: built-ins', () => {
    const require = createRequire(join(projectRoot(), 'package.json'));
    const seen = new Set<string>(), bad: string[] = [];
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const pkgDir = dirname(require.resolve(`${name}/package.json`));
      const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
      const entry = pkg.module ?? pkg.main;
      if (entry) {
        const src = readFileSync(join(pkgDir, entry), 'utf8');
        if (/from\s+['"]node:|require\(['"](node:)?(crypto|fs|buffer|util|path)['"]\)/.test(src)) bad.push(`${name}/${entry}`);
      }
      for (const d of Object.keys(pkg.dependencies ?? {})) visit(d);
    };
    visit('@peculiar/x509');
    equal(bad.join(', '), '', 'node built-ins');
    ok(seen.has('asn1js') && seen.has('tsyringe'), `dependency closure: ${[...seen].join(' ')}`);
  });
});

function verifies(caFile: string, cert: string): boolean {
  try { openssl('verify', '-CAfile', caFile, cert); return true; } catch { return false; }
}
