/**
 * A map that holds at most `capacity` entries and forgets the least recently used one when a new
 * key would exceed it. `get` and `set` count as uses. O(1) per operation: a JavaScript `Map`
 * iterates in insertion order, so deleting and re-inserting a key on use keeps the least recently
 * used key first (the same trick as the `lru-cache` family, without its linked list).
 */
import { requireArg } from '../../core/errors.js';

export class LruMap<K, V> {
  readonly capacity: number;
  readonly #entries = new Map<K, V>();

  /** @throws AifError INVALID_ARGUMENT when `capacity` is not a positive integer. */
  constructor(capacity: number) {
    requireArg(
      Number.isInteger(capacity) && capacity > 0,
      'LruMap',
      `capacity must be a positive integer, got ${capacity}`,
    );
    this.capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value for `key` (marking it most recently used), or undefined. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** The value for `key` without counting as a use, or undefined. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Store `value` as the most recently used; returns the key it evicted, if any. */
  set(key: K, value: V): K | undefined {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size <= this.capacity) return undefined;
    const oldest = this.#entries.keys().next();
    if (oldest.done === true) return undefined;
    this.#entries.delete(oldest.value);
    return oldest.value;
  }

  /** Forget `key`; returns whether it was held. */
  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  /** Keys from least to most recently used. */
  keys(): K[] {
    return [...this.#entries.keys()];
  }
}
