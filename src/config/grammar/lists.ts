// Small helpers for list-valued configuration leaves (leaf-lists in the YANG).

export function addUnique<T>(list: T[], v: T): void {
  if (!list.includes(v)) list.push(v);
}

/** Remove `values` from `list`; with no values (a bare `no …`), remove everything. */
export function removeOr<T>(list: T[], values: T[] | undefined): T[] {
  if (!values || values.length === 0) return [];
  return list.filter((x) => !values.includes(x));
}
