// The lab's colours, light and dark, defined once: TOKENS holds every colour as a CSS custom property
// (`--ws-<name>`), its light value and its dark value side by side. installTheme() adopts one document
// stylesheet that sets them on :root — light by default, dark when the system prefers it
// (`prefers-color-scheme: dark`) unless the user chose light, and dark when the user chose dark. The
// components' shadow styles only use `var(--ws-…)`: custom properties inherit through shadow roots.
//
// The choice (light / dark / system) lives in localStorage under THEME_KEY and shows as `data-theme` on
// <html> (absent: follow the system). web/index.html sets that attribute in a tiny inline script in <head>
// before the body is parsed, so the first paint already has the right colour scheme; this module, loaded
// by every component, does the rest: the tokens, the meta theme-color, and the 'ws-theme-change' event
// that <ws-terminal> follows to re-theme xterm.js live.

export type ThemePreference = 'light' | 'dark' | 'system';
export type Theme = 'light' | 'dark';

export const THEME_KEY = 'webswan-theme';
export const THEME_EVENT = 'ws-theme-change';

/** Every colour of the lab: [light, dark]. Text/background pairs meet WCAG AA in both (test/browser/ui-theme.test.ts). */
export const TOKENS = {
  // page, panels, text
  'page-bg': ['#f3f6f9', '#0e141b'],
  'surface': ['#ffffff', '#161e28'],
  'surface-2': ['#f4f8fc', '#1c2733'],
  'surface-3': ['#e8eef5', '#243142'],
  'text': ['#10202f', '#e3eaf2'],
  'text-muted': ['#3d4d5c', '#a9b8c7'],
  'border': ['#d3dde7', '#2e3b4c'],
  'control-border': ['#9fb3c8', '#6a819a'],
  'border-strong': ['#33506e', '#8aa4c0'],
  'control-bg': ['#e9f1f9', '#22303f'],
  'input-bg': ['#ffffff', '#111922'],
  'focus': ['#1f6fd1', '#7cb4ff'],
  'accent': ['#1f5f99', '#8cc2ff'],
  'on-accent': ['#ffffff', '#07121d'],
  'badge-bg': ['#33506e', '#8aa4c0'],
  'badge-text': ['#ffffff', '#0b141d'],
  'highlight': ['#ffd866', '#ffd866'],
  'on-highlight': ['#000000', '#000000'],
  'shadow': ['rgba(0, 0, 0, .25)', 'rgba(0, 0, 0, .6)'],
  'backdrop': ['rgba(10, 25, 40, .45)', 'rgba(0, 0, 0, .6)'],
  // the header bar (dark in both themes; also the browser's theme-color)
  'header-bg': ['#0b3d5c', '#0a2233'],
  'header-text': ['#ffffff', '#f0f6fc'],
  'header-muted': ['#cfe3f5', '#b7cde0'],
  'header-border': ['#9fb3c8', '#6f8aa5'],
  'header-focus': ['#ffd866', '#ffd866'],
  // errors and failure explanations
  'danger-bg': ['#fde2e1', '#3a1517'],
  'danger-text': ['#7a1510', '#ffc2bc'],
  'danger-border': ['#b3261e', '#e5534b'],
  'danger': ['#9b1c14', '#ff8a80'],
  'ok': ['#17803d', '#4ac26b'],
  'ok-bg': ['#d9f2e3', '#12301d'],
  'ok-text': ['#0d4f2a', '#9be9b4'],
  // tunnel states (topology): border, background, text
  'down-border': ['#6b7280', '#8b949e'],
  'down-bg': ['#f3f4f6', '#1f242c'],
  'down-text': ['#374151', '#c9d1d9'],
  'nego-border': ['#b45309', '#d29922'],
  'nego-bg': ['#fff7e6', '#2b2008'],
  'nego-text': ['#7a3d00', '#f2cc60'],
  'up-border': ['#15803d', '#3fb950'],
  'up-bg': ['#e8f7ee', '#0f2a19'],
  'up-text': ['#0d4f2a', '#8ddfa6'],
  'qs-border': ['#6d28d9', '#a371f7'],
  'qs-bg': ['#f1ebff', '#241a3d'],
  'qs-text': ['#3b1a7a', '#d7c2ff'],
  'link-line': ['#6b7c8d', '#7d8fa1'],
  // the ladder: lifelines, IKE arrows (bold, blue), ESP arrows (thin, green), lost (dashed, red), selection
  'lane': ['#4a4a4a', '#8b949e'],
  'ike': ['#174ea6', '#6ea8fe'],
  'esp': ['#3c6e47', '#56b870'],
  'esp-text': ['#2d5436', '#8ddfa6'],
  'lost': ['#b3261e', '#f85149'],
  'mark': ['#5c5c5c', '#a0a8b0'],
  'selected-bg': ['#dbe7fb', '#1f3a5f'],
  'selected-text': ['#0b1d3a', '#e6f0ff'],
  'rule': ['#b3b3b3', '#4a5563'],
  // the consoles (xterm.js reads these: <ws-terminal>)
  'term-bar-bg': ['#dce5ee', '#1f2a37'],
  'term-bar-text': ['#10202f', '#f0f6fc'],
  'term-bar-muted': ['#33475b', '#c9d8ea'],
  'term-hint-on': ['#7a3d00', '#ffd866'],
  'term-focus': ['#1f6fd1', '#5aa9ff'],
  'term-bg': ['#fbfcfe', '#0d1117'],
  'term-fg': ['#1f2328', '#e6edf3'],
  'term-cursor': ['#1f2328', '#f0f6fc'],
  'term-selection': ['#b6d3ff', '#3b5b8a'],
  'term-selection-fg': ['#1f2328', '#ffffff'],
  'term-black': ['#24292f', '#0d1117'],
  'term-red': ['#b3261e', '#ff7b72'],
  'term-green': ['#116329', '#7ee787'],
  'term-yellow': ['#7d4e00', '#e3b341'],
  'term-blue': ['#0b57d0', '#79c0ff'],
  'term-magenta': ['#7a2fc8', '#d2a8ff'],
  'term-cyan': ['#0e6d74', '#76e3ea'],
  'term-white': ['#57606a', '#e6edf3'],
} as const satisfies Record<string, readonly [string, string]>;

