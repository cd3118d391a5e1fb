// Certificate authentication between webswan and strongSwan 5.9.8 (test/node/interop-cert.test.ts): RFC 7296
// §3.6/§3.7 CERT/CERTREQ, RFC 7427 signatures, RFC 7383 fragmentation, RFC 8784 PPK on top, RFC 5280 path
// validation and RFC 4945 identities against the subjectAltName.
//
// Certificates come from strongSwan's own `pki` tool (made once per test process, in a temporary directory),
// so webswan's X.509 code meets certificates it did not make. charon gets them in its swanctl directories;
// webswan gets them only as a user would: `crypto ca trustpoint` in its configuration file, then
// `crypto ca authenticate` and `crypto ca import … certificate` typed (pasted) on its control socket.
//
//   W: webswan router  10.77.0.1 (routerA.example.com) ──veth── 10.77.0.2 (routerB.example.com)  S: charon
//
// The topology, the charon harness and the console client are test/support/interop.ts's; only the
// configurations differ (rsa-signature instead of a pre-shared key).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunResult, type Topology, run } from './netns.js';
import { type Capture, startCapture, startCharon } from './strongswan-peer.js';
import {
  type CaseOptions, type Pair, type Webswan, DEFAULT_ALGS, S_ADDR, S_INNER, W_ADDR, W_INNER, startWebswan, strongswanConfig,
} from './interop.js';
import { ok } from './assert.js';
import { ControlClient } from '../../src/runtime/node/control.js';

export const A_FQDN = 'routerA.example.com'; // webswan
export const B_FQDN = 'routerB.example.com'; // strongSwan
export const TRUSTPOINT = 'SWANCA';

// ------------------------------------------------------------------ certificates from strongSwan's pki

export interface Authority { dn: string; certPem: string; certPath: string; keyPath: string }
export interface Credential {
  subject: string;
  certPem: string;
  /** What `pki --gen` wrote (PKCS#1, `BEGIN RSA PRIVATE KEY`): charon's swanctl/private. */
  keyPem: string;
  /** `openssl pkcs8 -topk8 -nocrypt` of it: what webswan accepts. */
  pkcs8Pem: string;
  keyPath: string;
  /** Validity as `openssl x509 -noout -startdate -enddate` reads it. */
  notBefore: Date; notAfter: Date;
}

export interface CertSet {
  dir: string;
  /** RSA 3072 CA, self-signed with SHA-256; leaves a2048/b2048 (RSA 2048, SHA-256). */
  ca: Authority; a2048: Credential; b2048: Credential;
  /** RSA 3072 CA, self-signed with SHA-384; leaves a3072/b3072 (RSA 3072, SHA-384). */
  ca384: Authority; a3072: Credential; b3072: Credential;
  /** Another RSA 2048 CA (only a webswan of the wrong-CA cases trusts it), with a leaf for A (its key is a2048's). */
  otherCa: Authority; aOther: Credential;
  /**
   * An intermediate CA (RSA 2048, issued by `ca`) and a leaf from it for each side (keys a2048's and
   * b2048's). `subBundle` is `ca` and the intermediate as one paste (what a webswan trustpoint is
   * authenticated with when its own certificate comes from the intermediate).
   */
  subCa: Authority; aSub: Credential; bSub: Credential; subBundle: Authority;
  /** B's certificate from `ca`, valid for a day that ended an hour ago (its key is b2048's). */
  bExpired: Credential;
  /** Issue A a certificate from `ca` (key a2048) valid until `notAfter` (for the expiring-after-import case). */
  issueA(notAfter: Date, tag: string): Promise<Credential>;
}

const pkiEnv = { TZ: 'UTC' }; // pki reads --not-before/--not-after with strptime + mktime (local time): make it UTC

async function must(p: Promise<RunResult>): Promise<string> {
  const r = await p;
  if (r.code !== 0) throw new Error(`${r.cmd}: exit ${r.code ?? r.signal}\n${r.stderr}`);
  return r.stdout;
}

const pki = (args: string[]) => must(run('pki', args, { env: pkiEnv, timeoutMs: 60_000 }));

