// EXEC handlers of the router's own RSA key pairs and of terminal enrollment (Cisco IOS XR System Security
// Configuration Guide, "Implementing Certification Authority Interoperability"; docs/pki.md):
//   crypto key generate rsa [general-keys] [LABEL]   asks the modulus (2048 | 3072 | 4096), the platform generates
//   crypto key zeroize rsa [LABEL]                   asks for confirmation; certificates of the key go with it
//   show crypto key mypubkey rsa [LABEL]             the public key only
//   crypto ca enroll NAME  (enrollment terminal)     prints the PKCS#10 request (RFC 2986, src/pki/csr.ts)
// `crypto ca import NAME certificate` then takes the signed certificate without a key (src/cli/exec.ts).
// Private keys are never printed: only labels, sizes and public keys.
import type { ExecEnv } from './exec.js';
import type { TrustpointConfig } from '../config/model.js';
import type { Trustpoint, TrustpointStore } from '../pki/trustpoint.js';
import { DEFAULT_KEY_LABEL, KEY_SIZES } from '../pki/keypairs.js';
import { showCryptoKeyMypubkey } from './show/pki.js';

const why = (e: unknown) => String((e as Error)?.message ?? e).replace(/^pki: /, '');
const yes = (a: string) => a === 'yes' || a === 'y';
const list = (tps: readonly Trustpoint[]) => tps.map((t) => t.name).join(', ');

function keyStore(env: ExecEnv): TrustpointStore | undefined {
  const store = env.ops.trustpoints?.();
  if (!store || !env.ask) { env.out('% PKI is not available on this console'); return undefined; }
  return store;
}

/** The key pair label a trustpoint uses: `rsakeypair LABEL`, else IOS XR's default key pair. */
export const trustpointKeyLabel = (cfg: TrustpointConfig | undefined): string => cfg?.rsakeypair ?? DEFAULT_KEY_LABEL;

/** `crypto key generate rsa [general-keys] [LABEL]`. */
export function keyGenerate(env: ExecEnv, label: string | undefined): void {
  const store = keyStore(env);
  if (!store) return;
  const l = label ?? DEFAULT_KEY_LABEL;
  env.out(`The name for the keys will be: ${l}`);
  const askBits = (): void => {
    env.out(`  Choose the size of the key modulus in the range of ${KEY_SIZES[0]} to ${KEY_SIZES[KEY_SIZES.length - 1]} for your General Purpose Keypair.`
      + ` Choosing a key modulus greater than ${KEY_SIZES[0]} may take a few minutes.`, '');
    env.ask!({
      prompt: `How many bits in the modulus [${KEY_SIZES[0]}]: `,
      onAnswer: async (a) => {
        const bits = a === '' ? KEY_SIZES[0] : /^\d{1,6}$/.test(a) ? Number(a) : NaN;
        if (!(KEY_SIZES as readonly number[]).includes(bits)) {
          env.out(`% Invalid modulus size '${a}': ${KEY_SIZES.join(', ')} bits are accepted; no key generated`);
          return;
        }
        env.out('Generating RSA keys ...');
        try {
          const { dropped } = await store.generateKeyPair(l, bits, env.clock.now());
          env.out('Done w/ crypto generate keypair', '[OK]');
          if (dropped.length) env.out(`% Router certificate of trustpoint ${list(dropped)} removed: it belonged to the replaced key pair ${l}`);
        } catch (e) {
          env.out(`% Key generation failed: ${why(e)}`);
        }
      },
    });
  };
  if (!store.keys.get(l)) { askBits(); return; }
  env.out(`% You already have keys defined for ${l}`);
  const users = store.usingKeyPair(l);
  if (users.length) env.out(`% Key pair ${l} is in use by the router certificate of trustpoint ${list(users)}: replacing it removes that certificate`);
  env.ask!({
    prompt: 'Do you really want to replace them? [yes/no]: ',
    onAnswer: (a) => { if (yes(a)) askBits(); else env.out('% Key generation aborted; the existing keys are kept'); },
  });
}

