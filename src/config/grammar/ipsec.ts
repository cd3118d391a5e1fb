// `ipsec transform-set` and `ipsec profile` (Cisco-IOS-XR-um-ipsec-cfg; ios-xr-cli.md §2.5, §2.6, and the
// project decision to accept esp-128-aes / esp-hmac-sha as aliases and esp-gcm-128/256 as an extension).
import { type EspAuth, type EspEncryption, type IpsecProfile, type TransformSet, newIpsecProfile, ensure, own } from '../model.js';
import { int, name } from '../values.js';
import type { CommandSpec, ExecCtx } from './types.js';

const name32 = name(1, 32);
const ts = (c: ExecCtx): TransformSet => ensure(c.cfg.transformSets, c.at.ts, () => ({}));
const prof = (c: ExecCtx): IpsecProfile => ensure(c.cfg.ipsecProfiles, c.at.ipsecProfile, newIpsecProfile);
const existingTs = (c: ExecCtx) => own(c.cfg.transformSets, c.at.ts);
const existingProf = (c: ExecCtx) => own(c.cfg.ipsecProfiles, c.at.ipsecProfile);

const ENC_ALIAS: Record<string, EspEncryption> = { 'esp-128-aes': 'esp-aes' };
const AUTH_ALIAS: Record<string, EspAuth> = { 'esp-hmac-sha': 'esp-hmac-sha1' };

export const ipsecGlobalCommands: CommandSpec[] = [
  {
    syntax: 'ipsec transform-set <name>', args: { name: name32 }, enter: 'ipsec-ts',
    select: (a) => ({ ts: a.name }),
    run: (c, a) => { ensure(c.cfg.transformSets, a.name, () => ({})); },
    no: 'ipsec transform-set <name>', unset: (c, a) => { delete c.cfg.transformSets[a.name]; },
  },
  {
    syntax: 'ipsec profile <name>', args: { name: name32 }, enter: 'ipsec-profile',
    select: (a) => ({ ipsecProfile: a.name }),
    run: (c, a) => { ensure(c.cfg.ipsecProfiles, a.name, newIpsecProfile); },
    no: 'ipsec profile <name>', unset: (c, a) => { delete c.cfg.ipsecProfiles[a.name]; },
  },
];

export const transformSetCommands: CommandSpec[] = [
  {
    // ENC and AUTH may come in either order (the guide writes both)
    syntax: 'transform { @enc [ @auth ] | @auth [ @enc ] }',
    frags: {
      enc: '{esp-aes|esp-128-aes|esp-192-aes|esp-256-aes|esp-gcm-128|esp-gcm-256}:enc',
      auth: '{esp-hmac-sha1|esp-hmac-sha|esp-hmac-sha-256|esp-hmac-sha-384|esp-hmac-sha-512}:auth',
    },
    run: (c, a) => {
      const t = ts(c);
      if (a.enc) t.encryption = ENC_ALIAS[a.enc] ?? a.enc; else delete t.encryption;
      if (a.auth) t.auth = AUTH_ALIAS[a.auth] ?? a.auth; else delete t.auth;
    },
    no: 'transform [ { @enc [ @auth ] | @auth [ @enc ] } ]',
    unset: (c) => { const t = existingTs(c); if (t) { delete t.encryption; delete t.auth; } },
  },
  {
    syntax: 'mode tunnel',
    run: (c) => { ts(c).modeTunnel = true; },
    unset: (c) => { const t = existingTs(c); if (t) delete t.modeTunnel; },
  },
];

export const ipsecProfileCommands: CommandSpec[] = [
  {
    syntax: 'set ikev2-profile <name>', args: { name: name32 },
    run: (c, a) => { prof(c).ikev2Profile = a.name; },
    unset: (c) => { const p = existingProf(c); if (p) delete p.ikev2Profile; },
  },
  {
    syntax: 'set transform-set <ts>...5', args: { ts: name32 },
    run: (c, a) => { prof(c).transformSets = [...new Set(a.ts as string[])]; },
    unset: (c) => { const p = existingProf(c); if (p) p.transformSets = []; },
  },
  {
    syntax: 'set pfs {group19|group20|group21}:g',
    run: (c, a) => { prof(c).pfs = Number(String(a.g).slice(5)) as IpsecProfile['pfs']; },
    unset: (c) => { const p = existingProf(c); if (p) delete p.pfs; },
  },
  {
    syntax: 'set security-association lifetime seconds <sec>', args: { sec: int(120, 2592000) },
    run: (c, a) => { prof(c).saLifetime = a.sec; },
    no: 'set security-association [ lifetime [ seconds [ <sec> ] ] ]',
    unset: (c) => { const p = existingProf(c); if (p) delete p.saLifetime; },
  },
  {
    syntax: 'set responder-only',
    run: (c) => { prof(c).responderOnly = true; },
    unset: (c) => { const p = existingProf(c); if (p) delete p.responderOnly; },
  },
];
