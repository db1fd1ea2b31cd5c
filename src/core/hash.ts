/**
 * Content hashes of plain data, for recording *which* scenario produced a result (DESIGN §1.4).
 *
 * `canonicalJson` writes a value as JSON with object keys sorted (by UTF-16 code units, as
 * `Array.prototype.sort` does), no whitespace, and `undefined` members left out — so two objects
 * that differ only in key order or in absent optional fields hash alike. `fnv1a64` is the 64-bit
 * FNV-1a hash (Fowler, Noll, Vo; offset basis 0xcbf29ce484222325, prime 0x100000001b3,
 * http://www.isthe.com/chongo/tech/comp/fnv/) over the UTF-8 bytes of a string, in exact BigInt
 * arithmetic. It identifies, it does not protect: not a cryptographic hash.
 */

/** Prefix naming the algorithm in stored hashes, e.g. `fnv1a64:af63bd4c8601b7df`. */
export const CONTENT_HASH_ALGORITHM = 'fnv1a64';

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, as `TextEncoder` does). */
export function utf8Bytes(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000)
      out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
      out.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 0x3f),
        0x80 | ((cp >> 6) & 0x3f),
        0x80 | (cp & 0x3f),
      );
  }
  return out;
}

/**
 * 64-bit FNV-1a of the UTF-8 bytes of `text`, as 16 lower-case hex digits.
 * h₀ = 0xcbf29ce484222325; for each byte b: h = (h XOR b) · 0x100000001b3 mod 2⁶⁴. O(n).
 * @example fnv1a64('') === 'cbf29ce484222325'; fnv1a64('a') === 'af63dc4c8601ec8c'
 */
export function fnv1a64(text: string): string {
  let h = FNV64_OFFSET;
  for (const b of utf8Bytes(text)) {
    h ^= BigInt(b);
    h = (h * FNV64_PRIME) & MASK64;
  }
  return h.toString(16).padStart(16, '0');
}

/**
 * JSON with sorted object keys and no whitespace. `undefined` members are left out, like
 * `JSON.stringify`; non-finite numbers are refused (they have no JSON form).
 * @throws RangeError on NaN or ±Infinity; TypeError on functions, symbols and bigints.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value))
        throw new RangeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value))
        return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      const rec = value as Record<string, unknown>;
      const keys = Object.keys(rec)
        .filter((k) => rec[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(rec[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }
}

/** `fnv1a64:<hex>` of the canonical JSON of `value`: equal data ⇒ equal hash. */
export const contentHash = (value: unknown): string =>
  `${CONTENT_HASH_ALGORITHM}:${fnv1a64(canonicalJson(value))}`;
