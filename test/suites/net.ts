// The management host (src/net): IPv4/ICMP/UDP encodings checked against packets Linux built and answered,
// RFC 1071's worked example, properties (round trip, single-bit errors caught, no throw on garbage), syslog
// text as IOS XR sends it, and two Hosts pinging each other over a simulated wire on virtual time.
import fc from 'fast-check';
import { fromHex, hex, utf8, type Bytes } from '../../src/crypto/bytes.js';
import {
  Host, IPPROTO, buildIcmpEcho, buildIpv4, buildUdp, bytesToIp, inPrefix, internetChecksum, ipToBytes, isIpv4, lenToMask,
  maskToLen, onesSum, parseIcmp, parseIpv4, parseUdp, pingData,
  FACILITIES, SEVERITIES, formatSyslog, parseSyslog, priority, severityName, severityNumber, syslogPayload, passesThreshold,
  type HostOptions, type SyslogMessage,
} from '../../src/net/index.js';
import { VirtualTime } from '../../src/util/clock.js';
import { execCommand, type ExecEnv } from '../../src/cli/exec.js';
import type { PingReply, RouterOps } from '../../src/cli/state.js';
import type { Segment } from '../../src/config/grammar/matcher.js';
import type { ConfigStore } from '../../src/config/store.js';
import { bytesEqual, equal, ok } from '../support/assert.js';

// Captured with an AF_PACKET socket on a veth pair between two Linux 6.18 network namespaces, 10.99.0.1
// (wsA) ↔ 10.99.0.2 (wsB), transmit checksum offload turned off (ETHTOOL_STXCSUM) so every checksum on the
// wire is the kernel's own. Linux built all of these; only the payload text was ours.
const LINUX = {
  /** wsA ping socket (SOCK_DGRAM/IPPROTO_ICMP: the kernel fills identifier and checksum): echo request, id 0xbc65 seq 1 */
  echoRequest: '45000039ef844000400136770a6300010a6300020800573cbc6500017765627377616e206563686f2030313233343536373839616263646566',
  /** wsB kernel's echo reply to it */
  echoReply: '45000039316d00004001348f0a6300020a63000100005f3cbc6500017765627377616e206563686f2030313233343536373839616263646566',
  /** wsA UDP socket bound to 10.99.0.1:51514 → 10.99.0.2:514, a syslog line */
  syslogUdp: '4500006a86b3400040119f070a6300010a630002c93a020200567f023c3138393e313a2052502f302f5250302f435055303a4a616e2020312030303a30303a30302e303030205554433a20746573745b315d3a20254f532d544553542d352d4d5347203a2068656c6c6f',
  /** wsB kernel: port unreachable for that datagram (nothing listened on 514) — an ICMP type the host does not handle */
  portUnreachable: '45c00086316e0000400133810a6300020a6300010303122d000000004500006a86b3400040119f070a6300010a630002c93a020200567f023c3138393e313a2052502f302f5250302f435055303a4a616e2020312030303a30303a30302e303030205554433a20746573745b315d3a20254f532d544553542d352d4d5347203a2068656c6c6f',
};

// webswan-built packets written onto wsA's veth (AF_PACKET, to wsB's MAC), and what the wsB kernel sent back.
// /proc/net/snmp in wsB afterwards: Icmp InEchos 1 OutEchoReps 1 InCsumErrors 0; Udp NoPorts 1 InCsumErrors 0 —
// Linux verified both our checksums (a UDP datagram with a bad checksum is dropped before the port lookup).
const OURS = {
  /** buildIpv4(id 0x1234) of an echo request, identifier 0xbeef, seq 1, ping size 100 */
  echoRequest: '4500006412340000ff01949c0a6300010a63000208001023beef0001' + 'abcd'.repeat(36),
  linuxReply: '45000064809700004001e5390a6300020a63000100001823beef0001' + 'abcd'.repeat(36),
  /** UDP 514 → 7, "<189>1: webswan" */
  udp: '4500002b12350000ff1194c40a6300010a6300020202000700173cf83c3138393e313a207765627377616e',
  linuxPortUnreachable: '45c0004780b500004001e4780a6300020a630001030311ee000000004500002b12350000ff1194c40a6300010a6300020202000700173cf83c3138393e313a207765627377616e',
};

