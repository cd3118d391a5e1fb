// <ws-theme-toggle>: the colour theme — System (follow prefers-color-scheme), Light or Dark — as a labelled
// <select> in the header. The choice is stored and applied by web/theme.ts (localStorage, `data-theme` on
// <html>, meta theme-color); the select follows a choice made elsewhere (another toggle, a script).
import { LitElement, css, html } from 'lit';
import { THEME_EVENT, setThemePreference, themePreference, type ThemePreference } from '../theme.js';

const CHOICES: { value: ThemePreference; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export class WsThemeToggle extends LitElement {
  static override properties = { preference: { state: true } };
  declare preference: ThemePreference;

  private readonly follow = () => { this.preference = themePreference(); };

  constructor() {
    super();
    this.preference = themePreference();
  }

  static override styles = css`
    :host { display: inline-block; font-size: .85rem; }
    label { display: inline-flex; align-items: center; gap: .35rem; color: var(--ws-header-muted); }
    select { font: inherit; padding: .2rem .4rem; border-radius: .35rem; border: 1px solid var(--ws-header-border);
      background: var(--ws-header-bg); color: var(--ws-header-text); cursor: pointer; }
    select:focus-visible { outline: 3px solid var(--ws-header-focus); outline-offset: 2px; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener(THEME_EVENT, this.follow);
    this.follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener(THEME_EVENT, this.follow);
  }

  override render() {
    return html`<label>Theme
      <select id="theme" @change=${(e: Event) => setThemePreference((e.target as HTMLSelectElement).value as ThemePreference)}>
        ${CHOICES.map((c) => html`<option value=${c.value} .selected=${c.value === this.preference}>${c.label}</option>`)}
      </select></label>`;
  }
}
customElements.define('ws-theme-toggle', WsThemeToggle);

declare global {
  interface HTMLElementTagNameMap { 'ws-theme-toggle': WsThemeToggle }
}
