// `webswan console [--config FILE]`: one router's IOS XR command line on stdin/stdout. With a terminal it
// is interactive (history, Tab completion, `?` help as you type); from a pipe it reads line by line and
// prints what a terminal would show (prompt, the line, the output), so sessions are scriptable:
//   printf 'config\nhostname R1\ncommit\nshow run\n' | webswan console
import { readFile } from 'node:fs/promises';
import * as readline from 'node:readline';
import { Console } from '../../cli/console.js';
import { runTranscript } from '../../cli/transcript.js';
import { ConfigStore } from '../../config/store.js';
import { formatLoadErrors, loadConfig } from '../../config/load.js';
import { systemClock } from '../../util/clock.js';

export interface ConsoleArgs { config?: string }

export function parseConsoleArgs(args: string[]): ConsoleArgs | string {
  const out: ConsoleArgs = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--config' && args[i + 1]) out.config = args[++i];
    else return `console: unknown option ${args[i]}`;
  }
  return out;
}

export async function runConsole(args: ConsoleArgs): Promise<number> {
  const store = new ConfigStore(systemClock);
  if (args.config) {
    let text: string;
    try { text = await readFile(args.config, 'utf8'); } catch (e) {
      process.stderr.write(`webswan: cannot read ${args.config}: ${(e as Error).message}\n`);
      return 2;
    }
    const r = loadConfig(text);
    if (r.errors.length) process.stderr.write(formatLoadErrors(r.errors, args.config));
    if (r.commitErrors.length) {
      process.stderr.write(`${args.config}: configuration rejected:\n${r.commitErrors.map((e) => `  ${e.line}: ${e.message}`).join('\n')}\n`);
      return 1;
    }
    store.load(r.config, 'startup');
  }
  const con = new Console({ store, write: (t) => process.stdout.write(t) });
  return process.stdin.isTTY ? interactive(con) : piped(con);
}

async function piped(con: Console): Promise<number> {
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  await runTranscript(con, rl, (t) => process.stdout.write(t));
  rl.close();
  return 0;
}

function interactive(con: Console): Promise<number> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({
      input: process.stdin, output: process.stdout, terminal: true, historySize: 200,
      completer: (line: string): [string[], string] => {
        const c = con.complete(line);
        if (c.line !== line) return [[c.line], line]; // a unique keyword, or the choices' longer common prefix
        return [c.choices, line.slice(line.search(/\S*$/))]; // readline lists them on the second Tab
      },
    });
    // `?` shows help for what is typed so far, without inserting itself (IOS XR behaviour)
    const tty = rl as unknown as { _ttyWrite(s: string, key: unknown): void; line: string; _refreshLine(): void };
    const original = tty._ttyWrite.bind(rl);
    tty._ttyWrite = (s, key) => {
      if (s === '?') {
        process.stdout.write(`?\n${con.help(tty.line)}`);
        tty._refreshLine();
        return;
      }
      original(s, key);
    };
    let busy = Promise.resolve();
    rl.setPrompt(con.prompt);
    rl.prompt();
    rl.on('line', (line) => {
      busy = busy.then(async () => {
        await con.input(line);
        if (con.closed) { rl.close(); return; }
        rl.setPrompt(con.prompt);
        rl.prompt();
      });
    });
    rl.on('SIGINT', () => { process.stdout.write('\n'); rl.setPrompt(con.prompt); rl.prompt(); });
    rl.on('close', () => resolve(0));
  });
}
