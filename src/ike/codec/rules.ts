// Per-exchange payload rules (RFC 7296 §1.2–1.5, §2.6, §2.16, §3.10), one table in the manner of
// strongSwan's message.c: which payloads may appear in each message, how often, and whether inside SK.
// Structure only: unknown non-critical payloads are ignored, as RFC 7296 §2.5 says; whether a
// proposal, identity or selector is acceptable is the tasks' business.
import { ExchangeType, NotifyType, PayloadType as P, isErrorNotify } from './constants.js';
import type { DecodeError, IkeHeader, Payload } from './types.js';
import { isRaw } from './message.js';

export interface PayloadRule { type: number; min: number; max: number; encrypted: boolean }
export interface MessageRule {
  exchange: number;
  response: boolean;
  /** False only for IKE_SA_INIT; otherwise everything travels in SK/SKF. */
  encrypted: boolean;
  payloads: PayloadRule[];
  /** A further check on the counts (e.g. SA, TSi and TSr come together). */
  check?: (count: (t: number) => number, errorNotify: boolean) => string | undefined;
}

const MANY = 64;
const r = (type: number, min: number, max: number, encrypted = true): PayloadRule => ({ type, min, max, encrypted });

const childTogether = (count: (t: number) => number): string | undefined => {
  const n = count(P.SA) + count(P.TSi) + count(P.TSr);
  return n === 0 || n === 3 ? undefined : 'SA, TSi and TSr must come together';
};
const oneOf = (types: number[], what: string) => (count: (t: number) => number) =>
  types.some((t) => count(t) > 0) ? undefined : `needs ${what}`;
const need = (types: number[]) => (count: (t: number) => number, errorNotify: boolean): string | undefined => {
  if (errorNotify) return undefined;
  const missing = types.filter((t) => count(t) === 0);
  return missing.length === 0 ? undefined : `missing payload ${missing.join(', ')}`;
};

const SA_INIT = [r(P.SA, 0, 1, false), r(P.KE, 0, 1, false), r(P.NONCE, 0, 1, false), r(P.NOTIFY, 0, MANY, false),
  r(P.VENDOR, 0, MANY, false), r(P.CERTREQ, 0, MANY, false)];
const AUTH_COMMON = [r(P.CERT, 0, 16), r(P.CERTREQ, 0, 16), r(P.AUTH, 0, 1), r(P.EAP, 0, 1), r(P.SA, 0, 1), r(P.TSi, 0, 1),
  r(P.TSr, 0, 1), r(P.NOTIFY, 0, MANY), r(P.CP, 0, 1), r(P.VENDOR, 0, MANY)];
const CHILD = [r(P.SA, 0, 1), r(P.NONCE, 0, 1), r(P.KE, 0, 1), r(P.TSi, 0, 1), r(P.TSr, 0, 1), r(P.NOTIFY, 0, MANY),
  r(P.VENDOR, 0, MANY)];
const INFO = [r(P.NOTIFY, 0, MANY), r(P.DELETE, 0, MANY), r(P.CP, 0, 1), r(P.VENDOR, 0, MANY)];

