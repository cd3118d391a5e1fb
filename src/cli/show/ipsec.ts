// `show ipsec sa [interface tunnel-ipN] [detail]`, `show interfaces brief` and `show sks profile`
// (the guide's transcripts and ios-xr-cli.md §5; `show sks profile` is webswan's own layout).
import { shortIfname } from '../../config/values.js';
import { field } from '../format.js';
import type { InterfaceView, IpsecSaView, SaDirectionView, SksView } from '../state.js';

const hex32 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
const g = (label: string, value: string | number) => field(label, value, 21);

export function showIpsecSaTable(sas: IpsecSaView[]): string[] {
  const row = (a: string, b: string, c: string, d: string) => `${a.padEnd(17)}${b.padEnd(9)}${c.padEnd(15)}${d}`.trimEnd();
  return [row('If/name', 'SA-Id', 'Inbound SPI', 'Outbound SPI'), '-----',
    ...sas.map((s) => row(s.interface, String(s.saId), hex32(s.inbound.spi), hex32(s.outbound.spi)))];
}

function direction(title: string, d: SaDirectionView): string[] {
  const out = ['-----', title, g('SPI', hex32(d.spi)), g('Protocol', d.protocol), g('Encrypt Algorithm', d.encrypt), g('Auth Algorithm', d.auth)];
  if (d.rekeyAfter !== undefined) out.push(g('Rekey (After Seconds)', d.rekeyAfter));
  out.push(g('Lifetime (expire After Seconds)', d.lifetimeLeft));
  if (d.packets !== undefined) out.push(g('Packets', d.packets), g('Bytes', d.bytes ?? 0), g('Packets dropped', d.drops ?? 0));
  return out;
}

export function showIpsecSaInterface(sas: IpsecSaView[]): string[] {
  const out: string[] = [];
  for (const s of sas) {
    out.push('-----', g('Interface Name', s.interface), g('Interface handle', `0x${s.handle.toString(16)}`), g('SA id', s.saId),
      g('Mode', 'Tunnel'), g('PFS enabled', s.pfsGroup ? 'Yes' : 'No'), g('PFS group', s.pfsGroup ?? 'None'),
      g('Quantum resistant', s.quantumResistant ? 'Yes' : 'No'),
      ...(s.localIdentity ? [g('Local identity', s.localIdentity)] : []), ...(s.remoteIdentity ? [g('Remote identity', s.remoteIdentity)] : []),
      ...direction('Inbound SA', s.inbound), ...direction('Outbound SA', s.outbound));
  }
  return out;
}

export function showInterfacesBrief(ifs: InterfaceView[]): string[] {
  const row = (n: string, s: string, l: string, e: string, m: string, b: string) =>
    `${n.padStart(19)}${s.padStart(12)}${l.padStart(12)}${e.padStart(19)}${m.padStart(6)}${b.padStart(11)}`;
  return [
    '',
    '               Intf       Intf        LineP              Encap  MTU        BW',
    '               Name       State       State               Type (byte)    (Kbps)',
    '-'.repeat(80),
    ...ifs.map((i) => row(shortIfname(i.name), i.adminUp ? 'up' : 'admin-down', !i.adminUp ? 'admin-down' : i.lineUp ? 'up' : 'down',
      i.encap, String(i.mtu), String(i.bandwidthKbps))),
  ];
}

/** `show ipv4 interface brief`: addresses and states, full interface names. */
export function showIpv4InterfaceBrief(ifs: InterfaceView[]): string[] {
  const row = (n: string, a: string, s: string, p: string, v: string) => `${n.padEnd(31)}${a.padEnd(16)}${s.padEnd(16)}${p.padEnd(9)}${v}`;
  const state = (i: InterfaceView) => (!i.adminUp ? 'Shutdown' : i.lineUp ? 'Up' : 'Down');
  return [
    '',
    row('Interface', 'IP-Address', 'Status', 'Protocol', 'Vrf-Name'),
    ...ifs.map((i) => row(i.name, i.ipv4?.split('/')[0] ?? 'unassigned', state(i), i.lineUp ? 'Up' : 'Down', 'default')),
  ];
}

export function showSksProfiles(list: SksView[], name?: string): string[] {
  const f = (label: string, value: string | number) => field(label, value, 41);
  const chosen = name ? list.filter((s) => s.name === name) : list;
  if (chosen.length === 0) return [name ? `% SKS profile ${name} is not configured` : 'No SKS profiles configured.'];
  return chosen.flatMap((s) => ['', f('Profile Name', s.name), f('Type', 'Remote'), f('KME Server', s.server),
    f('Reachability', s.reachability), f('Local System ID', s.localSystemId ?? '-'), f('Remote System ID', s.remoteSystemId ?? '-'),
    f('Keys fetched', s.keysFetched), f('Keys failed', s.keysFailed), ...(s.lastError ? [f('Last error', s.lastError)] : [])]);
}
