// Syslog to the configured `logging A.B.C.D vrf V [severity S] [port P]` hosts (RFC 5426: one message per
// UDP datagram), in IOS XR's message format (src/net/syslog.ts). The messages are the router's own
// events: tunnel line state changes and IKE SAs coming up. They leave through the router's IP routing,
// so a logging host behind a tunnel-ip interface is reached over the tunnel and nothing goes out in clear.
import { SYSLOG_PORT } from '../net/udp.js';
import { passesThreshold, severityNumber, syslogPayload, DEFAULT_TRAP_SEVERITY } from '../net/syslog.js';
import type { Router } from './router.js';

export class Syslog {
  private seq = 0;
  /** Messages sent (for tests and show logging). */
  readonly sent: string[] = [];

  constructor(private readonly router: Router) {}

  event(category: string, severity: number, mnemonic: string, text: string, process = 'iked', pid = 1187): void {
    const hosts = this.router.store.current.loggingHosts;
    if (!hosts.length) return;
    const m = {
      seq: ++this.seq, time: this.router.time.now(), severity, process, pid, category, mnemonic, text,
    };
    const data = syslogPayload(m);
    for (const h of hosts) {
      // the CLI keyword is `warning`; syslog's name is `warnings`
      const level = severityNumber(h.severity === 'warning' ? 'warnings' : h.severity ?? DEFAULT_TRAP_SEVERITY) ?? 6;
      if (!passesThreshold(severity, level)) continue;
      const src = this.router.sourceFor(h.address);
      this.router.host.sendUdp(src, h.address, SYSLOG_PORT, h.port ?? SYSLOG_PORT, data);
      this.sent.push(`${h.address}:${h.port ?? SYSLOG_PORT} ${new TextDecoder().decode(data)}`);
      if (this.sent.length > 1000) this.sent.splice(0, this.sent.length - 1000);
    }
  }

  lineState(iface: string, up: boolean): void {
    this.event('PKT_INFRA-LINEPROTO', 5, 'UPDOWN', `Line protocol on Interface ${iface}, changed state to ${up ? 'Up' : 'Down'}`,
      'ifmgr', 261);
  }
}
