// Text of the configuration-session commands: commit results, `show configuration` (pending changes),
// `show configuration failed`, and `show running-config` (ios-xr-cli.md §4).
import { pendingLines } from '../config/diff.js';
import type { RouterConfig } from '../config/model.js';
import { blockLines, configBlocks } from '../config/render.js';
import type { CommitOutcome, ConfigSession, ConfigStore } from '../config/store.js';
import type { CommitError } from '../config/validate.js';
import { changeTime } from './format.js';

export function commitText(r: CommitOutcome): string[] {
  if (r.ok) return [];
  if (r.reason === 'no-changes') return ['% No configuration changes to commit.'];
  return ['', "% Failed to commit one or more configuration items during a pseudo-atomic operation. All changes made have been reverted. Please issue 'show configuration failed [inheritance]' from this session to view the errors"];
}

export function showConfiguration(store: ConfigStore, s: ConfigSession, release: string): string[] {
  return ['Building configuration...', `!! IOS XR Configuration ${release}`, ...pendingLines(store.running, s.candidate), 'end'];
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

/** `show running-config [section…]`: whole configuration, or the top-level blocks whose first words match. */
export function showRunningConfig(store: ConfigStore, release: string, section: string[]): string[] {
  const cfg: RouterConfig = store.running;
  let blocks = configBlocks(cfg);
  if (section.length) {
    const want = section.map((w) => w.toLowerCase());
    blocks = blocks.filter((b) => {
      const words = b.line.split(' ');
      return want.every((w, i) => i < words.length && (i === want.length - 1 || words[i].toLowerCase().startsWith(w) || words[i] === section[i])
        && (words[i].toLowerCase().startsWith(w) || words[i] === section[i]));
    });
    if (blocks.length === 0) return ['% No such configuration item(s)'];
  }
  const header = ['Building configuration...', `!! IOS XR Configuration ${release}`];
  if (store.lastChange) header.push(`!! Last configuration change at ${changeTime(store.lastChange.at)} by ${store.lastChange.user}`);
  return [...header, '!', ...blockLines(blocks), 'end'];
}
