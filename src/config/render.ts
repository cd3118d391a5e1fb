// Canonical IOS XR text of a configuration: what `show running-config` prints and what a saved
// configuration file holds. One space of indent per level, `!` closing each block (XR style), secrets
// type-7 only. Loading this text back (load.ts) yields the same configuration.
import { type Ikev2Profile, type KeyringPeer, type RouterConfig, compareLoggingHosts } from './model.js';

/** A configuration line, and the block it opens when it is a submode command. */
export interface Block { line: string; children: Block[]; block?: boolean }

const leaf = (line: string): Block => ({ line, children: [] });
const node = (line: string, children: Block[]): Block => ({ line, children, block: true });
const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
const entries = <T>(o: Record<string, T>) => Object.keys(o).sort(byName).map((k) => [k, o[k]] as const);

function peerLines(p: KeyringPeer): Block[] {
  const out: Block[] = [];
  if (p.ppkManual) out.push(leaf(`ppk manual id ${p.ppkManual.id} key password ${p.ppkManual.key}${p.ppkManual.required ? ' required' : ''}`));
  if (p.ppkDynamic) out.push(leaf(`ppk dynamic ${p.ppkDynamic.sksProfile}${p.ppkDynamic.required ? ' required' : ''}`));
  if (p.pskPassword) out.push(leaf(`pre-shared-key password ${p.pskPassword}`));
  if (p.pskLocal) out.push(leaf(`pre-shared-key local ${p.pskLocal}`));
  if (p.pskRemote) out.push(leaf(`pre-shared-key remote ${p.pskRemote}`));
  if (p.address) out.push(leaf(`address ${p.address.address} ${p.address.mask}`));
  const id = p.identity;
  if (id) out.push(leaf('address' in id ? `identity address ${id.address}` : 'fqdn' in id ? `identity fqdn ${id.fqdn}` : `identity fqdn domain ${id.fqdnDomain}`));
  return out;
}

function profileLines(p: Ikev2Profile): Block[] {
  const out: Block[] = [];
  for (const m of p.authLocal ?? []) out.push(leaf(`authentication local ${m}`));
  for (const m of p.authRemote ?? []) out.push(leaf(`authentication remote ${m}`));
  if (p.identityLocal) out.push(leaf('address' in p.identityLocal ? `identity local address ${p.identityLocal.address}` : `identity local fqdn ${p.identityLocal.fqdn}`));
  if (p.keyring) out.push(leaf(`keyring ${p.keyring}`));
  if (p.keyringPpk) out.push(leaf(`keyring ppk ${p.keyringPpk}`));
  if (p.lifetime !== undefined) out.push(leaf(`lifetime ${p.lifetime}`));
  if (p.matchFvrf) out.push(leaf(`match fvrf ${'any' in p.matchFvrf ? 'any' : p.matchFvrf.vrf}`));
  for (const a of p.matchRemoteAddress) out.push(leaf(`match identity remote address ${a.address} ${a.mask}`));
  for (const f of p.matchRemoteFqdn) out.push(leaf(`match identity remote fqdn ${f}`));
  for (const f of p.matchRemoteFqdnDomain) out.push(leaf(`match identity remote fqdn domain ${f}`));
  if (p.matchRemoteAny) out.push(leaf('match identity remote any'));
  for (const t of p.pkiTrustpoints) out.push(leaf(`pki trustpoint ${t}`));
  return out;
}

