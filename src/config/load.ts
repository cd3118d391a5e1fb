// Reading a configuration file — the text `show running-config` prints, or any IOS XR configuration —
// into a RouterConfig: how the Node router gets its configuration and how `webswan console --config`
// starts. Every line goes through the same grammar as typed commands.
//
// File conventions (as IOS XR configurations are written): `!` at the start of a line closes the
// current block (back to global configuration), an indented `!` is a comment, `exit` goes up one
// level, `end` ends the configuration; `show running-config` headers (Building configuration…, `!!`
// comments, the timestamp line) are skipped.
import { CONFIG_TOP, type Position, configEffect, failureMessage, parentOf, resolve } from './interpret.js';
import { type RouterConfig, emptyConfig } from './model.js';
import { type CommitError, validate } from './validate.js';

export interface LoadError { lineNo: number; line: string; message: string; column?: number }

export interface LoadResult { config: RouterConfig; errors: LoadError[]; commitErrors: CommitError[] }

const TIMESTAMP = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d(\.\d+)? \S+$/;

export function loadConfig(text: string, base: RouterConfig = emptyConfig()): LoadResult {
  const config = base;
  const errors: LoadError[] = [];
  let pos: Position = CONFIG_TOP;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    const line = raw.trimEnd();
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('!!') || trimmed === 'Building configuration...' || TIMESTAMP.test(trimmed)) continue;
    if (trimmed.startsWith('!')) { if (!/^\s/.test(line)) pos = CONFIG_TOP; continue; }
    if (trimmed === 'end') break;
    if (trimmed === 'exit') { pos = parentOf(pos)?.mode === 'exec' ? CONFIG_TOP : (parentOf(pos) ?? CONFIG_TOP); continue; }
    if (/[^\x20-\x7e\t]/.test(line)) {
      errors.push({ lineNo: i + 1, line, message: 'non-printable or non-ASCII character', column: line.search(/[^\x20-\x7e\t]/) });
      continue;
    }
    const r = resolve(pos, line);
    if (!r.ok) {
      errors.push({ lineNo: i + 1, line, message: failureMessage(r), column: r.error === 'incomplete' ? undefined : r.pos });
      continue;
    }
    if (r.segments.some((s) => s.cmd.kind !== undefined && s.cmd.kind !== 'config')) {
      errors.push({ lineNo: i + 1, line, message: '% This command is not a configuration command.' });
      continue;
    }
    const { edit, next } = configEffect(r);
    edit(config);
    pos = next;
  }
  return { config, errors, commitErrors: validate(config) };
}

/** Words after which a configuration line carries a key (abbreviations included). */
function introducesSecret(word: string): boolean {
  const w = word.toLowerCase();
  const is = (kw: string, min: number) => w.length >= min && kw.startsWith(w);
  return is('pre-shared-key', 4) || is('password', 3) || is('local', 3) || is('remote', 3) || w === 'key';
}

/** A line with every possible key replaced by asterisks of the same length (so carets still line up). */
export function maskSecrets(line: string): string {
  const parts = line.split(/(\s+)/);
  for (let i = 2; i < parts.length; i += 2) {
    if (introducesSecret(parts[i - 2]) && !introducesSecret(parts[i])) parts[i] = '*'.repeat(parts[i].length);
  }
  return parts.join('');
}

/** The errors of a load as text: each bad line (keys masked), a caret under its first bad character, the message. */
export function formatLoadErrors(errors: LoadError[], file = 'configuration'): string {
  return errors.map((e) => `${file}:${e.lineNo}: ${maskSecrets(e.line.trim())}\n` +
    (e.column !== undefined ? `${' '.repeat(String(`${file}:${e.lineNo}: `).length + e.column - (e.line.length - e.line.trimStart().length))}^\n` : '') +
    `${e.message}\n`).join('');
}
