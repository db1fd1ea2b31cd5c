/**
 * A least-recently-used cache of encoded response bodies, bounded by their total size. The API
 * keeps the bodies of final runs here: a final run never changes (store/run-state.ts), so its
 * encoded JSON can be served again without reading the store or re-encoding a large result.
 */
export interface ByteCache {
  get(key: string): Uint8Array | undefined;
  /** Keep `value` (a value over the whole budget is not kept); evicts the least recently used. */
  set(key: string, value: Uint8Array): void;
  /** Bytes held now. */
  bytes(): number;
}

export function createByteCache(maxBytes: number): ByteCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least recent first.
  const entries = new Map<string, Uint8Array>();
  let held = 0;
  return {
    get(key) {
      const v = entries.get(key);
      if (v !== undefined) {
        entries.delete(key);
        entries.set(key, v);
      }
      return v;
    },
    set(key, value) {
      if (value.byteLength > maxBytes) return;
      const old = entries.get(key);
      if (old !== undefined) {
        entries.delete(key);
        held -= old.byteLength;
      }
      entries.set(key, value);
      held += value.byteLength;
      for (const [k, v] of entries) {
        if (held <= maxBytes) break;
        entries.delete(k);
        held -= v.byteLength;
      }
    },
    bytes: () => held,
  };
}
