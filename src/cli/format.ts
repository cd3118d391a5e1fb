// Output conventions of IOS XR: the timestamp line printed before show output and commits
// (`Mon Feb 12 19:29:16.935 UTC`, `Thu Sep  4 …` for one-digit days), the date of `Last configuration
// change at …`, and label alignment.
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

export function timestampLine(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:` +
    `${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')} UTC`;
}

/** Whether a line is the timestamp line (as output filters keep it). */
export const isTimestampLine = (s: string) => /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d\.\d{3} UTC$/.test(s);

/** `show clock`: `10:29:44.738 UTC Mon Feb 12 2024`. */
export function clockLine(d: Date): string {
  return `${timestampLine(d).split(' ').slice(-2).join(' ')} ${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()}`;
}

/** `Mon Feb 12 19:29:16 2024`. */
export function changeTime(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:` +
    `${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** `Label<padding>: value`, the layout of the IKEv2/IPsec show commands (colon in a fixed column). */
export function field(label: string, value: string | number, width = 41): string {
  return `${label}${' '.repeat(Math.max(1, width - label.length))}: ${value}`;
}
