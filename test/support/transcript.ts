// Transcript fixtures: what a terminal shows for an IOS XR session — prompt, typed line, output. A test
// takes the typed lines out of a fixture, replays them through a console, and compares the whole text.
// `# …` lines are comments. `{type7:TEXT}` in an expected line matches a type-7 string that decodes to
// TEXT (checked with an independent decoder), since the seed IOS picks is not part of the contract.
import { decodeType7 } from './type7-ref.js';

const PROMPT = /^RP\/0\/RP0\/CPU0:[A-Za-z0-9_.-]+(\([^)]*\))?#/;
const QUESTIONS = [
  'Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]: ',
  'Do you wish to proceed with this commit anyway? [no]: ',
];

export interface Transcript { lines: string[]; inputs: string[]; hostname: string }

export function parseTranscript(text: string): Transcript {
  const lines = text.replace(/\r/g, '').split('\n').filter((l) => !l.startsWith('#'));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  const inputs: string[] = [];
  let hostname = 'ios';
  for (const l of lines) {
    const m = PROMPT.exec(l);
    if (m) {
      if (!inputs.length) hostname = /:([^(#]+)/.exec(m[0])![1];
      inputs.push(l.slice(m[0].length));
      continue;
    }
    const q = QUESTIONS.find((x) => l.startsWith(x));
    if (q) inputs.push(l.slice(q.length));
  }
  return { lines, inputs, hostname };
}

/** Compare produced text with the fixture; returns a description of the first difference, or null. */
export function diffTranscript(expected: string[], actual: string): string | null {
  const got = actual.replace(/\n$/, '').split('\n');
  const n = Math.max(expected.length, got.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i], g = got[i];
    if (e === g) continue;
    if (e !== undefined && g !== undefined && e.includes('{type7:')) {
      const parts = e.split(/\{type7:([^}]*)\}/);
      let re = '^';
      const want: string[] = [];
      parts.forEach((p, k) => { if (k % 2) { re += '(\\S+)'; want.push(p); } else re += p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); });
      const m = new RegExp(re + '$').exec(g);
      if (m && want.every((w, k) => decodeType7(m[k + 1]) === w)) continue;
    }
    return `line ${i + 1}:\n  expected ${JSON.stringify(e)}\n  got      ${JSON.stringify(g)}\n--- context ---\n${got.slice(Math.max(0, i - 3), i + 3).join('\n')}`;
  }
  return null;
}
