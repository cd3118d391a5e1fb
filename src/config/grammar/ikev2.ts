// `ikev2 proposal`, `ikev2 policy` and `ikev2 profile` (Cisco-IOS-XR-um-ikev2-cfg; ios-xr-cli.md §2.1,
// §2.2, §2.4), their submodes, and the global commands that enter them.
import { type Ikev2Global, type Ikev2Policy, type Ikev2Profile, type Ikev2Proposal, newPolicy, newProfile, newProposal, ensure, own } from '../model.js';
import { fqdn, int, ipv4, mask, name } from '../values.js';
import type { CommandSpec, ExecCtx } from './types.js';
import { addSorted, addUnique, byIp, byName, removeOr } from './lists.js';

const name32 = name(1, 32);

const proposal = (c: ExecCtx): Ikev2Proposal => ensure(c.cfg.ikev2Proposals, c.at.proposal, newProposal);
const policy = (c: ExecCtx): Ikev2Policy => ensure(c.cfg.ikev2Policies, c.at.policy, newPolicy);
const profile = (c: ExecCtx): Ikev2Profile => ensure(c.cfg.ikev2Profiles, c.at.profile, newProfile);

const global = (c: ExecCtx): Ikev2Global => (c.cfg.ikev2Global ??= {});
/** Remove `key` from `ikev2 global`, and the block when it is empty. */
function unsetGlobal(c: ExecCtx, key: keyof Ikev2Global): void {
  const g = c.cfg.ikev2Global;
  if (!g) return;
  delete g[key];
  if (!Object.keys(g).length) delete c.cfg.ikev2Global;
}

export const ikev2GlobalCommands: CommandSpec[] = [
  {
    syntax: 'ikev2 global dpd <interval> <retry>', args: { interval: int(10, 3600), retry: int(2, 60) },
    run: (c, a) => { global(c).dpd = { interval: a.interval, retry: a.retry }; },
    no: 'ikev2 global dpd [ <interval> [ <retry> ] ]', unset: (c) => unsetGlobal(c, 'dpd'),
  },
  {
    syntax: 'ikev2 global retransmission <count>', args: { count: int(1, 6) },
    run: (c, a) => { global(c).retransmission = a.count; },
    no: 'ikev2 global retransmission [ <count> ]', unset: (c) => unsetGlobal(c, 'retransmission'),
  },
  {
    syntax: 'ikev2 proposal <name>', args: { name: name32 }, enter: 'ikev2-proposal',
    select: (a) => ({ proposal: a.name }),
    run: (c, a) => { ensure(c.cfg.ikev2Proposals, a.name, newProposal); },
    no: 'ikev2 proposal <name>', unset: (c, a) => { delete c.cfg.ikev2Proposals[a.name]; },
  },
  {
    syntax: 'ikev2 policy <name>', args: { name: name32 }, enter: 'ikev2-policy',
    select: (a) => ({ policy: a.name }),
    run: (c, a) => { ensure(c.cfg.ikev2Policies, a.name, newPolicy); },
    no: 'ikev2 policy <name>', unset: (c, a) => { delete c.cfg.ikev2Policies[a.name]; },
  },
  {
    syntax: 'ikev2 profile <name>', args: { name: name32 }, enter: 'ikev2-profile',
    select: (a) => ({ profile: a.name }),
    run: (c, a) => { ensure(c.cfg.ikev2Profiles, a.name, newProfile); },
    no: 'ikev2 profile <name>', unset: (c, a) => { delete c.cfg.ikev2Profiles[a.name]; },
  },
];

const IKE_HASHES = '{sha-1|sha-256|sha-384|sha-512}:alg';

export const proposalCommands: CommandSpec[] = [
  {
    syntax: 'encryption {aes-cbc-128|aes-cbc-192|aes-cbc-256|aes-gcm-128|aes-gcm-256}:alg...5',
    run: (c, a) => { proposal(c).encryption = [...new Set(a.alg as Ikev2Proposal['encryption'])]; },
    unset: (c, a) => { const p = own(c.cfg.ikev2Proposals, c.at.proposal); if (p) p.encryption = removeOr(p.encryption, a.alg); },
  },
  {
    syntax: `integrity ${IKE_HASHES}...4`,
    run: (c, a) => { proposal(c).integrity = [...new Set(a.alg as Ikev2Proposal['integrity'])]; },
    unset: (c, a) => { const p = own(c.cfg.ikev2Proposals, c.at.proposal); if (p) p.integrity = removeOr(p.integrity, a.alg); },
  },
  {
    syntax: `prf ${IKE_HASHES}...4`,
    run: (c, a) => { proposal(c).prf = [...new Set(a.alg as Ikev2Proposal['prf'])]; },
    unset: (c, a) => { const p = own(c.cfg.ikev2Proposals, c.at.proposal); if (p) p.prf = removeOr(p.prf, a.alg); },
  },
  {
    syntax: 'dh-group {19|20|21}:g...3',
    run: (c, a) => { proposal(c).dhGroup = [...new Set((a.g as string[]).map(Number) as Ikev2Proposal['dhGroup'])]; },
    unset: (c, a) => {
      const p = own(c.cfg.ikev2Proposals, c.at.proposal);
      if (p) p.dhGroup = removeOr(p.dhGroup, a.g?.map(Number));
    },
  },
];

const fvrfRun = (target: { matchFvrf?: Ikev2Policy['matchFvrf'] }, a: Record<string, any>) => {
  target.matchFvrf = a.vrf ? { vrf: a.vrf } : { any: true };
};

