// Commands the console itself carries out: the configuration session (commit, end, exit, abort, root,
// show configuration) in every configuration mode, and the EXEC commands (configure, show, ping, clear,
// debug). `tag` names the handler in src/cli; the grammar only parses them.
import { ifname, int, ipv4, name } from '../values.js';
import type { CommandSpec } from './types.js';

const any = name(1, 255);

/** `show …` commands, valid in EXEC and (as in IOS XR) in configuration modes. */
export const showCommands: CommandSpec[] = [
  { syntax: 'show running-config [ <section>...8 ]', args: { section: any }, kind: 'exec', tag: 'show-run' },
  { syntax: 'show ikev2 session [ { {detail}:detail | session-id <sid> [ {detail}:detail ] } ]', args: { sid: int(1, 65535) }, kind: 'exec', tag: 'show-ikev2-session' },
  { syntax: 'show ikev2 sa [ {detail}:detail ]', kind: 'exec', tag: 'show-ikev2-sa' },
  { syntax: 'show ikev2 summary', kind: 'exec', tag: 'show-ikev2-summary' },
  { syntax: 'show ikev2 trace', kind: 'exec', tag: 'show-ikev2-trace' },
  { syntax: 'show ipsec sa [ interface <if> ] [ {detail}:detail ]', args: { if: ifname }, kind: 'exec', tag: 'show-ipsec-sa' },
  { syntax: 'show interfaces brief', kind: 'exec', tag: 'show-interfaces-brief' },
  { syntax: 'show ipv4 interface brief', kind: 'exec', tag: 'show-interfaces-brief' },
  { syntax: 'show sks profile [ <name> ]', args: { name: name(1, 127) }, kind: 'exec', tag: 'show-sks' },
  { syntax: 'show clock', kind: 'exec', tag: 'show-clock' },
  { syntax: 'show version', kind: 'exec', tag: 'show-version' },
];

export const sessionCommands: CommandSpec[] = [
  { syntax: 'commit', kind: 'session', tag: 'commit' },
  { syntax: 'end', kind: 'session', tag: 'end' },
  { syntax: 'exit', kind: 'session', tag: 'exit' },
  { syntax: 'abort', kind: 'session', tag: 'abort' },
  { syntax: 'root', kind: 'session', tag: 'root' },
  { syntax: 'show configuration [ {failed}:failed ]', kind: 'session', tag: 'show-config' },
  { syntax: 'do <cmd>...16', args: { cmd: any }, kind: 'session', tag: 'do' },
  ...showCommands,
];

export const execCommands: CommandSpec[] = [
  { syntax: 'configure [ terminal ]', kind: 'exec', tag: 'configure' },
  ...showCommands,
  {
    syntax: 'ping <dest> [ { source { <srcif> | <srcip> } | count <count> | size <size> | timeout <timeout> }...4 ]',
    args: { dest: ipv4, srcif: ifname, srcip: ipv4, count: int(1, 2147483647), size: int(36, 18024), timeout: int(0, 3600) },
    kind: 'exec', tag: 'ping',
  },
  { syntax: 'clear ikev2 sa [ id <id> ]', args: { id: int(1, 4294967295) }, kind: 'exec', tag: 'clear-ikev2-sa' },
  { syntax: 'clear ipsec sa [ interface <if> ]', args: { if: ifname }, kind: 'exec', tag: 'clear-ipsec-sa' },
  { syntax: 'debug ikev2 [ all ]', kind: 'exec', tag: 'debug-ikev2' },
  { syntax: 'undebug { all | ikev2 }', kind: 'exec', tag: 'undebug' },
  { syntax: 'exit', kind: 'exec', tag: 'logout' },
  { syntax: 'logout', kind: 'exec', tag: 'logout' },
];