/** A wire between hosts on virtual time: one-way `delayMs`, and a filter that may drop a packet. */
class Wire {
  readonly hosts = new Map<string, Host>();
  readonly log: { from: string; to: string; dropped: boolean }[] = [];
  constructor(readonly time: VirtualTime, readonly delayMs: number, readonly keep: (src: string, n: number) => boolean = () => true) {}
  private sent = new Map<string, number>();
  send(packet: Bytes): void {
    const ip = parseIpv4(packet);
    ok(ip.ok, 'hosts send valid IPv4');
    const n = (this.sent.get(ip.src) ?? 0) + 1;
    this.sent.set(ip.src, n);
    const keep = this.keep(ip.src, n);
    this.log.push({ from: ip.src, to: ip.dst, dropped: !keep });
    if (!keep) return;
    const to = this.hosts.get(ip.dst);
    if (!to) return;
    if (this.delayMs < 0) to.deliver(packet); // synchronous: delivered inside send()
    else this.time.setTimeout(() => to.deliver(packet), this.delayMs);
  }
  host(addr: string, extra: Partial<HostOptions> = {}): Host {
    const h = new Host({ time: this.time, addresses: () => [addr], send: (p) => this.send(p), ...extra });
    this.hosts.set(addr, h);
    return h;
  }
}

async function runPing(time: VirtualTime, h: Host, dst: string, count: number, opts: { size?: number; timeoutSec?: number; source?: string } = {}) {
  const replies: PingReply[] = [];
  let done = false;
  const p = h.ping({ destination: dst, count, size: opts.size ?? 100, timeoutSec: opts.timeoutSec ?? 2, source: opts.source },
    (r) => replies.push(r), () => undefined).then(() => { done = true; });
  for (let i = 0; i < 100000 && !done; i++) { time.advance(time.nextDeadline() === undefined ? 0 : time.nextDeadline()! - time.ms); await Promise.resolve(); }
  await p;
  return replies;
}

/** Run the real `ping` exec command (src/cli/exec.ts) against RouterOps.ping backed by a Host. */
async function execPing(time: VirtualTime, h: Host, dst: string, count: number): Promise<string> {
  let text = '';
  const ops = {
    ping: (req, onReply) => h.ping(req, onReply, () => undefined),
  } as Partial<RouterOps> as RouterOps;
  const env: ExecEnv = {
    ops, store: {} as ConfigStore, clock: time, release: '7.11.2',
    out: (...lines) => { text += lines.map((l) => l + '\n').join(''); }, write: (t) => { text += t; }, setDebug: () => {},
  };
  const seg = { cmd: { tag: 'ping' }, args: { dest: dst, count } } as unknown as Segment;
  let done = false;
  const p = execCommand(seg, env).then(() => { done = true; });
  for (let i = 0; i < 100000 && !done; i++) { const d = time.nextDeadline(); time.advance(d === undefined ? 0 : d - time.ms); await Promise.resolve(); }
  await p;
  return text;
}

const flipBit = (b: Bytes, bit: number): Bytes => { const c = b.slice(); c[bit >> 3] ^= 0x80 >> (bit & 7); return c; };
const ipArb = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));

