// IANA "Internet Key Exchange Version 2 (IKEv2) Parameters" — one table per registry (STYLE.md §6),
// numbers for the wire and names for logs, the trace and the UI's dissector. RFC 7296 §3, RFC 7383 (SKF),
// RFC 8784 (PPK notifies), RFC 7427 (signature hash algorithms), RFC 5903 / RFC 8031 (groups).
//
// Specification constants only; implementation limits live with the code that enforces them.

/** IKEv2 version octet: major 2, minor 0 (RFC 7296 §3.1). */
export const IKE_VERSION = 0x20;
export const IKE_HEADER_LEN = 28;
export const GENERIC_HEADER_LEN = 4;

export const ExchangeType = {
  IKE_SA_INIT: 34,
  IKE_AUTH: 35,
  CREATE_CHILD_SA: 36,
  INFORMATIONAL: 37,
} as const;
export type ExchangeTypeId = (typeof ExchangeType)[keyof typeof ExchangeType];

/** Header flags (RFC 7296 §3.1): bit 3 Initiator, bit 4 Version, bit 5 Response. */
export const Flags = { INITIATOR: 0x08, VERSION: 0x10, RESPONSE: 0x20 } as const;

export const PayloadType = {
  NONE: 0,
  SA: 33,
  KE: 34,
  IDi: 35,
  IDr: 36,
  CERT: 37,
  CERTREQ: 38,
  AUTH: 39,
  NONCE: 40,
  NOTIFY: 41,
  DELETE: 42,
  VENDOR: 43,
  TSi: 44,
  TSr: 45,
  SK: 46,
  CP: 47,
  EAP: 48,
  SKF: 53,
} as const;
export type PayloadTypeId = (typeof PayloadType)[keyof typeof PayloadType];

/** Protocol IDs (RFC 7296 §3.3.1). */
export const ProtocolId = { IKE: 1, AH: 2, ESP: 3 } as const;

/** Transform types (RFC 7296 §3.3.2). */
export const TransformType = { ENCR: 1, PRF: 2, INTEG: 3, DH: 4, ESN: 5 } as const;

export const EncrId = { AES_CBC: 12, AES_CTR: 13, AES_GCM_8: 18, AES_GCM_12: 19, AES_GCM_16: 20 } as const;
export const PrfId = { HMAC_MD5: 1, HMAC_SHA1: 2, AES128_XCBC: 4, HMAC_SHA2_256: 5, HMAC_SHA2_384: 6, HMAC_SHA2_512: 7 } as const;
export const IntegId = {
  NONE: 0, HMAC_MD5_96: 1, HMAC_SHA1_96: 2, AES_XCBC_96: 5, HMAC_SHA2_256_128: 12, HMAC_SHA2_384_192: 13, HMAC_SHA2_512_256: 14,
} as const;
export const DhId = { NONE: 0, MODP_2048: 14, ECP_256: 19, ECP_384: 20, ECP_521: 21, CURVE25519: 31 } as const;
export const EsnId = { NO_ESN: 0, ESN: 1 } as const;

/** Transform attribute types (RFC 7296 §3.3.5); Key Length is the only one defined, always TV format. */
export const AttributeType = { KEY_LENGTH: 14 } as const;

export const IdType = { IPV4_ADDR: 1, FQDN: 2, RFC822_ADDR: 3, IPV6_ADDR: 5, DER_ASN1_DN: 9, DER_ASN1_GN: 10, KEY_ID: 11 } as const;

export const AuthMethod = { RSA_SIG: 1, SHARED_KEY_MIC: 2, DSS_SIG: 3, DIGITAL_SIGNATURE: 14 } as const;

export const TsType = { IPV4_ADDR_RANGE: 7, IPV6_ADDR_RANGE: 8 } as const;

export const CertEncoding = { X509_SIGNATURE: 4, HASH_URL_X509: 12 } as const;

