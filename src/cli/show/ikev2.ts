// `show ikev2 session [detail] [session-id N]`, `show ikev2 sa [detail]`, `show ikev2 summary` and
// `show ikev2 trace`, laid out as the guide's transcripts (ios-xr-cli.md §5).
import { field } from '../format.js';
import type { IkeSaView, IkeSessionView, TraceEntry } from '../state.js';

const f = (label: string, value: string | number) => field(label, value, 41);
const hex32 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

function ikeSaLines(sa: IkeSaView, detail: boolean): string[] {
  const out = [
    f('Local', sa.local), f('Remote', sa.remote), f('Status(Description)', `${sa.status} (${sa.statusDescription})`), f('Role', sa.role),
  ];
  if (detail) {
    out.push(
      f('Encryption/Keysize', `${sa.encryption}/${sa.keySize}`), f('PRF/Hash/DH Group', `${sa.prf}/${sa.hash}/${sa.dhGroup}`),
      f('Authentication(Sign/Verify)', `${sa.authSign}/${sa.authVerify}`), f('Life/Active Time(sec)', `${sa.lifetime}/${sa.activeTime}`),
      f('Session ID', sa.sessionId), f('Local SPI', sa.localSpi), f('Remote SPI', sa.remoteSpi),
      f('Local ID', sa.localId), f('Remote ID', sa.remoteId),
    );
  }
  out.push(f('Fvrf', sa.fvrf), f('Quantum resistance', sa.quantumResistance));
  return out;
}

function childLines(sa: IkeSaView, detail: boolean): string[] {
  const out: string[] = [];
  for (const c of sa.children) {
    out.push('-----', 'Child SA', '-----', f('Local Selector', c.localSelector), f('Remote Selector', c.remoteSelector),
      f('ESP SPI IN/OUT', `${hex32(c.spiIn)} / ${hex32(c.spiOut)}`));
    if (detail) out.push(f('Encryption', c.encryption), f('Keysize', c.keySize), f('ESP HMAC', c.espHmac));
  }
  return out;
}

export function showIkev2Session(sessions: IkeSessionView[], detail: boolean, id?: number): string[] {
  const chosen = id === undefined ? sessions : sessions.filter((s) => s.id === id);
  const out: string[] = [];
  for (const s of chosen) {
    out.push('', f('Session ID', s.id), '-----', f('Status', s.status), f('IKE Count', s.ikeSas.length),
      f('Child Count', s.ikeSas.reduce((n, sa) => n + sa.children.length, 0)));
    for (const sa of s.ikeSas) out.push(f('IKE SA ID', sa.id), '-----', ...ikeSaLines(sa, detail), ...childLines(sa, detail));
  }
  return out;
}

export function showIkev2Sa(sessions: IkeSessionView[], detail: boolean): string[] {
  const out: string[] = [];
  for (const sa of sessions.flatMap((s) => s.ikeSas)) out.push('', f('IKE SA ID', sa.id), '-----', ...ikeSaLines(sa, detail));
  return out;
}

export function showIkev2Summary(sessions: IkeSessionView[]): string[] {
  const sas = sessions.flatMap((s) => s.ikeSas);
  const count = (l: IkeSaView[]) => {
    const active = l.filter((s) => s.status === 'READY').length, neg = l.filter((s) => s.status === 'IN-NEG').length;
    return `${l.length} (${active}/${neg})`;
  };
  return [
    'IKEv2 Session Summary', '-----',
    f('Total Sa (Active/Negotiation)', count(sas)),
    f('Total Outgoing Sa (Active/Negotiation)', count(sas.filter((s) => s.role === 'Initiator'))),
    f('Total Incoming Sa (Active/Negotiation)', count(sas.filter((s) => s.role === 'Responder'))),
  ];
}

export function traceTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
}

export function showIkev2Trace(trace: TraceEntry[]): string[] {
  if (trace.length === 0) return ['No IKEv2 exchanges recorded.'];
  return trace.map((e) => `${traceTime(e.at)} ${e.text}`);
}
