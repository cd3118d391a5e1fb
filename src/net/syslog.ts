// Syslog messages as IOS XR sends them to a `logging <host>` over UDP port 514: BSD syslog (RFC 3164) framing,
// i.e. a <PRI> then IOS XR's own header, not RFC 5424's. The shape, as documented by napalm-logs
// (https://napalm-logs.readthedocs.io/en/latest/syslog/iosxr.html) from captured IOS XR traffic:
//
//   <PRI>SEQ: [HOSTNAME ]NODE:MMM DD HH:MM:SS.mmm TZ: process[pid]: %CATEGORY-GROUP-SEV-MNEMONIC : text
//   <189>42: RP/0/RP0/CPU0:Jan  1 00:00:05.123 UTC: iked[1234]: %SECURITY-IKEV2-5-SA_UP : IKE SA up
//   <149>2647599: vmx01 RP/0/RSP1/CPU0:Mar 28 15:08:30.941 UTC: bgp[1051]: %ROUTING-BGP-5-MAXPFX : No. of …
//
// - PRI = facility × 8 + severity (RFC 3164 §4.1.1); IOS XR's default facility is local7 (23), so a
//   severity-5 message has <189>.
// - SEQ is the router's running message number; the day of month is space-padded ("Jan  1"), as RFC 3164's
//   TIMESTAMP; milliseconds and the time-zone name follow (`service timestamps log datetime msec`, UTC here
//   because the emulated clock is UTC).
// - HOSTNAME appears only with `logging hostnameprefix` (IOS XR sends none by default).
// - the message identifier is CATEGORY-GROUP-SEVERITY-MNEMONIC ("%PKT_INFRA-LINK-3-UPDOWN") followed by " : ".
import type { Bytes } from '../crypto/bytes.js';
import { utf8 } from '../crypto/bytes.js';

/** IOS XR `logging … severity` / `logging trap` keywords, in RFC 3164/5424 order (0 = most severe). */
export const SEVERITIES = [
  'emergencies', 'alerts', 'critical', 'errors', 'warnings', 'notifications', 'informational', 'debugging',
] as const;
export type SeverityName = (typeof SEVERITIES)[number];

/** What `show logging` and RFC 5424 §6.2.1 call each level. */
export const SEVERITY_DESCRIPTIONS: Record<SeverityName, string> = {
  emergencies: 'System is unusable', alerts: 'Immediate action needed', critical: 'Critical conditions',
  errors: 'Error conditions', warnings: 'Warning conditions', notifications: 'Normal but significant conditions',
  informational: 'Informational messages', debugging: 'Debugging messages',
};

export function severityNumber(name: SeverityName | string): number | undefined {
  const i = (SEVERITIES as readonly string[]).indexOf(name);
  return i < 0 ? undefined : i;
}

export function severityName(n: number): SeverityName | undefined { return SEVERITIES[n]; }

/**
 * IOS XR `logging facility` keywords and their RFC 3164 codes. IOS XR offers sys9…sys14 as distinct keywords,
 * so `cron` takes RFC 3164's second clock-daemon code, 15, as in the BSD table Cisco follows.
 */
export const FACILITIES = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8,
  sys9: 9, sys10: 10, sys11: 11, sys12: 12, sys13: 13, sys14: 14, cron: 15,
  local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23,
} as const;
export type FacilityName = keyof typeof FACILITIES;
export const DEFAULT_FACILITY: FacilityName = 'local7';
/** `logging trap` default on IOS XR */
export const DEFAULT_TRAP_SEVERITY: SeverityName = 'informational';

export function priority(facility: FacilityName | number, severity: SeverityName | number): number {
  const f = typeof facility === 'number' ? facility : FACILITIES[facility];
  const s = typeof severity === 'number' ? severity : severityNumber(severity);
  if (f === undefined || !Number.isInteger(f) || f < 0 || f > 23) throw new RangeError(`net: syslog facility ${facility}`);
  if (s === undefined || !Number.isInteger(s) || s < 0 || s > 7) throw new RangeError(`net: syslog severity ${severity}`);
  return f * 8 + s;
}

/** A message goes to a host whose `logging trap` level is `threshold` when it is at least as severe. */
export function passesThreshold(severity: SeverityName | number, threshold: SeverityName | number): boolean {
  const s = typeof severity === 'number' ? severity : severityNumber(severity)!;
  const t = typeof threshold === 'number' ? threshold : severityNumber(threshold)!;
  return s <= t;
}

export interface SyslogMessage {
  /** running message number */
  seq: number;
  time: Date;
  severity: SeverityName | number;
  facility?: FacilityName | number;
  /** only with `logging hostnameprefix` */
  hostname?: string;
  /** default RP/0/RP0/CPU0 */
  node?: string;
  process: string;
  pid: number;
  /** "SECURITY-IKEV2" — the part before the severity in %SECURITY-IKEV2-5-SA_UP */
  category: string;
  mnemonic: string;
  text: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** "Jan  1 00:00:05.123 UTC" */
export function syslogTimestamp(t: Date): string {
  return `${MONTHS[t.getUTCMonth()]} ${String(t.getUTCDate()).padStart(2, ' ')} ${p2(t.getUTCHours())}:${p2(t.getUTCMinutes())}:` +
    `${p2(t.getUTCSeconds())}.${String(t.getUTCMilliseconds()).padStart(3, '0')} UTC`;
}

/** The text of one message as the syslog host receives it. */
export function formatSyslog(m: SyslogMessage): string {
  const sev = typeof m.severity === 'number' ? m.severity : severityNumber(m.severity)!;
  const pri = priority(m.facility ?? DEFAULT_FACILITY, sev);
  const host = m.hostname ? `${m.hostname} ` : '';
  return `<${pri}>${m.seq}: ${host}${m.node ?? 'RP/0/RP0/CPU0'}:${syslogTimestamp(m.time)}: ${m.process}[${m.pid}]: ` +
    `%${m.category}-${sev}-${m.mnemonic} : ${m.text}`;
}

/** The UDP payload: the formatted text in UTF-8 (IOS XR sends no trailing newline). */
export function syslogPayload(m: SyslogMessage): Bytes { return utf8(formatSyslog(m)); }

export interface ParsedSyslog {
  pri: number; facility: number; severity: number; seq: number; hostname?: string; node: string;
  timestamp: string; process: string; pid: number; category: string; mnemonic: string; text: string;
}

const LINE = /^<(\d{1,3})>(\d+): (?:(\S+) )?([A-Z]+\/[^:\s]+):([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d\.\d{3}(?: [A-Z]+)?): ([^\s[]+)\[(\d+)\]: %([A-Z0-9_]+(?:-[A-Z0-9_]+)*)-([0-7])-([A-Z0-9_]+) : ([\s\S]*)$/;

/** Read back a message in the format above (for the UI's syslog view and tests); undefined when it does not match. */
export function parseSyslog(s: string): ParsedSyslog | undefined {
  const m = LINE.exec(s);
  if (!m) return undefined;
  const pri = Number(m[1]);
  if (pri > 191) return undefined;
  return {
    pri, facility: pri >> 3, severity: pri & 7, seq: Number(m[2]), hostname: m[3], node: m[4], timestamp: m[5],
    process: m[6], pid: Number(m[7]), category: m[8], mnemonic: m[10], text: m[11],
  };
}
