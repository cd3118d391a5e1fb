// The ladder diagram's entries (issue [4/5]): each IKE message or ESP packet a router saw, turned — inside
// the router worker, so the page runs no protocol code — into a one-line summary, a dissection tree with
// IANA names (RFC 7296 §3.1 header, the SK payload of §3.14 opened, RFC 4303 ESP with its inner IPv4
// packet) and the keys that protect it, named as Wireshark's decryption tables name them.
import { type Bytes, hex } from '../crypto/bytes.js';
import { ianaName } from '../ike/codec/constants.js';
import { type DissectNode, describePayloads, dissect } from '../ike/codec/describe.js';
import { decodeHeader, decodeMessage } from '../ike/codec/message.js';
import type { SkPayload, SkfPayload } from '../ike/codec/types.js';
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, parseIcmp } from '../net/icmp.js';
import { IPPROTO, IP_FLAG_DF, parseIpv4 } from '../net/ipv4.js';
import { SYSLOG_PORT, parseUdp } from '../net/udp.js';
import type { MessageEvent } from '../router/types.js';
import type { LadderEntry, RouterName } from './protocol.js';

type IkeEvent = Extract<MessageEvent, { kind: 'ike' }>;

const leaf = (name: string, value: string | number): DissectNode => ({ name, value: String(value) });
const hex32 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
const named = (name: string, n: number): string => `${name} (${n})`;

/** One ladder entry for a message event of `router`; `id` orders the entries of the whole lab. */
export function ladderEntry(router: RouterName, id: number, e: MessageEvent): LadderEntry {
  const base = { id, router, dir: e.dir, at: e.at.getTime() };
  if (e.kind === 'ike') {
    return { ...base, kind: 'ike', summary: ikeSummary(e) + (e.retransmission ? ' (retransmission)' : ''), dissection: ikeDissection(e), keys: ikeKeys(e), rawHex: hex(e.raw) };
  }
  const inner = innerPacket(e.inner);
  const keys: Record<string, string> = { 'Encryption key': hex(e.encKey) };
  if (e.authKey.length) keys['Authentication key'] = hex(e.authKey);
  return {
    ...base, kind: 'esp',
    summary: `ESP SPI ${hex32(e.spi)} seq ${e.seq}: ${inner.summary}`,
    dissection: [{
      name: 'Encapsulating Security Payload', value: `SPI ${hex32(e.spi)}, seq ${e.seq}`,
      children: [
        leaf('SPI', `${hex32(e.spi)} (${e.spi})`), leaf('Sequence number', e.seq),
        ...(e.tunnel ? [leaf('tunnel interface', e.tunnel)] : []),
        leaf('decrypted with', e.authKey.length ? 'Encryption key, Authentication key' : 'Encryption key (AEAD)'),
      ],
    }, ...inner.nodes],
    keys,
    // the router hands the lab the inner packet, not the ESP bytes: the raw view shows what was protected
    rawHex: hex(e.inner),
  };
}

// ---- IKE ------------------------------------------------------------------------------------------------

function ikeSummary(e: IkeEvent): string {
  return `${ianaName('exchange', e.exchange)} ${e.response ? 'response' : 'request'} ${e.messageId} [ ${describePayloads(e.payloads)} ]`;
}

/** Which SK_e/SK_a protect a message: the original initiator's for messages with the I flag (§2.14). */
function skNames(fromInitiator: boolean): { e: string; a: string } {
  return fromInitiator ? { e: 'SK_ei', a: 'SK_ai' } : { e: 'SK_er', a: 'SK_ar' };
}

function ikeKeys(e: IkeEvent): Record<string, string> | undefined {
  const k = e.keys;
  if (!k) return undefined;
  const out: Record<string, string> = { SK_ei: hex(k.skEi), SK_er: hex(k.skEr) };
  if (k.skAi.length) { out.SK_ai = hex(k.skAi); out.SK_ar = hex(k.skAr); }
  return out;
}