export type Token = keyof typeof TOKENS;

/** The value of a token in a theme (for what cannot read CSS: meta theme-color, tests). */
export const tokenValue = (t: Token, theme: Theme): string => TOKENS[t][theme === 'light' ? 0 : 1];

const block = (theme: Theme) => `color-scheme: ${theme};\n`
  + Object.keys(TOKENS).map((k) => `  --ws-${k}: ${tokenValue(k as Token, theme)};`).join('\n');

/** The document stylesheet: light by default, dark by system preference unless overridden, dark when chosen. */
export function themeCss(): string {
  return `:root { ${block('light')} }
@media (prefers-color-scheme: dark) { :root:not([data-theme=light]) { ${block('dark')} } }
:root[data-theme=dark] { ${block('dark')} }`;
}

const systemDark = () => typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;

/** The choice made on this page, for when storage refuses it (private mode); undefined: read storage. */
let chosen: ThemePreference | undefined;

function readStored(): ThemePreference {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch { return chosen ?? 'system'; }
}

/** The user's choice (stored), 'system' when none. */
export function themePreference(): ThemePreference { return readStored(); }

/** The theme in effect now: the choice, or the system's preference. */
export function currentTheme(): Theme {
  const p = readStored();
  return p === 'system' ? (systemDark() ? 'dark' : 'light') : p;
}

/** The browser UI's colour: index.html has one meta per scheme (media queries); an explicit choice sets both. */
function applyMetaThemeColor(p: ThemePreference): void {
  const metas = document.querySelectorAll<HTMLMetaElement>('meta[name=theme-color]');
  for (const m of metas) {
    const scheme: Theme = p !== 'system' ? p : /dark/.test(m.media) ? 'dark' : 'light';
    m.content = tokenValue('header-bg', scheme);
  }
}

function apply(p: ThemePreference): void {
  const root = document.documentElement;
  if (p === 'system') root.removeAttribute('data-theme'); else root.setAttribute('data-theme', p);
  applyMetaThemeColor(p);
}

/** Sets, stores and applies the choice; tells the page ('ws-theme-change' on document). */
export function setThemePreference(p: ThemePreference): void {
  chosen = p;
  try {
    if (p === 'system') localStorage.removeItem(THEME_KEY); else localStorage.setItem(THEME_KEY, p);
  } catch { /* storage refused (private mode): the choice lasts for this page (`chosen`) */ }
  apply(p);
  document.dispatchEvent(new CustomEvent(THEME_EVENT, { detail: { preference: p, theme: p === 'system' ? (systemDark() ? 'dark' : 'light') : p } }));
}

/** Calls `cb` whenever the theme in effect may have changed (a choice, or the system's scheme). Returns the unsubscribe. */
export function onThemeChange(cb: () => void): () => void {
  document.addEventListener(THEME_EVENT, cb);
  const mq = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;
  mq?.addEventListener('change', cb);
  return () => { document.removeEventListener(THEME_EVENT, cb); mq?.removeEventListener('change', cb); };
}

let installed = false;

/** Adopts the token stylesheet into the document once, and applies the stored choice. */
export function installTheme(): void {
  if (installed || typeof document === 'undefined') return;
  installed = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(themeCss());
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  apply(readStored());
}

installTheme();
