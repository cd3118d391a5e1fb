// EXEC commands (and the `show` commands configuration modes accept too): dispatch from the matched
// command's tag to the show renderers and router operations.
import type { Segment } from '../config/grammar/matcher.js';
import type { ConfigStore } from '../config/store.js';
import type { Clock } from '../util/clock.js';
import { changeTime, clockLine, timestampLine } from './format.js';
import { showCommitChanges, showCommitList, showRunningConfig } from './session-output.js';
import { showIkev2Sa, showIkev2Session, showIkev2Summary, showIkev2Trace } from './show/ikev2.js';
import { showInterfacesBrief, showIpv4InterfaceBrief, showIpsecSaInterface, showIpsecSaTable, showSksProfiles } from './show/ipsec.js';
import type { PingReply, RouterOps } from './state.js';
import type { Question } from './console.js';
import { certificateLines, showCryptoCaCertificates } from './show/pki.js';
import type { Trustpoint, TrustpointStore } from '../pki/trustpoint.js';
import { own } from '../config/model.js';
import { enrollTerminal, keyGenerate, keyZeroize, showCryptoKey, trustpointKeyLabel } from './pki-exec.js';

declare const __WEBSWAN_VERSION__: string;

export interface ExecEnv {
  ops: RouterOps;
  store: ConfigStore;
  clock: Clock;
  release: string;
  out(...lines: string[]): void;
  write(text: string): void;
  setDebug(on: boolean): void;
  /** Make the next input line the answer to a question (multi-line pastes chain questions). */
  ask?(q: Question): void;
}

const last = <T>(v: T | T[] | undefined): T | undefined => (Array.isArray(v) ? v[v.length - 1] : v);

export async function execCommand(seg: Segment, env: ExecEnv): Promise<void> {
  const a = seg.args;
  const stamp = () => env.out(timestampLine(env.clock.now()));
  switch (seg.cmd.tag) {
    case 'show-run': stamp(); env.out(...showRunningConfig(env.store, env.release, a.section ?? [])); return;
    case 'show-commit-list': stamp(); env.out(...showCommitList(env.store, a.n)); return;
    case 'show-commit-changes': stamp(); env.out(...showCommitChanges(env.store, env.release, { last: a.last, id: a.id })); return;
    case 'show-ikev2-session': stamp(); env.out(...showIkev2Session(env.ops.ikeSessions(), !!a.detail, a.sid)); return;
    case 'show-ikev2-sa': stamp(); env.out(...showIkev2Sa(env.ops.ikeSessions(), !!a.detail)); return;
    case 'show-ikev2-summary': stamp(); env.out(...showIkev2Summary(env.ops.ikeSessions())); return;
    case 'show-ikev2-trace': stamp(); env.out(...showIkev2Trace(env.ops.trace())); return;
    case 'show-ipsec-sa': {
      stamp();
      const sas = env.ops.ipsecSas().filter((s) => !a.if || s.interface === a.if);
      env.out(...(a.if || a.detail ? showIpsecSaInterface(sas) : showIpsecSaTable(sas)));
      return;
    }
    case 'show-interfaces-brief': stamp(); env.out(...showInterfacesBrief(env.ops.interfaces())); return;
    case 'show-ipv4-brief': stamp(); env.out(...showIpv4InterfaceBrief(env.ops.interfaces())); return;
    case 'show-sks': stamp(); env.out(...showSksProfiles(env.ops.sksProfiles(), a.name)); return;
    case 'show-clock': stamp(); env.out(clockLine(env.clock.now())); return;
    case 'show-version': {
      stamp();
      const v = typeof __WEBSWAN_VERSION__ === 'string' ? __WEBSWAN_VERSION__ : 'dev';
      env.out(`Cisco IOS XR Software, Version ${env.release} (emulated by webswan ${v})`,
        'IPsec for management traffic: IKEv2 (RFC 7296), ESP (RFC 4303), postquantum preshared keys (RFC 8784)',
        ...(env.store.lastChange ? [`Last configuration change at ${changeTime(env.store.lastChange.at)} by ${env.store.lastChange.user}`] : []));
      return;
    }
    case 'ping': stamp(); return ping(env, a.dest, last<string>(a.srcif) ?? last<string>(a.srcip), last<number>(a.count) ?? 5,
      last<number>(a.size) ?? 100, last<number>(a.timeout) ?? 2);
    case 'clear-ikev2-sa': {
      stamp();
      const n = env.ops.clearIkeSa(a.id);
      if (a.id !== undefined && n === 0) env.out(`% IKE SA ${a.id} not found`);
      return;
    }
    case 'clear-ipsec-sa': stamp(); env.ops.clearIpsecSa(a.if); return;
    case 'show-crypto-ca-certs': {
      stamp();
      const store = env.ops.trustpoints?.();
      if (!store) { env.out('% PKI is not available on this console'); return; }
      const tps = a.name === undefined ? store.all() : store.all().filter((t) => t.name === a.name);
      env.out(...showCryptoCaCertificates(tps));
      return;
    }
    case 'crypto-ca-authenticate': stamp(); return caAuthenticate(env, a.name);
    case 'crypto-ca-import': stamp(); return caImport(env, a.name);
    case 'crypto-ca-enroll': stamp(); return caEnroll(env, a.name);
    case 'crypto-key-generate': stamp(); return keyGenerate(env, a.label);
    case 'crypto-key-zeroize': stamp(); return keyZeroize(env, a.label);
    case 'show-crypto-key': stamp(); return showCryptoKey(env, a.label);
    case 'clear-crypto-ca': {
      stamp();
      const store = env.ops.trustpoints?.();
      if (!store?.delete(a.name)) env.out(`% Trustpoint ${a.name} has no certificates`);
      return;
    }
    case 'debug-ikev2': stamp(); env.setDebug(true); return;
    case 'undebug': stamp(); env.setDebug(false); return;
    default: throw new Error(`cli: no handler for ${seg.cmd.tag}`);
  }
}

