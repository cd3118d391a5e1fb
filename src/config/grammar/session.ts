// Commands the console itself carries out: the configuration session (commit, end, exit, abort, root,
// show configuration) in every configuration mode, and the EXEC commands (configure, show, ping, clear,
// debug). `tag` names the handler in src/cli; the grammar only parses them.
import { ifname, int, ipv4, name } from '../values.js';
import type { CommandSpec } from './types.js';

const any = name(1, 255);

/** `?` help of the EXEC and session words (IOS XR's own strings where it has them; none are in the UM YANG). */
const HELP: Record<string, string> = {
  crypto: 'Encryption module',
  ca: 'Certification authority',
  certificates: 'Certificates of the trustpoints',
  authenticate: 'Get the certification authority certificate',
  import: 'Import a certificate (and its private key) by cut-and-paste',
  certificate: 'Router certificate',
  enroll: 'Request a certificate from a certification authority',
  'show crypto ca certificates WORD': 'Trustpoint name',
  'crypto ca authenticate WORD': 'Trustpoint name',
  'crypto ca import WORD': 'Trustpoint name',
  'crypto ca enroll WORD': 'Trustpoint name',
  'clear crypto ca certificates WORD': 'Trustpoint name',
  abort: 'Discard all uncommitted changes and exit to EXEC mode',
  brief: 'Brief information',
  clear: 'Clear or reset functions',
  clock: 'Display the system clock',
  commit: 'Commit the configuration changes to running',
  configuration: 'Contents of the non-committed configuration',
  'show configuration commit': 'Commit information',
  list: 'List the commit database',
  changes: 'Display the configuration changes of commits',
  last: 'Changes made in the most recent <n> commits',
  'show configuration commit list <1-100>': 'Number of the most recent commits to list',
  'show configuration commit changes <1000000001-2000000000>': 'Commit ID',
  configure: 'Enter configuration mode',
  count: 'specify repeat count',
  debug: 'Debugging functions',
  detail: 'Detailed information',
  do: 'To run exec commands in config mode',
  end: 'Exit from configure mode',
  failed: 'Failed configuration',
  inheritance: 'Show the failed configuration with inherited values',
  id: 'IKEv2 SA identifier',
  ikev2: 'IKEv2 information',
  'clear ikev2': 'Clear IKEv2 state',
  'debug ikev2': 'IKEv2 negotiation trace',
  'undebug ikev2': 'IKEv2 negotiation trace',
  all: 'All debugging',
  interface: 'Interface',
  interfaces: 'Interface status and configuration',
  ipsec: 'IPsec information',
  'clear ipsec': 'Clear IPsec state',
  ip: 'IPv4 information (alias of ipv4)',
  ipv4: 'IPv4 information',
  logout: 'Exit from the EXEC',
  ping: 'Send echo messages',
  profile: 'Session key service profile',
  root: 'Exit to the global configuration mode',
  'running-config': 'Current operating configuration',
  sa: 'Security associations',
  session: 'IKEv2 sessions',
  'session-id': 'Session identifier',
  show: 'Show running system information',
  size: 'specify datagram size',
  sks: 'Session key service (PPK key sources)',
  source: 'specify source address or name',
  summary: 'Summary',
  terminal: 'Configure from the terminal',
  timeout: 'specify timeout interval',
  trace: 'Recorded IKEv2 exchanges, in plain words',
  undebug: "Disable debugging functions (see also 'debug')",
  version: 'System hardware and software status',
};