export const policyCommands: CommandSpec[] = [
  {
    syntax: 'proposal <name>', args: { name: name32 },
    run: (c, a) => addUnique(policy(c).proposals, a.name),
    unset: (c, a) => { const p = own(c.cfg.ikev2Policies, c.at.policy); if (p) p.proposals = removeOr(p.proposals, a.name && [a.name]); },
  },
  {
    syntax: 'match address local <ip>', args: { ip: ipv4 },
    run: (c, a) => addSorted(policy(c).matchAddressLocal, a.ip, byIp),
    unset: (c, a) => {
      const p = own(c.cfg.ikev2Policies, c.at.policy);
      if (p) p.matchAddressLocal = removeOr(p.matchAddressLocal, a.ip && [a.ip]);
    },
  },
  {
    syntax: 'match fvrf { any | <vrf> }', args: { vrf: name32 },
    run: (c, a) => fvrfRun(policy(c), a),
    unset: (c) => { const p = own(c.cfg.ikev2Policies, c.at.policy); if (p) delete p.matchFvrf; },
  },
];

export const profileCommands: CommandSpec[] = [
  {
    syntax: 'keyring <name>', args: { name: name32 },
    run: (c, a) => { profile(c).keyring = a.name; },
    unset: (c) => { const p = own(c.cfg.ikev2Profiles, c.at.profile); if (p) delete p.keyring; },
  },
  {
    syntax: 'keyring ppk <name>', args: { name: name32 },
    run: (c, a) => { profile(c).keyringPpk = a.name; },
    unset: (c) => { const p = own(c.cfg.ikev2Profiles, c.at.profile); if (p) delete p.keyringPpk; },
  },
  {
    syntax: 'lifetime <sec>', args: { sec: int(120, 86400) },
    run: (c, a) => { profile(c).lifetime = a.sec; },
    unset: (c) => { const p = own(c.cfg.ikev2Profiles, c.at.profile); if (p) delete p.lifetime; },
  },
  {
    syntax: 'authentication local {pre-shared|rsa-signature}:m',
    run: (c, a) => { const p = profile(c); addSorted(p.authLocal ??= [], a.m, byName); },
    unset: (c, a) => {
      const p = own(c.cfg.ikev2Profiles, c.at.profile);
      if (p) { p.authLocal = removeOr(p.authLocal ?? [], a.m && [a.m]); if (!p.authLocal.length) delete p.authLocal; }
    },
  },
  {
    syntax: 'authentication remote {pre-shared|rsa-signature}:m',
    run: (c, a) => { const p = profile(c); addSorted(p.authRemote ??= [], a.m, byName); },
    unset: (c, a) => {
      const p = own(c.cfg.ikev2Profiles, c.at.profile);
      if (p) { p.authRemote = removeOr(p.authRemote ?? [], a.m && [a.m]); if (!p.authRemote.length) delete p.authRemote; }
    },
  },
  {
    syntax: 'match identity remote address <ip> <mask>', args: { ip: ipv4, mask },
    run: (c, a) => {
      addSorted(profile(c).matchRemoteAddress, { address: a.ip, mask: a.mask }, (x, y) => byIp(x.address, y.address) || byIp(x.mask, y.mask));
    },
    no: 'match identity remote address [ <ip> [ <mask> ] ]',
    unset: (c, a) => {
      const p = own(c.cfg.ikev2Profiles, c.at.profile);
      if (p) p.matchRemoteAddress = p.matchRemoteAddress.filter((x) => (a.ip && x.address !== a.ip) || (a.mask && x.mask !== a.mask));
    },
  },
  {
    syntax: 'match identity remote fqdn <fqdn>', args: { fqdn },
    run: (c, a) => addSorted(profile(c).matchRemoteFqdn, a.fqdn, byName),
    unset: (c, a) => {
      const p = own(c.cfg.ikev2Profiles, c.at.profile);
      if (p) p.matchRemoteFqdn = removeOr(p.matchRemoteFqdn, a.fqdn && [a.fqdn]);
    },
  },
  {
    syntax: 'match identity remote fqdn domain <domain>', args: { domain: fqdn },
    run: (c, a) => addSorted(profile(c).matchRemoteFqdnDomain, a.domain, byName),
    unset: (c, a) => {
      const p = own(c.cfg.ikev2Profiles, c.at.profile);
      if (p) p.matchRemoteFqdnDomain = removeOr(p.matchRemoteFqdnDomain, a.domain && [a.domain]);
    },
  },
  {
    syntax: 'match identity remote any',
    run: (c) => { profile(c).matchRemoteAny = true; },
    unset: (c) => { const p = own(c.cfg.ikev2Profiles, c.at.profile); if (p) delete p.matchRemoteAny; },
  },
  {
    syntax: 'match fvrf { any | <vrf> }', args: { vrf: name32 },
    run: (c, a) => fvrfRun(profile(c), a),
    unset: (c) => { const p = own(c.cfg.ikev2Profiles, c.at.profile); if (p) delete p.matchFvrf; },
  },
  {
    syntax: 'identity local { address <ip> | fqdn <fqdn> }', args: { ip: ipv4, fqdn },
    run: (c, a) => { profile(c).identityLocal = a.ip ? { address: a.ip } : { fqdn: a.fqdn }; },
    no: 'identity local [ { address [ <ip> ] | fqdn [ <fqdn> ] } ]',
    unset: (c) => { const p = own(c.cfg.ikev2Profiles, c.at.profile); if (p) delete p.identityLocal; },
  },
  {
    syntax: 'pki trustpoint <name>', args: { name: name32 },
    run: (c, a) => addSorted(profile(c).pkiTrustpoints, a.name, byName),
    unset: (c, a) => {
      const p = own(c.cfg.ikev2Profiles, c.at.profile);
      if (p) p.pkiTrustpoints = removeOr(p.pkiTrustpoints, a.name && [a.name]);
    },
  },
];