/** `crypto key zeroize rsa [LABEL]`: one key pair, or (no label) every RSA key pair of the router. */
export function keyZeroize(env: ExecEnv, label: string | undefined): void {
  const store = keyStore(env);
  if (!store) return;
  if (label !== undefined && !store.keys.get(label)) { env.out(`% Key pair ${label} does not exist (show crypto key mypubkey rsa)`); return; }
  const labels = label !== undefined ? [label] : store.keys.labels();
  if (!labels.length) { env.out('% No RSA keys to remove'); return; }
  for (const l of labels) {
    const users = store.usingKeyPair(l);
    if (users.length) env.out(`% Key pair ${l} is in use by the router certificate of trustpoint ${list(users)}: zeroizing it removes that certificate`);
  }
  env.ask!({
    prompt: 'Do you really want to remove these keys ?? [yes/no]: ',
    onAnswer: (a) => {
      if (!yes(a)) { env.out('% Zeroize aborted; the keys are kept'); return; }
      for (const l of labels) {
        const dropped = store.zeroizeKeyPair(l) ?? [];
        if (dropped.length) env.out(`% Router certificate of trustpoint ${list(dropped)} removed with key pair ${l}`);
      }
    },
  });
}

/** `show crypto key mypubkey rsa [LABEL]`. */
export function showCryptoKey(env: ExecEnv, label: string | undefined): void {
  const store = env.ops.trustpoints?.();
  if (!store) { env.out('% PKI is not available on this console'); return; }
  if (label !== undefined && !store.keys.get(label)) { env.out(`% Key pair ${label} does not exist`); return; }
  env.out(...showCryptoKeyMypubkey(label !== undefined ? [store.keys.get(label)!] : store.keys.all()));
}

/**
 * `crypto ca enroll NAME` with `enrollment terminal`: the PKCS#10 request for the trustpoint's key pair, its
 * subject-name (default CN=hostname) and ip-address, printed for the operator to have a CA sign it.
 */
export async function enrollTerminal(env: ExecEnv, name: string, store: TrustpointStore, tp: Trustpoint | undefined, cfg: TrustpointConfig): Promise<void> {
  const e = cfg.enrollment;
  if (!e) { env.out(`% Trustpoint ${name} has no enrollment method: configure 'enrollment terminal' (cut-and-paste)`); return; }
  if ('url' in e) {
    env.out(`% Enrollment URL ${e.url} is not supported (SCEP is not built): use 'enrollment terminal' and cut-and-paste, or 'enrollment url lab://ca'`);
    return;
  }
  if (!tp?.caCertificates.length) { env.out(`% Trustpoint ${name} has no CA certificate: authenticate it first (crypto ca authenticate ${name})`); return; }
  const label = trustpointKeyLabel(cfg);
  const kp = store.keys.get(label);
  if (!kp) {
    env.out(`% Trustpoint ${name} uses key pair ${label}, which does not exist: generate it first (crypto key generate rsa general-keys${label === DEFAULT_KEY_LABEL ? '' : ` ${label}`})`);
    return;
  }
  const subject = cfg.subjectName ?? `CN=${env.store.running.hostname ?? 'ios'}`;
  const { createCsr } = await import('../pki/csr.js');
  let csr;
  try {
    csr = await createCsr(kp, { subject, ipv4: cfg.ipAddress ? [cfg.ipAddress] : undefined });
  } catch (err) {
    env.out(`% Enrollment failed: ${why(err)}`);
    return;
  }
  env.out('% Start certificate enrollment ...', `% The subject name in the certificate will be: ${csr.subject}`,
    ...(csr.san.length ? [`% The subject alternative names requested: ${csr.san.join(', ')}`] : []),
    `% Key pair: ${kp.label} (RSA ${kp.bits} bits)`, 'Certificate Request follows:', '',
    ...csr.pem.trim().split(/\r?\n/), '', '---End - This line not part of the certificate request---',
    `% Have the CA sign it, then paste the certificate into 'crypto ca import ${name} certificate'`);
}
