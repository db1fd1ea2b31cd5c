/**
 * Integer hashing for affinity routing: 32-bit mixing, combining, and reduction to an index.
 * Deterministic and seed-free by design (the same key maps to the same replica in every run);
 * not cryptographic.
 */

const GOLDEN_RATIO_32 = 0x9e3779b9;
const TWO_POW_32 = 4294967296;

/**
 * MurmurHash3's 32-bit finaliser `fmix32` (Austin Appleby, smhasher): a bijection on uint32
 * whose output bits each depend on every input bit.
 * @example mix32(0) === 0; mix32(1) === 0x514e28b7
 */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Fold a non-negative integer `value` (up to 2⁵³, e.g. a `contentId`) into the uint32 `hash`:
 * its low and high 32-bit words are each mixed in. Order matters: combine(combine(h, a), b) is
 * not combine(combine(h, b), a).
 */
export function hashCombine(hash: number, value: number): number {
  const lowWord = value >>> 0;
  const highWord = Math.floor(value / TWO_POW_32) >>> 0;
  const h = mix32(((hash + GOLDEN_RATIO_32) >>> 0) ^ lowWord);
  return mix32(((h + GOLDEN_RATIO_32) >>> 0) ^ highWord);
}

/**
 * Index in [0, n) from a uint32 hash: ⌊hash · n / 2³²⌋, the multiply-shift range reduction of
 * D. Lemire, "Fast Random Integer Generation in an Interval", ACM TOMACS 29(1), 2019. Exact in
 * doubles for n ≤ 2²¹ (hash · n < 2⁵³); bias ≤ n / 2³² (2.3e-7 for n = 1,000).
 */
export function hashToIndex(hash: number, n: number): number {
  return Math.floor(((hash >>> 0) * n) / TWO_POW_32);
}
