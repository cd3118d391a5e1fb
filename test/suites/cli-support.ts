// A console on a fixed clock for the CLI tests, with helpers to type lines and read what was printed, and
// to replay a transcript fixture (test/vectors/ios-xr-*) and compare the whole text.
import { Console } from '../../src/cli/console.js';
import type { RouterOps } from '../../src/cli/state.js';
import { type RouterConfig, emptyConfig } from '../../src/config/model.js';
import { renderConfig } from '../../src/config/render.js';
import { ConfigStore } from '../../src/config/store.js';
import { ManualClock } from '../../src/util/clock.js';
import { runTranscript } from '../../src/cli/transcript.js';
import { env } from '../support/env.js';
import { diffTranscript, parseTranscript } from '../support/transcript.js';
import { ok } from '../support/assert.js';

/** 2024-02-12 10:29:44.738 UTC, the date of the guide's transcripts. */
export const TEST_TIME = Date.UTC(2024, 1, 12, 10, 29, 44, 738);
export const STAMP = 'Mon Feb 12 10:29:44.738 UTC';

export class Rig {
  readonly clock = new ManualClock(TEST_TIME);
  readonly store: ConfigStore;
  readonly con: Console;
  private readonly printed: string[] = [];
  private captured = '';
  constructor(initial: RouterConfig = { ...emptyConfig(), hostname: 'R' }, readonly ops?: RouterOps, store?: ConfigStore) {
    this.store = store ?? new ConfigStore(this.clock, initial);
    this.con = new Console({ store: this.store, clock: this.clock, ops, write: (s) => { this.printed.push(s); this.captured += s; } });
  }
  /** Everything printed so far. */
  get out(): string { return this.printed.join(''); }
  /** Type lines; returns only what they printed. */
  async type(...lines: string[]): Promise<string> {
    this.captured = '';
    for (const l of lines) await this.con.input(l);
    return this.captured;
  }
  running(): string { return renderConfig(this.store.running); }
}

/** The block of `show running-config` text for one top-level entry (`keyring K` … `!`). */
export function blockOf(text: string, header: string): string {
  const lines = text.split('\n');
  const i = lines.indexOf(header);
  if (i < 0) return '';
  let j = i + 1;
  while (j < lines.length && lines[j] !== '!') j++;
  return lines.slice(i, j + 1).join('\n');
}

/** Replay a transcript fixture (path under test/vectors) through a fresh router and compare the whole text. */
export async function replay(file: string, setup?: (store: ConfigStore) => void, ops?: RouterOps): Promise<void> {
  const t = parseTranscript(await (await env()).text(file));
  const clock = new ManualClock(TEST_TIME);
  const store = new ConfigStore(clock, t.hostname === 'ios' ? emptyConfig() : { ...emptyConfig(), hostname: t.hostname });
  setup?.(store);
  const sink = { text: '' };
  const con = new Console({ store, clock, ops, write: (s) => { sink.text += s; } });
  await runTranscript(con, t.inputs, (x) => { sink.text += x; });
  const d = diffTranscript(t.lines, sink.text);
  ok(d === null, `${file}: ${d}`);
}