export const MESSAGE_RULES: MessageRule[] = [
  // IKE_SA_INIT request: SA, KE, Ni (a retry adds N(COOKIE)); response: SA, KE, Nr, or only a notify
  // (an error, COOKIE or INVALID_KE_PAYLOAD, RFC 7296 §1.2 and §2.6).
  { exchange: ExchangeType.IKE_SA_INIT, response: false, encrypted: false, payloads: SA_INIT, check: need([P.SA, P.KE, P.NONCE]) },
  {
    exchange: ExchangeType.IKE_SA_INIT, response: true, encrypted: false, payloads: SA_INIT,
    check: (count, errorNotify) => (count(P.NOTIFY) > 0 && count(P.SA) === 0 ? undefined : need([P.SA, P.KE, P.NONCE])(count, errorNotify)),
  },
  // IKE_AUTH request: IDi (first round), AUTH unless EAP is asked for, later EAP rounds carry EAP or AUTH only.
  {
    exchange: ExchangeType.IKE_AUTH, response: false, encrypted: true,
    payloads: [r(P.IDi, 0, 1), r(P.IDr, 0, 1), ...AUTH_COMMON],
    check: (count) => (count(P.IDi) === 0 && count(P.IDr) > 0 ? 'IDr without IDi' : oneOf([P.IDi, P.AUTH, P.EAP], 'IDi, AUTH or EAP')(count)) ?? childTogether(count),
  },
  // IKE_AUTH response: IDr and AUTH, or EAP; a response with an error notify may carry nothing else.
  {
    exchange: ExchangeType.IKE_AUTH, response: true, encrypted: true, payloads: [r(P.IDr, 0, 1), ...AUTH_COMMON],
    check: (count, errorNotify) => (errorNotify ? undefined : oneOf([P.IDr, P.AUTH, P.EAP], 'IDr, AUTH or EAP')(count)) ?? childTogether(count),
  },
  // CREATE_CHILD_SA: SA, Ni/Nr, [KE], [TSi, TSr] (none for an IKE SA rekey); an error notify alone answers.
  {
    exchange: ExchangeType.CREATE_CHILD_SA, response: false, encrypted: true, payloads: CHILD,
    check: (count) => need([P.SA, P.NONCE])(count, false) ?? (count(P.TSi) === count(P.TSr) ? undefined : 'TSi and TSr must come together'),
  },
  {
    exchange: ExchangeType.CREATE_CHILD_SA, response: true, encrypted: true, payloads: CHILD,
    check: (count, errorNotify) => need([P.SA, P.NONCE])(count, errorNotify) ?? (count(P.TSi) === count(P.TSr) ? undefined : 'TSi and TSr must come together'),
  },
  // INFORMATIONAL: any mix of N, D, CP, V; an empty one is a liveness check (RFC 7296 §1.4).
  { exchange: ExchangeType.INFORMATIONAL, response: false, encrypted: true, payloads: INFO },
  { exchange: ExchangeType.INFORMATIONAL, response: true, encrypted: true, payloads: INFO },
];

export function ruleFor(exchange: number, response: boolean): MessageRule | undefined {
  return MESSAGE_RULES.find((m) => m.exchange === exchange && m.response === response);
}

const refuse = (detail: string): DecodeError => ({ reason: 'rules', detail });

/** Payloads the rules count: raw payloads of unknown types are skipped (RFC 7296 §2.5). */
const counted = (p: Payload): boolean => !isRaw(p) || p.type === P.CP || p.type === P.EAP;

function checkList(m: MessageRule, payloads: Payload[], where: string): DecodeError | undefined {
  const counts = new Map<number, number>();
  let errorNotify = false;
  for (const p of payloads) {
    if (!counted(p)) continue;
    const rule = m.payloads.find((x) => x.type === p.type);
    if (!rule) return refuse(`payload ${p.type} not allowed ${where}`);
    counts.set(p.type, (counts.get(p.type) ?? 0) + 1);
    if (!isRaw(p) && p.type === P.NOTIFY && (isErrorNotify(p.notify) || p.notify === NotifyType.COOKIE)) errorNotify = true;
  }
  const count = (t: number) => counts.get(t) ?? 0;
  for (const rule of m.payloads) {
    const n = count(rule.type);
    if (n < rule.min || n > rule.max) return refuse(`${n} payloads of type ${rule.type} ${where}, allowed ${rule.min}..${rule.max}`);
  }
  const why = m.check?.(count, errorNotify);
  return why ? refuse(`${why} ${where}`) : undefined;
}

/** The unencrypted payloads of a message: IKE_SA_INIT's, or exactly one SK/SKF for the others. */
export function checkOuter(h: IkeHeader, payloads: Payload[]): DecodeError | undefined {
  const m = ruleFor(h.exchange, h.response);
  if (!m) return refuse(`no rules for exchange ${h.exchange}`);
  if (!m.encrypted) {
    if (payloads.some((p) => !isRaw(p) && (p.type === P.SK || p.type === P.SKF))) return refuse('SK in IKE_SA_INIT');
    return checkList(m, payloads, 'in IKE_SA_INIT');
  }
  const outside = payloads.filter(counted);
  if (outside.length !== 1 || isRaw(outside[0]) || (outside[0].type !== P.SK && outside[0].type !== P.SKF)) {
    return refuse(`payloads outside SK: ${outside.map((p) => p.type).join(' ')}`);
  }
  return undefined;
}

/** The payloads found inside SK (after opening, or reassembly). */
export function checkInner(h: IkeHeader, inner: Payload[]): DecodeError | undefined {
  const m = ruleFor(h.exchange, h.response);
  if (!m) return refuse(`no rules for exchange ${h.exchange}`);
  if (!m.encrypted) return refuse('IKE_SA_INIT has no encrypted payloads');
  return checkList(m, inner, 'inside SK');
}
