// A malformed-input corpus, generated from templates of the valid commands (ios-xr-cli.md §2) whose
// value slots are typed by hand: truncations after a keyword that needs an argument, misspelt keywords,
// values of the wrong type, out-of-range numbers, overlong names, non-ASCII and control characters,
// and extra words. Each line is typed into a router loaded with the guide's configuration and must get an
// IOS XR error (the caret no earlier than the damage; exactly under a bad character), leave the session in
// global configuration mode, and change nothing: the running configuration stays byte-identical and a
// final `commit` has nothing to commit. Then seeded random mutations of the same templates (10,000 in npm test,
// 1,000,000 under `npm run fuzz`): a rejected line changes nothing, an accepted one round-trips.
import { loadConfig } from '../../src/config/load.js';
import { renderConfig } from '../../src/config/render.js';
import { sameConfig } from '../../src/config/model.js';
import { ConfigStore } from '../../src/config/store.js';
import { env } from '../support/env.js';
import { equal, ok } from '../support/assert.js';
import { Rig, STAMP } from './cli-support.js';

type Slot = 'n32' | 'n127' | 'ip' | 'mask' | 'fqdn' | 'int' | 't7' | 'ppkid' | 'host' | 'if';

/** A valid command: words, `{slot:value}` for a typed value, `{int:value:lo:hi}` for a number. */
const TEMPLATES = [
  'hostname {host:edge-1}',
  'logging {ip:192.0.2.9} vrf {n32:mgmt} port {int:514:0:65535}',
  'ikev2 proposal {n32:P} prf sha-256',
  'ikev2 proposal {n32:P} encryption aes-gcm-256 aes-cbc-128',
  'ikev2 proposal {n32:P} integrity sha-512',
  'ikev2 proposal {n32:P} dh-group 20 21',
  'ikev2 policy {n32:POL} proposal {n32:P}',
  'ikev2 policy {n32:POL} match address local {ip:198.51.100.5}',
  'keyring {n32:K} peer {n32:P} address {ip:10.10.10.1} {mask:255.255.255.0}',
  'keyring {n32:K} peer {n32:P} pre-shared-key password {t7:0822455D0A16}',
  'keyring {n32:K} peer {n32:P} pre-shared-key local {t7:060506324F41584B56}',
  'keyring {n32:K} peer {n32:P} identity address {ip:192.0.2.2}',
  'keyring {n32:K} peer {n32:P} identity fqdn domain {fqdn:example.com}',
  'keyring {n32:K} peer {n32:P} ppk manual id {ppkid:123} key password {t7:0822455D0A16} required',
  'keyring {n32:K} peer {n32:P} ppk dynamic {n127:Qkd} required',
  'ikev2 profile {n32:PR} keyring {n32:K}',
  'ikev2 profile {n32:PR} keyring ppk {n32:K}',
  'ikev2 profile {n32:PR} lifetime {int:600:120:86400}',
  'ikev2 profile {n32:PR} authentication local pre-shared',
  'ikev2 profile {n32:PR} authentication remote rsa-signature',
  'ikev2 profile {n32:PR} match identity remote address {ip:10.10.10.0} {mask:255.255.255.0}',
  'ikev2 profile {n32:PR} match identity remote fqdn {fqdn:RouterB.example.com}',
  'ikev2 profile {n32:PR} identity local address {ip:10.10.10.3}',
  'ikev2 profile {n32:PR} identity local fqdn {fqdn:RouterA.example.com}',
  'ikev2 profile {n32:PR} pki trustpoint {n32:TP1}',
  'ipsec transform-set {n32:T} transform esp-256-aes esp-hmac-sha-256',
  'ipsec transform-set {n32:T} mode tunnel',
  'ipsec profile {n32:IP} set ikev2-profile {n32:PR}',
  'ipsec profile {n32:IP} set transform-set {n32:T1}',
  'ipsec profile {n32:IP} set pfs group20',
  'ipsec profile {n32:IP} set security-association lifetime seconds {int:3600:120:2592000}',
  'ipsec profile {n32:IP} set responder-only',
  'interface {if:GigabitEthernet0/0/0/1} ipv4 address {ip:10.10.10.3} {mask:255.255.255.0}',
  'interface {if:tunnel-ip7} tunnel mode ipsec ipv4',
  'interface {if:tunnel-ip7} tunnel source {ip:10.10.10.3}',
  'interface {if:tunnel-ip7} tunnel destination {ip:10.10.10.1}',
  'interface {if:tunnel-ip7} tunnel protection ipsec profile {n32:IP}',
  'sks profile {n127:Qkd} type remote kme server ipv4 {ip:192.0.2.34} port {int:10001:1:65535}',
];

