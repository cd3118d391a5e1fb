// Text of the configuration-session commands: commit results, `show configuration` (pending changes),
// `show configuration failed`, and `show running-config` (ios-xr-cli.md §4).
import { pendingLines } from '../config/diff.js';
import type { RouterConfig } from '../config/model.js';
import { blockLines, configBlocks } from '../config/render.js';
import type { CommitOutcome, ConfigSession, ConfigStore } from '../config/store.js';
import type { CommitError } from '../config/validate.js';
import { ifname } from '../config/values.js';
import { changeTime } from './format.js';

/** The first lines of every configuration listing. */
const configHeader = (release: string) => ['Building configuration...', `!! IOS XR Configuration ${release}`];

export function commitText(r: CommitOutcome): string[] {
  if (r.ok) return [];
  if (r.reason === 'no-changes') return ['% No configuration changes to commit.'];
  return ['', "% Failed to commit one or more configuration items during a pseudo-atomic operation. All changes made have been reverted. Please issue 'show configuration failed [inheritance]' from this session to view the errors"];
}

export function showConfiguration(s: ConfigSession, release: string): string[] {
  return [...configHeader(release), ...pendingLines(s.baseline, s.candidate), 'end'];
}

export function showConfigurationFailed(errors: CommitError[]): string[] {
  if (errors.length === 0) return [];
  const out = ['!! SEMANTIC ERRORS: This configuration was rejected by', '!! the system due to semantic errors. The individual',
    '!! errors with each failed configuration command can be', '!! found below.', '', ''];
  for (const e of errors) {
    e.context.forEach((c, i) => out.push(' '.repeat(i) + c));
    out.push(' '.repeat(e.context.length) + e.line, `!!% ${e.message}`);
    for (let i = e.context.length - 1; i >= 0; i--) out.push(' '.repeat(i) + '!');
  }
  out.push('end');
  return out;
}

/** Words of block headers that are keywords (abbreviable); the others are names, matched exactly. */
const SECTION_KEYWORDS = new Set(['hostname', 'logging', 'ikev2', 'proposal', 'policy', 'profile', 'keyring', 'ipsec',
  'transform-set', 'interface', 'sks', 'type', 'remote', 'vrf', 'severity', 'port']);

function sectionWordMatches(shown: string, typed: string, previous: string | undefined): boolean {
  if (SECTION_KEYWORDS.has(shown)) return shown.startsWith(typed.toLowerCase());
  if (previous === 'interface') { const c = ifname.check(typed); return c.ok && c.value === shown; }
  return shown === typed;
}

/** `show running-config [section…]`: whole configuration, or the top-level blocks whose first words match. */
export function showRunningConfig(store: ConfigStore, release: string, section: string[]): string[] {
  const cfg: RouterConfig = store.running;
  let blocks = configBlocks(cfg);
  if (section.length) {
    blocks = blocks.filter((b) => {
      const words = b.line.split(' ');
      return section.every((w, i) => i < words.length && sectionWordMatches(words[i], w, words[i - 1]));
    });
    if (blocks.length === 0) return ['% No such configuration item(s)'];
  }
  const header = configHeader(release);
  if (store.lastChange) header.push(`!! Last configuration change at ${changeTime(store.lastChange.at)} by ${store.lastChange.user}`);
  return [...header, '!', ...blockLines(blocks), 'end'];
}

/** `show configuration commit list [n]`: the commit database, newest first. */
export function showCommitList(store: ConfigStore, n?: number): string[] {
  const recs = [...store.commits].reverse().slice(0, n ?? store.commits.length);
  if (recs.length === 0) return ['% No such configuration item(s)'];
  const row = (sno: string, id: string, user: string, line: string, client: string, time: string) =>
    `${sno.padEnd(5)}${id.padEnd(22)}${user.padEnd(10)}${line.padEnd(20)}${client.padEnd(12)}${time}`;
  return [
    row('SNo.', 'Label/ID', 'User', 'Line', 'Client', 'Time Stamp'),
    row('~~~~', '~~~~~~~~', '~~~~', '~~~~', '~~~~~~', '~~~~~~~~~~'),
    ...recs.map((r, i) => row(String(i + 1), String(r.id), r.user, 'con0_RP0_CPU0', 'CLI', changeTime(r.at))),
  ];
}

/** `show configuration commit changes { last N | ID }`: what those commits changed, as configuration lines. */
export function showCommitChanges(store: ConfigStore, release: string, sel: { last?: number; id?: number }): string[] {
  const all = store.commits;
  let from: number, to: number;
  if (sel.id !== undefined) {
    from = to = all.findIndex((r) => r.id === sel.id);
  } else {
    to = all.length - 1;
    from = all.length - (sel.last ?? 1);
  }
  if (from < 0 || to < 0) return ['% No such configuration item(s)'];
  return [...configHeader(release), ...pendingLines(all[from].before, all[to].after), 'end'];
}
