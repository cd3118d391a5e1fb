// RouterOps answering from fixed views (test/vectors/ios-xr-guide/state-*.json): the state the guide's
// show transcripts describe, until an engine produces it for real.
import type { RouterOps, IkeSessionView, IpsecSaView, InterfaceView, SksView, TraceEntry, PingReply, PingRequest } from '../../src/cli/state.js';

export interface FixtureState {
  ikeSessions?: IkeSessionView[];
  ipsecSas?: IpsecSaView[];
  interfaces?: InterfaceView[];
  sksProfiles?: SksView[];
  trace?: { at: string; text: string }[];
  pingReplies?: PingReply[];
}

export class FixtureOps implements RouterOps {
  readonly cleared: { ike: (number | undefined)[]; ipsec: (string | undefined)[] } = { ike: [], ipsec: [] };
  readonly pings: PingRequest[] = [];
  private listeners = new Set<(e: TraceEntry) => void>();
  constructor(private readonly s: FixtureState) {}
  ikeSessions() { return this.s.ikeSessions ?? []; }
  ipsecSas() { return this.s.ipsecSas ?? []; }
  interfaces() { return this.s.interfaces ?? []; }
  sksProfiles() { return this.s.sksProfiles ?? []; }
  trace(): TraceEntry[] { return (this.s.trace ?? []).map((e) => ({ at: new Date(e.at), text: e.text })); }
  onTrace(fn: (e: TraceEntry) => void) { this.listeners.add(fn); return () => { this.listeners.delete(fn); }; }
  emit(e: TraceEntry): void { for (const l of this.listeners) l(e); }
  clearIkeSa(id?: number) { this.cleared.ike.push(id); return id === undefined || this.ikeSessions().some((s) => s.ikeSas.some((a) => a.id === id)) ? 1 : 0; }
  clearIpsecSa(iface?: string) { this.cleared.ipsec.push(iface); return 1; }
  async ping(req: PingRequest, onReply: (r: PingReply) => void) {
    this.pings.push(req);
    const replies = this.s.pingReplies ?? [];
    for (let i = 0; i < req.count; i++) onReply(replies[i] ?? { seq: i + 1, ok: false });
  }
}
