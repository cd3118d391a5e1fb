// Running a list of lines through a console and recording what a terminal would show: the prompt, the
// line as typed, then the output. Used by `webswan console` when its input is not a terminal, and by
// the transcript tests.
import type { Console } from './console.js';

export async function runTranscript(con: Console, lines: string[], sink: { text: string }): Promise<void> {
  for (const line of lines) {
    if (con.closed) break;
    if (line.endsWith('?')) { // `?` help as a terminal shows it: the line, the help, the line again
      sink.text += `${con.prompt}${line}\n`;
      sink.text += con.help(line.slice(0, -1));
      continue;
    }
    sink.text += `${con.prompt}${line}\n`;
    await con.input(line);
  }
}
