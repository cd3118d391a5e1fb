// Small helpers for list-valued configuration leaves (leaf-lists in the YANG).

export function addUnique<T>(list: T[], v: T): void {
  if (!list.includes(v)) list.push(v);
}

/** Remove `values` from `list`; with no values (a bare `no …`), remove everything. */
export function removeOr<T>(list: T[], values: T[] | undefined): T[] {
  if (!values || values.length === 0) return [];
  return list.filter((x) => !values.includes(x));
}

/** Add `v` to a keyed list, kept in its canonical order (the YANG key's order, not the order typed). */
export function addSorted<T>(list: T[], v: T, cmp: (a: T, b: T) => number): void {
  if (list.some((x) => cmp(x, v) === 0)) return;
  list.push(v);
  list.sort(cmp);
}

const ipNum = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
export const byIp = (a: string, b: string) => ipNum(a) - ipNum(b);
export const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