async function ping(env: ExecEnv, dest: string, source: string | undefined, count: number, size: number, timeoutSec: number) {
  env.out('Type escape sequence to abort.', `Sending ${count}, ${size}-byte ICMP Echos to ${dest}, timeout is ${timeoutSec} seconds:`);
  const rtts: number[] = [];
  let col = 0;
  const onReply = (r: PingReply) => {
    env.write(r.ok ? '!' : '.');
    if (r.ok && r.rttMs !== undefined) rtts.push(r.rttMs);
    if (++col % 70 === 0) env.write('\n');
  };
  await env.ops.ping({ destination: dest, source, count, size, timeoutSec }, onReply);
  if (col % 70 !== 0) env.write('\n');
  const pct = Math.floor((rtts.length * 100) / count);
  if (rtts.length === 0) {
    env.out(`Success rate is ${pct} percent (0/${count})`);
  } else {
    const min = Math.min(...rtts), max = Math.max(...rtts), avg = Math.round(rtts.reduce((x, y) => x + y, 0) / rtts.length);
    env.out(`Success rate is ${pct} percent (${rtts.length}/${count}), round-trip min/avg/max = ${min}/${avg}/${max} ms`);
  }
}

// ---- crypto ca: certificates and keys by cut-and-paste (docs/pki.md) -----------------------------------

const why = (e: unknown) => String((e as Error)?.message ?? e).replace(/^pki: /, '');

/**
 * The trustpoint NAME of the running configuration, in the router's store; prints why not and returns undefined.
 * `tp` is undefined while nothing was ever installed in it: the store gets the trustpoint only when a certificate
 * is accepted (a refused paste leaves the store's material unchanged).
 */
function trustpointFor(env: ExecEnv, name: string): { store: TrustpointStore; tp: Trustpoint | undefined } | undefined {
  const store = env.ops.trustpoints?.();
  if (!store || !env.ask) { env.out('% PKI is not available on this console'); return undefined; }
  if (!env.store.running.trustpoints || !own(env.store.running.trustpoints, name)) {
    env.out(`% Trustpoint ${name} is not configured (crypto ca trustpoint ${name})`);
    return undefined;
  }
  return { store, tp: store.get(name) };
}

/** Collect pasted lines until a blank line (after some text) or `quit`, then hand them over. */
function paste(env: ExecEnv, intro: string[], done: (text: string) => Promise<void> | void): void {
  env.out(...intro, 'End with a blank line or the word "quit" on a line by itself', '');
  const lines: string[] = [];
  const next = (): void => env.ask!({
    prompt: '', raw: true,
    onAnswer: async (l): Promise<void> => {
      const t = l.trim();
      if (t === '' && lines.length === 0) return next();
      if (t === '' || t.toLowerCase() === 'quit') return done(lines.join('\n') + '\n');
      lines.push(t);
      next();
    },
  });
  next();
}

const labUrl = (env: ExecEnv, name: string): boolean => {
  const e = env.store.running.trustpoints && own(env.store.running.trustpoints, name)?.enrollment;
  return !!e && 'url' in e && /^lab:/i.test(e.url);
};

/** `crypto ca authenticate NAME`: paste the CA certificate (or, `enrollment url lab://…`, get the lab CA's), accept it. */
async function caAuthenticate(env: ExecEnv, name: string): Promise<void> {
  const t = trustpointFor(env, name);
  if (!t) return;
  const { parseCertificates } = await import('../pki/certificate.js');
  const offer = async (pem: string) => {
    let certs;
    try { certs = await parseCertificates(pem); } catch (e) { env.out(`% Invalid certificate: ${why(e)}`); return; }
    if (certs.length === 0) { env.out('% Invalid certificate: no CERTIFICATE block found'); return; }
    const notCa = certs.find((c) => !c.basicConstraints?.ca);
    if (notCa) { env.out(`% '${notCa.subject}' is not a CA certificate (basicConstraints cA missing)`); return; }
    for (const c of certs) env.out(...certificateLines(c).map((l) => l.slice(2)));
    env.ask!({
      prompt: 'Do you accept this certificate? [yes/no]: ',
      onAnswer: async (a) => {
        if (a !== 'yes' && a !== 'y') { env.out('% Certificate not accepted'); return; }
        try { await t.store.ensure(name).addCa(pem); } catch (e) { env.out(`% ${why(e)}`); }
      },
    });
  };
  if (labUrl(env, name)) {
    const ca = await env.ops.labCa?.();
    if (!ca) { env.out('% The lab CA is not available on this router'); return; }
    return offer(ca.certificatePem);
  }
  paste(env, ['Enter the base 64 encoded certificate.'], offer);
}

