// The lab's ladder entries and failure explanations (issue [4/5]), from REAL engine output: two routers in one
// process on virtual time, each failure of the lab's broken presets provoked for real, and every trace line
// the engine wrote run through explain(). A healthy tunnel must explain nothing.
import { VirtualTime } from '../../src/util/clock.js';
import type { Router } from '../../src/router/router.js';
import { ladderEntry } from '../../src/lab/ladder.js';
import { explain } from '../../src/lab/explain.js';
import type { LadderEntry, RouterName } from '../../src/lab/protocol.js';
import type { DissectNode } from '../../src/ike/codec/describe.js';
import { env } from '../support/env.js';
import { equal, ok } from '../support/assert.js';
import { SimWire, pairConfig, routerFromText, run, until, type PairOptions } from '../support/sim.js';

export interface LabPair { time: VirtualTime; wire: SimWire; a: Router; b: Router; entries: LadderEntry[] }

/** Two routers with their own options (or configuration text), every message turned into a ladder entry. */
export async function labPair(oA: PairOptions | string = {}, oB: PairOptions | string = oA, seed = 1): Promise<LabPair> {
  const { core } = await env();
  const time = new VirtualTime();
  const wire = new SimWire(time, seed);
  const a = routerFromText(core, time, wire, typeof oA === 'string' ? oA : pairConfig('A', oA));
  const b = routerFromText(core, time, wire, typeof oB === 'string' ? oB : pairConfig('B', oB));
  const entries: LadderEntry[] = [];
  let id = 0;
  for (const [name, r] of [['A', a], ['B', b]] as const) r.onMessage((e) => entries.push(ladderEntry(name, ++id, e)));
  return { time, wire, a, b, entries };
}

export const upActive = (r: Router): boolean => r.ops.ikeSessions().some((s) => s.status === 'UP-ACTIVE');

/** Every explanation a router's trace yields, in order. */
export function explanations(r: Router, name: RouterName): string[] {
  return r.traceLog.map((e) => explain(e.text, name)).filter((x): x is string => !!x);
}

/** Ping across the tunnel and let virtual time run until it is done. */
export async function ping(p: LabPair, from: Router, dst: string, count = 2): Promise<number> {
  let okN = 0, done = false;
  void from.ops.ping({ destination: dst, count, size: 100, timeoutSec: 2 }, (x) => { if (x.ok) okN++; }).then(() => { done = true; });
  await until(p.time, () => done, 60_000, 'ping');
  return okN;
}

/** Depth-first search of a dissection tree. */
export function findNode(nodes: DissectNode[] | undefined, pred: (n: DissectNode) => boolean): DissectNode | undefined {
  for (const n of nodes ?? []) {
    if (pred(n)) return n;
    const c = findNode(n.children, pred);
    if (c) return c;
  }
  return undefined;
}

const PPK = 'ppk manual id ppktestid key 0123456789abcdef0123456789abcdef';

/** A failure provoked for real: who must explain it, and what the sentence must say. */
interface Scenario { name: string; setup: () => Promise<LabPair>; ms?: number; expect: { router: RouterName; says: RegExp[] }[] }