/** Notify message types: errors below 16384, status from 16384 (RFC 7296 §3.10.1, RFC 7383, RFC 8784). */
export const NotifyType = {
  UNSUPPORTED_CRITICAL_PAYLOAD: 1,
  INVALID_IKE_SPI: 4,
  INVALID_MAJOR_VERSION: 5,
  INVALID_SYNTAX: 7,
  INVALID_MESSAGE_ID: 9,
  INVALID_SPI: 11,
  NO_PROPOSAL_CHOSEN: 14,
  INVALID_KE_PAYLOAD: 17,
  AUTHENTICATION_FAILED: 24,
  SINGLE_PAIR_REQUIRED: 34,
  NO_ADDITIONAL_SAS: 35,
  INTERNAL_ADDRESS_FAILURE: 36,
  FAILED_CP_REQUIRED: 37,
  TS_UNACCEPTABLE: 38,
  INVALID_SELECTORS: 39,
  TEMPORARY_FAILURE: 43,
  CHILD_SA_NOT_FOUND: 44,
  INITIAL_CONTACT: 16384,
  SET_WINDOW_SIZE: 16385,
  ADDITIONAL_TS_POSSIBLE: 16386,
  IPCOMP_SUPPORTED: 16387,
  NAT_DETECTION_SOURCE_IP: 16388,
  NAT_DETECTION_DESTINATION_IP: 16389,
  COOKIE: 16390,
  USE_TRANSPORT_MODE: 16391,
  HTTP_CERT_LOOKUP_SUPPORTED: 16392,
  REKEY_SA: 16393,
  ESP_TFC_PADDING_NOT_SUPPORTED: 16394,
  NON_FIRST_FRAGMENTS_ALSO: 16395,
  MOBIKE_SUPPORTED: 16396,
  MULTIPLE_AUTH_SUPPORTED: 16404,
  REDIRECT_SUPPORTED: 16406,
  EAP_ONLY_AUTHENTICATION: 16417,
  IKEV2_MESSAGE_ID_SYNC_SUPPORTED: 16420,
  IKEV2_FRAGMENTATION_SUPPORTED: 16430,
  SIGNATURE_HASH_ALGORITHMS: 16431,
  USE_PPK: 16435,
  PPK_IDENTITY: 16436,
  NO_PPK_AUTH: 16437,
  CHILDLESS_IKEV2_SUPPORTED: 16418,
} as const;
export type NotifyTypeId = (typeof NotifyType)[keyof typeof NotifyType];

/** PPK_IDENTITY's first octet (RFC 8784 §3); strongSwan and libreswan accept only PPK_ID_FIXED. */
export const PpkIdType = { PPK_ID_OPAQUE: 1, PPK_ID_FIXED: 2 } as const;

/** Hash algorithm identifiers for SIGNATURE_HASH_ALGORITHMS (RFC 7427 §7). */
export const SigHash = { SHA1: 1, SHA2_256: 2, SHA2_384: 3, SHA2_512: 4 } as const;

function invert(t: Record<string, number>): Map<number, string> {
  return new Map(Object.entries(t).map(([k, v]) => [v, k]));
}

const NAMES = {
  exchange: invert(ExchangeType),
  payload: invert(PayloadType),
  notify: invert(NotifyType),
  protocol: invert(ProtocolId),
  transform: invert(TransformType),
  encr: invert(EncrId),
  prf: invert(PrfId),
  integ: invert(IntegId),
  dh: invert(DhId),
  esn: invert(EsnId),
  id: invert(IdType),
  auth: invert(AuthMethod),
  ts: invert(TsType),
  cert: invert(CertEncoding),
} as const;
export type Registry = keyof typeof NAMES;

/** The IANA name of a number in a registry, or `registry(n)` for numbers we have no name for. */
export function ianaName(registry: Registry, n: number): string {
  return NAMES[registry].get(n) ?? `${registry.toUpperCase()}(${n})`;
}

/** The IANA name of a transform ID of the given transform type. */
export function transformName(type: number, id: number): string {
  const reg = ({ 1: 'encr', 2: 'prf', 3: 'integ', 4: 'dh', 5: 'esn' } as const)[type as 1 | 2 | 3 | 4 | 5];
  return reg ? ianaName(reg, id) : `TRANSFORM${type}(${id})`;
}

/** Error notify types are below 16384 (RFC 7296 §3.10.1). */
export const isErrorNotify = (t: number): boolean => t > 0 && t < 16384;