function ikeDissection(e: IkeEvent): DissectNode[] {
  const h = decodeHeader(e.raw);
  if (!h.ok) return [{ name: 'IKEv2 message', value: `header not decoded: ${h.error.detail}` }, ...dissect(e.payloads)];
  const hd = h.value;
  const flags = e.raw[19];
  const flagNames = [hd.initiator ? 'Initiator' : 'Responder', hd.response ? 'Response' : 'Request'];
  const header: DissectNode = {
    name: 'IKEv2 header', value: `${ianaName('exchange', hd.exchange)} ${hd.response ? 'response' : 'request'} ${hd.messageId}`,
    children: [
      leaf('Initiator SPI', hex(hd.spiI)), leaf('Responder SPI', hex(hd.spiR)),
      leaf('Next payload', named(ianaName('payload', hd.nextPayload), hd.nextPayload)),
      leaf('Version', `${hd.version >> 4}.${hd.version & 15}`),
      leaf('Exchange type', named(ianaName('exchange', hd.exchange), hd.exchange)),
      {
        name: 'Flags', value: `0x${flags.toString(16).padStart(2, '0')} (${flagNames.join(', ')})`,
        children: [leaf('Initiator', hd.initiator ? 'set' : 'not set'), leaf('Version', (flags & 0x10) ? 'set' : 'not set'),
          leaf('Response', hd.response ? 'set' : 'not set')],
      },
      leaf('Message ID', hd.messageId), leaf('Length', hd.length),
    ],
  };
  const isSk = hd.nextPayload === 46 || hd.nextPayload === 53;
  if (!isSk) return [header, ...dissect(e.payloads)];
  return [header, skNode(e, hd.initiator)];
}

/** The SK (or SKF) payload: its sizes as on the wire, the keys that opened it, and the payloads inside. */
function skNode(e: IkeEvent, fromInitiator: boolean): DissectNode {
  const outer = decodeMessage(e.raw);
  const sk = outer.ok ? outer.value.payloads.find((p): p is SkPayload | SkfPayload => p.type === 46 || p.type === 53) : undefined;
  const names = skNames(fromInitiator);
  const aead = !!e.keys && e.keys.skAi.length === 0;
  const children: DissectNode[] = [];
  if (sk) {
    if (sk.type === 53) children.push(leaf('Fragment', `${sk.fragment}/${sk.total}`));
    children.push(leaf('Next payload (inner)', named(ianaName('payload', sk.inner), sk.inner)));
    const sizes = e.keys ? skSizes(aead, e.keys.skAi.length) : undefined;
    if (sizes) {
      children.push(leaf('IV length', `${sizes.iv} bytes`), leaf('ICV length', `${sizes.icv} bytes`),
        leaf('Encrypted data', `${Math.max(0, sk.body.length - sizes.iv - sizes.icv)} bytes`));
    } else {
      children.push(leaf('IV + encrypted data + ICV', `${sk.body.length} bytes`));
    }
  }
  const by = !e.keys ? 'keys not available' : aead ? `decrypted and verified with ${names.e} (AEAD)` : `decrypted with ${names.e}, verified with ${names.a}`;
  return { name: 'Encrypted and Authenticated (SK)', value: by, children: [...children, ...dissect(e.payloads)] };
}

/**
 * IV and ICV sizes from the keys: AEAD (SK_a empty) is AES-GCM with an 8-byte IV and a 16-byte ICV
 * (RFC 5282); otherwise AES-CBC's 16-byte IV and the truncated HMAC of RFC 4868 / RFC 2404, whose key
 * length gives it away (SHA-1: 20-byte key, 12-byte ICV; SHA-2: ICV half the key).
 */
function skSizes(aead: boolean, integKeyLen: number): { iv: number; icv: number } | undefined {
  if (aead) return { iv: 8, icv: 16 };
  if (integKeyLen === 20) return { iv: 16, icv: 12 };
  if (integKeyLen === 32 || integKeyLen === 48 || integKeyLen === 64) return { iv: 16, icv: integKeyLen / 2 };
  return undefined;
}

// ---- ESP inner packets ------------------------------------------------------------------------------------

const PROTO_NAME: Record<number, string> = { [IPPROTO.ICMP]: 'ICMP', [IPPROTO.TCP]: 'TCP', [IPPROTO.UDP]: 'UDP', [IPPROTO.ESP]: 'ESP' };

