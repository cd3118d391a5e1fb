// `interface NAME` (Cisco-IOS-XR-um-interface-cfg, -um-if-ipv4-cfg, -um-if-tunnel-cfg; ios-xr-cli.md §2.7).
// The `tunnel …` commands exist only on tunnel-ip interfaces, as the YANG `when` says.
import { type InterfaceConfig, type TunnelConfig, ensure, own } from '../model.js';
import { ifname, ipv4, ipv4Prefix, isTunnelIp, mask, name } from '../values.js';
import type { CommandSpec, ExecCtx, ModeCtx } from './types.js';

const iface = (c: ExecCtx): InterfaceConfig => ensure(c.cfg.interfaces, c.at.interface, () => ({}));
const existingIf = (c: ExecCtx) => own(c.cfg.interfaces, c.at.interface);
const tunnel = (c: ExecCtx): TunnelConfig => (iface(c).tunnel ??= {});
const onTunnel = (at: ModeCtx) => isTunnelIp(at.interface ?? '');
const dropTunnel = (c: ExecCtx, key: keyof TunnelConfig) => {
  const t = existingIf(c)?.tunnel;
  if (!t) return;
  delete t[key];
  if (Object.keys(t).length === 0) delete existingIf(c)!.tunnel;
};

export const interfaceGlobalCommands: CommandSpec[] = [
  {
    syntax: 'interface <if>', args: { if: ifname }, enter: 'interface',
    select: (a) => ({ interface: a.if }),
    run: (c, a) => { ensure(c.cfg.interfaces, a.if, () => ({})); },
    no: 'interface <if>', unset: (c, a) => { delete c.cfg.interfaces[a.if]; },
  },
];

export const interfaceCommands: CommandSpec[] = [
  {
    syntax: 'ipv4 address { <ip> <mask> | <pfx> }', args: { ip: ipv4, mask, pfx: ipv4Prefix },
    run: (c, a) => { iface(c).ipv4 = a.pfx ?? { address: a.ip, mask: a.mask }; },
    no: 'ipv4 address [ <ip> [ <mask> ] ]',
    unset: (c) => { const i = existingIf(c); if (i) delete i.ipv4; },
  },
  {
    syntax: 'description <text>...64', args: { text: name(1, 1024) },
    help: { description: 'Set description for this interface', 'description WORD': 'Description of the interface' },
    run: (c, a) => { iface(c).description = (a.text as string[]).join(' '); },
    no: 'description [ <text>...64 ]',
    unset: (c) => { const i = existingIf(c); if (i) delete i.description; },
  },
  {
    syntax: 'shutdown',
    run: (c) => { iface(c).shutdown = true; },
    unset: (c) => { const i = existingIf(c); if (i) delete i.shutdown; },
  },
  {
    syntax: 'tunnel mode ipsec ipv4', when: onTunnel,
    run: (c) => { tunnel(c).modeIpsecIpv4 = true; },
    no: 'tunnel mode [ ipsec [ ipv4 ] ]', unset: (c) => dropTunnel(c, 'modeIpsecIpv4'),
  },
  {
    syntax: 'tunnel source { <if> | <ip> }', args: { if: ifname, ip: ipv4 }, when: onTunnel,
    run: (c, a) => { tunnel(c).source = a.ip ?? a.if; },
    unset: (c) => dropTunnel(c, 'source'),
  },
  {
    syntax: 'tunnel destination <ip>', args: { ip: ipv4 }, when: onTunnel,
    run: (c, a) => { tunnel(c).destination = a.ip; },
    unset: (c) => dropTunnel(c, 'destination'),
  },
  {
    syntax: 'tunnel protection ipsec profile <name>', args: { name: name(1, 32) }, when: onTunnel,
    run: (c, a) => { tunnel(c).protectionProfile = a.name; },
    no: 'tunnel protection [ ipsec [ profile [ <name> ] ] ]', unset: (c) => dropTunnel(c, 'protectionProfile'),
  },
  {
    syntax: 'tunnel vrf <name>', args: { name: name(1, 32) }, when: onTunnel,
    run: (c, a) => { tunnel(c).vrf = a.name; },
    unset: (c) => dropTunnel(c, 'vrf'),
  },
];