/** Keywords after which IOS XR needs at least one more word (ios-xr-cli.md §2): truncating there is incomplete. */
const NEEDS_MORE = new Set([
  'hostname', 'logging', 'vrf', 'port', 'ikev2', 'proposal', 'prf', 'encryption', 'integrity', 'dh-group', 'policy', 'match',
  'address', 'keyring', 'peer', 'pre-shared-key', 'password', 'identity', 'fqdn', 'domain', 'ppk', 'manual', 'id', 'key',
  'dynamic', 'profile', 'lifetime', 'authentication', 'local', 'trustpoint', 'pki', 'ipsec', 'transform-set', 'transform',
  'mode', 'set', 'ikev2-profile', 'pfs', 'security-association', 'seconds', 'interface', 'ipv4', 'tunnel', 'source',
  'destination', 'protection', 'sks', 'type', 'kme', 'server',
]);
/**
 * Keyword positions where a value is accepted as well (`keyring ppk K` / `keyring K`, `pre-shared-key
 * password X` / `pre-shared-key KEY`): a misspelt keyword there is taken as the value, and the caret falls
 * on the word after it.
 */
const ALSO_A_VALUE = new Set(['keyring ppk', 'pre-shared-key password', 'pre-shared-key local', 'fqdn domain', 'key password']);

/** Values of the wrong type, out of range or too long, for each slot (first bad character per the reference). */
function badValues(slot: Slot, lo = 0, hi = 0): string[] {
  const long = (n: number) => 'n'.repeat(n);
  switch (slot) {
    case 'n32': return [long(33), long(40)];
    case 'n127': return [long(128)];
    case 'ip': return ['abc', '1.2.3', '1.2.3.4.5', '256.1.1.1', '10.0.0.-1', '2001:db8::1', '10.0..1'];
    case 'mask': return ['255.0.255.0', '255.255.255.256', '24', '/24', '0.0.0.255'];
    case 'fqdn': return ['bad!name.com', 'a..b', '.lead.com', `${long(252)}.com`];
    case 'int': return [String(lo - 1), String(hi + 1), 'abc', '-5', '1.5', '0x10', '99999999999'];
    case 't7': return ['0822455D0A1', '9922455D0A16', '08ZZ455D0A16', '08'];
    case 'ppkid': return ['ab_c', 'a.b', 'id-1', long(128)];
    case 'host': return ['bad*name', 'semi;colon', long(254)];
    case 'if': return ['Foo0/0/0/0', 'GigabitEthernet0/0', 'tunnel-ipX', 'Loopback', 'GigabitEthernet0/0/0/1/5'];
  }
}

interface Token { text: string; slot?: Slot; lo?: number; hi?: number }

function parse(t: string): Token[] {
  return t.split(' ').map((w) => {
    const m = /^\{(\w+):([^:}]+)(?::(-?\d+):(\d+))?\}$/.exec(w);
    if (!m) return { text: w };
    return { text: m[2], slot: m[1] as Slot, ...(m[3] !== undefined ? { lo: Number(m[3]), hi: Number(m[4]) } : {}) };
  });
}

/** A generated line, what kind of damage it has, and where the damage starts (the caret may not be before it). */
export interface Malformed { line: string; kind: string; from: number; exactAt?: number; incomplete?: boolean }

