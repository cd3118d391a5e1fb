// `webswan cli --control PATH [-c "command"]…`: a console session on a running `webswan router`, through
// its control socket (protocol: control.ts). With -c, the commands run in order in one session (so
// `-c configure -c "hostname R9" -c commit` works) and only their output is printed, exactly as the
// console writes it. Without -c: interactive on a terminal (prompt, history, Tab, `?`), or line by line
// from a pipe, printing what a terminal would show (prompt, line, output) like `webswan console`.
import * as readline from 'node:readline';
import { ControlClient, type Done } from './control.js';

export interface CliArgs { control: string; commands: string[] }

export function parseCliArgs(args: string[]): CliArgs | string {
  let control: string | undefined;
  const commands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if ((a === '--control' || a === '-c') && args[i + 1] === undefined) return `cli: ${a} needs a value`;
    if (a === '--control') control = args[++i];
    else if (a === '-c') commands.push(args[++i]);
    else return `cli: unknown option ${a}`;
  }
  if (!control) return 'cli: --control PATH is required';
  return { control, commands };
}

const write = (t: string) => { process.stdout.write(t); };

/** A line ending in `?` asks for help on what precedes it, as at the terminal. */
function run(c: ControlClient, line: string): Promise<Done> {
  return line.endsWith('?') ? c.request({ help: line.slice(0, -1) }) : c.request({ line });
}

export async function runCli(args: CliArgs): Promise<number> {
  let c: ControlClient;
  try { c = await ControlClient.connect(args.control); } catch (e) {
    process.stderr.write(`webswan: cannot connect to ${args.control}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  c.onOut = write;
  try {
    if (args.commands.length) {
      for (const line of args.commands) if ((await run(c, line)).closed) break;
      return 0;
    }
    return process.stdin.isTTY ? await interactive(c) : await piped(c);
  } catch (e) {
    process.stderr.write(`webswan: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    c.close();
  }
}

async function piped(c: ControlClient): Promise<number> {
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  let prompt = c.hello!.prompt;
  for await (const line of rl) {
    write(`${prompt}${line}\n`);
    const d = await run(c, line);
    prompt = d.prompt;
    if (d.closed) break;
  }
  rl.close();
  return 0;
}

function interactive(c: ControlClient): Promise<number> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({
      input: process.stdin, output: process.stdout, terminal: true, historySize: 200,
      completer: (line: string, cb: (err: Error | null, r: [string[], string]) => void) => {
        c.request({ complete: line }).then((d) => {
          if (d.line !== undefined && d.line !== line) cb(null, [[d.line], line]);
          else cb(null, [d.choices ?? [], line.slice(line.search(/\S*$/))]);
        }, (e) => cb(e as Error, [[], line]));
      },
    });
    // `?` shows help for what is typed so far, without inserting itself (as webswan console does)
    const tty = rl as unknown as { _ttyWrite(s: string, key: unknown): void; line: string; _refreshLine(): void };
    const original = tty._ttyWrite.bind(rl);
    tty._ttyWrite = (s, key) => {
      if (s !== '?') return original(s, key);
      write('?\n');
      c.request({ help: tty.line }).then(() => tty._refreshLine(), reject);
    };
    let busy = Promise.resolve();
    rl.setPrompt(c.hello!.prompt);
    rl.prompt();
    rl.on('line', (line) => {
      busy = busy.then(async () => {
        const d = await c.request({ line });
        if (d.closed) { done = true; rl.close(); return; }
        rl.setPrompt(d.prompt);
        rl.prompt();
      }).catch((e) => { rl.close(); reject(e); });
    });
    rl.on('SIGINT', () => { write('\n'); rl.prompt(); });
    let done = false;
    c.onClose = () => { if (!done) { done = true; write('\n'); rl.close(); } };
    rl.on('close', () => { done = true; resolve(0); });
  });
}