/** `show …` commands, valid in EXEC and (as in IOS XR) in configuration modes. */
const rawShow: CommandSpec[] = [
  { syntax: 'show running-config [ <section>...8 ]', args: { section: any }, kind: 'exec', tag: 'show-run' },
  { syntax: 'show ikev2 session [ { {detail}:detail [ session-id <sid> ] | session-id <sid> [ {detail}:detail ] } ]', args: { sid: int(1, 65535) }, kind: 'exec', tag: 'show-ikev2-session' },
  { syntax: 'show ikev2 sa [ {detail}:detail ]', kind: 'exec', tag: 'show-ikev2-sa' },
  { syntax: 'show ikev2 summary', kind: 'exec', tag: 'show-ikev2-summary' },
  { syntax: 'show ikev2 trace', kind: 'exec', tag: 'show-ikev2-trace' },
  { syntax: 'show ipsec sa [ interface <if> ] [ {detail}:detail ]', args: { if: ifname }, kind: 'exec', tag: 'show-ipsec-sa' },
  { syntax: 'show interfaces brief', kind: 'exec', tag: 'show-interfaces-brief' },
  { syntax: 'show ipv4 interface brief', kind: 'exec', tag: 'show-ipv4-brief' },
  { syntax: 'show ip interface brief', kind: 'exec', tag: 'show-ipv4-brief' },
  { syntax: 'show sks profile [ <name> ]', args: { name: name(1, 127) }, kind: 'exec', tag: 'show-sks' },
  { syntax: 'show clock', kind: 'exec', tag: 'show-clock' },
  { syntax: 'show configuration commit list [ <n> ]', args: { n: int(1, 100) }, kind: 'exec', tag: 'show-commit-list' },
  {
    syntax: 'show configuration commit changes { last <last> | <id> }', args: { last: int(1, 100), id: int(1000000001, 2000000000) },
    kind: 'exec', tag: 'show-commit-changes',
  },
  { syntax: 'show version', kind: 'exec', tag: 'show-version' },
  { syntax: 'show crypto ca certificates [ <name> ]', args: { name: name(1, 32) }, kind: 'exec', tag: 'show-crypto-ca-certs' },
];
const withHelp = (cmds: CommandSpec[]): CommandSpec[] => cmds.map((c) => ({ ...c, help: { ...HELP, ...c.help } }));
export const showCommands = withHelp(rawShow);

const rawSession: CommandSpec[] = [
  { syntax: 'commit', kind: 'session', tag: 'commit' },
  { syntax: 'end', kind: 'session', tag: 'end' },
  { syntax: 'exit', kind: 'session', tag: 'exit', help: { exit: 'Exit from this submode' } },
  { syntax: 'abort', kind: 'session', tag: 'abort' },
  { syntax: 'root', kind: 'session', tag: 'root' },
  { syntax: 'show configuration [ {failed}:failed [ inheritance ] ]', kind: 'session', tag: 'show-config' },
  { syntax: 'do <cmd>...16', args: { cmd: any }, kind: 'session', tag: 'do' },
  ...showCommands,
];

const rawExec: CommandSpec[] = [
  { syntax: 'configure [ terminal ]', kind: 'exec', tag: 'configure' },
  ...showCommands,
  {
    syntax: 'ping <dest> [ { source { <srcif> | <srcip> } | count <count> | size <size> | timeout <timeout> }...4 ]',
    args: { dest: ipv4, srcif: ifname, srcip: ipv4, count: int(1, 2147483647), size: int(36, 18024), timeout: int(0, 3600) },
    kind: 'exec', tag: 'ping',
  },
  { syntax: 'clear ikev2 sa [ id <id> ]', args: { id: int(1, 4294967295) }, kind: 'exec', tag: 'clear-ikev2-sa' },
  { syntax: 'clear ipsec sa [ interface <if> ]', args: { if: ifname }, kind: 'exec', tag: 'clear-ipsec-sa' },
  // docs/pki.md: certificates and keys are imported by EXEC commands, never stored in the configuration
  { syntax: 'crypto ca authenticate <name>', args: { name: name(1, 32) }, kind: 'exec', tag: 'crypto-ca-authenticate' },
  { syntax: 'crypto ca import <name> certificate', args: { name: name(1, 32) }, kind: 'exec', tag: 'crypto-ca-import' },
  { syntax: 'crypto ca enroll <name>', args: { name: name(1, 32) }, kind: 'exec', tag: 'crypto-ca-enroll' },
  { syntax: 'clear crypto ca certificates <name>', args: { name: name(1, 32) }, kind: 'exec', tag: 'clear-crypto-ca' },
  { syntax: 'debug ikev2 [ all ]', kind: 'exec', tag: 'debug-ikev2' },
  { syntax: 'undebug { all | ikev2 }', kind: 'exec', tag: 'undebug' },
  { syntax: 'exit', kind: 'exec', tag: 'logout', help: { exit: 'Exit from the EXEC' } },
  { syntax: 'logout', kind: 'exec', tag: 'logout' },
];
export const sessionCommands = withHelp(rawSession);
export const execCommands = withHelp(rawExec);
