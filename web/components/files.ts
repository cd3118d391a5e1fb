// Files the page hands to the user: a download from bytes or text, and a ustar archive (POSIX.1-1988,
// the format `tar xf` and every archive tool read) so that a capture and its Wireshark key files arrive
// in one click, as one file, without a zip implementation.

export type FileBody = string | Uint8Array;

/** Starts a download of one file. */
export function download(name: string, body: FileBody | Blob, type = 'application/octet-stream'): void {
  const blob = body instanceof Blob ? body : new Blob([typeof body === 'string' ? body : body.slice()], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const enc = new TextEncoder();

function field(h: Uint8Array, at: number, len: number, text: string): void {
  const b = enc.encode(text);
  if (b.length > len) throw new Error(`tar: field too long: ${text}`);
  h.set(b, at);
}

const octal = (n: number, len: number) => n.toString(8).padStart(len - 1, '0');

/** A ustar archive of regular files (names up to 100 bytes), mode 0644, owned by root, dated `mtime` (s). */
export function tar(files: { name: string; body: FileBody }[], mtime = Math.floor(Date.now() / 1000)): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of files) {
    const body = typeof f.body === 'string' ? enc.encode(f.body) : f.body;
    const h = new Uint8Array(512);
    field(h, 0, 100, f.name);
    field(h, 100, 8, octal(0o644, 8));
    field(h, 108, 8, octal(0, 8));
    field(h, 116, 8, octal(0, 8));
    field(h, 124, 12, octal(body.length, 12));
    field(h, 136, 12, octal(mtime, 12));
    h.fill(0x20, 148, 156);             // checksum is computed with its own field as spaces
    h[156] = 0x30;                      // '0': regular file
    field(h, 257, 6, 'ustar');          // magic "ustar\0"
    field(h, 263, 2, '00');
    field(h, 265, 32, 'root');
    field(h, 297, 32, 'root');
    let sum = 0;
    for (const x of h) sum += x;
    field(h, 148, 8, octal(sum, 7) + '\0');
    h[155] = 0x20;
    parts.push(h, body, new Uint8Array((512 - (body.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));     // two zero blocks end the archive
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Reads a ustar archive back (the tests check what `tar` wrote). */
export function untar(data: Uint8Array): { name: string; body: Uint8Array }[] {
  const out: { name: string; body: Uint8Array }[] = [];
  const dec = new TextDecoder();
  for (let at = 0; at + 512 <= data.length;) {
    const h = data.subarray(at, at + 512);
    if (h.every((x) => x === 0)) break;
    const name = dec.decode(h.subarray(0, 100)).replace(/\0.*$/s, '');
    const size = parseInt(dec.decode(h.subarray(124, 136)).replace(/\0.*$/s, '').trim(), 8);
    out.push({ name, body: data.slice(at + 512, at + 512 + size) });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