/**
 * `crypto ca import NAME certificate`: paste the router certificate. When its public key is the trustpoint's key
 * pair (`crypto key generate rsa`, `crypto ca enroll`) it is installed with it; when it is no key pair of the
 * router, its PKCS#8 private key is pasted next (webswan extension, for certificates made elsewhere).
 */
async function caImport(env: ExecEnv, name: string): Promise<void> {
  const t = trustpointFor(env, name);
  if (!t) return;
  const tp = t.tp;
  if (!tp?.caCertificates.length) { env.out(`% Trustpoint ${name} has no CA certificate: authenticate it first (crypto ca authenticate ${name})`); return; }
  const { parseCertificate } = await import('../pki/certificate.js');
  const { validateChain } = await import('../pki/trustpoint.js');
  paste(env, ['Enter the base 64 encoded certificate.'], async (certPem) => {
    let cert;
    try { cert = await parseCertificate(certPem); } catch (e) { env.out(`% Invalid certificate: ${why(e)}`); return; }
    const chain = await validateChain(cert, [], tp, env.clock.now());
    if (!chain.ok) { env.out(`% Certificate refused: ${chain.reason}`); return; }
    const kp = await t.store.keys.find(cert.spki);
    if (kp) {
      const want = trustpointKeyLabel(own(env.store.running.trustpoints!, name));
      if (kp.label !== want) {
        env.out(`% Certificate refused: its public key is key pair ${kp.label}, but trustpoint ${name} uses key pair ${want} (configure 'rsakeypair ${kp.label}' to use it)`);
        return;
      }
      try {
        await tp.setIdentityWithKeyPair(certPem, kp);
        env.out(`% Router certificate installed in trustpoint ${name} (key pair ${kp.label})`);
      } catch (e) {
        env.out(`% Certificate refused: ${why(e)}`);
      }
      return;
    }
    const ours = t.store.keys.labels().length
      ? [`% The certificate's public key is not a key pair of this router (show crypto key mypubkey rsa): its private key is needed`] : [];
    paste(env, [...ours, 'Enter the private key of this certificate (PKCS#8 PEM, -----BEGIN PRIVATE KEY-----).'], async (keyPem) => {
      try {
        await tp.setIdentity(certPem, keyPem);
        env.out(`% Router certificate and private key installed in trustpoint ${name}`);
      } catch (e) {
        env.out(`% Invalid private key: ${why(e)}`);
      }
    });
  });
}

/**
 * `crypto ca enroll NAME`: with `enrollment terminal`, print the PKCS#10 request of the trustpoint's key pair
 * (src/cli/pki-exec.ts); with `enrollment url lab://ca`, the lab CA issues a certificate for `subject-name` CN.
 */
async function caEnroll(env: ExecEnv, name: string): Promise<void> {
  const t = trustpointFor(env, name);
  if (!t) return;
  const cfg = own(env.store.running.trustpoints!, name)!;
  if (!labUrl(env, name)) return enrollTerminal(env, name, t.store, t.tp, cfg);
  const ca = await env.ops.labCa?.();
  if (!ca) { env.out('% The lab CA is not available on this router'); return; }
  const tp = t.tp;
  if (!tp?.caCertificates.some((c) => c.fingerprint === ca.certificate.fingerprint)) {
    env.out(`% Trustpoint ${name} does not trust the lab CA: authenticate it first (crypto ca authenticate ${name})`);
    return;
  }
  const cn = /(?:^|,)\s*CN=([^,]+)/i.exec(cfg.subjectName ?? '')?.[1]?.trim();
  if (!cn) { env.out(`% Trustpoint ${name} has no subject-name CN=…`); return; }
  try {
    const now = env.clock.now();
    const issued = await ca.issue({ fqdn: cn, ipv4: cfg.ipAddress ? [cfg.ipAddress] : undefined, now: new Date(now.getTime() - 60_000) });
    await tp.setIdentity(issued.certificatePem, issued.privateKeyPem);
    env.out(`% Certificate request sent to the lab CA; certificate ${issued.certificate.serialNumber} for ${issued.certificate.subject} installed in trustpoint ${name}`);
  } catch (e) {
    env.out(`% Enrollment failed: ${why(e)}`);
  }
}
