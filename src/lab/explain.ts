// Failure explanations for the lab's ladder (issue [4/5]): one engine trace line that says why a negotiation
// failed becomes one plain sentence for a student, naming the side that refused, what disagreed and the
// IOS XR configuration to fix. Lines that report progress, retries the engine recovers from (cookies,
// INVALID_KE_PAYLOAD), or noise on the wire (drops) give no explanation.
//
// The patterns follow the engine's own wording (src/ike/tasks/*.ts, src/ike/engine.ts, src/router/*.ts);
// test/suites/lab-ladder.ts runs every failure between two routers and checks the sentences.
import type { RouterName } from './protocol.js';

type Who = { me: string; peer: string; Me: string; Peer: string };

function who(router?: RouterName): Who {
  const other = router === 'A' ? 'B' : router === 'B' ? 'A' : undefined;
  const me = router ? `Router ${router}` : 'this router', peer = other ? `Router ${other}` : 'the peer';
  const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
  return { me, peer, Me: cap(me), Peer: cap(peer) };
}

// ---- proposals as a student reads them ----------------------------------------------------------------

const ENCR: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^AES_CBC_(\d+)$/, (m) => `AES-CBC-${m[1]}`],
  [/^AES_CTR_(\d+)$/, (m) => `AES-CTR-${m[1]}`],
  [/^AES_GCM_(\d+)_(\d+)$/, (m) => `AES-GCM-${m[2]}${m[1] === '16' ? '' : ` (${m[1]}-byte ICV)`}`],
];
const HASH: Record<string, string> = {
  HMAC_MD5_96: 'MD5', HMAC_SHA1_96: 'SHA-1', AES_XCBC_96: 'AES-XCBC', HMAC_SHA2_256_128: 'SHA-256', HMAC_SHA2_384_192: 'SHA-384',
  HMAC_SHA2_512_256: 'SHA-512', NONE: 'no integrity',
  PRF_HMAC_MD5: 'MD5', PRF_HMAC_SHA1: 'SHA-1', PRF_AES128_XCBC: 'AES-XCBC', PRF_HMAC_SHA2_256: 'SHA-256', PRF_HMAC_SHA2_384: 'SHA-384',
  PRF_HMAC_SHA2_512: 'SHA-512',
};
const DH: Record<string, number> = { MODP_2048: 14, ECP_256: 19, ECP_384: 20, ECP_521: 21, CURVE_25519: 31 };

interface Parts { encr: string[]; integ: string[]; prf: string[]; dh: string[] }

/** 'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_384' → its transforms by kind, in words. */
function parseProposal(label: string): Parts {
  const out: Parts = { encr: [], integ: [], prf: [], dh: [] };
  for (const t of label.replace(/^[A-Z]+:/, '').split('/')) {
    const e = ENCR.find(([re]) => re.test(t));
    if (e) out.encr.push(e[1](t.match(e[0])!));
    else if (t.startsWith('PRF_')) out.prf.push(HASH[t] ?? t);
    else if (t in DH) out.dh.push(`DH ${DH[t]}`);
    else if (t in HASH) out.integ.push(HASH[t]);
    else if (/^(NO_)?EXT_SEQ$/.test(t) || t === 'NONE') continue;
    else out.encr.push(t); // unknown: shown as is rather than lost
  }
  return out;
}

const words = (p: Parts): string => [...p.encr, ...p.integ, ...p.prf.map((x) => `PRF ${x}`), ...p.dh].join(' / ');
const list = (labels: string): Parts[] => (labels.trim() === 'none' ? [] : labels.split(/,\s*/).map(parseProposal));

/** The kinds of transform where nothing offered is acceptable (every offered value missing from every acceptable proposal). */
function disagreements(offered: Parts[], acceptable: Parts[]): string[] {
  const names: Record<keyof Parts, string> = { encr: 'encryption', integ: 'integrity', prf: 'PRF', dh: 'DH group' };
  const out: string[] = [];
  for (const k of Object.keys(names) as (keyof Parts)[]) {
    const ours = new Set(acceptable.flatMap((p) => p[k]));
    const theirs = offered.flatMap((p) => p[k]);
    if (theirs.length && ours.size && !theirs.some((x) => ours.has(x))) out.push(names[k]);
  }
  return out;
}

