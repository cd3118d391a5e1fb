// <ws-terminal> and its line discipline against a fake LabClient: Tab, `?` and Enter go to
// complete/help/exec with the line as typed; history; Ctrl+C; multi-line paste in order; async console
// output above the line; wrapped long lines; real key presses through xterm; accessibility hooks; a
// separator when a lab is loaded.
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../web/components/terminal.js';
import type { WsTerminal } from '../../web/components/terminal.js';
import { LineEditor, splitKeys } from '../../web/components/line-editor.js';
import { FakeLab, mount, until } from './ui-fake.js';
declare function afterEach(fn: () => void | Promise<void>): void; // mocha's (test/support/globals.d.ts has the shared subset)

async function terminal(lab = new FakeLab(), router = 'A'): Promise<{ el: WsTerminal; lab: FakeLab }> {
  const el = mount<WsTerminal>('ws-terminal', { client: lab, router }, 'width: 900px; height: 400px');
  await el.ready();
  await until(() => el.screenText().includes('#'), 'the prompt');
  return { el, lab };
}

async function typed(el: WsTerminal, data: string): Promise<void> {
  el.type(data);
  await el.editor!.idle();
  await new Promise((r) => setTimeout(r, 20)); // xterm parses writes asynchronously
}

const lastLine = (el: WsTerminal) => el.screenText().split('\n').pop()!;

describe('ui: line editor', () => {
  it('splits keys and escape sequences', () => {
    expect(splitKeys('ab\x1b[A\x1b[3~\x1bOH\r?')).to.deep.equal(['a', 'b', '\x1b[A', '\x1b[3~', '\x1bOH', '\r', '?']);
  });

  it('tracks cursor across wrapped rows (20 columns)', async () => {
    let screen = '';
    const ed = new LineEditor({
      write: (t) => { screen += t; }, cols: () => 20, prompt: async () => 'R#',
      exec: async () => '', help: async () => '', complete: async (l) => ({ line: l, choices: [] }),
    });
    await ed.start();
    ed.input('x'.repeat(45));
    ed.input('\x1b[H');            // Home
    ed.input('y');
    ed.input('\x1b[F');            // End
    ed.input('z');
    await ed.idle();
    expect(ed.buffer).to.equal('y' + 'x'.repeat(45) + 'z');
    expect(ed.cursor).to.equal(47);
    expect(screen).to.include('\x1b[2A'); // went up two rows to the prompt to redraw
  });
});

