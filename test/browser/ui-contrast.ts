// WCAG AA text contrast of everything rendered under a root, through open shadow roots: every element with
// text of its own, and form controls showing a value (text inputs, selects), against the first opaque
// background up its ancestors (or the page's canvas). 4.5:1, 3:1 for large text (24px, or 18.66px bold).
// xterm.js's screen is left out here: its colours are checked by test/browser/ui-theme.test.ts.

/** Walks elements through open shadow roots. */
export function* deep(root: Element | ShadowRoot): Generator<Element> {
  for (const el of root.querySelectorAll('*')) {
    yield el;
    if (el.shadowRoot) yield* deep(el.shadowRoot);
  }
}

function parent(el: Element): Element | null {
  return el.parentElement ?? ((el.getRootNode() as ShadowRoot).host ?? null);
}

export function rgba(c: string): [number, number, number, number] {
  const m = c.match(/rgba?\(([^)]+)\)/);
  if (!m) return [0, 0, 0, 0];
  const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p[3] ?? 1];
}

export function luminance([r, g, b]: number[]): number {
  const f = (v: number) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

export function ratio(a: number[], b: number[]): number {
  const l1 = luminance(a), l2 = luminance(b);
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

/** '#rrggbb' → [r, g, b]. */
export const hexRgb = (h: string): number[] => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));

/** The page's canvas colour in the colour scheme in effect (what shows where nothing paints a background). */
function canvas(): number[] {
  const probe = document.createElement('div');
  probe.style.background = 'Canvas';
  document.body.append(probe);
  const c = rgba(getComputedStyle(probe).backgroundColor);
  probe.remove();
  return c;
}

export function background(el: Element, fallback: number[] = canvas()): number[] {
  for (let e: Element | null = el; e; e = parent(e)) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c[3] > 0.5) return c;
  }
  return fallback;
}

const VALUE_INPUT = /^(text|url|search|email|number|tel|)$/;

/** Text that fails AA under `root` (as "tag.class "text" ratio"), and how many elements were checked. */
export function contrastFailures(root: Element | ShadowRoot): { bad: string[]; checked: number } {
  const bad: string[] = [];
  const page = canvas();
  let checked = 0;
  for (const e of deep(root)) {
    if (e.closest('.xterm') || (e.getRootNode() as ShadowRoot).host?.closest?.('.xterm')) continue;
    const control = (e instanceof HTMLInputElement && VALUE_INPUT.test(e.type) && e.value) || e instanceof HTMLSelectElement;
    const own = [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
    if (!own && !control) continue;
    if (e instanceof HTMLOptionElement) continue; // shown by its select (checked as a control)
    const cs = getComputedStyle(e);
    if (cs.visibility === 'hidden' || cs.display === 'none' || e.getBoundingClientRect().width === 0) continue;
    checked++;
    const r = ratio(rgba(cs.color), background(e, page));
    const size = parseFloat(cs.fontSize), weight = Number(cs.fontWeight);
    const need = size >= 24 || (size >= 18.66 && weight >= 700) ? 3 : 4.5;
    const text = control ? (e as HTMLInputElement | HTMLSelectElement).value : e.textContent!.trim();
    if (r < need) bad.push(`${e.tagName.toLowerCase()}.${e.className} "${text.slice(0, 30)}" ${r.toFixed(2)}`);
  }
  return { bad, checked };
}
