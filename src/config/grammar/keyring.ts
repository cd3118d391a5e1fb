// `keyring NAME` → `peer NAME` (Cisco-IOS-XR-um-ikev2-cfg keyrings; ios-xr-cli.md §2.3): peer address,
// pre-shared keys, identities and RFC 8784 PPKs. Clear-text keys are stored type-7.
import { type Keyring, type KeyringPeer, ensure, own } from '../model.js';
import { clearSecret, fqdn, ipv4, mask, name, ppkId, storedSecret } from '../values.js';
import type { CommandSpec, ExecCtx } from './types.js';

const name32 = name(1, 32);
// Lengths (Cisco-IOS-XR-um-ikev2-cfg 24.3+, ios-xr-cli.md §2.3): the stored leaf is at most 130 characters
// for a pre-shared key and 256 for a PPK. Stored type-7 is 2 + 2 × length, so a key is at most 64 (PSK)
// or 127 (PPK) characters in whichever form it is typed — every key accepted can be loaded back.
const psk = clearSecret(64);
const psk7 = storedSecret(64);
const ppkKey = clearSecret(127);
const ppkKey7 = storedSecret(127);

const keyring = (c: ExecCtx, name: string): Keyring => ensure(c.cfg.keyrings, name, () => ({ peers: {} }));
const peer = (c: ExecCtx): KeyringPeer => {
  return ensure(keyring(c, c.at.keyring).peers, c.at.peer, () => ({}));
};
const existingPeer = (c: ExecCtx): KeyringPeer | undefined => {
  const k = own(c.cfg.keyrings, c.at.keyring);
  return k && own(k.peers, c.at.peer);
};

/** The key as stored (both value types yield type-7). */
const stored = (a: Record<string, any>): string => a.key7 ?? a.key;

export const keyringGlobalCommands: CommandSpec[] = [
  {
    syntax: 'keyring <name>', args: { name: name32 }, enter: 'keyring',
    select: (a) => ({ keyring: a.name }),
    run: (c, a) => { keyring(c, a.name); },
    no: 'keyring <name>', unset: (c, a) => { delete c.cfg.keyrings[a.name]; },
  },
];

export const keyringCommands: CommandSpec[] = [
  {
    syntax: 'peer <name>', args: { name: name32 }, enter: 'keyring-peer',
    select: (a, at) => ({ ...at, peer: a.name }),
    run: (c, a) => { ensure(keyring(c, c.at.keyring).peers, a.name, () => ({})); },
    no: 'peer <name>',
    unset: (c, a) => { const k = own(c.cfg.keyrings, c.at.keyring); if (k) delete k.peers[a.name]; },
  },
];

export const peerCommands: CommandSpec[] = [
  {
    syntax: 'address <ip> <mask>', args: { ip: ipv4, mask },
    run: (c, a) => { peer(c).address = { address: a.ip, mask: a.mask }; },
    no: 'address [ <ip> [ <mask> ] ]',
    unset: (c) => { const p = existingPeer(c); if (p) delete p.address; },
  },
  {
    syntax: 'pre-shared-key { password <key7> | <key> }', args: { key: psk, key7: psk7 },
    help: { 'pre-shared-key WORD': 'Plaintext pre-shared-key (stored and shown as type 7)' },
    run: (c, a) => { peer(c).pskPassword = stored(a); },
    // `no pre-shared-key password …` removes that leaf; a bare `no pre-shared-key` the whole container
    no: 'pre-shared-key [ { {password}:pw [ <key7> ] | <key> } ]',
    unset: (c, a) => {
      const p = existingPeer(c);
      if (!p) return;
      delete p.pskPassword;
      if (!a.pw && a.key === undefined) { delete p.pskLocal; delete p.pskRemote; }
    },
  },
  {
    // local/remote take the key directly: type-7 hex, or clear text prefixed with `!`
    syntax: 'pre-shared-key local <key7>', args: { key7: psk7 },
    run: (c, a) => { peer(c).pskLocal = a.key7; },
    unset: (c) => { const p = existingPeer(c); if (p) delete p.pskLocal; },
  },
  {
    syntax: 'pre-shared-key remote <key7>', args: { key7: psk7 },
    run: (c, a) => { peer(c).pskRemote = a.key7; },
    unset: (c) => { const p = existingPeer(c); if (p) delete p.pskRemote; },
  },
  {
    syntax: 'identity { address <ip> | fqdn <fqdn> | fqdn domain <domain> }', args: { ip: ipv4, fqdn, domain: fqdn },
    run: (c, a) => { peer(c).identity = a.ip ? { address: a.ip } : a.domain ? { fqdnDomain: a.domain } : { fqdn: a.fqdn }; },
    no: 'identity [ { address [ <ip> ] | fqdn [ <fqdn> ] | fqdn domain [ <domain> ] } ]',
    unset: (c) => { const p = existingPeer(c); if (p) delete p.identity; },
  },
  {
    syntax: 'ppk manual id <id> key { password <key7> | <key> } [ {required}:req ]', args: { id: ppkId, key: ppkKey, key7: ppkKey7 },
    help: { 'ppk manual id WORD key WORD': 'Plaintext ppk (stored and shown as type 7)', required: 'To make mandatory or not' },
    run: (c, a) => { peer(c).ppkManual = { id: a.id, key: stored(a), required: a.req === 'required' }; },
    no: 'ppk manual [ id <id> [ key { password <key7> | <key> } [ required ] ] ]',
    unset: (c) => { const p = existingPeer(c); if (p) delete p.ppkManual; },
  },
  {
    syntax: 'ppk dynamic <sks> [ {required}:req ]', args: { sks: name(1, 127) },
    run: (c, a) => { peer(c).ppkDynamic = { sksProfile: a.sks, required: a.req === 'required' }; },
    no: 'ppk dynamic [ <sks> [ required ] ]',
    unset: (c) => { const p = existingPeer(c); if (p) delete p.ppkDynamic; },
  },
];
