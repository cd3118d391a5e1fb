// `webswan router --pki-dir DIR`: the router's trustpoints (CA certificates, its own certificate and
// private key — what `crypto ca authenticate|import|enroll` installed) kept across restarts, as a real
// IOS XR router keeps them across reloads.
//
// Layout: one file per trustpoint, DIR/NAME.json (trustpoint names are [A-Za-z0-9_.-]{1,32}), holding
// the TrustpointMaterial of src/pki/trustpoint.ts as JSON: {"name","cas":[PEM…],"certificate"?:PEM,
// "privateKey"?:PKCS#8 PEM} — or, when the certificate belongs to one of the router's key pairs, "keypair":
// LABEL instead of "privateKey". The key pairs (`crypto key generate rsa`) are DIR/keys/LABEL.json, one per
// key pair (labels are [A-Za-z0-9_.-]{1,64}), holding the KeyPairMaterial of src/pki/keypairs.ts:
// {"kind":"rsa-keypair","label","created":ISO 8601,"privateKey":PKCS#8 PEM}; DIR/keys is 0700. Other files
// are ignored. One file per trustpoint and per key pair so that a damaged file costs only its own.
//
// Secrecy: the files hold a private key. DIR is created 0700 when missing; files are written 0600 and
// replaced atomically (temporary file in DIR, fsync, rename, fsync of DIR). At start, like ssh with its
// keys, a trustpoint file readable or writable by group/other, owned by another user or not a regular
// file — or a DIR writable by group/other — stops the router with a message (PkiDirError). No file's
// contents are ever logged: errors name the file and the reason only.
//
// Start: every key pair is loaded (key pairs are the router's, not the configuration's), first, so that
// the trustpoints whose certificate names one restore with it; only trustpoints named in the running configuration are loaded (the Router drops a trustpoint's
// certificates when it leaves the configuration at commit, so an unconfigured one would be dropped at the
// first commit anyway); the file of an unconfigured trustpoint is left untouched on disk and logged. A
// file that cannot be read, parsed or restored (TrustpointStore.restore refuses it) is logged and left
// in place; the other trustpoints load. Then every change of the store (onChange) rewrites the files of
// the trustpoints that changed and removes the files of those deleted (`clear crypto ca certificates`,
// `no crypto ca trustpoint` at commit) and of the key pairs zeroized (`crypto key zeroize rsa`); writes are
// serialised and a burst of changes is coalesced.
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, type Stats, unlinkSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { PkiMaterial, TrustpointMaterial, TrustpointStore } from '../../pki/trustpoint.js';
import { type KeyPairMaterial, KEY_LABEL, isKeyPairMaterial } from '../../pki/keypairs.js';

/** A reason not to start (permissions, DIR unusable). */
export class PkiDirError extends Error {}

const NAME = /^[A-Za-z0-9_.-]{1,32}$/;
const SUFFIX = '.json';
const TEMP = /^\.[A-Za-z0-9_.-]{1,64}\.json\.\d+\.tmp$/;
const KEYS = 'keys';
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** What was last written, remembered as a digest: the text itself holds a private key and is not kept. */
const digest = (text: string) => createHash('sha256').update(text).digest('hex');
/** Error texts from parsers may quote their input: keep base64 runs (certificate or key bytes) out of logs. */
const redact = (s: string) => s.replace(/[A-Za-z0-9+/=]{24,}/g, '…');

export interface LoadedPki {
  /** Material of the key pairs and of the configured trustpoints that parsed (restore() still checks each). */
  items: PkiMaterial[];
  /** Files loaded from, by trustpoint name. */
  files: Map<string, string>;
  /** Files loaded from, by key pair label. */
  keyFiles: Map<string, string>;
}

export class PkiDir {
  /** What each trustpoint's file holds now (JSON text), as far as this process wrote or read it. */
  private readonly written = new Map<string, string>();
  /** The same for the key pairs' files, by label. */
  private readonly writtenKeys = new Map<string, string>();
  private store?: TrustpointStore;
  private queue: Promise<void> = Promise.resolve();
  private pending = false;