async function genKey(dir: string, name: string, bits: number): Promise<string> {
  const path = join(dir, `${name}.key`);
  await pki(['--gen', '--type', 'rsa', '--size', String(bits), '--outform', 'pem']).then((pem) => writeFile(path, pem));
  return path;
}

const writeFile = (path: string, text: string): void => writeFileSync(path, text);

async function selfSigned(dir: string, name: string, keyPath: string, dn: string, digest: string): Promise<Authority> {
  const certPem = await pki(['--self', '--ca', '--lifetime', '3650', '--in', keyPath, '--type', 'rsa', '--dn', dn, '--digest', digest, '--outform', 'pem']);
  const certPath = join(dir, `${name}.crt`);
  writeFile(certPath, certPem);
  return { dn, certPem, certPath, keyPath };
}

const fmt = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

async function issue(dir: string, name: string, ca: Authority, keyPath: string, fqdn: string, digest: string,
  validity?: { notBefore: Date; notAfter: Date }): Promise<Credential> {
  // the FQDN is only in the subjectAltName (CN is the host name): identities can only match the SAN
  const subject = `C=XX, O=webswan interop, CN=${fqdn.split('.')[0]}`;
  const validityArgs = validity
    ? ['--dateform', '%Y-%m-%d %H:%M:%S', '--not-before', fmt(validity.notBefore), '--not-after', fmt(validity.notAfter)]
    : ['--lifetime', '365'];
  const certPem = await pki(['--issue', '--in', keyPath, '--type', 'rsa', '--cacert', ca.certPath, '--cakey', ca.keyPath, '--dn', subject, '--san', fqdn,
    '--flag', 'serverAuth', '--flag', 'ikeIntermediate', '--digest', digest, ...validityArgs, '--outform', 'pem']);
  writeFile(join(dir, `${name}.crt`), certPem);
  const keyPem = readFileSync(keyPath, 'utf8');
  const pkcs8Pem = await must(run('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', keyPath]));
  const dates = await must(run('openssl', ['x509', '-noout', '-startdate', '-enddate'], { input: certPem }));
  const date = (k: string) => new Date(new RegExp(`${k}=(.*)`).exec(dates)![1].replace(' GMT', ' UTC'));
  return { subject, certPem, keyPem, pkcs8Pem, keyPath, notBefore: date('notBefore'), notAfter: date('notAfter') };
}

/** An intermediate CA certificate issued by `ca` (`pki --issue --ca`). */
async function intermediate(dir: string, name: string, ca: Authority, keyPath: string, dn: string): Promise<Authority> {
  const certPem = await pki(['--issue', '--ca', '--in', keyPath, '--type', 'rsa', '--cacert', ca.certPath, '--cakey', ca.keyPath,
    '--dn', dn, '--digest', 'sha256', '--lifetime', '1825', '--outform', 'pem']);
  const certPath = join(dir, `${name}.crt`);
  writeFile(certPath, certPem);
  return { dn, certPem, certPath, keyPath };
}

let cached: Promise<CertSet> | undefined;

