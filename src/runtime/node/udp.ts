// A router's UDP endpoints on the host: sockets on 500 and 4500 of each interface address, following the
// running configuration. A datagram received on socket (addr, port) is handed on with dst = addr, dport =
// port; `wire` sends through the socket bound to (src, sport), so replies leave from the address and
// port the peer used (RFC 7296 §2.11), and NAT-T traffic from 4500.
import * as dgram from 'node:dgram';
import { type Datagram, IKE_PORT, NATT_PORT, type Wire } from '../../router/types.js';

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class UdpHost {
  private readonly bound = new Map<string, dgram.Socket>();
  readonly wire: Wire = { send: (d) => this.send(d) };

  constructor(private readonly onDatagram: (d: Datagram) => void, private readonly log: (text: string) => void) {}

  /** Bind 500 and 4500 on each address not bound yet; close the sockets of addresses no longer there. */
  async follow(addresses: string[]): Promise<void> {
    const want = new Set(addresses.flatMap((a) => [`${a}:${IKE_PORT}`, `${a}:${NATT_PORT}`]));
    for (const [key, s] of this.bound) {
      if (!want.has(key)) { this.bound.delete(key); s.close(); this.log(`closed UDP ${key}`); }
    }
    await Promise.all([...want].filter((k) => !this.bound.has(k)).map((k) => this.bind(k)));
  }

  /** "addr:port" of every bound socket. */
  keys(): string[] { return [...this.bound.keys()]; }

  close(): void {
    for (const s of this.bound.values()) { try { s.close(); } catch { /* already closed */ } }
    this.bound.clear();
  }

  private send(d: Datagram): void {
    const s = this.bound.get(`${d.src}:${d.sport}`);
    if (!s) { this.log(`no UDP socket on ${d.src}:${d.sport}; dropped a datagram to ${d.dst}:${d.dport}`); return; }
    s.send(d.data, d.dport, d.dst, (e) => { if (e) this.log(`send ${d.src}:${d.sport} -> ${d.dst}:${d.dport}: ${errText(e)}`); });
  }

  private bind(key: string): Promise<void> {
    const i = key.lastIndexOf(':');
    const addr = key.slice(0, i), port = Number(key.slice(i + 1));
    const s = dgram.createSocket({ type: 'udp4' });
    this.bound.set(key, s); // taken now, so a follow() during the bind does not bind it twice
    return new Promise((resolve) => {
      s.once('error', (e) => {
        this.log(`cannot bind UDP ${key}: ${errText(e)}`);
        if (this.bound.get(key) === s) this.bound.delete(key);
        s.close();
        resolve();
      });
      s.bind({ address: addr, port, exclusive: true }, () => {
        s.removeAllListeners('error');
        s.on('error', (e) => this.log(`UDP ${key}: ${errText(e)}`));
        s.on('message', (data, rinfo) => {
          if (rinfo.family !== 'IPv4') return;
          this.onDatagram({ src: rinfo.address, sport: rinfo.port, dst: addr, dport: port, data: new Uint8Array(data) });
        });
        this.log(`listening on UDP ${key}`);
        resolve();
      });
    });
  }
}
