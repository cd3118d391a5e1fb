// The line discipline of a router console in the page: what a Cisco terminal does between the keyboard and
// the router's command line. Keys in (xterm's onData strings: characters, control codes, escape sequences),
// terminal output out (text with ANSI cursor movement). It knows nothing about xterm or the lab: the host
// gives it a writer, the terminal width and the router's prompt/exec/help/complete.
//
// Flow: input() queues a chunk → pump() feeds it key by key → printable keys edit the buffer and redraw →
// Enter/`?`/Tab await the router (further keys wait in the queue, so a multi-line paste runs line by line,
// in order) → Ctrl+C while a command runs drops what is still queued.

export interface EditorHost {
  write(text: string): void;
  cols(): number;
  prompt(): Promise<string>;
  exec(line: string): Promise<string>;
  help(line: string): Promise<string>;
  complete(line: string): Promise<{ line: string; choices: string[] }>;
}

const HISTORY_MAX = 200;
const CSI_RE = /^\x1b\[[0-9;?]*[@-~]/;   // ESC [ params final
const SS3_RE = /^\x1bO./;                // ESC O x (application cursor keys)
const ALT_RE = /^\x1b[^[O]/;             // ESC x (Alt+x)

/** Splits an onData string into keys: one character, or one escape sequence. */
export function splitKeys(data: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < data.length) {
    const rest = data.slice(i);
    const m = rest[0] === '\x1b' ? (CSI_RE.exec(rest) ?? SS3_RE.exec(rest) ?? ALT_RE.exec(rest)) : null;
    const key = m ? m[0] : String.fromCodePoint(rest.codePointAt(0)!);
    keys.push(key);
    i += key.length;
  }
  return keys;
}

/** Lays choices out in columns the way IOS XR lists ambiguous completions. */
export function columns(choices: string[], cols: number): string {
  const w = Math.max(...choices.map((c) => c.length)) + 2;
  const per = Math.max(1, Math.floor(cols / w));
  const rows: string[] = [];
  for (let i = 0; i < choices.length; i += per) rows.push(choices.slice(i, i + per).map((c) => c.padEnd(w)).join('').trimEnd());
  return rows.join('\r\n');
}

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

export class LineEditor {
  buffer = '';
  cursor = 0;
  readonly history: string[] = [];
  private histPos = 0;
  private draft = '';
  private promptText = '';
  /** Where the terminal cursor is now, counted in cells from the start of the prompt. */
  private shownAt = 0;
  private queue: string[] = [];
  private pumping = false;
  private busy = false;     // a command, help or completion is with the router
  private lastWasCr = false;
  private started = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly host: EditorHost) {}

  get prompt(): string { return this.promptText; }
  /** True while a command line runs (its output is not back yet). */
  get running(): boolean { return this.busy; }

  /** Draws the first prompt. */
  async start(): Promise<void> {
    this.promptText = await this.host.prompt();
    this.started = true;
    this.host.write(this.promptText);
    this.shownAt = this.promptText.length;
    this.redraw();
    void this.pump();
  }

  /** Keys from the terminal (typed or pasted). */
  input(data: string): void {
    // Ctrl+C while the router is busy: what is queued behind the running command is dropped now
    if (this.busy && data.includes('\x03')) {
      this.queue = [];
      this.host.write('^C');
      return;
    }
    this.queue.push(data);
    void this.pump();
  }

  /** Resolves when every queued key has been handled (tests, and the app's "run these lines"). */
  idle(): Promise<void> {
    if (!this.pumping && this.queue.length === 0 && !this.busy) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Output that arrives outside a command (syslog, debug): printed above the line being edited. */
  print(text: string): void {
    if (!text) return;
    const out = crlf(text.endsWith('\n') ? text : text + '\n');
    if (this.busy || !this.started) { this.host.write(out); return; }
    this.clearShown();
    this.host.write(out);
    this.shownAt = 0;
    this.redraw(true);
  }

  /** The prompt may have changed (a lab was loaded, hostname committed elsewhere): redraw if so. */
  async refreshPrompt(): Promise<void> {
    if (this.busy || !this.started || this.pumping) return;
    const p = await this.host.prompt();
    if (p === this.promptText || this.busy || this.pumping) return;
    this.clearShown();
    this.promptText = p;
    this.shownAt = 0;
    this.redraw(true);
  }

  private async pump(): Promise<void> {
    if (this.pumping || !this.started) return;
    this.pumping = true;
    try {
      while (this.queue.length) {
        const keys = splitKeys(this.queue.shift()!);
        for (let i = 0; i < keys.length; i++) {
          // a run of printable characters is inserted at once (one redraw for a pasted line)
          let j = i;
          while (j < keys.length && isPrintable(keys[j]) && !(keys[j] === '?' && this.atCommandPrompt())) j++;
          if (j > i) { this.insert(keys.slice(i, j).join('')); i = j - 1; this.lastWasCr = false; continue; }
          await this.key(keys[i]);
        }
      }
    } finally {
      this.pumping = false;
      if (!this.busy && this.queue.length === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private atCommandPrompt(): boolean { return /#\s*$/.test(this.promptText); }

  private async key(k: string): Promise<void> {
    const wasCr = this.lastWasCr;
    this.lastWasCr = k === '\r';
    switch (k) {
      case '\r': return this.enter();
      case '\n': if (!wasCr) return this.enter(); return;
      case '\x7f': case '\b': return this.backspace();
      case '\x1b[3~': case '\x04': return this.deleteAt();
      case '\t': return this.completeLine();
      case '?': return this.showHelp();
      case '\x03': return this.interrupt();
      case '\x1a': return this.endConfig();
      case '\x1b[D': case '\x02': return this.moveTo(this.cursor - 1);
      case '\x1b[C': case '\x06': return this.moveTo(this.cursor + 1);
      case '\x1b[H': case '\x1bOH': case '\x1b[1~': case '\x1b[7~': case '\x01': return this.moveTo(0);
      case '\x1b[F': case '\x1bOF': case '\x1b[4~': case '\x1b[8~': case '\x05': return this.moveTo(this.buffer.length);
      case '\x1b[1;5D': case '\x1b[1;3D': case '\x1bb': return this.moveTo(this.wordStart());
      case '\x1b[1;5C': case '\x1b[1;3C': case '\x1bf': return this.moveTo(this.wordEnd());
      case '\x1b[A': case '\x1bOA': case '\x10': return this.historyStep(-1);
      case '\x1b[B': case '\x1bOB': case '\x0e': return this.historyStep(1);
      case '\x15': return this.edit(this.buffer.slice(this.cursor), 0);                       // Ctrl+U
      case '\x0b': return this.edit(this.buffer.slice(0, this.cursor), this.cursor);          // Ctrl+K
      case '\x17': {                                                                         // Ctrl+W
        const from = this.wordStart();
        return this.edit(this.buffer.slice(0, from) + this.buffer.slice(this.cursor), from);
      }
      case '\x0c': this.host.write('\x1b[2J\x1b[H'); this.shownAt = 0; return this.redraw(true);
      default: return; // other control keys and unknown sequences are ignored, as on a router
    }
  }

  private insert(text: string): void {
    const atEnd = this.cursor === this.buffer.length;
    this.buffer = this.buffer.slice(0, this.cursor) + text + this.buffer.slice(this.cursor);
    this.cursor += text.length;
    if (atEnd && (this.shownAt + text.length) % this.host.cols() !== 0) {
      this.host.write(text); // the common case: typing at the end of the line
      this.shownAt += text.length;
    } else this.redraw();
  }

  private edit(buffer: string, cursor: number): void {
    this.buffer = buffer;
    this.cursor = Math.max(0, Math.min(cursor, buffer.length));
    this.redraw();
  }

  private backspace(): void {
    if (this.cursor === 0) return;
    this.edit(this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor), this.cursor - 1);
  }

  private deleteAt(): void {
    if (this.cursor >= this.buffer.length) return;
    this.edit(this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1), this.cursor);
  }

  private moveTo(pos: number): void {
    const p = Math.max(0, Math.min(pos, this.buffer.length));
    if (p === this.cursor) return;
    this.cursor = p;
    this.placeCursor(this.promptText.length + this.buffer.length, this.promptText.length + p, this.shownAt);
  }

  private wordStart(): number {
    let i = this.cursor;
    while (i > 0 && this.buffer[i - 1] === ' ') i--;
    while (i > 0 && this.buffer[i - 1] !== ' ') i--;
    return i;
  }

  private wordEnd(): number {
    let i = this.cursor;
    while (i < this.buffer.length && this.buffer[i] === ' ') i++;
    while (i < this.buffer.length && this.buffer[i] !== ' ') i++;
    return i;
  }

  private historyStep(delta: number): void {
    if (!this.history.length) return;
    if (this.histPos === this.history.length) this.draft = this.buffer;
    const pos = Math.max(0, Math.min(this.histPos + delta, this.history.length));
    if (pos === this.histPos) return;
    this.histPos = pos;
    const line = pos === this.history.length ? this.draft : this.history[pos];
    this.edit(line, line.length);
  }

  /** Leaves the line on screen, moves below it, and runs `fn` with the router (keys wait meanwhile). */
  private async withRouter(echo: string, fn: () => Promise<string>): Promise<void> {
    this.toEndOfLine();
    this.host.write(echo + '\r\n');
    this.busy = true;
    let out: string;
    try { out = await fn(); } catch (e) { out = `% ${(e as Error).message ?? String(e)}\n`; }
    if (out) this.host.write(crlf(out.endsWith('\n') ? out : out + '\n'));
    try { this.promptText = await this.host.prompt(); } catch { /* keep the last prompt */ }
    this.busy = false;
    this.shownAt = 0;
  }

  private async enter(): Promise<void> {
    const line = this.buffer;
    if (line.trim() && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      if (this.history.length > HISTORY_MAX) this.history.shift();
    }
    this.histPos = this.history.length;
    this.draft = '';
    await this.withRouter('', () => this.host.exec(line));
    this.buffer = '';
    this.cursor = 0;
    this.redraw(true);
  }

  /** `?`: the router's help for the text before the cursor; the line stays as it was (IOS XR). */
  private async showHelp(): Promise<void> {
    const upTo = this.buffer.slice(0, this.cursor);
    await this.withRouter('?', () => this.host.help(upTo));
    this.redraw(true);
  }

  private async completeLine(): Promise<void> {
    if (!this.atCommandPrompt()) return;
    const upTo = this.buffer.slice(0, this.cursor);
    const rest = this.buffer.slice(this.cursor);
    let c: { line: string; choices: string[] };
    try { c = await this.host.complete(upTo); } catch { return; }
    if (c.line !== upTo) { this.edit(c.line + rest, c.line.length); return; }
    if (c.choices.length) {
      await this.withRouter('', async () => columns(c.choices, this.host.cols()) + '\n');
      this.redraw(true);
    }
  }

  private interrupt(): void {
    this.toEndOfLine();
    this.host.write('^C\r\n');
    this.buffer = '';
    this.cursor = 0;
    this.histPos = this.history.length;
    this.shownAt = 0;
    this.redraw(true);
  }

  /** Ctrl+Z leaves configuration mode like `end` (IOS XR); at the EXEC prompt it does nothing. */
  private async endConfig(): Promise<void> {
    if (!/\(config[^)]*\)#\s*$/.test(this.promptText)) return;
    this.buffer = '';
    this.cursor = 0;
    await this.withRouter('^Z', () => this.host.exec('end'));
    this.redraw(true);
  }

  private toEndOfLine(): void {
    const len = this.promptText.length + this.buffer.length;
    if (this.shownAt === len) return;
    this.cursor = this.buffer.length;
    if (len % this.host.cols() === 0) this.redraw(); // the last row is only reachable by writing it
    else this.placeCursor(len, len, this.shownAt);
  }

  /** Moves the cursor back to the start of the prompt and erases the prompt and line below it. */
  private clearShown(): void {
    const cols = this.host.cols();
    const up = Math.floor(this.shownAt / cols);
    this.host.write((up ? `\x1b[${up}A` : '') + '\r\x1b[J');
    this.shownAt = 0;
  }

  /**
   * Redraws prompt + buffer and puts the cursor where it belongs, across wrapped rows. `fresh`: the
   * cursor is at the start of an empty row (nothing of this line is on screen yet).
   */
  private redraw(fresh = false): void {
    if (!fresh) this.clearShown();
    const text = this.promptText + this.buffer;
    this.host.write(text);
    this.shownAt = text.length;
    this.placeCursor(text.length, this.promptText.length + this.cursor, text.length, true);
  }

  /**
   * From cell `from` to cell `to` (both counted from the prompt's start) on a line `len` cells long.
   * `justWrote`: the cursor sits right after writing the line, where xterm may hold a pending wrap.
   */
  private placeCursor(_len: number, to: number, from: number, justWrote = false): void {
    const cols = this.host.cols();
    let out = '';
    const fromRow = Math.floor(from / cols);
    if (justWrote && from > 0 && from % cols === 0) {
      out += ' \b'; // leave the pending-wrap state: the cursor moves to column 0 of the next row
    }
    const toRow = Math.floor(to / cols);
    const toCol = to % cols;
    if (toRow < fromRow) out += `\x1b[${fromRow - toRow}A`;
    else if (toRow > fromRow) out += `\x1b[${toRow - fromRow}B`;
    out += '\r' + (toCol ? `\x1b[${toCol}C` : '');
    this.host.write(out);
    this.shownAt = to;
  }
}

function isPrintable(k: string): boolean {
  return k.length >= 1 && k[0] !== '\x1b' && k.codePointAt(0)! >= 0x20 && k !== '\x7f';
}
