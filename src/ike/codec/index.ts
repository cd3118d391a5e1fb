// src/ike/codec — IKEv2 messages on the wire (RFC 7296 §3, RFC 7383 §2.5), structure only.
export * from './constants.js';
export * from './types.js';
export {
  type HeaderFields, type KnownPayload, MAX_PAYLOADS, isRaw, encodePayload, decodePayload, encodePayloads, decodePayloads,
  encodeHeader, encodeMessage, decodeHeader, decodeMessage,
} from './message.js';
export {
  type SkSuite, type SkKeys, type SealOptions, type Reassembly, SkCipher, sealMessage, openMessage, sealFragments,
  Reassembler,
} from './sk.js';
export { type PayloadRule, type MessageRule, MESSAGE_RULES, ruleFor, checkOuter, checkInner } from './rules.js';
export { type DissectNode, describePayloads, dissect, notifyShortName } from './describe.js';
