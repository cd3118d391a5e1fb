// The Node router's capture files: --pcap (every datagram as it crosses the sockets, written through
// with a synchronous write so a reader sees it at once) and --keylog (Wireshark's three key files,
// replaced atomically — write a temporary file, rename — whenever an SA brings a new line). Both may
// hold secrets or traffic, so they are created mode 0600.
import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { KeyLog } from '../../capture/keylog.js';
import { PcapWriter } from '../../capture/pcap.js';
import type { KeyEvent, WireTap } from '../../router/types.js';

export class PcapFile {
  private readonly writer = new PcapWriter();
  private fd?: number;

  /** Creates (truncates) the file and writes the global header; throws if it cannot. */
  constructor(readonly path: string, private readonly log: (text: string) => void) {
    this.fd = openSync(path, 'w', 0o600);
    writeSync(this.fd, this.writer.header);
  }

  write(t: WireTap): void {
    if (this.fd === undefined) return;
    try { writeSync(this.fd, this.writer.record(t)); } catch (e) {
      this.log(`${this.path}: capture stopped: ${e instanceof Error ? e.message : String(e)}`);
      this.close();
    }
  }

  close(): void {
    if (this.fd !== undefined) { closeSync(this.fd); this.fd = undefined; }
  }
}

export class KeyLogDir {
  private readonly keys = new KeyLog();

  /** Creates the directory (0700) if needed and writes the three files, empty tables included; throws if it cannot. */
  constructor(readonly dir: string, private readonly log: (text: string) => void) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.flush();
  }

  add(e: KeyEvent): void {
    if (!this.keys.add(e)) return;
    try { this.flush(); } catch (err) { this.log(`${this.dir}: ${err instanceof Error ? err.message : String(err)}`); }
  }

  private flush(): void {
    for (const [file, body] of Object.entries(this.keys.files())) {
      const path = join(this.dir, file);
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, body, { mode: 0o600 });
      renameSync(tmp, path);
    }
  }
}
