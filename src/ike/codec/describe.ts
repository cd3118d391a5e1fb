// Payload summaries for traces (strongSwan's style: "SA KE No N(NATD_S_IP) N(USE_PPK)") and a simple
// field tree for the UI's dissector, both from the IANA tables in constants.ts.
import { type Bytes, hex } from '../../crypto/bytes.js';
import { NotifyType as N, PayloadType as P, PpkIdType, SigHash, ianaName, transformName } from './constants.js';
import type { Payload, TrafficSelector } from './types.js';
import { isRaw } from './message.js';

/** strongSwan's short notify names (notify_payload.c), so our traces read like charon's log. */
const SHORT_NOTIFY = new Map<number, string>([
  [N.UNSUPPORTED_CRITICAL_PAYLOAD, 'CRIT'], [N.INVALID_IKE_SPI, 'INVAL_IKE_SPI'], [N.INVALID_MAJOR_VERSION, 'INVAL_MAJOR'],
  [N.INVALID_SYNTAX, 'INVAL_SYN'], [N.INVALID_MESSAGE_ID, 'INVAL_MID'], [N.INVALID_SPI, 'INVAL_SPI'],
  [N.NO_PROPOSAL_CHOSEN, 'NO_PROP'], [N.INVALID_KE_PAYLOAD, 'INVAL_KE'], [N.AUTHENTICATION_FAILED, 'AUTH_FAILED'],
  [N.SINGLE_PAIR_REQUIRED, 'SINGLE_PAIR'], [N.NO_ADDITIONAL_SAS, 'NO_ADD_SAS'], [N.INTERNAL_ADDRESS_FAILURE, 'INT_ADDR_FAIL'],
  [N.FAILED_CP_REQUIRED, 'FAIL_CP_REQ'], [N.TS_UNACCEPTABLE, 'TS_UNACCEPT'], [N.INVALID_SELECTORS, 'INVAL_SEL'],
  [N.TEMPORARY_FAILURE, 'TEMP_FAIL'], [N.CHILD_SA_NOT_FOUND, 'NO_CHILD_SA'], [N.INITIAL_CONTACT, 'INIT_CONTACT'],
  [N.SET_WINDOW_SIZE, 'SET_WINSIZE'], [N.ADDITIONAL_TS_POSSIBLE, 'ADD_TS_POSS'], [N.IPCOMP_SUPPORTED, 'IPCOMP_SUP'],
  [N.NAT_DETECTION_SOURCE_IP, 'NATD_S_IP'], [N.NAT_DETECTION_DESTINATION_IP, 'NATD_D_IP'], [N.COOKIE, 'COOKIE'],
  [N.USE_TRANSPORT_MODE, 'USE_TRANSP'], [N.HTTP_CERT_LOOKUP_SUPPORTED, 'HTTP_CERT_LOOK'], [N.REKEY_SA, 'REKEY_SA'],
  [N.ESP_TFC_PADDING_NOT_SUPPORTED, 'ESP_TFC_PAD_N'], [N.NON_FIRST_FRAGMENTS_ALSO, 'NON_FIRST_FRAG'],
  [N.MOBIKE_SUPPORTED, 'MOBIKE_SUP'], [N.MULTIPLE_AUTH_SUPPORTED, 'MULT_AUTH'], [N.REDIRECT_SUPPORTED, 'REDIR_SUP'],
  [N.EAP_ONLY_AUTHENTICATION, 'EAP_ONLY'], [N.CHILDLESS_IKEV2_SUPPORTED, 'CHDLESS_SUP'],
  [N.IKEV2_MESSAGE_ID_SYNC_SUPPORTED, 'MSG_ID_SYN_SUP'], [N.IKEV2_FRAGMENTATION_SUPPORTED, 'FRAG_SUP'],
  [N.SIGNATURE_HASH_ALGORITHMS, 'HASH_ALG'], [N.USE_PPK, 'USE_PPK'], [N.PPK_IDENTITY, 'PPK_ID'], [N.NO_PPK_AUTH, 'NO_PPK_AUTH'],
]);

const SHORT_PAYLOAD = new Map<number, string>([
  [P.SA, 'SA'], [P.KE, 'KE'], [P.IDi, 'IDi'], [P.IDr, 'IDr'], [P.CERT, 'CERT'], [P.CERTREQ, 'CERTREQ'], [P.AUTH, 'AUTH'],
  [P.NONCE, 'No'], [P.DELETE, 'D'], [P.VENDOR, 'V'], [P.TSi, 'TSi'], [P.TSr, 'TSr'], [P.SK, 'SK'], [P.CP, 'CP'], [P.EAP, 'EAP'],
]);

export function notifyShortName(type: number): string {
  return SHORT_NOTIFY.get(type) ?? ianaName('notify', type);
}

function short(p: Payload): string {
  if (!isRaw(p)) {
    if (p.type === P.NOTIFY) return `N(${notifyShortName(p.notify)})`;
    if (p.type === P.SKF) return `EF(${p.fragment}/${p.total})`;
  }
  return SHORT_PAYLOAD.get(p.type) ?? `UNKNOWN(${p.type})`;
}

/** One line per message for traces, e.g. "SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP)". */
export function describePayloads(payloads: Payload[]): string {
  return payloads.map(short).join(' ');
}

export interface DissectNode { name: string; value?: string; children?: DissectNode[] }

