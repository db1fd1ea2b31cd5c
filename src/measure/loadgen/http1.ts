/**
 * The HTTP/1.1 the streaming client speaks (RFC 9112), small enough to own: the head of a POST
 * with a JSON body, and an incremental parser of one response — status line and header fields,
 * then the body framed by `Transfer-Encoding: chunked`, by `Content-Length`, or by the
 * connection's close (§6.3) — fed the socket's bytes in any split.
 *
 * Kept: interim 1xx responses are skipped (§15.2); 204 and 304 have no body; chunk extensions
 * and trailer fields are read and ignored; `Connection: close`, HTTP/1.0 without
 * `Connection: keep-alive`, and a body read to the close end the connection's reuse. The first
 * `content-type` field counts (as Node keeps it). Not kept: anything a POST's response cannot
 * carry (upgrades, pipelining). Header bytes beyond `MAX_HEAD_BYTES`, a malformed status line or
 * chunk size are protocol errors.
 *
 * The body's bytes are handed on as ranges of the buffer fed in (no copy); the caller reads
 * them during the call.
 *
 * Why not `node:http`: the load generator's own pauses are its measurement error (dispatch
 * lag). At 2,000 concurrent streams `node:http` kept about 4.4 KB of objects per stream in
 * flight and minor GCs paused the event loop 10–18 ms every ~200 ms (p99 dispatch lag 10 ms);
 * with this parser and one shared read buffer it is about 1.2 KB and the p99 is under 5 ms
 * (docs/measurement.md, "Load generator capacity"). undici was not measured as an alternative.
 */

/** What the response head says, once it is complete. */
export interface ResponseHead {
  status: number;
  /** The first `content-type` field, or ''. */
  contentType: string;
  /** The connection may carry another request once this body ends. */
  keepAlive: boolean;
}

export interface ResponseHandler {
  /** The final (non-1xx) response head. */
  onHead(head: ResponseHead): void;
  /** Body bytes [start, end) of `bytes`, to be read during the call. */
  onBody(bytes: Buffer, start: number, end: number): void;
  /** The body ended as its framing says (not called for a body read to the close). */
  onComplete(): void;
  /** The bytes are no HTTP/1.x response. */
  onProtocolError(reason: string): void;
}

/** A response head larger than this is refused, bytes (Node's default limit is 16 KiB). */
export const MAX_HEAD_BYTES = 64 * 1024;

/**
 * The request head: the lines Node writes for a POST given these headers in this order, then
 * `Host` and `Connection: keep-alive`.
 */
export function requestHead(options: {
  path: string;
  host: string;
  contentLength: number;
  authorization?: string;
}): string {
  const auth = options.authorization ? `authorization: ${options.authorization}\r\n` : '';
  return (
    `POST ${options.path} HTTP/1.1\r\ncontent-type: application/json\r\n` +
    `content-length: ${options.contentLength}\r\naccept: text/event-stream\r\n${auth}` +
    `Host: ${options.host}\r\nConnection: keep-alive\r\n\r\n`
  );
}

const LF = 10;
const CR = 13;

/** Parser states. */
const State = {
  Head: 0,
  Length: 1,
  ChunkSize: 2,
  ChunkExtension: 3,
  ChunkData: 4,
  ChunkDataEnd: 5,
  Trailer: 6,
  ToClose: 7,
  Done: 8,
  Failed: 9,
} as const;
type State = (typeof State)[keyof typeof State];

/** Value of a hex digit byte, or -1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses one response; `feed` it the connection's bytes. */
export class ResponseParser {
  private state: State = State.Head;
  /** Head: the unfinished line so far (latin1), the status, the fields read. */
  private line = '';
  private headBytes = 0;
  private status = 0;
  private minor = 1;
  private contentType: string | null = null;
  private contentLength = -1;
  private chunked = false;
  private connectionClose = false;
  private connectionKeepAlive = false;
  /** Bytes left of the body (`Length`) or of the current chunk (`ChunkData`). */
  private remaining = 0;
  private sizeDigits = 0;
  /** Bytes on the current trailer line (CR not counted). */
  private trailerLineBytes = 0;

  constructor(private readonly handler: ResponseHandler) {}

  /** True when the body is read to the connection's close, which then completes it. */
  get endsAtClose(): boolean {
    return this.state === State.ToClose;
  }

  /** Whether the response ended as its framing says. */
  get done(): boolean {
    return this.state === State.Done;
  }