export function malformedCorpus(): Malformed[] {
  const out: Malformed[] = [];
  const CONTROL = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u001b', '\u007f', '\u0085'];
  const FOREIGN = ['é', 'ü', '中', 'Ω', '\u00a0', '\u200b', '😀', 'ı'];
  TEMPLATES.forEach((t, ti) => {
    const toks = parse(t);
    const starts: number[] = [];
    let pos = 0;
    for (const k of toks) { starts.push(pos); pos += k.text.length + 1; }
    const join = (ts: Token[]) => ts.map((k) => k.text).join(' ');
    const line = join(toks);
    toks.forEach((k, i) => {
      const rest = (text: string) => join([...toks.slice(0, i), { text }, ...toks.slice(i + 1)]);
      if (k.slot) {
        for (const v of badValues(k.slot, k.lo, k.hi)) out.push({ line: rest(v), kind: `wrong ${k.slot}`, from: starts[i] });
      } else {
        const value = ALSO_A_VALUE.has(`${toks[i - 1]?.text} ${k.text}`);
        out.push({ line: rest(k.text + 'q'), kind: 'misspelt keyword', from: starts[i], ...(value ? {} : { exactAt: starts[i] + k.text.length }) });
        out.push({ line: rest(k.text.slice(0, -1) + 'q'), kind: 'misspelt keyword', from: starts[i] });
        if (NEEDS_MORE.has(k.text) && i < toks.length - 1) out.push({ line: join(toks.slice(0, i + 1)), kind: 'truncated', from: 0, incomplete: true });
      }
    });
    const nameList = toks[toks.length - 2]?.text === 'transform-set' && toks[toks.length - 3]?.text === 'set'; // up to 5 names
    if (!nameList) out.push({ line: `${line} bogus`, kind: 'extra word', from: line.length + 1 });
    // non-printable characters: in the middle of a word, and as a word of their own
    const mid = starts[1] + 1;
    out.push({ line: line.slice(0, mid) + CONTROL[ti % CONTROL.length] + line.slice(mid), kind: 'control character', from: mid, exactAt: mid });
    out.push({ line: line.slice(0, mid) + FOREIGN[ti % FOREIGN.length] + line.slice(mid), kind: 'non-ASCII', from: mid, exactAt: mid });
    const end = starts[toks.length - 1];
    const c2 = CONTROL[(ti + 3) % CONTROL.length], f2 = FOREIGN[(ti + 5) % FOREIGN.length];
    out.push({ line: `${line.slice(0, end)}${c2} ${line.slice(end)}`, kind: 'control character', from: end, exactAt: end });
    out.push({ line: `${line.slice(0, end)}${line.slice(end)}${f2}`, kind: 'non-ASCII', from: line.length, exactAt: line.length });
  });
  // unknown first words and nonsense
  for (const w of ['ikev3', 'keyrings', 'ipsecx', 'interfaces', 'hostnam3', 'crypto', 'router', 'x', '1', '-', '?x', 'ikev2proposal']) {
    out.push({ line: `${w} foo`, kind: 'unknown command', from: 0 });
  }
  return out;
}

/** mulberry32: a small seeded generator, so a failing case can be replayed from its number. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ' abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_/:!?*#\t\u0000\u001b\u007fé中';

/** A random mutation of a template line: characters inserted, deleted or replaced, words dropped or swapped. */
function mutate(r: () => number): string {
  const t = TEMPLATES[Math.floor(r() * TEMPLATES.length)];
  let words = parse(t).map((k) => k.text);
  const ops = 1 + Math.floor(r() * 3);
  for (let o = 0; o < ops; o++) {
    const k = Math.floor(r() * 5);
    if (k === 0 && words.length > 1) words.splice(Math.floor(r() * words.length), 1);
    else if (k === 1 && words.length > 2) { const i = Math.floor(r() * (words.length - 1)); [words[i], words[i + 1]] = [words[i + 1], words[i]]; }
    else {
      let line = words.join(' ');
      const at = Math.floor(r() * (line.length + 1));
      const ch = [...ALPHABET][Math.floor(r() * [...ALPHABET].length)];
      if (k === 2) line = line.slice(0, at) + ch + line.slice(at);
      else if (k === 3) line = line.slice(0, at) + line.slice(at + 1);
      else line = line.slice(0, at) + ch + line.slice(at + 1);
      words = line.split(' ');
    }
  }
  return words.join(' ');
}

const CARET = /^( *)\^\n% Invalid input detected at '\^' marker\.\n$/;
const PROMPT = 'RP/0/RP0/CPU0:Router(config)#';

