/**
 * An incremental Server-Sent Events parser (WHATWG HTML Living Standard §9.2.6 "Interpreting an
 * event stream"), small enough to own instead of a dependency. Feed it decoded text in any
 * split; it calls `onEvent` once per dispatched event.
 *
 * Rules kept: lines end in CRLF, LF or CR (a CR at the end of one piece followed by LF at the
 * start of the next is one line end); a line starting with `:` is a comment; `field: value`
 * drops one space after the colon; a line without a colon is a field with an empty value;
 * `data` lines accumulate joined by LF; a blank line dispatches the event, unless its data is
 * empty; `event`, `id` and `retry` are kept as given (`id` containing NUL is ignored); other
 * fields are ignored but counted. An event not terminated by a blank line at end of stream is
 * discarded (`pendingData()` tells whether one was left). A leading UTF-8 BOM is skipped.
 */

export interface SseEvent {
  /** The `event` field, or `message` when absent. */
  event: string;
  data: string;
  id: string | null;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private eventName = '';
  private lastEventId: string | null = null;
  private pendingCr = false;
  private started = false;
  /** Lines with a field name the standard does not define (ignored). */
  unknownFieldLines = 0;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  /** Feed the next piece of decoded text. O(length of the piece). */
  feed(text: string): void {
    let s = text;
    if (!this.started && s.length > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    if (this.pendingCr && s.startsWith('\n')) s = s.slice(1);
    this.pendingCr = false;
    let start = 0;
    const buffered = this.buffer;
    this.buffer = '';
    let carry = buffered;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = carry + s.slice(start, i);
      carry = '';
      if (c === 13) {
        if (i + 1 < s.length) {
          if (s.charCodeAt(i + 1) === 10) i++;
        } else this.pendingCr = true;
      }
      start = i + 1;
      this.line(line);
    }
    this.buffer = carry + s.slice(start);
  }

  /** True when the stream ended inside an event (data seen, no blank line): it is discarded. */
  pendingData(): boolean {
    return this.data.length > 0 || this.buffer.length > 0;
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) return;
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon < 0) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.eventName = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        break;
      default:
        this.unknownFieldLines++;
    }
  }

  private dispatch(): void {
    if (this.data.length === 0) {
      this.eventName = '';
      return;
    }
    const event: SseEvent = {
      event: this.eventName === '' ? 'message' : this.eventName,
      data: this.data.join('\n'),
      id: this.lastEventId,
    };
    this.data = [];
    this.eventName = '';
    this.onEvent(event);
  }
}