  /** Bytes [start, end) of `b`. Bytes past the response's end are ignored. */
  feed(b: Buffer, start: number, end: number): void {
    let i = start;
    while (i < end) {
      switch (this.state) {
        case State.Head: {
          const lf = b.indexOf(LF, i);
          const stop = lf === -1 || lf >= end ? end : lf;
          this.headBytes += stop - i + 1;
          if (this.headBytes > MAX_HEAD_BYTES) return this.error('response head too large');
          this.line += b.toString('latin1', i, stop);
          i = stop + 1;
          if (stop === end) return;
          let line = this.line;
          this.line = '';
          if (line.endsWith('\r')) line = line.slice(0, -1);
          if (!this.headLine(line)) return;
          break;
        }
        case State.Length: {
          i = this.passBody(b, i, end);
          if (this.remaining === 0) this.complete();
          break;
        }
        case State.ChunkSize: {
          const c = b[i++]!;
          const v = hexValue(c);
          if (v >= 0) {
            if (this.sizeDigits++ >= 12) return this.error('chunk size too large');
            this.remaining = this.remaining * 16 + v;
          } else if (c === LF) this.endChunkSize();
          else if (c === 59 /* ; */ || c === 32 || c === 9) this.state = State.ChunkExtension;
          else if (c !== CR) return this.error('invalid chunk size');
          break;
        }
        case State.ChunkExtension: {
          const lf = b.indexOf(LF, i);
          if (lf === -1 || lf >= end) return;
          i = lf + 1;
          this.endChunkSize();
          break;
        }
        case State.ChunkData: {
          i = this.passBody(b, i, end);
          if (this.remaining === 0 && this.state === State.ChunkData)
            this.state = State.ChunkDataEnd;
          break;
        }
        case State.ChunkDataEnd: {
          const c = b[i++]!;
          if (c === LF) {
            this.state = State.ChunkSize;
            this.remaining = 0;
            this.sizeDigits = 0;
          } else if (c !== CR) return this.error('chunk data longer than its size');
          break;
        }
        case State.Trailer: {
          const c = b[i++]!;
          if (c === LF) {
            if (this.trailerLineBytes === 0) this.complete();
            this.trailerLineBytes = 0;
          } else if (c !== CR) this.trailerLineBytes++;
          break;
        }
        case State.ToClose:
          this.handler.onBody(b, i, end);
          i = end;
          break;
        case State.Done:
        case State.Failed:
          return;
      }
    }
  }

  /** Hand up to `remaining` body bytes of b[i, end) to the handler; the index after them. */
  private passBody(b: Buffer, i: number, end: number): number {
    const n = Math.min(this.remaining, end - i);
    this.remaining -= n;
    this.handler.onBody(b, i, i + n);
    return i + n;
  }

  private endChunkSize(): void {
    if (this.sizeDigits === 0) {
      this.error('invalid chunk size');
      return;
    }
    if (this.remaining === 0) {
      this.state = State.Trailer;
      this.trailerLineBytes = 0;
    } else this.state = State.ChunkData;
  }

  /** One line of the head, without its line end; false when parsing stopped. */
  private headLine(line: string): boolean {
    if (this.status === 0) {
      const m = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(line);
      if (m === null) {
        this.error(`invalid status line ${JSON.stringify(line.slice(0, 80))}`);
        return false;
      }
      this.minor = Number(m[1]);
      this.status = Number(m[2]);
      return true;
    }
    if (line !== '') {
      const colon = line.indexOf(':');
      if (colon <= 0) return true; // not a field: ignored, as lenient parsers do
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-type') this.contentType ??= value;
      else if (name === 'content-length') {
        const n = /^\d+$/.test(value) ? Number(value) : NaN;
        if (!Number.isSafeInteger(n) || (this.contentLength >= 0 && n !== this.contentLength)) {
          this.error('invalid content-length');
          return false;
        }
        this.contentLength = n;
      } else if (name === 'transfer-encoding') {
        const codings = value.toLowerCase().split(',');
        this.chunked = codings[codings.length - 1]!.trim() === 'chunked';
      } else if (name === 'connection') {
        const tokens = value.toLowerCase().split(',');
        for (const t of tokens) {
          const token = t.trim();
          if (token === 'close') this.connectionClose = true;
          else if (token === 'keep-alive') this.connectionKeepAlive = true;
        }
      }
      return true;
    }
    // End of the head.
    if (this.status < 200 && this.status !== 101) {
      // An interim response: the final one follows.
      this.status = 0;
      this.contentType = null;
      this.contentLength = -1;
      this.chunked = false;
      this.connectionClose = false;
      this.connectionKeepAlive = false;
      this.headBytes = 0;
      return true;
    }
    const noBody = this.status === 204 || this.status === 304;
    if (noBody) {
      this.state = State.Length;
      this.remaining = 0;
    } else if (this.chunked) {
      this.state = State.ChunkSize;
      this.remaining = 0;
      this.sizeDigits = 0;
    } else if (this.contentLength >= 0) {
      this.state = State.Length;
      this.remaining = this.contentLength;
    } else this.state = State.ToClose;
    const keepAlive =
      this.state !== State.ToClose &&
      !this.connectionClose &&
      (this.minor === 1 || this.connectionKeepAlive);
    this.handler.onHead({ status: this.status, contentType: this.contentType ?? '', keepAlive });
    if (this.state === State.Length && this.remaining === 0) {
      this.complete();
      return false;
    }
    return (this.state as State) !== State.Failed;
  }

  private complete(): void {
    if (this.state === State.Failed || this.state === State.Done) return;
    this.state = State.Done;
    this.handler.onComplete();
  }

  /** Stop parsing: what follows is ignored and no callback comes (the caller gave up). */
  stop(): void {
    if (this.state !== State.Done) this.state = State.Failed;
  }

  private error(reason: string): void {
    this.state = State.Failed;
    this.handler.onProtocolError(reason);
  }
}
