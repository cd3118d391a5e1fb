// A minimal Reflect metadata API (the subset tsyringe calls: get/getOwn/define/has metadata), installed only
// when no polyfill is present. Metadata is kept in a WeakMap per target; getMetadata walks the prototype
// chain as the reflect-metadata proposal does. Imported for its side effect by ./x509.ts.
type Key = unknown;
type R = typeof Reflect & Record<string, unknown>;

const R = Reflect as R;
if (typeof R.getMetadata !== 'function') {
  const store = new WeakMap<object, Map<Key, unknown>>();
  const own = (target: object, create: boolean) => {
    let m = store.get(target);
    if (!m && create) store.set(target, (m = new Map()));
    return m;
  };
  const getOwn = (key: Key, target: object) => own(target, false)?.get(key);
  const get = (key: Key, target: object): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const m = own(t, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  Object.assign(R, {
    defineMetadata: (key: Key, value: unknown, target: object) => { own(target, true)!.set(key, value); },
    getOwnMetadata: getOwn,
    getMetadata: get,
    hasOwnMetadata: (key: Key, target: object) => own(target, false)?.has(key) ?? false,
    hasMetadata: (key: Key, target: object) => get(key, target) !== undefined,
    metadata: (key: Key, value: unknown) => (target: object) => { own(target, true)!.set(key, value); },
  });
}