/** The certificates of every case, generated once per process (RSA 3072 keys take a while). */
export function certSet(): Promise<CertSet> {
  cached ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webswan-interop-cert-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    // two at a time: the machine has 2 cores
    const [caKey, ca384Key] = await Promise.all([genKey(dir, 'ca', 3072), genKey(dir, 'ca384', 3072)]);
    const [a3072Key, b3072Key] = await Promise.all([genKey(dir, 'a3072', 3072), genKey(dir, 'b3072', 3072)]);
    const [a2048Key, b2048Key, otherKey] = await Promise.all([genKey(dir, 'a2048', 2048), genKey(dir, 'b2048', 2048), genKey(dir, 'other', 2048)]);
    const subKey = await genKey(dir, 'sub', 2048);
    const [ca, ca384, otherCa] = await Promise.all([
      selfSigned(dir, 'ca', caKey, 'C=XX, O=webswan interop, CN=Interop Root CA', 'sha256'),
      selfSigned(dir, 'ca384', ca384Key, 'C=XX, O=webswan interop, CN=Interop SHA-384 CA', 'sha384'),
      selfSigned(dir, 'other', otherKey, 'C=XX, O=elsewhere, CN=Untrusted CA', 'sha256'),
    ]);
    const subCa = await intermediate(dir, 'sub', ca, subKey, 'C=XX, O=webswan interop, CN=Interop Intermediate CA');
    const [aSub, bSub] = await Promise.all([issue(dir, 'aSub', subCa, a2048Key, A_FQDN, 'sha256'), issue(dir, 'bSub', subCa, b2048Key, B_FQDN, 'sha256')]);
    const subBundle: Authority = { ...ca, certPem: `${ca.certPem.trim()}\n${subCa.certPem.trim()}\n` };
    const hour = 3_600_000, now = Date.now();
    const [a2048, b2048, a3072, b3072, aOther, bExpired] = await Promise.all([
      issue(dir, 'a2048', ca, a2048Key, A_FQDN, 'sha256'),
      issue(dir, 'b2048', ca, b2048Key, B_FQDN, 'sha256'),
      issue(dir, 'a3072', ca384, a3072Key, A_FQDN, 'sha384'),
      issue(dir, 'b3072', ca384, b3072Key, B_FQDN, 'sha384'),
      issue(dir, 'aOther', otherCa, a2048Key, A_FQDN, 'sha256'),
      issue(dir, 'bExpired', ca, b2048Key, B_FQDN, 'sha256', { notBefore: new Date(now - 25 * hour), notAfter: new Date(now - hour) }),
    ]);
    return {
      dir, ca, a2048, b2048, ca384, a3072, b3072, otherCa, aOther, bExpired, subCa, aSub, bSub, subBundle,
      issueA: (notAfter, tag) => issue(dir, `a-${tag}`, ca, a2048Key, A_FQDN, 'sha256', { notBefore: new Date(Date.now() - hour), notAfter }),
    };
  })();
  return cached;
}

// ------------------------------------------------------------------ both configurations

export interface CertCase extends Pick<CaseOptions, 'initiator' | 'algs' | 'ppkWebswan' | 'ppkStrongswan'> {
  /** The CA webswan's trustpoint is authenticated with, and webswan's certificate + key. */
  webswanCa: Authority; webswanCert: Credential;
  /** The CAs charon trusts (swanctl/x509ca), and charon's certificate + key. */
  charonCas: Authority[]; charonCert: Credential;
  /** Intermediate CA certificates charon holds but does not trust as anchors (swanctl/x509: sent with its own). */
  charonIntermediates?: Authority[];
  /** charon's local/remote `auth` (default pubkey): e.g. 'pubkey-sha384' constrains hashes (swanctl.conf(5)). */
  charonLocalAuth?: string; charonRemoteAuth?: string;
  /** Capture the veth on W's side (<dir>/veth.pcap) and have webswan write --keylog <dir>/keylog. */
  capture?: boolean;
  /** webswan's `identity local fqdn` and charon's remote id (default A_FQDN, the SAN of A's certificates). */
  webswanId?: string;
  /** Leave tunnel-ip1 shut down after installing the certificates (the caller brings it up). */
  keepShutdown?: boolean;
}

/**
 * webswan's IOS XR configuration: a trustpoint with terminal enrolment, an ikev2 profile with rsa-signature
 * both ways, FQDN identities and (with a PPK) `keyring ppk`. An initiating webswan's tunnel-ip1 starts shut
 * down, so it does not initiate before its certificate is installed.
 */
