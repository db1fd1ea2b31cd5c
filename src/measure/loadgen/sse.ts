/**
 * An incremental Server-Sent Events parser (WHATWG HTML Living Standard §9.2.6 "Interpreting an
 * event stream"), small enough to own instead of a dependency. Feed it the stream's bytes
 * (`feedBytes`, what the client does) or decoded text (`feed`) in any split; it calls `onEvent`
 * once per dispatched event.
 *
 * Rules kept: lines end in CRLF, LF or CR (a CR at the end of one piece followed by LF at the
 * start of the next is one line end); a line starting with `:` is a comment; `field: value`
 * drops one space after the colon; a line without a colon is a field with an empty value;
 * `data` lines accumulate joined by LF; a blank line dispatches the event, unless its data is
 * empty; `event`, `id` and `retry` are kept as given (`id` containing NUL is ignored); other
 * fields are ignored but counted. An event not terminated by a blank line at end of stream is
 * discarded (`pendingData()` tells whether one was left). A leading UTF-8 BOM is skipped.
 *
 * Bytes are scanned in place: line ends (CR, LF) are ASCII and never occur inside a multi-byte
 * UTF-8 sequence, so each line is decoded as UTF-8 once it is complete (the stream is UTF-8 by
 * the standard; invalid sequences become U+FFFD as with a streaming decoder). Only a line split
 * across two pieces is copied. Field values other than `data`, `event` and `id` are never
 * decoded. Text fed with `feed` is encoded to UTF-8 and parsed the same way.
 */

export interface SseEvent {
  /** The `event` field, or `message` when absent. */
  event: string;
  data: string;
  id: string | null;
}

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;

/** Field names as bytes: `data`, `event`, `id`, `retry`. */
const isData = (b: Uint8Array, s: number, n: number): boolean =>
  n === 4 && b[s] === 100 && b[s + 1] === 97 && b[s + 2] === 116 && b[s + 3] === 97;
const isEvent = (b: Uint8Array, s: number, n: number): boolean =>
  n === 5 &&
  b[s] === 101 &&
  b[s + 1] === 118 &&
  b[s + 2] === 101 &&
  b[s + 3] === 110 &&
  b[s + 4] === 116;
const isId = (b: Uint8Array, s: number, n: number): boolean =>
  n === 2 && b[s] === 105 && b[s + 1] === 100;
const isRetry = (b: Uint8Array, s: number, n: number): boolean =>
  n === 5 &&
  b[s] === 114 &&
  b[s + 1] === 101 &&
  b[s + 2] === 116 &&
  b[s + 3] === 114 &&
  b[s + 4] === 121;

const BOM = [0xef, 0xbb, 0xbf];
const hasBom = (b: Uint8Array, s: number, e: number): boolean =>
  e - s >= 3 && b[s] === BOM[0] && b[s + 1] === BOM[1] && b[s + 2] === BOM[2];

export class SseParser {
  /** Bytes of an unfinished line (no line end yet), or null. */
  private carry: Buffer | null = null;
  /** Data of the event being built (lines joined by LF), or null when it has no data line. */
  private data: string | null = null;
  private eventName = '';
  private lastEventId: string | null = null;
  private pendingCr = false;
  /** The first line (where a BOM can be) has been read. */
  private started = false;
  /** A high surrogate ending the last text piece (`feed`), joined to the next one. */
  private highSurrogate = '';
  /** Lines with a field name the standard does not define (ignored). */
  unknownFieldLines = 0;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  /** Feed the next piece of decoded text. O(length of the piece). */
  feed(text: string): void {
    let s = this.highSurrogate + text;
    this.highSurrogate = '';
    const last = s.charCodeAt(s.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      // Half a surrogate pair: encode it with its other half, in the next piece.
      this.highSurrogate = s.slice(-1);
      s = s.slice(0, -1);
    }
    if (s.length > 0) this.feedBytes(Buffer.from(s, 'utf8'));
  }

  /**
   * Feed the next piece of the byte stream. O(length of the piece). The bytes are read during
   * the call (and the tail of an unfinished line copied), so the caller may reuse the buffer.
   */
  feedBytes(piece: Uint8Array): void {
    const b = Buffer.isBuffer(piece)
      ? piece
      : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    this.feedRange(b, 0, b.length);
  }

  /** `feedBytes` of bytes [from, to) of `bytes`, without a view of them. */
  feedRange(bytes: Buffer, from: number, to: number): void {
    if (to <= from) return; // (an empty piece must not end a pending CR's line end)
    let b = bytes;
    let i = from;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (b[i] === LF) i++;
    }
    let start = i;
    let n = to;
    const carry = this.carry;
    if (carry !== null) {
      // A line split across pieces: join it (rare with servers that write whole events).
      this.carry = null;
      b = Buffer.concat([carry, b.subarray(i, to)]);
      start = 0;
      i = carry.length;
      n = b.length;
    }
    for (; i < n; i++) {
      const c = b[i];
      if (c !== LF && c !== CR) continue;
      this.line(b, start, i);
      if (c === CR) {
        if (i + 1 < n) {
          if (b[i + 1] === LF) i++;
        } else this.pendingCr = true;
      }
      start = i + 1;
    }
    if (start < n) this.carry = Buffer.from(b.subarray(start, n));
  }

  /** True when the stream ended inside an event (data seen, no blank line): it is discarded. */
  pendingData(): boolean {
    const carry = this.carry;
    if (this.data !== null) return true;
    if (carry === null) return false;
    // What the stream began with may be (part of) a BOM, which is no data.
    if (this.started || carry.length > 3) return true;
    for (let k = 0; k < carry.length; k++) if (carry[k] !== BOM[k]) return true;
    return false;
  }

  /** One line, bytes [s, e) of `b` without its line end. */
  private line(b: Buffer, s: number, e: number): void {
    if (!this.started) {
      this.started = true;
      if (hasBom(b, s, e)) s += 3;
    }
    if (s === e) {
      this.dispatch();
      return;
    }
    if (b[s] === COLON) return; // comment
    let colon = s;
    while (colon < e && b[colon] !== COLON) colon++;
    const nameLength = colon - s;
    let vs = colon + 1;
    if (vs < e && b[vs] === SPACE) vs++;
    if (isData(b, s, nameLength)) {
      const value = colon < e ? utf8(b, vs, e) : '';
      this.data = this.data === null ? value : `${this.data}\n${value}`;
    } else if (isEvent(b, s, nameLength)) {
      this.eventName = colon < e ? utf8(b, vs, e) : '';
    } else if (isId(b, s, nameLength)) {
      const value = colon < e ? utf8(b, vs, e) : '';
      if (!value.includes('\0')) this.lastEventId = value;
    } else if (!isRetry(b, s, nameLength)) this.unknownFieldLines++;
  }

  private dispatch(): void {
    const data = this.data;
    const name = this.eventName;
    this.data = null;
    this.eventName = '';
    if (data === null) return;
    this.onEvent({ event: name === '' ? 'message' : name, data, id: this.lastEventId });
  }
}

/** Bytes [s, e) decoded as UTF-8. */
const utf8 = (b: Buffer, s: number, e: number): string => b.toString('utf8', s, e);
