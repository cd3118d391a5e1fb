// <ws-terminal router="A">: a router's console in xterm.js. The line discipline (editing, history, `?`,
// Tab, multi-line paste) is LineEditor's; this element wires it to xterm and to the LabClient, and adds
// the clipboard: Ctrl/Cmd+Shift+C copies the selection (so does Ctrl+C when there is one), Ctrl/Cmd+Shift+V
// and Ctrl+V paste, right-click copies a selection or pastes. Tab completes, so keyboard users leave the
// terminal with Esc then Tab. xterm (about 90 KB gzip) is loaded on first use, in its own chunk. Its colours
// are the --ws-term-* tokens of web/theme.ts, re-read whenever the theme changes (light / dark / system).
import { LitElement, css, html } from 'lit';
import type { ITheme, Terminal } from '@xterm/xterm';
import type { FitAddon } from '@xterm/addon-fit';
import type { LabClient, LabEvent, RouterName } from '../../src/lab/protocol.js';
import { LabEvents } from './lab-events.js';
import { LineEditor } from './line-editor.js';
import { xtermStyles } from './xterm-css.js';
import { onThemeChange } from '../theme.js';

/** xterm's colours: the --ws-term-* tokens in effect on `el` (web/theme.ts). */
export function xtermTheme(el: Element): ITheme {
  const cs = getComputedStyle(el);
  const v = (t: string) => cs.getPropertyValue(`--ws-term-${t}`).trim();
  return {
    background: v('bg'), foreground: v('fg'), cursor: v('cursor'), cursorAccent: v('bg'),
    selectionBackground: v('selection'), selectionForeground: v('selection-fg'),
    black: v('black'), red: v('red'), green: v('green'), yellow: v('yellow'), blue: v('blue'),
    magenta: v('magenta'), cyan: v('cyan'), white: v('white'),
  };
}

const HELP = 'IOS XR console. Tab completes, question mark shows help, up and down arrows walk the history, '
  + 'Ctrl+C clears the line. Ctrl+Shift+C copies the selection, Ctrl+Shift+V or right-click pastes; '
  + 'pasted lines run one after another. Press Escape then Tab to leave the terminal.';

/** The line a console shows when a lab is loaded: what came before belongs to the previous lab. */
export function separator(name: string | undefined, title?: string): string {
  const what = name === undefined ? 'configuration' : `lab "${title ?? name}"`;
  return `\n\x1b[36m--- ${what} loaded: both routers restarted ---\x1b[0m`;
}

export class WsTerminal extends LitElement {
  static override properties = {
    router: { type: String, reflect: true },
    client: { attribute: false },
    hostname: { state: true },
    releasing: { state: true },
  };
  declare router: RouterName;
  declare client: LabClient | undefined;
  declare hostname: string;
  declare releasing: boolean;

  /** The xterm instance, once loaded. */
  term?: Terminal;
  editor?: LineEditor;
  private fit?: FitAddon;
  private resize?: ResizeObserver;
  private editorFor?: LabClient;
  private termReady?: Promise<void>;
  private escArmed = false;
  private themeOff?: () => void;

  static override styles = [xtermStyles, css`
    :host { display: flex; flex-direction: column; min-height: 16rem; min-width: 0; }
    .bar { display: flex; align-items: baseline; gap: .75rem; flex-wrap: wrap; padding: .3rem .6rem;
      background: var(--ws-term-bar-bg); color: var(--ws-term-bar-text); border-radius: .5rem .5rem 0 0; }
    h2 { margin: 0; font-size: .95rem; font-weight: 650; }
    .host { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; color: var(--ws-term-bar-muted); font-weight: 400; }
    .hint { margin-left: auto; font-size: .75rem; color: var(--ws-term-bar-muted); }
    .hint.on { color: var(--ws-term-hint-on); font-weight: 600; }
    .term { flex: 1; min-height: 0; background: var(--ws-term-bg); padding: .25rem 0 .25rem .4rem;
      border-radius: 0 0 .5rem .5rem; overflow: hidden; }
    .term:focus-within { outline: 3px solid var(--ws-term-focus); outline-offset: 2px; }
  `];

  private readonly events = new LabEvents(this, (e) => this.onEvent(e), () => { void this.connectEditor(); });

  constructor() {
    super();
    this.router = 'A';
    this.hostname = '';
    this.releasing = false;
  }

  override render() {
    return html`
      <div class="bar">
        <h2 id="title">Router ${this.router} <span class="host">${this.hostname}</span></h2>
        <span class="hint ${this.releasing ? 'on' : ''}" aria-live="polite" title=${HELP}>${this.releasing
          ? 'Tab now leaves the terminal' : 'Tab completes · ? help · ↑↓ history · Esc Tab leaves'}</span>
      </div>
      <div class="term" role="region" aria-labelledby="title" aria-describedby="help"></div>
      <span id="help" hidden>${HELP}</span>`;
  }

  override firstUpdated(): void {
    this.termReady = this.openTerminal();
    void this.connectEditor();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize?.disconnect();
    this.themeOff?.();
    this.themeOff = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.themeOff ??= onThemeChange(() => this.retheme());
    this.retheme(); // the theme may have changed while detached
    if (this.term && this.resize) this.resize.observe(this.renderRoot.querySelector('.term')!);
  }

  /** Re-reads the colours (a theme change: web/theme.ts). */
  private retheme(): void {
    if (this.term) this.term.options.theme = xtermTheme(this);
  }

  /** Resolves when xterm is open and the first prompt is drawn. */
  async ready(): Promise<void> {
    await this.updateComplete;
    await this.termReady;
    await this.connectEditor();
  }