export function certWebswanConfig(c: CertCase): string {
  const a = { ...DEFAULT_ALGS, ...c.algs };
  const ppk = c.ppkWebswan?.id && c.ppkWebswan.key
    ? ['keyring KR', ' peer SWAN', `  address ${S_ADDR} 255.255.255.255`,
      `  ppk manual id ${c.ppkWebswan.id} key ${c.ppkWebswan.key}${c.ppkWebswan.required ? ' required' : ''}`, ' !', '!'] : [];
  const initiates = c.initiator !== 'strongswan';
  return [
    'hostname W',
    'interface GigabitEthernet0/0/0/0', ` ipv4 address ${W_ADDR} 255.255.255.0`, '!',
    `crypto ca trustpoint ${TRUSTPOINT}`, ' enrollment terminal', ` subject-name CN=${A_FQDN}`, ' crl optional', '!',
    'ikev2 proposal P1', ` encryption ${a.ikeEnc}`, ...(a.ikeEnc.includes('gcm') || !a.ikeInteg ? [] : [` integrity ${a.ikeInteg}`]),
    ` prf ${a.prf}`, ` dh-group ${a.dh}`, '!',
    'ikev2 policy POL', ` match address local ${W_ADDR}`, ' proposal P1', '!',
    ...ppk,
    'ikev2 profile PROF', ` identity local fqdn ${c.webswanId ?? A_FQDN}`, ` match identity remote fqdn ${B_FQDN}`,
    ...(ppk.length ? [' keyring ppk KR'] : []),
    ' authentication local rsa-signature', ' authentication remote rsa-signature', ` pki trustpoint ${TRUSTPOINT}`, ' lifetime 3600', '!',
    'ipsec transform-set TS', ` transform ${a.espEnc}${a.espEnc.includes('gcm') || !a.espAuth ? '' : ` ${a.espAuth}`}`, ' mode tunnel', '!',
    'ipsec profile IPP', ' set ikev2-profile PROF', ' set transform-set TS', ...(initiates ? [] : [' set responder-only']), '!',
    'interface tunnel-ip1', ` ipv4 address ${W_INNER} 255.255.255.0`, ' tunnel mode ipsec ipv4', ' tunnel source GigabitEthernet0/0/0/0',
    ` tunnel destination ${S_ADDR}`, ' tunnel protection ipsec profile IPP', ...(initiates ? [' shutdown'] : []), '!', '',
  ].join('\n');
}

/** charon's connection `tun` (interop.ts's, FQDN ids) with pubkey authentication and its credential files. */
export function certCharonConfig(c: CertCase) {
  const base = strongswanConfig({
    initiator: c.initiator, algs: c.algs, ppkStrongswan: c.ppkStrongswan,
    webswanId: `fqdn ${c.webswanId ?? A_FQDN}`, strongswanId: B_FQDN,
  });
  const [conn] = base.connections;
  conn.local = { id: B_FQDN, auth: c.charonLocalAuth ?? 'pubkey', certs: 'charon.crt' };
  conn.remote = { id: c.webswanId ?? A_FQDN, auth: c.charonRemoteAuth ?? 'pubkey' };
  const files: Record<string, string> = { 'x509/charon.crt': c.charonCert.certPem, 'private/charon.key': c.charonCert.keyPem };
  c.charonCas.forEach((ca, i) => { files[`x509ca/ca${i}.crt`] = ca.certPem; });
  c.charonIntermediates?.forEach((ca, i) => { files[`x509/intermediate${i}.crt`] = ca.certPem; });
  return { connections: base.connections, secrets: base.secrets.filter((s) => s.type !== 'ike'), files };
}

// ------------------------------------------------------------------ webswan's console: authenticate, import

const pasted = (pem: string): string[] => [...pem.trim().split('\n'), ''];

/**
 * A console session of its own on webswan's control socket that keeps a terminal-like transcript: each line
 * after the prompt it was typed at, then what it printed (the prompts are where `Do you accept …` shows).
 */
async function consoleTranscript(control: string, lines: string[]): Promise<{ text: string; printed: string }> {
  const client = await ControlClient.connect(control);
  let text = '', printed = '', prompt = client.hello!.prompt;
  client.onOut = (t) => { text += t; printed += t; };
  try {
    for (const line of lines) {
      text += `${prompt}${line}\n`;
      prompt = (await client.request({ line })).prompt;
    }
  } finally { client.close(); }
  return { text, printed };
}

/**
 * `crypto ca authenticate` (paste the CA, answer yes) and `crypto ca import … certificate` (paste the
 * certificate, then the PKCS#8 key) typed on webswan's console; checks the console's answers.
 */