describe('ui: <ws-terminal>', () => {
  afterEach(() => { document.querySelectorAll('ws-terminal').forEach((e) => e.remove()); });

  it('shows the prompt and is labelled for assistive technology', async () => {
    const { el } = await terminal();
    expect(lastLine(el)).to.equal('RP/0/RP0/CPU0:A#');
    expect(el.term!.options.screenReaderMode).to.equal(true);
    expect(el.term!.textarea!.getAttribute('aria-label')).to.equal('Router A console input');
    const region = el.shadowRoot!.querySelector('.term')!;
    expect(region.getAttribute('role')).to.equal('region');
    expect(el.shadowRoot!.getElementById(region.getAttribute('aria-labelledby')!)!.textContent).to.include('Router A');
  });

  it("'show ver' + Tab completes, ? shows help without consuming the line, Enter runs it", async () => {
    const { el, lab } = await terminal();
    await typed(el, 'show ver');
    await typed(el, '\t');
    expect(lab.callsOf('complete')).to.deep.equal([['A', 'show ver']]);
    expect(el.editor!.buffer).to.equal('show version ');
    await typed(el, '?');
    expect(lab.callsOf('help')).to.deep.equal([['A', 'show version ']]);
    expect(el.editor!.buffer).to.equal('show version ');
    const screen = el.screenText();
    expect(screen).to.include('RP/0/RP0/CPU0:A#show version ?');
    expect(screen).to.include('version  System hardware and software status');
    expect(lastLine(el)).to.equal('RP/0/RP0/CPU0:A#show version '); // the line is redrawn below the help
    await typed(el, '\r');
    expect(lab.callsOf('exec')).to.deep.equal([['A', 'show version ']]);
    expect(el.screenText()).to.include('ran A: show version');
    expect(lastLine(el)).to.equal('RP/0/RP0/CPU0:A#');
  });

  it('lists ambiguous completions and keeps the line', async () => {
    const { el } = await terminal();
    await typed(el, 'show i\t');
    expect(el.screenText()).to.match(/ikev2\s+interfaces\s+ipsec/);
    expect(el.editor!.buffer).to.equal('show i');
    expect(lastLine(el)).to.equal('RP/0/RP0/CPU0:A#show i');
  });

  it('history: ↑ and ↓ walk earlier lines and come back to the draft', async () => {
    const { el } = await terminal();
    await typed(el, 'show run\r');
    await typed(el, 'show ikev2 session\r');
    await typed(el, 'sho');
    await typed(el, '\x1b[A');
    expect(el.editor!.buffer).to.equal('show ikev2 session');
    await typed(el, '\x1b[A');
    expect(el.editor!.buffer).to.equal('show run');
    await typed(el, '\x1b[A');
    expect(el.editor!.buffer).to.equal('show run');
    await typed(el, '\x1b[B\x1b[B');
    expect(el.editor!.buffer).to.equal('sho');
    expect(lastLine(el)).to.equal('RP/0/RP0/CPU0:A#sho');
  });

  it('line editing: arrows, Home/End, Backspace, Delete, Ctrl+W, Ctrl+U', async () => {
    const { el } = await terminal();
    await typed(el, 'show ikev2 sesion');
    await typed(el, '\x1b[D\x1b[D\x1b[D');   // before "ion"
    await typed(el, 's');
    expect(el.editor!.buffer).to.equal('show ikev2 session');
    await typed(el, '\x1b[H\x1b[3~\x1b[F\x7f');
    expect(el.editor!.buffer).to.equal('how ikev2 sessio');
    await typed(el, '\x17');
    expect(el.editor!.buffer).to.equal('how ikev2 ');
    await typed(el, '\x15');
    expect(el.editor!.buffer).to.equal('');
    expect(lastLine(el)).to.equal('RP/0/RP0/CPU0:A#');
  });

  it('Ctrl+C clears the line without running it', async () => {
    const { el, lab } = await terminal();
    await typed(el, 'clear crypto ikev2 sa');
    await typed(el, '\x03');
    expect(el.editor!.buffer).to.equal('');
    expect(lab.callsOf('exec')).to.deep.equal([]);
    expect(el.screenText()).to.include('clear crypto ikev2 sa^C');
    expect(lastLine(el)).to.equal('RP/0/RP0/CPU0:A#');
  });

  it('a multi-line paste runs each line in order, waiting for each', async () => {
    const lab = new FakeLab();
    lab.onExec = async (r, l) => { await new Promise((res) => setTimeout(res, l.startsWith('hostname') ? 60 : 5)); return ''; };
    const { el } = await terminal(lab);
    el.paste('configure\nhostname R1\ncrypto ikev2 proposal P1\n encryption aes-gcm-256\ncommit\n');
    await until(() => lab.callsOf('exec').length === 5, 'five commands');
    await el.editor!.idle();
    expect(lab.callsOf('exec').map((c) => c[1])).to.deep.equal([
      'configure', 'hostname R1', 'crypto ikev2 proposal P1', ' encryption aes-gcm-256', 'commit',
    ]);
  });

  it('prompts change with the mode; ? at a yes/no question is just a character', async () => {
    const lab = new FakeLab();
    lab.onExec = (r, l) => {
      if (l === 'configure') lab.prompts.A = 'RP/0/RP0/CPU0:A(config)#';
      if (l === 'end') lab.prompts.A = 'Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]: ';
      return '';
    };
    const { el } = await terminal(lab);
    await typed(el, 'configure\r');
    expect(lastLine(el)).to.equal('RP/0/RP0/CPU0:A(config)#');
    await typed(el, '\x1a');                 // Ctrl+Z = end
    expect(lab.callsOf('exec').map((c) => c[1])).to.deep.equal(['configure', 'end']);
    await typed(el, '?');
    expect(lab.callsOf('help')).to.deep.equal([]);
    expect(el.editor!.buffer).to.equal('?');
  });

  it("prints the router's console events above the line being typed", async () => {
    const { el, lab } = await terminal();
    await typed(el, 'show ip');
    lab.emit({ kind: 'console', router: 'A', text: 'RP/0/RP0/CPU0:Nov 27 10:00:00 : iked[1]: %SECURITY-IKEV2-5-SA_UP : up\n' });
    lab.emit({ kind: 'console', router: 'B', text: 'not for A\n' });
    await new Promise((r) => setTimeout(r, 30));
    const lines = el.screenText().split('\n');
    expect(lines[lines.length - 2]).to.include('%SECURITY-IKEV2-5-SA_UP');
    expect(lines[lines.length - 1]).to.equal('RP/0/RP0/CPU0:A#show ip');
    expect(el.screenText()).not.to.include('not for A');
    expect(el.editor!.buffer).to.equal('show ip');
  });

  it('edits a line longer than the terminal is wide', async () => {
    const { el } = await terminal();
    const long = 'crypto ikev2 keyring KR peer P1 address 192.0.2.2 255.255.255.255 pre-shared-key ' + 'k'.repeat(100);
    await typed(el, long);
    await typed(el, '\x1b[H');
    await typed(el, 'x');
    await typed(el, '\x1b[F');
    expect(el.editor!.buffer).to.equal('x' + long);
    expect(el.screenText().split('\n').pop()).to.equal('RP/0/RP0/CPU0:A#x' + long);
  });

  it('real key presses reach the router through xterm', async () => {
    const { el, lab } = await terminal();
    el.focus();
    await sendKeys({ type: 'show ver' });
    await sendKeys({ press: 'Tab' });
    await until(() => lab.callsOf('complete').length === 1, 'Tab → complete');
    await sendKeys({ press: 'Enter' });
    await until(() => lab.callsOf('exec').length === 1, 'Enter → exec');
    expect(lab.callsOf('exec')).to.deep.equal([['A', 'show version ']]);
  });

  it('Esc then Tab leaves the terminal instead of completing (keyboard-only users)', async () => {
    const { el, lab } = await terminal();
    el.focus();
    await sendKeys({ type: 'show ver' });
    await sendKeys({ press: 'Escape' });
    await sendKeys({ press: 'Tab' });
    await new Promise((r) => setTimeout(r, 50));
    expect(lab.callsOf('complete')).to.deep.equal([]);
    expect(el.shadowRoot!.activeElement).to.not.equal(el.term!.textarea);
  });

  it('follows the hostname from state events', async () => {
    const { el, lab } = await terminal();
    lab.prompts.A = 'RP/0/RP0/CPU0:PE1#';
    lab.emit({ kind: 'state', state: { ...lab.states.A, hostname: 'PE1' } });
    await until(() => lastLine(el) === 'RP/0/RP0/CPU0:PE1#', 'new prompt');
    expect(el.shadowRoot!.querySelector('.host')!.textContent).to.equal('PE1');
  });

  it('a lab load draws a separator under the previous lab\'s output, above the line being edited', async () => {
    const { el, lab } = await terminal();
    await typed(el, 'show version\r');
    await typed(el, 'show ip');
    lab.emit({ kind: 'lab', name: 'ppk-manual' });
    await until(() => el.screenText().includes('--- lab'), 'the separator');
    const lines = el.screenText().split('\n');
    expect(lines[lines.length - 2]).to.equal('--- lab "Manual PPK" loaded: both routers restarted ---');
    expect(lines.findIndex((l) => l.includes('ran A: show version'))).to.be.lessThan(lines.length - 2);
    expect(lines[lines.length - 1]).to.equal('RP/0/RP0/CPU0:A#show ip', 'the line being edited stays');
    lab.emit({ kind: 'lab', name: undefined });
    await until(() => el.screenText().includes('--- configuration loaded'), 'the separator of an imported configuration');
  });
});