function proposalSentence(w: Who, kind: 'IKE' | 'ESP', offered: string, acceptable: string, consequence = ''): string {
  const off = list(offered), acc = list(acceptable);
  const where = kind === 'IKE' ? 'ikev2 proposal' : 'ipsec transform-set';
  const offeredText = off.map(words).join('; ') || 'nothing';
  if (!acc.length) {
    return `${w.Me} has no ${kind} proposal to accept (${w.peer} offered ${offeredText}) — configure ${kind === 'IKE' ? 'an ikev2 proposal in the ikev2 policy' : 'the ipsec transform-set of the ipsec profile'}.`;
  }
  const diff = disagreements(off, acc);
  return `${w.Me} refused every ${kind} proposal${consequence}: ${w.peer} offered ${offeredText}, ${w.me} accepts only ${acc.map(words).join('; ')}` +
    `${diff.length ? ` (no common ${diff.join(', ')})` : ''} — make the ${where}s on both routers match.`;
}

// ---- one sentence per failure ---------------------------------------------------------------------------

type Rule = [RegExp, (m: RegExpMatchArray, w: Who) => string | undefined];

const NOTIFY_HINT: Record<string, (w: Who) => string> = {
  AUTHENTICATION_FAILED: (w) => `${w.Peer} refused ${w.me}'s authentication (AUTHENTICATION_FAILED) — compare the pre-shared keys or certificates, the identities (identity local / match identity remote) and the PPK settings of both routers; ${w.peer}'s explanation says which.`,
  NO_PROPOSAL_CHOSEN: (w) => `${w.Peer} accepted none of ${w.me}'s proposals (NO_PROPOSAL_CHOSEN) — make the ikev2 proposals (IKE) or ipsec transform-sets (ESP) of both routers match.`,
  TS_UNACCEPTABLE: (w) => `${w.Peer} refused the traffic selectors (TS_UNACCEPTABLE) — both tunnel-ip interfaces must protect the same traffic.`,
  INVALID_SYNTAX: (w) => `${w.Peer} could not read ${w.me}'s message (INVALID_SYNTAX).`,
  INTERNAL_ADDRESS_FAILURE: (w) => `${w.Peer} could not assign an address (INTERNAL_ADDRESS_FAILURE).`,
  TEMPORARY_FAILURE: (w) => `${w.Peer} is busy with another exchange (TEMPORARY_FAILURE) — it will be retried.`,
};

const notifyHint = (name: string, w: Who, ctx: string): string =>
  NOTIFY_HINT[name]?.(w) ?? `${w.Peer} answered ${name} to ${w.me}'s ${ctx}.`;

