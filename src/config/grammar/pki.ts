// `crypto ca trustpoint NAME` and its submode (docs/pki.md: Cisco's IOS XR System Security Configuration
// Guide, "Implementing Certification Authority Interoperability"). The configuration holds only what the
// trustpoint is (how it enrols, its subject, its key label); certificates and keys are imported by EXEC
// commands into the router's TrustpointStore and are never part of the configuration.
import { type TrustpointConfig, ensure, own } from '../model.js';
import { ipv4, name } from '../values.js';
import type { CommandSpec, ExecCtx } from './types.js';

const tpName = name(1, 32, /[A-Za-z0-9_.-]/);
/** Distinguished names as IOS XR types them: `CN=router.example.com,O=lab` (no spaces). */
const dn = name(1, 255, /[!-~]/);
const url = name(1, 255, /[!-~]/);

const tps = (c: ExecCtx): Record<string, TrustpointConfig> => (c.cfg.trustpoints ??= {});
const tp = (c: ExecCtx): TrustpointConfig => ensure(tps(c), c.at.trustpoint, () => ({}));
const existing = (c: ExecCtx): TrustpointConfig | undefined => (c.cfg.trustpoints ? own(c.cfg.trustpoints, c.at.trustpoint) : undefined);

const HELP: Record<string, string> = {
  crypto: 'Encryption module',
  'crypto ca': 'Certification authority',
  'crypto ca trustpoint': 'Define a CA trustpoint',
  'crypto ca trustpoint WORD': 'Trustpoint name',
};

export const pkiGlobalCommands: CommandSpec[] = [
  {
    syntax: 'crypto ca trustpoint <name>', args: { name: tpName }, enter: 'crypto-ca-trustpoint', help: HELP,
    select: (a) => ({ trustpoint: a.name }),
    run: (c, a) => { ensure(tps(c), a.name, () => ({})); },
    no: 'crypto ca trustpoint <name>',
    unset: (c, a) => {
      if (!c.cfg.trustpoints) return;
      delete c.cfg.trustpoints[a.name];
      if (!Object.keys(c.cfg.trustpoints).length) delete c.cfg.trustpoints;
    },
  },
];

export const trustpointCommands: CommandSpec[] = [
  {
    syntax: 'enrollment { {terminal}:term | url <url> }', args: { url },
    help: {
      enrollment: 'Enrollment parameters', terminal: 'Enroll via the terminal (cut-and-paste)',
      url: "Enrollment URL (webswan: 'lab://ca' enrols with the lab's built-in CA)", 'enrollment url WORD': 'The enrollment URL',
    },
    run: (c, a) => { tp(c).enrollment = a.term ? { terminal: true } : { url: a.url }; },
    no: 'enrollment [ { terminal | url [ <url> ] } ]',
    unset: (c) => { const t = existing(c); if (t) delete t.enrollment; },
  },
  {
    syntax: 'subject-name <dn>', args: { dn },
    help: { 'subject-name': 'Subject Name', 'subject-name WORD': 'Subject name, e.g. CN=router.example.com,O=lab' },
    run: (c, a) => { tp(c).subjectName = a.dn; },
    unset: (c) => { const t = existing(c); if (t) delete t.subjectName; },
  },
  {
    syntax: 'ip-address <ip>', args: { ip: ipv4 },
    help: { 'ip-address': 'Include an IP address in the certificate request' },
    run: (c, a) => { tp(c).ipAddress = a.ip; },
    unset: (c) => { const t = existing(c); if (t) delete t.ipAddress; },
  },
  {
    syntax: 'rsakeypair <label>', args: { label: name(1, 64, /[A-Za-z0-9_.-]/) },
    help: { rsakeypair: 'Specify the RSA key pair to use', 'rsakeypair WORD': 'RSA key pair label' },
    run: (c, a) => { tp(c).rsakeypair = a.label; },
    unset: (c) => { const t = existing(c); if (t) delete t.rsakeypair; },
  },
  {
    syntax: 'crl optional',
    help: { crl: 'CRL parameters', 'crl optional': 'Certificates are accepted without a CRL (revocation is not checked)' },
    run: (c) => { tp(c).crlOptional = true; },
    unset: (c) => { const t = existing(c); if (t) delete t.crlOptional; },
  },
];