  /** Creates DIR (0700) if missing and checks its permissions; throws PkiDirError to refuse to start. */
  constructor(readonly dir: string, private readonly log: (text: string) => void) {
    let st: Stats | undefined;
    try { st = lstatSync(dir); } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new PkiDirError(`--pki-dir ${dir}: ${errText(e)}`);
    }
    if (!st) {
      try { mkdirSync(dir, { recursive: true, mode: 0o700 }); } catch (e) { throw new PkiDirError(`--pki-dir ${dir}: cannot create it: ${errText(e)}`); }
      log(`pki: created ${dir} (mode 0700)`);
      return;
    }
    if (!st.isDirectory()) throw new PkiDirError(`--pki-dir ${dir}: not a directory`);
    if (st.mode & 0o022) {
      throw new PkiDirError(`--pki-dir ${dir}: writable by group or others (mode ${mode(st)}); it holds private keys: chmod 700 ${dir}`);
    }
  }

  /** Path of the file of trustpoint `name`. */
  file(name: string): string { return join(this.dir, name + SUFFIX); }
  /** Path of the file of key pair `label`. */
  keyFile(label: string): string { return join(this.dir, KEYS, label + SUFFIX); }

  /**
   * Read every DIR/NAME.json. Permission problems throw PkiDirError (nothing is loaded); a damaged file
   * is logged (without its contents) and skipped; files of trustpoints not in `configured` are skipped.
   */
  load(configured: ReadonlySet<string>): LoadedPki {
    const out: LoadedPki = { items: [], files: new Map(), keyFiles: new Map() };
    this.loadKeys(out);
    const all = readdirSync(this.dir);
    // temporary files of a write cut short (a crash between write and rename) hold key material: removed
    for (const f of all.filter((x) => TEMP.test(x))) { try { unlinkSync(join(this.dir, f)); } catch { /* left */ } }
    const names = all.filter((f) => f.endsWith(SUFFIX)).map((f) => f.slice(0, -SUFFIX.length))
      .filter((n) => NAME.test(n)).sort();
    for (const name of names) this.checkFile(this.file(name));
    for (const name of names) {
      const path = this.file(name);
      if (!configured.has(name)) {
        this.log(`pki: ${path}: trustpoint ${name} is not in the configuration: not loaded (file left in place)`);
        continue;
      }
      const text = this.read(path);
      const m = text === undefined ? undefined : this.parse(path, name, text);
      if (!m) continue;
      this.written.set(name, digest(text!));
      out.items.push(m);
      out.files.set(name, path);
    }
    return out;
  }

  /** DIR/keys/LABEL.json: every key pair (checked as the trustpoint files; DIR/keys as DIR). */
  private loadKeys(out: LoadedPki): void {
    const kdir = join(this.dir, KEYS);
    let st: Stats;
    try { st = lstatSync(kdir); } catch { return; }
    if (!st.isDirectory()) throw new PkiDirError(`${kdir}: not a directory; refusing to start`);
    if (st.mode & 0o022) throw new PkiDirError(`${kdir}: writable by group or others (mode ${mode(st)}); it holds private keys: chmod 700 ${kdir}; refusing to start`);
    const all = readdirSync(kdir);
    for (const f of all.filter((x) => TEMP.test(x))) { try { unlinkSync(join(kdir, f)); } catch { /* left */ } }
    const labels = all.filter((f) => f.endsWith(SUFFIX)).map((f) => f.slice(0, -SUFFIX.length)).filter((l) => KEY_LABEL.test(l)).sort();
    for (const label of labels) this.checkFile(this.keyFile(label));
    for (const label of labels) {
      const path = this.keyFile(label);
      const text = this.read(path, `key pair ${label}`);
      const m = text === undefined ? undefined : this.parseKey(path, label, text);
      if (!m) continue;
      this.writtenKeys.set(label, digest(text!));
      out.items.push(m);
      out.keyFiles.set(label, path);
    }
  }

  private parseKey(path: string, label: string, text: string): KeyPairMaterial | undefined {
    const bad = (why: string) => { this.log(`pki: ${path}: ${why}; key pair ${label} not loaded (file left in place)`); return undefined; };
    let v: unknown;
    try { v = JSON.parse(text); } catch { return bad(`not valid JSON (${text.length} bytes; damaged or truncated)`); }
    if (!isKeyPairMaterial(v)) return bad('not a key pair file ("kind": "rsa-keypair" missing)');
    if (v.label !== label) return bad(`names key pair ${typeof v.label === 'string' && KEY_LABEL.test(v.label) ? v.label : '(invalid)'}, not ${label}`);
    if (typeof v.created !== 'string') return bad('"created" is not a date');
    if (typeof v.privateKey !== 'string') return bad('"privateKey" is not a PEM text');
    return { kind: 'rsa-keypair', label, created: v.created, privateKey: v.privateKey };
  }

  /** ssh-style: a key file must be a regular file of ours, not readable or writable by anyone else. */
  private checkFile(path: string): void {
    const st = lstatSync(path);
    if (!st.isFile()) throw new PkiDirError(`${path}: not a regular file; refusing to start`);
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) {
      throw new PkiDirError(`${path}: owned by uid ${st.uid}, not by this user (uid ${process.getuid()}); refusing to start`);
    }
    if (st.mode & 0o077) {
      throw new PkiDirError(`${path}: permissions ${mode(st)} are too open; it holds a private key: chmod 600 ${path}; refusing to start`);
    }
  }

  private read(path: string, what = 'trustpoint'): string | undefined {
    try { return readFileSync(path, 'utf8'); } catch (e) {
      this.log(`pki: ${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'}; ${what} not loaded`);
      return undefined;
    }
  }

  /** The file's material, or undefined (logged) when it is not a trustpoint file of that name. */
  private parse(path: string, name: string, text: string): TrustpointMaterial | undefined {
    const bad = (why: string) => { this.log(`pki: ${path}: ${why}; trustpoint ${name} not loaded (file left in place)`); return undefined; };
    let v: unknown;
    // JSON.parse's message quotes the text around the error: not logged
    try { v = JSON.parse(text); } catch { return bad(`not valid JSON (${text.length} bytes; damaged or truncated)`); }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad('not a JSON object');
    const o = v as Record<string, unknown>;
    if (o.name !== name) return bad(`names trustpoint ${typeof o.name === 'string' && NAME.test(o.name) ? o.name : '(invalid)'}, not ${name}`);
    if (!Array.isArray(o.cas) || !o.cas.every((c) => typeof c === 'string')) return bad('"cas" is not a list of PEM certificates');
    for (const k of ['certificate', 'privateKey', 'keypair'] as const) {
      if (o[k] !== undefined && typeof o[k] !== 'string') return bad(`"${k}" is not a PEM text`);
    }
    const m: TrustpointMaterial = { name, cas: o.cas as string[] };
    if (typeof o.certificate === 'string') m.certificate = o.certificate;
    if (typeof o.privateKey === 'string') m.privateKey = o.privateKey;
    if (typeof o.keypair === 'string') m.keypair = o.keypair;
    return m;
  }

  /**
   * Load the configured trustpoints into `store` (TrustpointStore.restore; a refused one is logged and its
   * file kept), then follow the store: each change rewrites the files. Returns the names restored.
   */
  async restoreInto(store: TrustpointStore, configured: ReadonlySet<string>): Promise<string[]> {
    const loaded = this.load(configured);
    const errors = await store.restore(loaded.items);
    for (const e of errors) {
      const label = /^key pair (\S+): /.exec(e)?.[1];
      if (label) {
        this.writtenKeys.delete(label);
        this.log(`pki: ${loaded.keyFiles.get(label) ?? join(this.dir, KEYS)}: refused: ${redact(e)} (file left in place)`);
        continue;
      }
      const name = /^trustpoint (\S+): /.exec(e)?.[1];
      if (name) this.written.delete(name);
      this.log(`pki: ${name ? loaded.files.get(name) ?? this.dir : this.dir}: refused: ${redact(e)} (file left in place)`);
    }
    for (const label of [...loaded.keyFiles.keys()].filter((l) => store.keys.get(l) && this.writtenKeys.has(l))) {
      const kp = store.keys.get(label)!;
      this.log(`pki: key pair ${label} restored from ${this.keyFile(label)}: RSA ${kp.bits} bits`);
    }
    const ok = loaded.items.filter((m): m is TrustpointMaterial => !isKeyPairMaterial(m)).map((m) => m.name)
      .filter((n) => store.get(n) && this.written.has(n));
    for (const n of ok) {
      const tp = store.get(n)!;
      this.log(`pki: trustpoint ${n} restored from ${this.file(n)}: ${tp.caCertificates.length} CA certificate(s)` +
        `${tp.certificate ? (tp.keyPairLabel ? `, router certificate (key pair ${tp.keyPairLabel})` : ', router certificate and key') : ''}`);
    }
    this.store = store;
    store.onChange(() => this.schedule());
    return ok;
  }

  /** Queue a rewrite; changes arriving while one runs are folded into one more pass. */
  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    this.queue = this.queue.then(async () => {
      this.pending = false;
      try { await this.sync(); } catch (e) { this.log(`pki: ${this.dir}: ${errText(e)}`); }
    });
  }

  /** Resolves when every change so far is on disk. */
  async idle(): Promise<void> {
    for (let q = this.queue; ; q = this.queue) { await q; if (q === this.queue) return; }
  }

  /** Bring the files in line with the store: write the trustpoints whose material changed, remove the deleted. */
  private async sync(): Promise<void> {
    const store = this.store!;
    const now = new Map<string, string>();
    const keysNow = new Map<string, string>();
    for (const m of store.material()) {
      if (isKeyPairMaterial(m)) {
        if (KEY_LABEL.test(m.label)) keysNow.set(m.label, JSON.stringify(m, null, 1) + '\n');
        continue;
      }
      if (!m.cas.length && m.certificate === undefined) continue; // created by a command, nothing installed yet
      if (NAME.test(m.name)) now.set(m.name, JSON.stringify(m, null, 1) + '\n');
    }
    // Order, so that a crash between two writes never leaves a trustpoint file naming a key pair file that
    // holds another key: first the trustpoint files that do not name a key pair being (re)written (one
    // dropping its binding goes before the key it named is replaced), then the key pairs, then the rest.
    const changedKeys = new Set([...keysNow].filter(([l, t]) => this.writtenKeys.get(l) !== digest(t)).map(([l]) => l));
    const namesKey = (text: string) => { const k = (JSON.parse(text) as TrustpointMaterial).keypair; return k !== undefined && changedKeys.has(k); };
    for (const [name, text] of now) {
      if (namesKey(text) || this.written.get(name) === digest(text)) continue;
      await this.writeAtomic(this.file(name), text, this.dir, `.${name}.json.${process.pid}.tmp`);
      this.written.set(name, digest(text));
      this.log(`pki: trustpoint ${name} saved to ${this.file(name)}`);
    }
    for (const [label, text] of keysNow) {
      if (this.writtenKeys.get(label) === digest(text)) continue;
      const kdir = join(this.dir, KEYS);
      if (!existsSync(kdir)) mkdirSync(kdir, { mode: 0o700 });
      await this.writeAtomic(this.keyFile(label), text, kdir, `.${label}.json.${process.pid}.tmp`);
      this.writtenKeys.set(label, digest(text));
      this.log(`pki: key pair ${label} saved to ${this.keyFile(label)}`);
    }
    for (const [name, text] of now) {
      if (this.written.get(name) === digest(text)) continue;
      await this.writeAtomic(this.file(name), text, this.dir, `.${name}.json.${process.pid}.tmp`);
      this.written.set(name, digest(text));
      this.log(`pki: trustpoint ${name} saved to ${this.file(name)}`);
    }
    for (const name of [...this.written.keys()]) {
      if (now.has(name)) continue;
      await unlink(this.file(name)).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
      await this.fsyncDir();
      this.written.delete(name);
      this.log(`pki: trustpoint ${name} removed: ${this.file(name)} deleted`);
    }
    for (const label of [...this.writtenKeys.keys()]) {
      if (keysNow.has(label)) continue;
      await unlink(this.keyFile(label)).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
      await this.fsyncDir(join(this.dir, KEYS));
      this.writtenKeys.delete(label);
      this.log(`pki: key pair ${label} zeroized: ${this.keyFile(label)} deleted`);
    }
  }

  private async writeAtomic(path: string, text: string, dir: string, tmpName: string): Promise<void> {
    const tmp = join(dir, tmpName);
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.chmod(0o600); // an existing leftover keeps its mode under open(); make sure
      const bytes = Buffer.from(text, 'utf8');
      try { await fh.writeFile(bytes); } finally { bytes.fill(0); }
      await fh.sync();
    } finally {
      await fh.close();
    }
    try { await rename(tmp, path); } catch (e) { await unlink(tmp).catch(() => {}); throw e; }
    await this.fsyncDir(dir);
  }

  private async fsyncDir(dir = this.dir): Promise<void> {
    try { const fd = openSync(dir, 'r'); try { fsyncSync(fd); } finally { closeSync(fd); } } catch { /* not every fs syncs directories */ }
  }
}

const mode = (st: Stats) => `0${(st.mode & 0o777).toString(8)}`;