function innerPacket(b: Bytes): { summary: string; nodes: DissectNode[] } {
  const ip = parseIpv4(b);
  if (!ip.ok) {
    return {
      summary: `${b.length} bytes (not an IPv4 packet we can read: ${ip.reason})`,
      nodes: [{ name: 'Inner packet', value: `not decoded: ${ip.reason}`, children: [leaf('data', `${b.length} bytes ${hex(b.subarray(0, 64))}${b.length > 64 ? '…' : ''}`)] }],
    };
  }
  const proto = PROTO_NAME[ip.protocol] ?? `protocol ${ip.protocol}`;
  const ipNode: DissectNode = {
    name: 'Internet Protocol Version 4', value: `${ip.src} → ${ip.dst}`,
    children: [
      leaf('Version', ip.version), leaf('Header length', `${ip.ihl * 4} bytes (${ip.ihl})`),
      leaf('Type of service', `0x${ip.tos.toString(16).padStart(2, '0')}`), leaf('Total length', ip.totalLength),
      leaf('Identification', `0x${ip.id.toString(16).padStart(4, '0')} (${ip.id})`),
      leaf('Flags', `0x${ip.flags.toString(16)}${ip.flags & IP_FLAG_DF ? " (Don't fragment)" : ''}`),
      leaf('Fragment offset', ip.fragOffset), leaf('Time to live', ip.ttl),
      leaf('Protocol', named(proto, ip.protocol)),
      leaf('Header checksum', `0x${ip.checksum.toString(16).padStart(4, '0')} [correct]`),
      leaf('Source address', ip.src), leaf('Destination address', ip.dst),
    ],
  };
  const size = `(${ip.totalLength} bytes)`;
  if (ip.protocol === IPPROTO.ICMP) {
    const icmp = parseIcmp(ip.payload);
    if (icmp.ok) {
      const what = icmp.type === ICMP_ECHO_REQUEST ? 'echo request' : 'echo reply';
      const node: DissectNode = {
        name: 'Internet Control Message Protocol', value: `Echo (ping) ${what.slice(5)}`,
        children: [
          leaf('Type', named(icmp.type === ICMP_ECHO_REQUEST ? 'Echo (ping) request' : 'Echo (ping) reply', icmp.type)),
          leaf('Code', icmp.code), leaf('Checksum', `0x${icmp.checksum.toString(16).padStart(4, '0')} [correct]`),
          leaf('Identifier', `0x${icmp.identifier.toString(16).padStart(4, '0')} (${icmp.identifier})`),
          leaf('Sequence number', icmp.sequence), leaf('Data', `${icmp.data.length} bytes`),
        ],
      };
      return { summary: `ICMP ${what} ${ip.src} → ${ip.dst} ${size}`, nodes: [ipNode, node] };
    }
    const why = icmp.reason === 'not-echo' ? `type ${icmp.type} code ${icmp.code}` : icmp.reason;
    return {
      summary: `ICMP ${why} ${ip.src} → ${ip.dst} ${size}`,
      nodes: [ipNode, { name: 'Internet Control Message Protocol', value: why }],
    };
  }
  if (ip.protocol === IPPROTO.UDP) {
    const udp = parseUdp(ip.payload, ip.src, ip.dst);
    if (!udp.ok) return { summary: `UDP (${udp.reason}) ${ip.src} → ${ip.dst} ${size}`, nodes: [ipNode, { name: 'User Datagram Protocol', value: udp.reason }] };
    const node: DissectNode = {
      name: 'User Datagram Protocol', value: `${udp.sport} → ${udp.dport}`,
      children: [leaf('Source port', udp.sport), leaf('Destination port', udp.dport), leaf('Length', udp.length),
        leaf('Checksum', udp.checksum ? `0x${udp.checksum.toString(16).padStart(4, '0')} [correct]` : '0x0000 [none]')],
    };
    if (udp.dport === SYSLOG_PORT) {
      const text = new TextDecoder().decode(udp.data);
      return {
        summary: `syslog ${ip.src} → ${ip.dst}: ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`,
        nodes: [ipNode, node, { name: 'Syslog message', value: text }],
      };
    }
    return {
      summary: `UDP ${ip.src}:${udp.sport} → ${ip.dst}:${udp.dport} ${size}`,
      nodes: [ipNode, node, leaf('Data', `${udp.data.length} bytes`)],
    };
  }
  return { summary: `${proto} ${ip.src} → ${ip.dst} ${size}`, nodes: [ipNode, leaf('Data', `${ip.payload.length} bytes`)] };
}