const leaf = (name: string, value: string | number): DissectNode => ({ name, value: String(value) });
const bytesLeaf = (name: string, b: Bytes): DissectNode => leaf(name, `${b.length} bytes ${hex(b.subarray(0, 64))}${b.length > 64 ? '…' : ''}`);

function address(b: Bytes): string {
  if (b.length === 4) return Array.from(b).join('.');
  const groups: string[] = [];
  for (let i = 0; i < b.length; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
  return groups.join(':');
}

function selector(s: TrafficSelector): DissectNode {
  return {
    name: ianaName('ts', s.tsType), value: `${address(s.startAddr)}-${address(s.endAddr)}`,
    children: [leaf('IP protocol', s.ipProtocol), leaf('ports', `${s.startPort}-${s.endPort}`),
      leaf('start address', address(s.startAddr)), leaf('end address', address(s.endAddr)),
      ...(IP_PROTOCOL[s.ipProtocol] ? [leaf('IP protocol name', IP_PROTOCOL[s.ipProtocol])] : [])],
  };
}

/** What the data of a few notifies means (RFC 7296 §3.10.1, RFC 7427 §4, RFC 8784 §3), as extra leaves. */
function notifyData(type: number, d: Bytes): DissectNode[] {
  switch (type) {
    case N.INVALID_KE_PAYLOAD: return d.length === 2 ? [leaf('accepted DH group', ianaName('dh', (d[0] << 8) | d[1]))] : [];
    case N.PPK_IDENTITY: {
      if (!d.length) return [];
      const kind = d[0] === PpkIdType.PPK_ID_FIXED ? 'PPK_ID_FIXED' : d[0] === PpkIdType.PPK_ID_OPAQUE ? 'PPK_ID_OPAQUE' : `PPK_ID type ${d[0]}`;
      return [leaf('PPK_ID type', kind), leaf('PPK_ID', new TextDecoder().decode(d.subarray(1)))];
    }
    case N.SIGNATURE_HASH_ALGORITHMS: {
      const names: string[] = [];
      for (let i = 0; i + 1 < d.length; i += 2) {
        const h = (d[i] << 8) | d[i + 1];
        names.push(Object.entries(SigHash).find(([, v]) => v === h)?.[0] ?? `HASH(${h})`);
      }
      return [leaf('hash algorithms', names.join(', '))];
    }
    default: return [];
  }
}

const IP_PROTOCOL: Record<number, string> = { 0: 'any', 1: 'ICMP', 6: 'TCP', 17: 'UDP', 50: 'ESP' };

function fields(p: Payload): DissectNode[] {
  if (isRaw(p)) return [bytesLeaf('data', p.data)];
  switch (p.type) {
    case P.SA: return p.proposals.map((pr) => ({
      name: `proposal ${pr.number}`, value: ianaName('protocol', pr.protocol),
      children: [...(pr.spi.length ? [bytesLeaf('SPI', pr.spi)] : []), ...pr.transforms.map((t) => ({
        name: ianaName('transform', t.type),
        value: transformName(t.type, t.id) + (t.keyLength !== undefined ? `-${t.keyLength}` : ''),
        children: [
          ...(t.attributes ?? []).map((a) => (typeof a.value === 'number' ? leaf(`attribute ${a.type}`, a.value) : bytesLeaf(`attribute ${a.type}`, a.value))),
          leaf('transform ID', `${transformName(t.type, t.id)} (${t.id})`),
          ...(t.keyLength !== undefined ? [leaf('Key Length', `${t.keyLength} bits`)] : []),
        ],
      }))],
    }));
    case P.KE: return [leaf('DH group', ianaName('dh', p.group)), bytesLeaf('key exchange data', p.data)];
    case P.IDi: case P.IDr: {
      const text = p.idType === 2 || p.idType === 3 ? new TextDecoder().decode(p.data) : p.idType === 1 || p.idType === 5 ? address(p.data) : undefined;
      return [leaf('ID type', ianaName('id', p.idType)), text !== undefined ? leaf('identification', text) : bytesLeaf('identification', p.data)];
    }
    case P.CERT: case P.CERTREQ: return [leaf('encoding', ianaName('cert', p.encoding)), bytesLeaf('data', p.data)];
    case P.AUTH: return [leaf('method', ianaName('auth', p.method)), bytesLeaf('data', p.data)];
    case P.NONCE: case P.VENDOR: return [bytesLeaf('data', p.data)];
    case P.NOTIFY: return [leaf('type', ianaName('notify', p.notify)), leaf('protocol', p.protocol),
      ...(p.spi.length ? [bytesLeaf('SPI', p.spi)] : []), bytesLeaf('data', p.data), ...notifyData(p.notify, p.data)];
    case P.DELETE: return [leaf('protocol', ianaName('protocol', p.protocol)), leaf('SPI size', p.spiSize), ...p.spis.map((s) => bytesLeaf('SPI', s))];
    case P.TSi: case P.TSr: return p.selectors.map(selector);
    case P.SK: return [leaf('inner', ianaName('payload', p.inner)), bytesLeaf('encrypted', p.body)];
    case P.SKF: return [leaf('fragment', `${p.fragment}/${p.total}`), leaf('inner', ianaName('payload', p.inner)), bytesLeaf('encrypted', p.body)];
  }
}

/** A tree of named fields per payload, with IANA names, for the UI's dissector. */
export function dissect(payloads: Payload[]): DissectNode[] {
  return payloads.map((p) => ({
    name: ianaName('payload', p.type), value: short(p),
    children: [...(p.critical ? [leaf('critical', 'yes')] : []), ...fields(p)],
  }));
}
