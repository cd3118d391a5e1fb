// Global system commands: `hostname`, `logging` hosts (management traffic, used later by syslog over the
// tunnel), and `sks profile NAME type remote` (Cisco-IOS-XR-um-sks-server-cfg; ios-xr-cli.md §2.8).
import { type SksProfile, compareLoggingHosts, ensure, own } from '../model.js';
import { hostnameValue, int, ipv4, ipv6, kmeHostname, name, storedSecret } from '../values.js';
import type { CommandSpec, ExecCtx } from './types.js';

const sks = (c: ExecCtx): SksProfile => ensure(c.cfg.sksProfiles, c.at.sks, () => ({}));
const existingSks = (c: ExecCtx) => own(c.cfg.sksProfiles, c.at.sks);

export const systemCommands: CommandSpec[] = [
  {
    syntax: 'hostname <name>', args: { name: hostnameValue },
    run: (c, a) => { c.cfg.hostname = a.name; },
    unset: (c) => { delete c.cfg.hostname; },
  },
  {
    // CLI order of the YANG's logging/vrfs/vrf/ipv4-hostnames (the VRF is `default` when not given)
    syntax: 'logging <ip> [ vrf <vrf> ] [ severity {alerts|critical|debugging|emergencies|errors|informational|notifications|warning}:sev ] [ port <port> ]',
    args: { ip: ipv4, vrf: name(1, 32), port: int(0, 65535) },
    run: (c, a) => {
      const vrf = a.vrf ?? 'default';
      const hosts = c.cfg.loggingHosts.filter((h) => !(h.address === a.ip && h.vrf === vrf));
      hosts.push({ address: a.ip, vrf, ...(a.sev ? { severity: a.sev } : {}), ...(a.port !== undefined ? { port: a.port } : {}) });
      c.cfg.loggingHosts = hosts.sort(compareLoggingHosts);
    },
    no: 'logging <ip> [ vrf <vrf> [ severity {alerts|critical|debugging|emergencies|errors|informational|notifications|warning} ] [ port <port> ] ]',
    unset: (c, a) => { c.cfg.loggingHosts = c.cfg.loggingHosts.filter((h) => !(h.address === a.ip && h.vrf === (a.vrf ?? 'default'))); },
  },
  {
    syntax: 'sks profile <name> type remote', args: { name: name(1, 127) }, enter: 'sks-profile',
    select: (a) => ({ sks: a.name }),
    run: (c, a) => { ensure(c.cfg.sksProfiles, a.name, () => ({})); },
    no: 'sks profile <name> [ type [ remote ] ]', unset: (c, a) => { delete c.cfg.sksProfiles[a.name]; },
  },
];

export const sksCommands: CommandSpec[] = [
  {
    syntax: 'kme server { ipv4 <ip> | ipv6 <ip6> | hostname <host> } port <port> [ vrf <vrf> ]',
    args: { ip: ipv4, ip6: ipv6, host: kmeHostname, port: int(1, 65535), vrf: name(1, 31) },
    run: (c, a) => {
      const s = sks(c);
      delete s.kmeIpv4; delete s.kmeIpv6; delete s.kmeHostname; delete s.kmeVrf;
      if (a.ip) s.kmeIpv4 = a.ip; else if (a.ip6) s.kmeIpv6 = a.ip6; else s.kmeHostname = a.host;
      s.kmePort = a.port;
      if (a.vrf) s.kmeVrf = a.vrf;
    },
    no: 'kme [ server [ { ipv4 <ip> | ipv6 <ip6> | hostname <host> } [ port <port> [ vrf <vrf> ] ] ] ]',
    unset: (c) => {
      const s = existingSks(c);
      if (s) { delete s.kmeIpv4; delete s.kmeIpv6; delete s.kmeHostname; delete s.kmePort; delete s.kmeVrf; }
    },
  },
  {
    // type/remote/kme/psk/{id,key/seven} (ios-xr-cli.md §2.8): the TLS-PSK towards the key source; the key
    // is type-7, or clear text prefixed with `!` (stored type-7). Used by `webswan router` (key-source.ts).
    syntax: 'kme psk id <id> key seven <key7>', args: { id: name(1, 127), key7: storedSecret(128) },
    run: (c, a) => { const s = sks(c); s.kmePskId = a.id; s.kmePskKey = a.key7; },
    no: 'kme psk [ id <id> [ key [ seven [ <key7> ] ] ] ]',
    unset: (c) => { const s = existingSks(c); if (s) { delete s.kmePskId; delete s.kmePskKey; } },
  },
];