export function cliMalformedSuite(fuzzCases = 10000): void {
  describe('IOS XR malformed-input corpus', () => {
    it('has at least 500 distinct lines of every kind', () => {
      const c = malformedCorpus();
      const kinds = new Set(c.map((m) => m.kind.split(' ')[0]));
      ok(new Set(c.map((m) => m.line)).size >= 500, `${c.length} lines`);
      for (const k of ['wrong', 'misspelt', 'truncated', 'extra', 'control', 'non-ASCII', 'unknown']) ok(kinds.has(k), `kind ${k}`);
    });

    it('every line gets an IOS XR error, stays in global configuration, and the running configuration is byte-identical', async () => {
      const text = await (await env()).text('ios-xr-guide/router1-running-config.cfg');
      const loaded = loadConfig(text);
      equal(loaded.errors.length, 0, 'the guide configuration loads');
      const rig = new Rig(undefined, undefined, new ConfigStore(new Rig().clock, { ...loaded.config, hostname: 'Router' }));
      const before = renderConfig(rig.store.running);
      await rig.type('configure');
      equal(rig.con.prompt, PROMPT, 'prompt');
      const failures: string[] = [];
      for (const m of malformedCorpus()) {
        const printed = await rig.type(m.line);
        const caret = CARET.exec(printed);
        const what = `${m.kind}: ${JSON.stringify(m.line)} → ${JSON.stringify(printed)}`;
        if (m.incomplete) { if (printed !== '% Incomplete command.\n') failures.push(what); }
        else if (!caret && !/^% Ambiguous command: {2}".+"\n$/.test(printed)) failures.push(what);
        else if (caret) {
          const col = caret[1].length - PROMPT.length;
          if (col < m.from || (m.exactAt !== undefined && col !== m.exactAt)) failures.push(`${what} (caret at ${col}, damage at ${m.exactAt ?? m.from})`);
        }
        if (rig.con.prompt !== PROMPT) { failures.push(`${what}: left the session at ${rig.con.prompt}`); await rig.type('root'); }
        if (failures.length > 20) break;
      }
      ok(failures.length === 0, `${failures.length} lines not rejected as expected:\n${failures.join('\n')}`);
      equal(await rig.type('show configuration'), `${STAMP}\nBuilding configuration...\n!! IOS XR Configuration 24.3.1\nend\n`, 'nothing pending');
      equal(await rig.type('commit'), `${STAMP}\n% No configuration changes to commit.\n`, 'nothing to commit');
      equal(renderConfig(rig.store.running), before, 'running configuration byte-identical');
    });

    it(`random mutations of the templates (${fuzzCases} cases): a rejected line changes nothing, an accepted one round-trips`, async () => {
      const r = rng(0x5eed);
      const rig = new Rig();
      await rig.type('configure');
      const failures: string[] = [];
      for (let n = 0; n < fuzzCases && failures.length < 10; n++) {
        const line = mutate(r);
        const before = rig.con.candidate!;
        let printed: string;
        try { printed = await rig.type(line); } catch (e) { failures.push(`#${n} ${JSON.stringify(line)} threw ${e}`); continue; }
        if (rig.con.mode === 'exec') { failures.push(`#${n} ${JSON.stringify(line)} left configuration mode`); await rig.type('configure'); continue; }
        if (printed !== '') {
          if (!/^( *\^\n% Invalid input detected at '\^' marker\.|% Incomplete command\.|% Ambiguous command: {2}".*")\n$/.test(printed)) failures.push(`#${n} ${JSON.stringify(line)} printed ${JSON.stringify(printed)}`);
          if (!sameConfig(rig.con.candidate!, before)) failures.push(`#${n} ${JSON.stringify(line)} was rejected but changed the candidate`);
        } else {
          const cand = rig.con.candidate!;
          const back = loadConfig(renderConfig(cand));
          if (back.errors.length || !sameConfig(back.config, cand)) failures.push(`#${n} ${JSON.stringify(line)} accepted, but its canonical text does not load back the same: ${JSON.stringify(back.errors)}`);
        }
        await rig.type('root');
        if (n % 50 === 49) await rig.type('abort', 'configure');
      }
      ok(failures.length === 0, failures.join('\n'));
    });
  });
}