export async function installCertificates(w: Webswan, ca: Authority, cred: Credential): Promise<string> {
  const { text: authenticate } = await consoleTranscript(w.control, [`crypto ca authenticate ${TRUSTPOINT}`, ...pasted(ca.certPem), 'yes']);
  ok(authenticate.includes('Enter the base 64 encoded certificate.'), `authenticate asks for the certificate:\n${authenticate}`);
  ok(authenticate.includes(`Subject:\n      ${ca.dn}\n`), `the CA is shown before it is accepted:\n${authenticate}`);
  ok(authenticate.endsWith('Do you accept this certificate? [yes/no]: yes\n'), `accepted with yes, silently:\n${authenticate}`);
  const { text: imported, printed } = await consoleTranscript(w.control, [`crypto ca import ${TRUSTPOINT} certificate`, ...pasted(cred.certPem), ...pasted(cred.pkcs8Pem)]);
  ok(imported.includes('Enter the private key of this certificate (PKCS#8 PEM, -----BEGIN PRIVATE KEY-----).'), `import asks for the key:\n${imported}`);
  ok(imported.includes(`% Router certificate and private key installed in trustpoint ${TRUSTPOINT}\n`), `crypto ca import:\n${imported}`);
  const shown = await w.cli(`show crypto ca certificates ${TRUSTPOINT}`);
  ok(shown.includes(cred.subject) && shown.includes(ca.dn) && shown.includes('Private key    : present (not exportable)'), `show crypto ca certificates:\n${shown}`);
  const keyLine = cred.pkcs8Pem.split('\n')[1];
  ok(!shown.includes(keyLine) && !printed.includes(keyLine), 'the private key is never printed');
  return authenticate + imported;
}

/** `interface tunnel-ip1` / `no shutdown` / `commit`: webswan starts initiating. */
export async function tunnelUp(w: Webswan): Promise<void> {
  const o = await w.cli('configure', 'interface tunnel-ip1', 'no shutdown', 'commit', 'end');
  ok(!o.includes('%'), `no shutdown:\n${o}`);
}

// ------------------------------------------------------------------ a case

export interface CertPair extends Pair { cert: CertCase; capture?: Capture; keylog?: string }

/** Namespaces, veth, charon with its certificates, [capture], webswan started and its certificates installed. */
export async function startCertPair(topo: Topology, c: CertCase): Promise<CertPair> {
  const [w, s] = await topo.addNamespaces('w', 's');
  const veth = await topo.addVeth({ ns: w, addr: `${W_ADDR}/24` }, { ns: s, addr: `${S_ADDR}/24` });
  await topo.addAddress(s, `${S_INNER}/32`);
  const sw = certCharonConfig(c);
  const charon = await startCharon({
    topo, ns: s, name: 'S', connections: sw.connections, secrets: sw.secrets, files: sw.files,
    charonSettings: { retransmit_timeout: 1, retransmit_base: 1.4, retransmit_tries: 2 },
  });
  const capture = c.capture ? await startCapture(topo, w, veth[0], join(topo.dir, 'veth.pcap')) : undefined;
  const keylog = c.capture ? join(topo.dir, 'keylog') : undefined;
  const webswan = await startWebswan(topo, w, certWebswanConfig(c), keylog ? { keylog } : {});
  await installCertificates(webswan, c.webswanCa, c.webswanCert);
  if (c.initiator !== 'strongswan' && !c.keepShutdown) await tunnelUp(webswan);
  return { topo, w, s, veth, webswan, charon, opts: { initiator: c.initiator }, cert: c, capture, keylog };
}

/** charon's own line for one signature: `authentication of 'ID' [(myself)] with SCHEME successful`. */
export function charonAuthScheme(log: string, id: string, myself: boolean): string[] {
  const re = new RegExp(`authentication of '${id.replace(/\./g, '\\.')}' ${myself ? '\\(myself\\) ' : ''}with (\\S+) successful`, 'g');
  return [...log.matchAll(re)].map((m) => m[1]);
}