const RULES: Rule[] = [
  // ---- proposals (IKE_SA_INIT, IKE_AUTH's first Child SA, rekeys)
  [/^NO_PROPOSAL_CHOSEN: no ikev2 policy matches local address (\S+)/, (m, w) =>
    `${w.Me} has no ikev2 policy for its address ${m[1]}, so it refuses every IKE proposal — add "match address local ${m[1]}" to an ikev2 policy.`],
  [/^(?:IKE SA rekey: )?NO_PROPOSAL_CHOSEN: received proposals (.*), configured proposals (.*)$/, (m, w) => proposalSentence(w, 'IKE', m[1], m[2])],
  [/^(?:Child SA not created|CREATE_CHILD_SA): NO_PROPOSAL_CHOSEN: received proposals (.*), configured proposals (.*)$/, (m, w) =>
    proposalSentence(w, 'ESP', m[1], m[2], ' (the IKE SA is up, but no Child SA carries traffic)')],
  [/^Child SA not created: (.*)/, (m, w) => `The IKE SA is up, but ${w.me} did not create the Child SA: ${m[1]}.`],
  [/^IKE SA up, but no Child SA: peer answered (\w+)/, (m, w) => m[1] === 'NO_PROPOSAL_CHOSEN'
    ? `The IKE SA is up, but ${w.peer} accepted none of ${w.me}'s ESP proposals, so no Child SA carries traffic — make the ipsec transform-sets on both routers match.`
    : `The IKE SA is up, but ${w.peer} refused the Child SA (${m[1]}), so no traffic is protected.`],
  [/^IKE_SA_INIT failed: peer answered (\w+)/, (m, w) => m[1] === 'NO_PROPOSAL_CHOSEN'
    ? `${w.Peer} accepted none of ${w.me}'s IKE proposals (NO_PROPOSAL_CHOSEN) — make the ikev2 proposals on both routers match.`
    : notifyHint(m[1], w, 'IKE_SA_INIT')],
  [/^IKE_SA_INIT: peer wants DH group (-?\d+), which we did not offer/, (m, w) =>
    `${w.Peer} insists on DH group ${m[1]}, which ${w.me}'s ikev2 proposal does not offer — add "dh-group ${m[1]}" or make the proposals match.`],
  [/^IKE_SA_INIT: responder chose a proposal we did not offer \((.*)\)$/, (m, w) =>
    `${w.Peer} chose a proposal ${w.me} never offered (${m[1]}) — a faulty peer; compare the ikev2 proposals.`],
  // TEMPORARY_FAILURE on a rekey is a collision with the peer's own exchange: retried, not a failure
  [/^(?:rekeying Child SA \S+ failed|IKE SA rekey failed): peer answered (\w+)/,
    (m, w) => (m[1] === 'TEMPORARY_FAILURE' ? undefined : notifyHint(m[1], w, 'rekey'))],
  [/^new Child SA refused: peer answered (\w+)/, (m, w) => m[1] === 'NO_PROPOSAL_CHOSEN'
    ? `The IKE SA is up, but ${w.peer} accepted none of ${w.me}'s ESP proposals for a new Child SA — make the ipsec transform-sets on both routers match.`
    : `The IKE SA is up, but ${w.peer} refused a new Child SA (${m[1]}), so no traffic is protected.`],

  // ---- authentication: pre-shared keys, PPK (RFC 8784), identities
  [/^AUTHENTICATION_FAILED: the AUTH payload of (.+) does not verify \(pre-shared key or PPK mismatch\)/, (m, w) =>
    `${w.Me} could not verify ${w.peer}'s AUTH payload (${m[1]}) with the PPK mixed in: the PPKs (or the pre-shared keys) differ — use the same "ppk manual id … key …" and pre-shared-key on both routers.`],
  [/^AUTHENTICATION_FAILED: the AUTH payload of (.+) does not verify \(pre-shared key mismatch\)/, (m, w) =>
    `${w.Me} could not verify ${w.peer}'s AUTH payload (${m[1]}): the pre-shared keys differ — set the same pre-shared-key in both routers' keyrings.`],
  [/^AUTHENTICATION_FAILED: PPK required but peer does not support PPK/, (_m, w) =>
    `${w.Me} requires a PPK, but ${w.peer} does not use one — configure "ppk manual id … key …" for ${w.peer} too, or drop "required" on ${w.me}.`],
  [/^PPK required but peer does not support PPK/, (_m, w) =>
    `${w.Me} requires a PPK, but ${w.peer} did not offer one (no USE_PPK) — configure the same PPK on ${w.peer}, or drop "required" on ${w.me}.`],
  [/^peer did not use the PPK, but it is required/, (_m, w) =>
    `${w.Me} requires a PPK, but ${w.peer} authenticated without it — give both routers the same PPK_ID and key.`],
  [/^received PPK_ID '(.*)', but profile (\S+) has PPK_ID '(.*)'/, (m, w) =>
    `${w.peer[0].toUpperCase() + w.peer.slice(1)} sent PPK_ID '${m[1]}', but ${w.me}'s profile ${m[2]} has PPK_ID '${m[3]}' — use the same "ppk manual id" on both routers.`],
  [/^AUTHENTICATION_FAILED: PPK required, but no PPK for PPK_ID '(.*)'/, (m, w) =>
    `${w.Me} requires a PPK but has none for ${w.peer}'s PPK_ID '${m[1]}' — use the same "ppk manual id" on both routers.`],
  [/^AUTHENTICATION_FAILED: no PPK for PPK_ID '(.*)' and no NO_PPK_AUTH to fall back to/, (m, w) =>
    `${w.Me} has no PPK for ${w.peer}'s PPK_ID '${m[1]}', and ${w.peer} requires it — use the same "ppk manual id" on both routers.`],
  [/^PPK required but not available: (.*)/, (m, w) => `${w.Me} requires a PPK but could not get one (${m[1]}).`],
  [/^PPK '(.*)' not available: (.*)/, (m, w) => `${w.Me} could not get the PPK '${m[1]}' (${m[2]}).`],
  [/^AUTHENTICATION_FAILED: no ikev2 profile matches remote identity (.+?) \(peer (\S+)\)/, (m, w) =>
    `${w.Me} has no ikev2 profile for ${w.peer}'s identity ${m[1]} — add "match identity remote ${m[1]}" to ${w.me}'s ikev2 profile, or change ${w.peer}'s "identity local".`],
  [/^AUTHENTICATION_FAILED: no keyring peer of profile (\S+) matches (.+?) \(peer (\S+)\)/, (m, w) =>
    `${w.Me}'s keyring (of profile ${m[1]}) has no pre-shared key for ${w.peer} (${m[2]}) — add a keyring peer for address ${m[3]} or that identity.`],
  [/^AUTHENTICATION_FAILED: no pre-shared key for (.+) in profile (\S+)/, (m, w) =>
    `${w.Me} has no pre-shared key for ${w.peer} (${m[1]}) in profile ${m[2]} — add it to the keyring.`],
  [/^no pre-shared key for peer (\S+) in profile (\S+)/, (m, w) =>
    `${w.Me} has no pre-shared key for ${w.peer} (${m[1]}) in profile ${m[2]} — add a keyring peer with a pre-shared-key.`],
  [/^AUTHENTICATION_FAILED: peer uses auth method (\d+), profile (\S+) expects pre-shared key/, (m, w) =>
    `${w.Peer} authenticates with method ${m[1]}, but ${w.me}'s profile ${m[2]} expects a pre-shared key — use the same "authentication" on both routers.`],
  [/^responder identity (.+) does not match ikev2 profile (\S+)/, (m, w) =>
    `${w.Peer} identified itself as ${m[1]}, which ${w.me}'s ikev2 profile ${m[2]} does not match — fix "match identity remote" on ${w.me} or "identity local" on ${w.peer}.`],

  // ---- certificates (authentication local|remote rsa-signature, pki trustpoint; src/ike/tasks/ike-auth.ts, src/router/plan.ts)
  [/^(?:AUTHENTICATION_FAILED: )?no certificate and key for profile (\S+) \(authentication local rsa-signature\)/, (m, w) =>
    `${w.Me} has no certificate of its own to sign with: profile ${m[1]} says "authentication local rsa-signature", but its pki trustpoint holds no router certificate — enrol one: crypto ca authenticate <trustpoint>, answer yes, then crypto ca enroll <trustpoint> (show crypto ca certificates shows what it holds; an imported or shared lab carries no certificates).`],
  [/^(?:AUTHENTICATION_FAILED: )?profile (\S+) verifies rsa-signature but none of its pki trustpoints \((.*)\) has a CA certificate/, (m, w) =>
    `${w.Me} cannot check ${w.peer}'s certificate: none of profile ${m[1]}'s trustpoints (${m[2]}) holds a CA certificate — trust the CA first: crypto ca authenticate ${m[2].split(', ')[0]} and answer yes.`],
  [/^(?:AUTHENTICATION_FAILED: )?profile (\S+) has no trustpoint to verify the certificate of (.+)/, (m, w) =>
    `${w.Me} cannot check ${w.peer}'s certificate (${m[2]}): profile ${m[1]} names no trustpoint with a CA certificate — add "pki trustpoint …" and authenticate its CA.`],
  [/^AUTHENTICATION_FAILED: certificate of (.+?) is from an unknown CA \(trustpoint (\S+)\)/, (m, w) =>
    `${w.Me} does not trust the CA that issued ${w.peer}'s certificate (${m[1]}): trustpoint ${m[2]} holds another CA's certificate — both routers must trust the CA that signs both certificates: authenticate that CA on ${w.me} (crypto ca authenticate ${m[2]}), or enrol ${w.peer} with ${w.me}'s CA.`],
  [/^AUTHENTICATION_FAILED: certificate of (.+?) expired (\d{4}-\d\d-\d\d)/, (m, w) =>
    `${w.Peer}'s certificate (${m[1]}) expired on ${m[2]}, so ${w.me} refuses it — enrol ${w.peer} again for a fresh certificate (crypto ca enroll on ${w.peer}), and check both routers' clocks.`],
  [/^AUTHENTICATION_FAILED: certificate of (.+?) not valid before (\d{4}-\d\d-\d\d)/, (m, w) =>
    `${w.Peer}'s certificate (${m[1]}) is not valid before ${m[2]}, so ${w.me} refuses it — check both routers' clocks, or enrol ${w.peer} again.`],
  [/^AUTHENTICATION_FAILED: (?:IDi|IDr) (.+?) not in the certificate's SAN: (.*)/, (m, w) =>
    `${w.Peer} identifies itself as ${m[1]}, but its certificate does not carry that name (${m[2].replace(/\.$/, '')}): the identity must be a subjectAltName of the certificate — on ${w.peer}, make the trustpoint's subject-name CN match its "identity local fqdn" and enrol again (crypto ca enroll), or change "identity local".`],
  [/^AUTHENTICATION_FAILED: no certificate received from (.+)/, (m, w) =>
    `${w.Peer} (${m[1]}) signed without sending a certificate — ${w.peer}'s trustpoint needs an enrolled certificate (crypto ca enroll).`],
  [/^AUTHENTICATION_FAILED: (.+?) uses pre-shared key authentication, profile (\S+) expects rsa-signature/, (m, w) =>
    `${w.Peer} (${m[1]}) authenticates with a pre-shared key, but ${w.me}'s profile ${m[2]} expects a certificate (authentication remote rsa-signature) — use the same "authentication" on both routers.`],
  [/^AUTHENTICATION_FAILED: certificate (?:chain )?of (.+?)(?: not accepted \((\S+)\))?: (.*)/, (m, w) =>
    `${w.Me} refused ${w.peer}'s certificate (${m[1]}): ${m[3]}.`],
  [/^AUTHENTICATION_FAILED: the AUTH payload of (.+?): (.*)/, (m, w) =>
    `${w.Me} could not verify ${w.peer}'s signature (${m[1]}): ${m[2]}.`],
  [/^IKE_AUTH failed: peer answered (\w+)/, (m, w) => notifyHint(m[1], w, 'IKE_AUTH')],
  [/^peer reported (\w+)/, (m, w) => m[1] === 'AUTHENTICATION_FAILED'
    ? `${w.Peer} refused ${w.me}'s authentication after accepting it (AUTHENTICATION_FAILED) — usually ${w.me}'s identity does not match ${w.peer}'s "match identity remote"; ${w.peer}'s explanation says which.`
    : notifyHint(m[1], w, 'message')],

  // ---- reachability
  [/^peer (\S+) did not answer (.+) \((\d+) retransmissions\): declaring it dead/, (m, w) => m[2] === 'liveness check'
    ? `${w.Peer} (${m[1]}) stopped answering liveness checks, so ${w.me} declared it dead and removed the tunnel — check the link and that ${w.peer} is running.`
    : `${w.Peer} (${m[1]}) never answered ${w.me}'s ${m[2]} (${m[3]} retransmissions) — check the link, ${w.peer}'s addresses and that it has an ikev2 policy for ${m[1]}.`],
  [/^(tunnel-ip\d+): tunnel source address (\S+) is not configured on an interface that is up/, (m, w) =>
    `${w.Me} cannot start ${m[1]}: its tunnel source ${m[2]} is not an address of an interface that is up — fix "tunnel source" or the interface address.`],
];

/**
 * The sentence for one trace line of `router` (as Router.traceLog has it, with or without the
 * "IKE SA n: " prefix), or undefined when the line does not report a failure. Without `router` the
 * sentence speaks of "this router" and "the peer".
 */
export function explain(traceText: string, router?: RouterName): string | undefined {
  const text = traceText.replace(/^IKE SA \d+: /, '').trim();
  // "IKE SA n deleted: <reason>" repeats a reason traced just before; progress and drops are not failures
  if (/^IKE SA \d+ deleted: /.test(text) || text.startsWith('dropped: ')) return undefined;
  const w = who(router);
  for (const [re, say] of RULES) {
    const m = text.match(re);
    if (m) return say(m, w);
  }
  return undefined;
}
