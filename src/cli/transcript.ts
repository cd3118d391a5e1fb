// Running lines through a console and writing what a terminal would show: the prompt, the line as
// typed, then the output (a line ending in `?` shows the help instead of running). Used by `webswan
// console` when its input is not a terminal, and by the transcript tests.
import type { Console } from './console.js';

export async function runTranscript(con: Console, lines: Iterable<string> | AsyncIterable<string>,
  write: (text: string) => void): Promise<void> {
  for await (const line of lines) {
    if (con.closed) break;
    write(`${con.prompt}${line}\n`);
    if (line.endsWith('?')) write(con.help(line.slice(0, -1)));
    else await con.input(line);
  }
}