  /** Feeds keys as if typed (tests, and the app's "paste into A"). */
  type(data: string): void {
    this.editor?.input(data);
  }

  /** Pastes text: each line runs in order, as when pasting into the terminal. */
  paste(text: string): void {
    this.term ? this.term.paste(text) : this.editor?.input(text.replace(/\r?\n/g, '\r'));
  }

  /** The screen's text (trailing spaces trimmed), for tests and for copying the whole session. */
  screenText(): string {
    const b = this.term?.buffer.active;
    if (!b) return '';
    const lines: string[] = [];
    for (let i = 0; i < b.length; i++) {
      const l = b.getLine(i);
      if (!l) continue;
      const t = l.translateToString(true);
      if (l.isWrapped && lines.length) lines[lines.length - 1] += t; else lines.push(t);
    }
    while (lines.length && !lines[lines.length - 1]) lines.pop();
    return lines.join('\n');
  }

  override focus(): void { this.term?.focus(); }

  private async openTerminal(): Promise<void> {
    const [{ Terminal }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);
    const host = this.renderRoot.querySelector<HTMLElement>('.term')!;
    const term = new Terminal({
      screenReaderMode: true, convertEol: true, cursorBlink: true, scrollback: 5000,
      fontFamily: "ui-monospace, 'DejaVu Sans Mono', 'Cascadia Mono', Menlo, monospace", fontSize: 13,
      theme: xtermTheme(this), minimumContrastRatio: 4.5, rightClickSelectsWord: false, allowProposedApi: false,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host);
    term.textarea?.setAttribute('aria-label', `Router ${this.router} console input`);
    this.term = term;
    this.fit = fit;
    this.refit();
    this.resize = new ResizeObserver(() => this.refit());
    this.resize.observe(host);
    term.onData((d) => this.editor?.input(d));
    term.attachCustomKeyEventHandler((ev) => this.onKey(ev));
    host.addEventListener('contextmenu', (ev) => this.onContextMenu(ev));
  }

  /** Follows the element's size; ignores transient tiny sizes (hidden, mid-layout), which would reflow the screen away. */
  private refit(): void {
    const d = this.fit?.proposeDimensions();
    const t = this.term;
    if (!t || !d || !(d.cols >= 20 && d.rows >= 4)) return;
    if (d.cols !== t.cols || d.rows !== t.rows) t.resize(d.cols, d.rows);
  }

  private async connectEditor(): Promise<void> {
    await this.termReady;
    const client = this.client;
    const term = this.term;
    if (!client || !term || this.editorFor === client) return;
    this.editorFor = client;
    if (this.editor) term.reset();
    const router = this.router;
    this.editor = new LineEditor({
      write: (t) => term.write(t),
      cols: () => term.cols,
      prompt: () => client.prompt(router),
      exec: (l) => client.exec(router, l),
      help: (l) => client.help(router, l),
      complete: (l) => client.complete(router, l),
    });
    client.state().then((s) => { this.hostname = s[router]?.hostname ?? ''; }, () => {});
    await this.editor.start();
  }

  private onEvent(e: LabEvent): void {
    if (e.kind === 'console' && e.router === this.router) this.editor?.print(e.text);
    else if (e.kind === 'lab') this.editor?.print(separator(e.name, this.client?.labs().find((l) => l.name === e.name)?.title));
    else if (e.kind === 'state' && e.state.name === this.router) {
      this.hostname = e.state.hostname;
      void this.editor?.refreshPrompt();
    }
  }

  /** Clipboard keys and the Esc-Tab escape hatch; false means "xterm, leave this key to the browser". */
  private onKey(ev: KeyboardEvent): boolean {
    if (ev.type !== 'keydown') return !(this.releasing && ev.key === 'Tab');
    const mod = ev.ctrlKey || ev.metaKey;
    if (ev.key === 'Escape') { this.escArmed = true; this.releasing = true; return false; }
    if (ev.key === 'Tab' && this.escArmed) { this.escArmed = false; this.releasing = false; return false; }
    if (this.escArmed && !['Shift', 'Control', 'Alt', 'Meta'].includes(ev.key)) { this.escArmed = false; this.releasing = false; }
    if (mod && ev.shiftKey && ev.code === 'KeyC') { ev.preventDefault(); void this.copy(); return false; }
    if (mod && ev.shiftKey && ev.code === 'KeyV') return false;            // the browser fires 'paste'
    if (ev.ctrlKey && !ev.shiftKey && !ev.altKey && ev.code === 'KeyV') return false;
    if (ev.metaKey && (ev.code === 'KeyC' || ev.code === 'KeyV')) return false; // macOS: native copy/paste
    if (ev.ctrlKey && !ev.shiftKey && ev.code === 'KeyC' && this.term?.hasSelection()) {
      ev.preventDefault(); void this.copy(); return false;
    }
    return true;
  }

  private async copy(): Promise<void> {
    const text = this.term?.getSelection() ?? '';
    if (!text) return;
    try { await navigator.clipboard.writeText(text); } catch { /* clipboard not allowed here */ }
    this.term?.clearSelection();
  }

  private onContextMenu(ev: MouseEvent): void {
    if (this.term?.hasSelection()) { ev.preventDefault(); void this.copy(); return; }
    if (!navigator.clipboard?.readText) return; // keep the browser's menu, which has Paste
    ev.preventDefault();
    navigator.clipboard.readText().then((t) => { if (t) this.paste(t); this.term?.focus(); }, () => {});
  }
}
customElements.define('ws-terminal', WsTerminal);

declare global {
  interface HTMLElementTagNameMap { 'ws-terminal': WsTerminal }
}