function scenarios(): Scenario[] {
  return [
    {
      name: 'PSK mismatch', setup: () => labPair({}, { pskB: 'wrong-key' }),
      expect: [{ router: 'B', says: [/pre-shared keys differ/, /keyring/] }, { router: 'A', says: [/AUTHENTICATION_FAILED/, /pre-shared key/] }],
    },
    {
      name: 'IKE proposal mismatch', setup: () => labPair({}, { ikeEnc: 'aes-cbc-128', ikeInteg: 'sha-1', prf: 'sha-1', dh: '21' }),
      expect: [
        { router: 'B', says: [/Router B refused every IKE proposal/, /Router A offered AES-CBC-256 \/ SHA-256/, /DH 20/, /accepts only AES-CBC-128 \/ SHA-1/, /DH 21/, /ikev2 proposals/] },
        { router: 'A', says: [/NO_PROPOSAL_CHOSEN/, /ikev2 proposals/] },
      ],
    },
    {
      name: 'ESP proposal mismatch (IKE up, no Child SA)', setup: () => labPair({}, { espEnc: 'esp-aes', espAuth: 'esp-hmac-sha1' }),
      expect: [
        { router: 'B', says: [/refused every ESP proposal/, /no Child SA/, /AES-CBC-256/, /AES-CBC-128/, /transform-set/] },
        { router: 'A', says: [/no Child SA/, /transform-sets/] },
      ],
    },
    {
      name: 'PPK required on the responder only', setup: () => labPair({}, { ppkB: `${PPK} required` }),
      expect: [{ router: 'B', says: [/requires a PPK/, /Router A does not use one/, /ppk manual/] }, { router: 'A', says: [/AUTHENTICATION_FAILED/] }],
    },
    {
      name: 'PPK required on the initiator only', setup: () => labPair({ ppkA: `${PPK} required` }, {}),
      expect: [{ router: 'A', says: [/Router A requires a PPK/, /Router B did not offer one/, /required/] }],
    },
    {
      name: 'wrong PPK (same PPK_ID, another key)', setup: () => labPair({ ppkA: PPK }, { ppkB: 'ppk manual id ppktestid key another-key-another-key-another-k' }),
      expect: [{ router: 'B', says: [/PPKs .*differ/, /ppk manual id/] }],
    },
    {
      name: 'PPK_ID mismatch, PPK required', setup: () => labPair({ ppkA: `${PPK} required` }, { ppkB: 'ppk manual id otherid key 0123456789abcdef0123456789abcdef required' }),
      expect: [{ router: 'B', says: [/PPK_ID 'ppktestid'/, /PPK_ID 'otherid'/, /same "ppk manual id"/] }],
    },
    {
      name: 'initiator identity not matched by the responder', setup: () => labPair({ idA: 'fqdn routera.example.com' }, {}),
      expect: [{ router: 'B', says: [/no ikev2 profile for Router A's identity fqdn routera\.example\.com/, /match identity remote fqdn routera\.example\.com/] }],
    },
    {
      name: 'responder identity not matched by the initiator', setup: () => labPair({}, { idB: 'fqdn routerb.example.com' }),
      expect: [
        { router: 'A', says: [/Router B identified itself as fqdn routerb\.example\.com/, /match identity remote/, /identity local/] },
        { router: 'B', says: [/Router A refused Router B's authentication/] },
      ],
    },
    {
      name: 'no ikev2 policy matches the local address',
      setup: () => labPair(pairConfig('A'), pairConfig('B').replace('match address local 10.77.0.2', 'match address local 10.77.0.9')),
      expect: [{ router: 'B', says: [/no ikev2 policy for its address 10\.77\.0\.2/, /match address local 10\.77\.0\.2/] }, { router: 'A', says: [/NO_PROPOSAL_CHOSEN/] }],
    },
    {
      name: 'peer not responding',
      setup: async () => { const p = await labPair(); p.wire.filter = (d) => d.src !== '10.77.0.2'; return p; },
      ms: 300_000,
      expect: [{ router: 'A', says: [/Router B \(10\.77\.0\.2\) never answered Router A's IKE_SA_INIT/, /check the link/] }],
    },
  ];
}

export function labLadderSuite(): void {
  describe('lab: ladder entries from real messages', () => {
    it('IKE_SA_INIT, IKE_AUTH (SK opened, keys that protect it) and ESP with the inner ICMP', async () => {
      const p = await labPair();
      await until(p.time, () => upActive(p.a) && upActive(p.b), 10_000, 'UP-ACTIVE');
      equal(await ping(p, p.a, '192.0.2.2'), 2, 'ping');
      const ike = p.entries.filter((e) => e.kind === 'ike');
      const aOut = ike.filter((e) => e.router === 'A' && e.dir === 'out').map((e) => e.summary);
      ok(/^IKE_SA_INIT request 0 \[ SA KE No N\(NATD_S_IP\) N\(NATD_D_IP\) N\(FRAG_SUP\) \]$/.test(aOut[0]), `init summary: ${aOut[0]}`);
      ok(/^IKE_AUTH request 1 \[ IDi N\(INIT_CONTACT\) AUTH SA TSi TSr \]$/.test(aOut[1]), `auth summary: ${aOut[1]}`);
      const bIn = ike.filter((e) => e.router === 'B' && e.dir === 'in').map((e) => e.summary);
      equal(bIn.slice(0, 2).join(' | '), aOut.slice(0, 2).join(' | '), 'B receives what A sent, in the same words');

      const init = ike.find((e) => e.router === 'A' && e.dir === 'out' && e.summary.startsWith('IKE_SA_INIT'))!;
      equal(init.keys, undefined, 'IKE_SA_INIT travels in clear: no keys');
      equal(findNode(init.dissection, (n) => n.name === 'Exchange type')?.value, 'IKE_SA_INIT (34)', 'exchange type');
      equal(findNode(init.dissection, (n) => n.name === 'Next payload')?.value, 'SA (33)', 'next payload');
      equal(findNode(init.dissection, (n) => n.name === 'Version')?.value, '2.0', 'version');
      ok(/Initiator, Request/.test(findNode(init.dissection, (n) => n.name === 'Flags')?.value ?? ''), 'flags I, request');
      equal(findNode(init.dissection, (n) => n.name === 'ENCR')?.value, 'AES_CBC-256', 'transform with its IANA name');
      equal(findNode(init.dissection, (n) => n.name === 'Key Length')?.value, '256 bits', 'key length named');
      equal(init.rawHex.length, Number(findNode(init.dissection, (n) => n.name === 'Length')?.value) * 2, 'rawHex is the whole message');

      const auth = ike.find((e) => e.router === 'A' && e.dir === 'out' && e.summary.startsWith('IKE_AUTH'))!;
      const sk = findNode(auth.dissection, (n) => n.name === 'Encrypted and Authenticated (SK)');
      ok(sk, 'SK node');
      ok(/SK_ei.*SK_ai/.test(sk!.value ?? ''), `SK says which keys: ${sk!.value}`);
      equal(findNode(sk!.children, (n) => n.name === 'IV length')?.value, '16 bytes', 'AES-CBC IV');
      equal(findNode(sk!.children, (n) => n.name === 'ICV length')?.value, '16 bytes', 'HMAC-SHA-256-128 ICV');
      equal(findNode(sk!.children, (n) => n.name === 'identification')?.value, '10.77.0.1', 'IDi decrypted');
      ok(findNode(sk!.children, (n) => n.name === 'AUTH'), 'AUTH decrypted');
      equal(findNode(sk!.children, (n) => n.name === 'method')?.value, 'SHARED_KEY_MIC', 'auth method by name');
      equal(Object.keys(auth.keys ?? {}).join(' '), 'SK_ei SK_er SK_ai SK_ar', 'keys named as Wireshark names them');
      equal(auth.keys!.SK_ei.length, 64, 'SK_ei of AES-256');
      const authResp = ike.find((e) => e.router === 'B' && e.dir === 'out' && e.summary.startsWith('IKE_AUTH response'))!;
      ok(/SK_er.*SK_ar/.test(findNode(authResp.dissection, (n) => n.name === 'Encrypted and Authenticated (SK)')?.value ?? ''), 'responder keys');
      equal(authResp.keys!.SK_ei, auth.keys!.SK_ei, 'both routers report the same SA keys');

      const esp = p.entries.filter((e) => e.kind === 'esp');
      equal(esp.length, 8, 'two echo requests and two replies, each seen by both routers');
      const req = esp.find((e) => e.router === 'A' && e.dir === 'out')!;
      ok(/^ESP SPI 0x[0-9a-f]{8} seq 1: ICMP echo request 192\.0\.2\.1 → 192\.0\.2\.2 \(100 bytes\)$/.test(req.summary), `esp summary: ${req.summary}`);
      equal(findNode(req.dissection, (n) => n.name === 'Type')?.value, 'Echo (ping) request (8)', 'inner ICMP type');
      equal(findNode(req.dissection, (n) => n.name === 'Protocol')?.value, 'ICMP (1)', 'inner protocol');
      equal(Object.keys(req.keys ?? {}).join(' '), 'Encryption key Authentication key', 'ESP keys');
      const seen = esp.find((e) => e.router === 'B' && e.dir === 'in' && e.summary === req.summary);
      ok(seen, 'B saw the same packet');
      const spiB = p.b.ops.ipsecSas()[0].inbound.spi;
      ok(req.summary.includes(`0x${spiB.toString(16).padStart(8, '0')}`), 'the SPI is B\'s inbound SPI');
      ok(req.rawHex.startsWith('45'), 'raw: the inner IPv4 packet');
    });

    it('GCM: SK is AEAD (8-byte IV, 16-byte ICV, no SK_a)', async () => {
      const p = await labPair({ ikeEnc: 'aes-gcm-256', ikeInteg: 'none', espEnc: 'esp-gcm-256' });
      await until(p.time, () => upActive(p.a) && upActive(p.b), 10_000, 'UP-ACTIVE');
      const auth = p.entries.find((e) => e.kind === 'ike' && e.router === 'A' && e.dir === 'out' && e.summary.startsWith('IKE_AUTH'))!;
      const sk = findNode(auth.dissection, (n) => n.name === 'Encrypted and Authenticated (SK)')!;
      equal(findNode(sk.children, (n) => n.name === 'IV length')?.value, '8 bytes', 'GCM IV');
      equal(findNode(sk.children, (n) => n.name === 'ICV length')?.value, '16 bytes', 'GCM ICV');
      equal(Object.keys(auth.keys ?? {}).join(' '), 'SK_ei SK_er', 'no integrity keys for AEAD');
    });
  });

  describe('lab: failure explanations from the engine trace', () => {
    it('a healthy tunnel (with an INVALID_KE_PAYLOAD retry, a rekey and a ping) explains nothing', async () => {
      const p = await labPair({ dh: '19 20', childLifetime: 120 }, { dh: '20', childLifetime: 120 });
      await until(p.time, () => upActive(p.a) && upActive(p.b), 10_000, 'UP-ACTIVE');
      equal(await ping(p, p.a, '192.0.2.2'), 2, 'ping');
      await run(p.time, 130_000);
      ok(p.a.traceLog.some((e) => /peer wants DH group 20/.test(e.text)), 'the INVALID_KE retry happened');
      ok(p.a.traceLog.some((e) => /rekeyed/.test(e.text)) || p.b.traceLog.some((e) => /rekeyed/.test(e.text)), 'a Child SA rekey happened');
      equal([...explanations(p.a, 'A'), ...explanations(p.b, 'B')].join(' | '), '', 'no explanation');
    });

    for (const s of scenarios()) {
      it(`${s.name}: the right router explains it and names the fix`, async () => {
        const p = await s.setup();
        await run(p.time, s.ms ?? 5000);
        for (const { router, says } of s.expect) {
          const got = explanations(router === 'A' ? p.a : p.b, router);
          const trace = (router === 'A' ? p.a : p.b).traceLog.map((e) => e.text).join('\n');
          ok(got.some((x) => says.every((re) => re.test(x))), `${router} should say ${says.join(' & ')}; said:\n${got.join('\n')}\ntrace:\n${trace}`);
        }
      });
    }

    it('without a router name the sentence speaks of this router and the peer', () => {
      const t = 'IKE SA 1: NO_PROPOSAL_CHOSEN: received proposals IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_384, ' +
        'configured proposals IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/ECP_521';
      const s = explain(t);
      ok(s && /^This router refused every IKE proposal: the peer offered AES-CBC-256 \/ SHA-256 \/ PRF SHA-256 \/ DH 20/.test(s), `sentence: ${s}`);
      ok(s && /no common encryption, integrity, PRF, DH group/.test(s), `names each disagreement: ${s}`);
      equal(explain('IKE SA 1 deleted: peer not responding (IKE_SA_INIT)'), undefined, 'deletions repeat a reason: no second sentence');
      equal(explain('dropped: checksum (10.77.0.1:500: bad)'), undefined, 'drops are noise');
      ok(/transform-sets/.test(explain('IKE SA 3: new Child SA refused: peer answered NO_PROPOSAL_CHOSEN', 'A') ?? ''), 'Child SA re-creation refused');
      equal(explain('IKE SA 3: IKE SA has no Child SA: requesting a new one', 'A'), undefined, 'progress is no failure');
      equal(explain('IKE SA 2: peer sent DH group 19, requesting group 20 (INVALID_KE_PAYLOAD)', 'B'), undefined, 'INVALID_KE is a retry');
    });
  });
}