export function netSuite(): void {
  describe('Internet checksum (RFC 1071)', () => {
    it('RFC 1071 §3 numerical example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2', () => {
      const b = fromHex('0001f203f4f5f6f7');
      equal(onesSum(b), 0xddf2, 'one\'s-complement sum');
      equal(internetChecksum(b), 0x220d, 'checksum');
    });

    it('an odd byte count pads with zero, and the sum is byte-order independent (RFC 1071 §2(B))', () => {
      equal(onesSum(fromHex('0001f203f4f5f6')), onesSum(fromHex('0001f203f4f5f600')), 'odd length');
      const b = fromHex('0001f203f4f5f6f7'), swapped = b.slice();
      for (let i = 0; i < b.length; i += 2) { swapped[i] = b[i + 1]; swapped[i + 1] = b[i]; }
      const s = onesSum(swapped);
      equal(((s & 0xff) << 8) | (s >> 8), 0xddf2, 'swapped sum is the swapped result');
    });

    it('the Wikipedia "IPv4 header checksum" example header verifies (checksum b861)', () => {
      // https://en.wikipedia.org/wiki/Internet_checksum — 192.168.0.1 → 192.168.0.199, UDP, DF
      const h = fromHex('450000730000400040 11b861c0a80001c0a800c7'.replace(/ /g, ''));
      equal(internetChecksum(h), 0, 'verifies');
      h[10] = 0; h[11] = 0;
      equal(internetChecksum(h), 0xb861, 'recomputed');
    });
  });

  describe('IPv4, ICMP and UDP against Linux', () => {
    it('parses the echo request a Linux ping socket sent', () => {
      const ip = parseIpv4(fromHex(LINUX.echoRequest));
      ok(ip.ok, 'parsed');
      equal(ip.src, '10.99.0.1', 'src'); equal(ip.dst, '10.99.0.2', 'dst');
      equal(ip.ttl, 64, 'ttl'); equal(ip.flags, 2, 'DF'); equal(ip.id, 0xef84, 'id'); equal(ip.totalLength, 57, 'length');
      equal(ip.protocol, IPPROTO.ICMP, 'protocol'); equal(ip.checksum, 0x3677, 'checksum');
      const m = parseIcmp(ip.payload);
      ok(m.ok, 'icmp parsed');
      equal(m.type, 8, 'type'); equal(m.identifier, 0xbc65, 'identifier'); equal(m.sequence, 1, 'sequence');
      equal(new TextDecoder().decode(m.data), 'webswan echo 0123456789abcdef', 'data');
      bytesEqual(buildIcmpEcho(m), fromHex(LINUX.echoRequest.slice(40)), 'rebuilt ICMP is Linux\'s, checksum included');
    });

    it('our echo reply to it carries exactly the ICMP message Linux answered with', () => {
      const sent: Bytes[] = [];
      const h = new Host({ time: new VirtualTime(), addresses: () => ['10.99.0.2'], send: (p) => sent.push(p) });
      equal(h.deliver(fromHex(LINUX.echoRequest)), 'echo-request', 'answered');
      equal(sent.length, 1, 'one reply');
      const ours = parseIpv4(sent[0]), linux = parseIpv4(fromHex(LINUX.echoReply));
      ok(ours.ok && linux.ok, 'both parse');
      equal(ours.src, '10.99.0.2', 'from the address pinged'); equal(ours.dst, '10.99.0.1', 'to the sender');
      bytesEqual(ours.payload, linux.payload, 'ICMP echo reply');
    });

    it('rebuilds Linux\'s IPv4 headers byte for byte', () => {
      for (const [name, h] of Object.entries({ ...LINUX, ...OURS })) {
        const b = fromHex(h);
        const ip = parseIpv4(b);
        ok(ip.ok, `${name} parses`);
        const again = buildIpv4({ src: ip.src, dst: ip.dst, protocol: ip.protocol, ttl: ip.ttl, id: ip.id, tos: ip.tos, df: ip.flags === 2 }, ip.payload);
        bytesEqual(again, b, name);
      }
    });

    it('parses the syslog datagram Linux sent and builds the same UDP checksum', () => {
      const ip = parseIpv4(fromHex(LINUX.syslogUdp));
      ok(ip.ok, 'ip');
      const u = parseUdp(ip.payload, ip.src, ip.dst);
      ok(u.ok, 'udp');
      equal(u.sport, 51514, 'sport'); equal(u.dport, 514, 'dport'); equal(u.checksum, 0x7f02, 'checksum');
      bytesEqual(buildUdp(ip.src, ip.dst, u), ip.payload, 'rebuilt');
      const s = parseSyslog(new TextDecoder().decode(u.data));
      ok(s, 'syslog text parses');
      equal(s.severity, 5, 'severity'); equal(s.facility, 23, 'local7');
      equal(parseUdp(ip.payload, ip.src, '10.99.0.3').ok, false, 'a different pseudo-header fails');
    });

    it('our echo request and UDP datagram are what Linux accepted (its answers quote them)', () => {
      const req = buildIpv4({ src: '10.99.0.1', dst: '10.99.0.2', protocol: IPPROTO.ICMP, id: 0x1234 },
        buildIcmpEcho({ type: 8, identifier: 0xbeef, sequence: 1, data: pingData(100) }));
      bytesEqual(req, fromHex(OURS.echoRequest), 'echo request');
      const udp = buildIpv4({ src: '10.99.0.1', dst: '10.99.0.2', protocol: IPPROTO.UDP, id: 0x1235 },
        buildUdp('10.99.0.1', '10.99.0.2', { sport: 514, dport: 7, data: utf8('<189>1: webswan') }));
      bytesEqual(udp, fromHex(OURS.udp), 'udp');
      const unreach = parseIpv4(fromHex(OURS.linuxPortUnreachable));
      ok(unreach.ok, 'port unreachable parses');
      bytesEqual(unreach.payload.slice(8), udp, 'Linux quotes our datagram in full');
    });

    it('a Host ping answered by Linux: the request on the wire is the captured one, the reply completes it', async () => {
      const time = new VirtualTime();
      const sent: Bytes[] = [];
      const h = new Host({ time, addresses: () => ['10.99.0.1'], send: (p) => sent.push(p), random: () => fromHex('1234beef') });
      const replies: PingReply[] = [];
      const p = h.ping({ destination: '10.99.0.2', count: 1, size: 100, timeoutSec: 2 }, (r) => replies.push(r), () => '10.99.0.1');
      bytesEqual(sent[0], fromHex(OURS.echoRequest), 'request');
      time.advance(1);
      equal(h.deliver(fromHex(OURS.linuxReply)), 'echo-reply', 'matched');
      await p;
      equal(JSON.stringify(replies), JSON.stringify([{ seq: 1, ok: true, rttMs: 1 }]), 'replies');
      equal(time.pendingCount, 0, 'no timer left');
    });

    it('ICMP types other than echo are counted, not answered', () => {
      const sent: Bytes[] = [];
      const h = new Host({ time: new VirtualTime(), addresses: () => ['10.99.0.1'], send: (p) => sent.push(p) });
      equal(h.deliver(fromHex(LINUX.portUnreachable)), 'dropped', 'dropped');
      equal(h.stats().dropped['icmp-type-3'], 1, 'by type');
      equal(sent.length, 0, 'silent');
    });
  });

  describe('IPv4 parser rules (RFC 791)', () => {
    const good = () => fromHex(LINUX.echoRequest);
    const fix = (b: Bytes) => { b[10] = 0; b[11] = 0; const c = internetChecksum(b.subarray(0, (b[0] & 15) * 4)); b[10] = c >> 8; b[11] = c & 255; return b; };
    const cases: [string, () => Bytes, string][] = [
      ['19 bytes', () => good().slice(0, 19), 'truncated'],
      ['version 6', () => fix(Object.assign(good(), { 0: 0x65 })), 'version'],
      ['IHL 4', () => fix(Object.assign(good(), { 0: 0x44 })), 'ihl'],
      ['IHL 15 in 57 bytes', () => { const b = good(); b[0] = 0x4f; return b; }, 'truncated'],
      ['total length 19', () => fix(Object.assign(good(), { 2: 0, 3: 19 })), 'total-length'],
      ['total length beyond the buffer', () => fix(Object.assign(good(), { 3: 58 })), 'truncated'],
      ['checksum off by one', () => Object.assign(good(), { 11: good()[11] ^ 1 }), 'checksum'],
      ['more fragments', () => fix(Object.assign(good(), { 6: 0x20 })), 'fragment'],
      ['fragment offset 1', () => fix(Object.assign(good(), { 6: 0, 7: 1 })), 'fragment'],
      ['reserved flag', () => fix(Object.assign(good(), { 6: 0x80 })), 'reserved-flag'],
    ];
    for (const [name, mk, reason] of cases) {
      it(`${name}: ${reason}`, () => {
        const r = parseIpv4(mk());
        ok(!r.ok, 'refused');
        equal(r.reason, reason, 'reason');
      });
    }

    it('ignores link padding past Total Length and returns options', () => {
      const b = new Uint8Array([...good(), 0, 0, 0]);
      const r = parseIpv4(b);
      ok(r.ok, 'parses');
      equal(r.payload.length, 57 - 20, 'payload stops at Total Length');
      // a header with one 4-byte option (NOP NOP NOP EOL), built by hand
      const opt = fix(fromHex('46000020000000004001000001020304050607080101010008000000000000'.padEnd(64, '0')));
      const o = parseIpv4(opt);
      ok(o.ok, 'with options');
      equal(hex(o.options), '01010100', 'options'); equal(o.payload.length, 8, 'payload after options');
    });

    it('address helpers', () => {
      equal(maskToLen('255.255.255.0'), 24, '/24'); equal(maskToLen('0.0.0.0'), 0, '/0'); equal(maskToLen('255.255.255.255'), 32, '/32');
      equal(maskToLen('255.0.255.0'), undefined, 'non-contiguous'); equal(maskToLen('255.255.255.256'), undefined, 'invalid');
      equal(lenToMask(20), '255.255.240.0', 'lenToMask');
      ok(inPrefix('10.1.2.3', '10.1.0.0', 16), 'in'); ok(!inPrefix('10.2.2.3', '10.1.0.0', 16), 'out'); ok(inPrefix('1.2.3.4', '0.0.0.0', 0), '/0');
      ok(!isIpv4('10.0.0.01') && !isIpv4('10.0.0') && !isIpv4('256.0.0.1') && isIpv4('0.0.0.0'), 'isIpv4');
      equal(bytesToIp(ipToBytes('192.0.2.255')), '192.0.2.255', 'round trip');
    });

    it('property: parse(build(x)) = x', () => {
      fc.assert(fc.property(ipArb, ipArb, fc.nat(255), fc.nat(255), fc.nat(0xffff), fc.nat(255), fc.boolean(), fc.uint8Array({ maxLength: 300 }),
        (src, dst, protocol, ttl, id, tos, df, payload) => {
          const r = parseIpv4(buildIpv4({ src, dst, protocol, ttl, id, tos, df }, payload));
          ok(r.ok, 'parses');
          equal(JSON.stringify([r.version, r.ihl, r.src, r.dst, r.protocol, r.ttl, r.id, r.tos, r.flags, r.fragOffset, r.totalLength]),
            JSON.stringify([4, 5, src, dst, protocol, ttl, id, tos, df ? 2 : 0, 0, 20 + payload.length]), 'fields');
          equal(hex(r.payload), hex(payload), 'payload');
        }), { numRuns: 1000 });
    });

    it('property: every single-bit error in an IPv4 header or an ICMP message is refused', () => {
      fc.assert(fc.property(ipArb, ipArb, fc.nat(0xffff), fc.nat(0xffff), fc.uint8Array({ maxLength: 64 }), fc.nat(),
        (src, dst, ident, seq, data, pick) => {
          const icmp = buildIcmpEcho({ type: 8, identifier: ident, sequence: seq, data });
          const pkt = buildIpv4({ src, dst, protocol: 1 }, icmp);
          const hb = pick % 160;
          const r = parseIpv4(flipBit(pkt, hb));
          // an IHL flip moves the checksummed range onto the payload: refusal is then likely, not certain
          // (e.g. 0x45→0x47 over an echo request whose first 8 bytes sum to 0xfdff cancels out exactly)
          ok(!r.ok || (hb >= 4 && hb < 8 && r.ihl !== 5), `IPv4 header bit ${hb}`);
          const ib = pick % (icmp.length * 8);
          ok(!parseIcmp(flipBit(icmp, ib)).ok, `ICMP bit ${ib} fails the checksum`);
        }), { numRuns: 2000 });
      // and exhaustively for the Linux echo request
      const b = fromHex(LINUX.echoRequest);
      for (let bit = 0; bit < 160; bit++) ok(!parseIpv4(flipBit(b, bit)).ok, `Linux header bit ${bit}`);
      for (let bit = 160; bit < b.length * 8; bit++) {
        const r = parseIpv4(flipBit(b, bit));
        ok(r.ok && !parseIcmp(r.payload).ok, `Linux ICMP bit ${bit}`);
      }
    });

    it('property: a single-bit error in a UDP datagram is refused unless it zeroes the checksum (RFC 768: not computed)', () => {
      fc.assert(fc.property(ipArb, ipArb, fc.nat(0xffff), fc.nat(0xffff), fc.uint8Array({ maxLength: 64 }), fc.nat(),
        (src, dst, sport, dport, data, pick) => {
          const u = buildUdp(src, dst, { sport, dport, data });
          ok(parseUdp(u, src, dst).ok, 'valid');
          const bit = pick % (u.length * 8);
          const f = flipBit(u, bit);
          const zeroed = f[6] === 0 && f[7] === 0;
          const r = parseUdp(f, src, dst);
          if (zeroed) ok(r.ok, 'checksum 0 is accepted unchecked'); else ok(!r.ok, `UDP bit ${bit}`);
        }), { numRuns: 2000 });
      const b = fromHex(LINUX.syslogUdp), ip = parseIpv4(b);
      ok(ip.ok, 'ip');
      for (let bit = 0; bit < ip.payload.length * 8; bit++) ok(!parseUdp(flipBit(ip.payload, bit), ip.src, ip.dst).ok, `Linux UDP bit ${bit}`);
    });

    it('property: parsers and Host.deliver never throw on random bytes', () => {
      const h = new Host({ time: new VirtualTime(), addresses: () => ['10.99.0.2'], send: () => {} });
      const valid = fromHex(LINUX.echoRequest);
      fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (junk, asIp) => {
        const b = asIp && junk.length > 0 ? Object.assign(junk, { 0: 0x45 }) : junk;
        parseIpv4(b); parseIcmp(b); parseUdp(b, '1.2.3.4', '5.6.7.8');
        equal(h.deliver(b), 'dropped', 'random bytes are dropped');
        const m = valid.slice(); m.set(junk.slice(0, m.length - 20), 20); // valid header, random ICMP
        ok(['dropped', 'echo-request', 'echo-reply'].includes(h.deliver(m)), 'result');
        parseSyslog(new TextDecoder().decode(junk));
      }), { numRuns: 3000 });
    });
  });

  describe('syslog to a logging host, as IOS XR formats it', () => {
    const msg: SyslogMessage = {
      seq: 42, time: new Date(Date.UTC(2026, 0, 1, 0, 0, 5, 123)), severity: 'notifications', process: 'iked', pid: 1234,
      category: 'SECURITY-IKEV2', mnemonic: 'SA_UP', text: 'IKE SA 1 up between 10.0.0.1 and 10.0.0.2',
    };

    it('formats <PRI>SEQ: NODE:timestamp: process[pid]: %CAT-GRP-SEV-MNEMONIC : text', () => {
      equal(formatSyslog(msg), '<189>42: RP/0/RP0/CPU0:Jan  1 00:00:05.123 UTC: iked[1234]: %SECURITY-IKEV2-5-SA_UP : IKE SA 1 up between 10.0.0.1 and 10.0.0.2', 'default');
      equal(formatSyslog({ ...msg, hostname: 'r1', facility: 'local0', severity: 3, time: new Date(Date.UTC(2026, 11, 31, 23, 59, 59, 7)) }),
        '<131>42: r1 RP/0/RP0/CPU0:Dec 31 23:59:59.007 UTC: iked[1234]: %SECURITY-IKEV2-3-SA_UP : IKE SA 1 up between 10.0.0.1 and 10.0.0.2',
        'with logging hostnameprefix and facility local0');
    });

    it('reads the napalm-logs IOS XR examples (captured from routers)', () => {
      const a = parseSyslog('<149>2647599: vmx01 RP/0/RSP1/CPU0:Mar 28 15:08:30.941 UTC: bgp[1051]: %ROUTING-BGP-5-MAXPFX : No. of IPv4 Unicast prefixes received from 1.2.3.4 has reached 94106, max 125000');
      ok(a, 'first');
      equal(a.hostname, 'vmx01', 'hostname'); equal(a.node, 'RP/0/RSP1/CPU0', 'node'); equal(a.category, 'ROUTING-BGP', 'category');
      equal(a.facility, 18, 'local2'); equal(a.severity, 5, 'severity'); equal(a.mnemonic, 'MAXPFX', 'mnemonic');
      const b = parseSyslog('<187>94307: gw2.acy1 LC/0/2/CPU0:Jul  7 20:16:14.834 : ifmgr[214]: %PKT_INFRA-LINK-3-UPDOWN : Interface TenGigE0/2/0/4, changed state to Down');
      equal(b, undefined, 'a timestamp without a zone name but a trailing space is not our format');
    });

    it('severity and facility keywords', () => {
      equal(SEVERITIES.length, 8, 'eight levels');
      equal(severityNumber('emergencies'), 0, 'emergencies'); equal(severityNumber('debugging'), 7, 'debugging');
      equal(severityNumber('informational'), 6, 'informational'); equal(severityName(4), 'warnings', 'warnings');
      equal(severityNumber('info'), undefined, 'not a keyword');
      equal(priority('local7', 'notifications'), 189, 'IOS XR default facility');
      equal(FACILITIES.kern, 0, 'kern'); equal(FACILITIES.local0, 16, 'local0');
      ok(passesThreshold('errors', 'informational') && !passesThreshold('debugging', 'informational'), 'logging trap threshold');
    });

    it('property: parse(format(m)) gives back every field', () => {
      const word = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,11}$/);
      fc.assert(fc.property(fc.nat(), fc.integer({ min: 0, max: 4102444800000 }), fc.nat(7), fc.nat(23), fc.option(fc.stringMatching(/^[a-z][a-z0-9.-]{0,15}$/), { nil: undefined }),
        word, word, word, fc.string({ maxLength: 80 }).filter((s) => !s.includes('\n')),
        (seq, t, sev, fac, hostname, c1, c2, mnem, text) => {
          const m: SyslogMessage = { seq, time: new Date(t), severity: sev, facility: fac, hostname, process: 'ipsec_mp', pid: 77, category: `${c1}-${c2}`, mnemonic: mnem, text };
          const p = parseSyslog(formatSyslog(m));
          ok(p, `parses ${formatSyslog(m)}`);
          equal(JSON.stringify([p.seq, p.severity, p.facility, p.hostname, p.category, p.mnemonic, p.text, p.process, p.pid]),
            JSON.stringify([seq, sev, fac, hostname, `${c1}-${c2}`, mnem, text, 'ipsec_mp', 77]), 'fields');
        }), { numRuns: 1000 });
    });

    it('one Host sends syslog over UDP 514 and the other receives the text', () => {
      const time = new VirtualTime();
      const wire = new Wire(time, 1);
      const got: string[] = [];
      const a = wire.host('10.0.0.1');
      const b = wire.host('10.0.0.2', { onUdp: (d) => { equal(d.dport, 514, 'port'); got.push(new TextDecoder().decode(d.data)); } });
      a.sendUdp('10.0.0.1', '10.0.0.2', 514, 514, syslogPayload(msg));
      a.sendUdp(undefined, '10.0.0.2', 514, 514, utf8('x'));
      time.advance(1);
      equal(got[0], formatSyslog(msg), 'text'); equal(got.length, 2, 'both');
      equal(a.stats().udpOut, 2, 'udpOut'); equal(b.stats().udpIn, 2, 'udpIn');
    });
  });

  describe('Host: ping between two routers on virtual time', () => {
    it('ping 5 → 5 replies with the round-trip time of the wire', async () => {
      const time = new VirtualTime();
      const wire = new Wire(time, 3);
      const a = wire.host('10.0.0.1'), b = wire.host('10.0.0.2');
      const t0 = time.ms;
      const r = await runPing(time, a, '10.0.0.2', 5);
      equal(JSON.stringify(r), JSON.stringify([1, 2, 3, 4, 5].map((seq) => ({ seq, ok: true, rttMs: 6 }))), 'replies');
      equal(time.ms - t0, 30, 'one outstanding at a time: 5 × 6 ms');
      equal(time.pendingCount, 0, 'timers cleared');
      equal(a.activePings, 0, 'session closed');
      const sa = a.stats(), sb = b.stats();
      equal(sa.echoRequestsOut, 5, 'requests out'); equal(sa.echoRepliesIn, 5, 'replies in');
      equal(sb.echoRequestsIn, 5, 'requests in'); equal(sb.echoRepliesOut, 5, 'replies out');
    });

    it('size is the whole IP datagram, data is 0xABCD, seq counts 1..n, one identifier per session', async () => {
      const time = new VirtualTime();
      const seen: { len: number; id: number; seq: number; data: string }[] = [];
      const wire = new Wire(time, 1, () => true);
      const a = wire.host('10.0.0.1');
      wire.host('10.0.0.2');
      const orig = wire.send.bind(wire);
      wire.send = (p: Bytes) => {
        const ip = parseIpv4(p);
        if (ip.ok && ip.src === '10.0.0.1') { const m = parseIcmp(ip.payload); if (m.ok) seen.push({ len: p.length, id: m.identifier, seq: m.sequence, data: hex(m.data.slice(0, 4)) }); }
        orig(p);
      };
      await runPing(time, a, '10.0.0.2', 3, { size: 36 });
      await runPing(time, a, '10.0.0.2', 2, { size: 1500 });
      equal(seen.map((s) => s.len).join(), '36,36,36,1500,1500', 'sizes');
      equal(seen.map((s) => s.seq).join(), '1,2,3,1,2', 'sequence numbers');
      ok(seen[0].id === seen[2].id && seen[3].id !== seen[0].id, 'identifier per session');
      equal(seen[0].data, 'abcdabcd', 'pattern');
    });

    it('a wire dropping every second request: timeouts reported, count correct, timeout paced', async () => {
      const time = new VirtualTime();
      const wire = new Wire(time, 3, (src, n) => src !== '10.0.0.1' || n % 2 === 1);
      const a = wire.host('10.0.0.1');
      wire.host('10.0.0.2');
      const t0 = time.ms;
      const r = await runPing(time, a, '10.0.0.2', 5, { timeoutSec: 2 });
      equal(r.map((x) => (x.ok ? '!' : '.')).join(''), '!.!.!', 'pattern');
      equal(r.map((x) => x.seq).join(), '1,2,3,4,5', 'every seq reported once, in order');
      equal(time.ms - t0, 3 * 6 + 2 * 2000, 'a lost probe costs the timeout');
      equal(a.stats().pingTimeouts, 2, 'timeouts counted');
    });

    it('every reply dropped (any direction): all timeouts; a late reply is not counted', async () => {
      const time = new VirtualTime();
      const wire = new Wire(time, 2500, () => true); // slower than the 2 s timeout
      const a = wire.host('10.0.0.1');
      wire.host('10.0.0.2');
      const r = await runPing(time, a, '10.0.0.2', 3);
      equal(r.map((x) => (x.ok ? '!' : '.')).join(''), '...', 'all timed out');
      time.advance(10000);
      ok((a.stats().dropped['echo-reply-unmatched'] ?? 0) >= 2, 'late replies dropped as unmatched');
      equal(a.stats().echoRepliesIn, 0, 'none counted');
    });

    it('the exec `ping` command shows IOS XR output', async () => {
      const time = new VirtualTime();
      const wire = new Wire(time, 3);
      const a = wire.host('10.0.0.1');
      wire.host('10.0.0.2');
      const out = await execPing(time, a, '10.0.0.2', 5);
      ok(out.includes('Sending 5, 100-byte ICMP Echos to 10.0.0.2, timeout is 2 seconds:\n!!!!!\n'), out);
      ok(out.includes('Success rate is 100 percent (5/5), round-trip min/avg/max = 6/6/6 ms'), out);
      const lossy = new Wire(time, 3, (src, n) => src !== '10.0.0.1' || n % 2 === 1);
      const c = lossy.host('10.0.0.1');
      lossy.host('10.0.0.2');
      const out2 = await execPing(time, c, '10.0.0.2', 5);
      ok(out2.includes('\n!.!.!\n') && out2.includes('Success rate is 60 percent (3/5)'), out2);
    });

    it('an echo request to an address that is not ours is ignored', () => {
      const sent: Bytes[] = [];
      const h = new Host({ time: new VirtualTime(), addresses: () => ['10.0.0.2'], send: (p) => sent.push(p) });
      const req = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.9', protocol: 1 }, buildIcmpEcho({ type: 8, identifier: 1, sequence: 1, data: pingData(100) }));
      equal(h.deliver(req), 'dropped', 'dropped');
      equal(sent.length, 0, 'no reply');
      equal(h.stats().dropped['not-ours'], 1, 'counted');
      const bcast = buildIpv4({ src: '255.255.255.255', dst: '10.0.0.2', protocol: 1 }, buildIcmpEcho({ type: 8, identifier: 1, sequence: 1, data: new Uint8Array(0) }));
      equal(h.deliver(bcast), 'dropped', 'broadcast source');
      equal(h.stats().dropped['bad-source'], 1, 'bad source counted');
      equal(h.stats().echoRequestsIn, 0, 'nothing answered');
    });

    it('a synchronous wire (reply inside send) runs 5000 probes without recursion', async () => {
      const time = new VirtualTime();
      const wire = new Wire(time, -1);
      const a = wire.host('10.0.0.1');
      wire.host('10.0.0.2');
      const r = await runPing(time, a, '10.0.0.2', 5000);
      equal(r.length, 5000, 'all reported');
      ok(r.every((x, i) => x.ok && x.seq === i + 1 && x.rttMs === 0), 'all ok with rtt 0');
      equal(time.pendingCount, 0, 'no timers left');
    });

    it('two sessions at once keep their replies apart; no source at all fails every probe at once', async () => {
      const time = new VirtualTime();
      const wire = new Wire(time, 3);
      const a = wire.host('10.0.0.1');
      wire.host('10.0.0.2');
      const [r1, r2] = await Promise.all([runPing(time, a, '10.0.0.2', 3), runPing(time, a, '10.0.0.2', 4)]);
      ok(r1.length === 3 && r2.length === 4 && [...r1, ...r2].every((x) => x.ok), 'all answered');
      const lonely = new Host({ time, addresses: () => [], send: () => { throw new Error('nothing to send'); } });
      const r = await runPing(time, lonely, '10.0.0.2', 3);
      equal(r.map((x) => (x.ok ? '!' : '.')).join(''), '...', 'failed');
      equal(lonely.stats().dropped['no-source'], 3, 'counted');
    });
  });
}