/** The configuration as a block tree, in the order IOS XR shows it (the guide's order within blocks). */
export function configBlocks(c: RouterConfig): Block[] {
  const out: Block[] = [];
  if (c.hostname) out.push(leaf(`hostname ${c.hostname}`));
  for (const h of [...c.loggingHosts].sort(compareLoggingHosts)) {
    out.push(leaf(`logging ${h.address} vrf ${h.vrf}${h.severity ? ` severity ${h.severity}` : ''}${h.port !== undefined ? ` port ${h.port}` : ''}`));
  }
  for (const [n, t] of entries(c.trustpoints ?? {})) {
    const ch: Block[] = [];
    if (t.enrollment) ch.push(leaf('terminal' in t.enrollment ? 'enrollment terminal' : `enrollment url ${t.enrollment.url}`));
    if (t.subjectName) ch.push(leaf(`subject-name ${t.subjectName}`));
    if (t.ipAddress) ch.push(leaf(`ip-address ${t.ipAddress}`));
    if (t.rsakeypair) ch.push(leaf(`rsakeypair ${t.rsakeypair}`));
    if (t.crlOptional) ch.push(leaf('crl optional'));
    out.push(node(`crypto ca trustpoint ${n}`, ch));
  }
  const g = c.ikev2Global;
  if (g?.dpd) out.push(leaf(`ikev2 global dpd ${g.dpd.interval} ${g.dpd.retry}`));
  if (g?.retransmission !== undefined) out.push(leaf(`ikev2 global retransmission ${g.retransmission}`));
  for (const [n, p] of entries(c.ikev2Proposals)) {
    const ch: Block[] = [];
    if (p.prf.length) ch.push(leaf(`prf ${p.prf.join(' ')}`));
    if (p.dhGroup.length) ch.push(leaf(`dh-group ${p.dhGroup.join(' ')}`));
    if (p.integrity.length) ch.push(leaf(`integrity ${p.integrity.join(' ')}`));
    if (p.encryption.length) ch.push(leaf(`encryption ${p.encryption.join(' ')}`));
    out.push(node(`ikev2 proposal ${n}`, ch));
  }
  for (const [n, p] of entries(c.ikev2Policies)) {
    const ch: Block[] = p.matchAddressLocal.map((a) => leaf(`match address local ${a}`));
    if (p.matchFvrf) ch.push(leaf(`match fvrf ${'any' in p.matchFvrf ? 'any' : p.matchFvrf.vrf}`));
    for (const pr of p.proposals) ch.push(leaf(`proposal ${pr}`));
    out.push(node(`ikev2 policy ${n}`, ch));
  }
  for (const [n, k] of entries(c.keyrings)) {
    out.push(node(`keyring ${n}`, entries(k.peers).map(([pn, p]) => node(`peer ${pn}`, peerLines(p)))));
  }
  for (const [n, p] of entries(c.ikev2Profiles)) out.push(node(`ikev2 profile ${n}`, profileLines(p)));
  for (const [n, s] of entries(c.sksProfiles)) {
    const ch: Block[] = [];
    const server = s.kmeIpv4 ? `ipv4 ${s.kmeIpv4}` : s.kmeIpv6 ? `ipv6 ${s.kmeIpv6}` : s.kmeHostname ? `hostname ${s.kmeHostname}` : undefined;
    if (server && s.kmePort) ch.push(leaf(`kme server ${server} port ${s.kmePort}${s.kmeVrf ? ` vrf ${s.kmeVrf}` : ''}`));
    if (s.kmePskId && s.kmePskKey) ch.push(leaf(`kme psk id ${s.kmePskId} key seven ${s.kmePskKey}`));
    out.push(node(`sks profile ${n} type remote`, ch));
  }
  for (const [n, t] of entries(c.transformSets)) {
    const ch: Block[] = [];
    if (t.modeTunnel) ch.push(leaf('mode tunnel'));
    if (t.encryption || t.auth) ch.push(leaf(`transform ${[t.encryption, t.auth].filter(Boolean).join(' ')}`));
    out.push(node(`ipsec transform-set ${n}`, ch));
  }
  for (const [n, p] of entries(c.ipsecProfiles)) {
    const ch: Block[] = [];
    if (p.ikev2Profile) ch.push(leaf(`set ikev2-profile ${p.ikev2Profile}`));
    if (p.pfs) ch.push(leaf(`set pfs group${p.pfs}`));
    if (p.responderOnly) ch.push(leaf('set responder-only'));
    if (p.saLifetime !== undefined) ch.push(leaf(`set security-association lifetime seconds ${p.saLifetime}`));
    if (p.transformSets.length) ch.push(leaf(`set transform-set ${p.transformSets.join(' ')}`));
    out.push(node(`ipsec profile ${n}`, ch));
  }
  for (const [n, i] of entries(c.interfaces)) {
    const ch: Block[] = [];
    if (i.description) ch.push(leaf(`description ${i.description}`));
    if (i.ipv4) ch.push(leaf(`ipv4 address ${i.ipv4.address} ${i.ipv4.mask}`));
    if (i.shutdown) ch.push(leaf('shutdown'));
    const t = i.tunnel;
    if (t?.modeIpsecIpv4) ch.push(leaf('tunnel mode ipsec ipv4'));
    if (t?.source) ch.push(leaf(`tunnel source ${t.source}`));
    if (t?.destination) ch.push(leaf(`tunnel destination ${t.destination}`));
    if (t?.protectionProfile) ch.push(leaf(`tunnel protection ipsec profile ${t.protectionProfile}`));
    if (t?.vrf) ch.push(leaf(`tunnel vrf ${t.vrf}`));
    out.push(node(`interface ${n}`, ch));
  }
  return out;
}

/** Block tree → text lines: one space of indent per level; `!` closes every block with children. */
export function blockLines(blocks: Block[], depth = 0): string[] {
  const out: string[] = [];
  const pad = ' '.repeat(depth);
  let pendingSingle = false;
  for (const b of blocks) {
    if (!b.block) { out.push(pad + b.line); pendingSingle = true; continue; }
    if (pendingSingle && depth === 0) out.push('!');
    pendingSingle = false;
    out.push(pad + b.line, ...blockLines(b.children, depth + 1), pad + '!');
  }
  if (pendingSingle && depth === 0) out.push('!');
  return out;
}

/** The body of `show running-config` / a configuration file: blocks, then `end`. */
export function renderConfig(c: RouterConfig): string {
  return [...blockLines(configBlocks(c)), 'end'].join('\n') + '\n';
}
