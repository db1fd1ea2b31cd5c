/**
 * A streaming client for OpenAI-compatible `/v1/chat/completions` and `/v1/completions`: HTTP/1.1
 * over `node:net`/`node:tls` sockets kept alive in a pool (no limit on their number), one request
 * per call, every step written to the event log (`events.ts`). It never throws and never
 * rejects: every failure becomes exactly one `error` event of a counted kind, and every success
 * one `done`.
 *
 * Why its own HTTP/1.1 (`http1.ts`: request head, status line and headers, chunked or
 * content-length or read-to-close body) rather than `node:http` or `fetch`: at thousands of
 * streams the client's event loop is paced by garbage collection, and `node:http` keeps about
 * 4 KB of objects per stream in flight (request, response, readable state, header arrays,
 * listeners), which every minor GC that finds them young copies; here a stream in flight is one
 * object and its parsers, each socket read lands in one buffer shared by all plain-TCP
 * connections (`onread`), and the body's bytes go to the SSE parser without a copy. A socket
 * closed before the body's end is how a disconnect is told from a finished stream.
 *
 * Request body: `model`, `messages: [{role: "user", content}]` (chat) or `prompt`
 * (completions), `max_tokens` = the sampled output length, `stream: true`,
 * `stream_options: {include_usage: true}`; with `ignoreEos` also `ignore_eos: true` and
 * `min_tokens` = `max_tokens` (vLLM and SGLang sampling extensions; servers that reject
 * unknown fields answer 400, so it is an option, off by default).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { ApiKind } from './chunk.js';
import { isChunkProblem, readChunk } from './chunk.js';
import type { ErrorKind, EventSink } from './events.js';
import { ResponseParser, requestHead, type ResponseHandler, type ResponseHead } from './http1.js';
import { SseParser } from './sse.js';
import type { ClientTokenizer } from './tokenizer.js';

export interface EndpointConfig {
  /** Server base URL, e.g. `http://127.0.0.1:8000` (a trailing `/v1` is accepted). */
  baseUrl: string;
  api: ApiKind;
  /** Served model name sent as `model`. */
  model: string;
  /** Sent as `Authorization: Bearer …` when given. */
  apiKey?: string;
  /** Send `ignore_eos: true` and `min_tokens` = `max_tokens` (vLLM/SGLang extensions). */
  ignoreEos?: boolean;
  /** Extra body fields merged in last (e.g. `{temperature: 0}`). */
  extraBody?: Record<string, unknown>;
  /** Whole-request limit, seconds (default 600). */
  requestTimeoutSeconds?: number;
  /** Limit on the gap between two received bytes (and before the headers), seconds (default 120). */
  stallTimeoutSeconds?: number;
  /** Counts generated text for the usage cross-check; absent: `not checked`. */
  tokenizer?: ClientTokenizer;
  /**
   * Certificate authorities (PEM) trusted for `https` besides Node's bundled roots: a private
   * CA or a self-signed server. The server's certificate is always verified.
   */
  extraCaPem?: string;
}

/** One request to send. */
export interface StreamRequest {
  requestId: number;
  prompt: string;
  maxTokens: number;
}

/** How a request ended (the same facts are in the event log). */
export interface StreamOutcome {
  ok: boolean;
  errorKind?: ErrorKind;
}

/** `${base}/v1/chat/completions` or `${base}/v1/completions`. */
export function endpointUrl(baseUrl: string, api: ApiKind): URL {
  const base = baseUrl.replace(/\/+$/, '');
  const v1 = /\/v1$/.test(base) ? base : `${base}/v1`;
  return new URL(`${v1}/${api === 'chat' ? 'chat/completions' : 'completions'}`);
}

/** The JSON body of one request (see the module note). */
export function requestBody(
  config: EndpointConfig,
  request: StreamRequest,
): Record<string, unknown> {
  return {
    model: config.model,
    ...(config.api === 'chat'
      ? { messages: [{ role: 'user', content: request.prompt }] }
      : { prompt: request.prompt }),
    max_tokens: request.maxTokens,
    stream: true,
    stream_options: { include_usage: true },
    ...(config.ignoreEos ? { ignore_eos: true, min_tokens: request.maxTokens } : {}),
    ...(config.extraBody ?? {}),
  };
}

const MAX_ERROR_BODY_CHARS = 2000;

/** The `Host` header Node writes for these request options (IPv6 in brackets, port unless default). */
function hostHeader(hostname: string, port: string, defaultPort: number): string {
  let host = hostname;
  const colon = host.indexOf(':');
  if (colon !== -1 && host.includes(':', colon + 1) && host.charCodeAt(0) !== 91 /* '[' */)
    host = `[${host}]`;
  if (port && +port !== defaultPort) host += `:${port}`;
  return host;
}

/** Where the client connects, from the endpoint URL. */
interface Target {
  tls: boolean;
  /** Trusted CAs for `tls` when more than Node's roots (`EndpointConfig.extraCaPem`). */
  ca?: string[];
  /** Host name or address, without IPv6 brackets. */
  hostname: string;
  port: number;
}

/**
 * One connection: its socket with listeners set once, and the request it carries (null while
 * idle in the pool).
 */
class Connection {
  stream: Stream | null = null;
  private error: NodeJS.ErrnoException | undefined;

  constructor(
    readonly socket: net.Socket,
    private readonly pool: ConnectionPool,
  ) {
    socket.setNoDelay(true);
    socket.on('error', (e: NodeJS.ErrnoException) => {
      this.error = e;
    });
    socket.on('close', () => {
      this.pool.forget(this);
      const stream = this.stream;
      this.stream = null;
      stream?.onSocketClose(this.error);
    });
  }

  /** Bytes [0, n) of `bytes` arrived (read during the call). */
  onRead(bytes: Buffer, n: number): void {
    const stream = this.stream;
    if (stream !== null) stream.onBytes(bytes, n);
    else this.socket.destroy(); // bytes with no request: the connection cannot be trusted
  }
}

/**
 * Keep-alive connections: the idle ones, most recently used first (as Node's agent schedules
 * them, `lifo`), and how new ones are opened. No limit on their number.
 */
class ConnectionPool {
  private readonly idle: Connection[] = [];
  /** One read buffer for every plain-TCP socket: reads are handled one at a time. */
  private readonly readBuffer = Buffer.allocUnsafe(64 * 1024);
  private closed = false;

  constructor(private readonly target: Target) {}

  get tls(): boolean {
    return this.target.tls;
  }

  /** An idle connection, or a new one (connecting: what is written waits for it). */
  acquire(): Connection {
    for (;;) {
      const c = this.idle.pop();
      if (c === undefined) return this.open();
      if (!c.socket.destroyed && c.socket.writable) return c;
    }
  }

  /** Open a connection (not put in the pool). */
  open(): Connection {
    const { hostname, port } = this.target;
    let connection: Connection | undefined;
    if (this.target.tls) {
      const socket = tls.connect({
        host: hostname,
        port,
        ...(net.isIP(hostname) === 0 ? { servername: hostname } : {}),
        ...(this.target.ca ? { ca: this.target.ca } : {}),
      });
      connection = new Connection(socket, this);
      const c = connection;
      socket.on('data', (d: Buffer) => c.onRead(d, d.length));
      return c;
    }
    const socket = net.connect({
      host: hostname,
      port,
      onread: {
        buffer: this.readBuffer,
        callback: (n: number, buffer: Uint8Array): boolean => {
          connection!.onRead(buffer as Buffer, n);
          return true;
        },
      },
    });
    connection = new Connection(socket, this);
    return connection;
  }

  /** A connection whose response ended: kept for the next request, or closed. */
  release(c: Connection, reusable: boolean): void {
    c.stream = null;
    if (reusable && !this.closed && !c.socket.destroyed) this.idle.push(c);
    else c.socket.destroy();
  }

  /** A connection closed: no longer idle. */
  forget(c: Connection): void {
    const i = this.idle.lastIndexOf(c);
    if (i !== -1) this.idle.splice(i, 1);
  }

  /** Close the idle connections; the busy ones close when their response ends. */
  close(): void {
    this.closed = true;
    for (const c of this.idle.splice(0)) c.socket.destroy();
  }
}

/**
 * Sends requests and logs their events. `clockSeconds` is the run's monotonic clock (seconds
 * since the run started); `sink` receives the events; `afterPiece`, if given, is called after
 * each received piece of a stream has been handled (the runner sends there the requests that
 * came due meanwhile: one turn of the event loop handles the reads of every ready socket, and at
 * thousands of streams a timer waiting for that turn to end is late by milliseconds).
 *
 * Per-request cost is kept off the event loop's hot paths and out of the young generation of
 * the heap (whatever a request holds while it streams is copied by every minor GC, and those
 * pauses are what delays sends at thousands of streams): the request's state is one object
 * (`Stream`) with its two parsers, listeners are set once per connection, not per request, and
 * the body is not kept once handed to the socket; one `abort` listener per signal, not one per
 * request (`EventTarget` listener lists are linear, so thousands of in-flight requests made every
 * add and remove O(n)); one timer per request for both the stall and the whole-request limit,
 * re-armed only when it fires (a byte received just moves a timestamp); the SSE stream is
 * parsed from the received bytes (no string decoder, no per-line strings).
 */
export class StreamingClient {
  private readonly pool: ConnectionPool;
  private readonly path: string;
  private readonly hostHeader: string;
  /** What every request of this client shares. */
  private readonly shared: Shared;
  /** The in-flight requests, by the signal that stops them. */
  private readonly cancels = new WeakMap<AbortSignal, Set<Stream>>();

  constructor(
    private readonly config: EndpointConfig,
    clockSeconds: () => number,
    private readonly sink: EventSink,
    afterPiece?: () => void,
  ) {
    const url = endpointUrl(config.baseUrl, config.api);
    const tls_ = url.protocol === 'https:';
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const defaultPort = tls_ ? 443 : 80;
    this.pool = new ConnectionPool({
      tls: tls_,
      hostname,
      port: url.port === '' ? defaultPort : Number(url.port),
      // `ca` replaces Node's roots, so they are kept beside the extra authority.
      ...(config.extraCaPem ? { ca: [...tls.rootCertificates, config.extraCaPem] } : {}),
    });
    this.path = `${url.pathname}${url.search}`;
    this.hostHeader = hostHeader(hostname, url.port, defaultPort);
    this.shared = {
      api: config.api,
      tokenizer: config.tokenizer,
      now: clockSeconds,
      sink,
      afterPiece,
      requestTimeoutMs: (config.requestTimeoutSeconds ?? 600) * 1000,
      stallTimeoutMs: (config.stallTimeoutSeconds ?? 120) * 1000,
      pool: this.pool,
    };
  }

  /**
   * Open `n` keep-alive connections before the requests, so that a stage does not start with
   * thousands of connection set-ups (TCP, and TLS for `https`), in waves of `wave`; they wait
   * in the pool. Best effort: a connection that fails is left out. Writes no events.
   */
  async preconnect(n: number, wave = 256): Promise<void> {
    for (let i = 0; i < n; i += wave) {
      const count = Math.min(wave, n - i);
      const opened = await Promise.all(
        Array.from(
          { length: count },
          () =>
            new Promise<Connection | null>((resolve) => {
              const c = this.pool.open();
              const timer = setTimeout(() => c.socket.destroy(), 10_000);
              c.socket.once(this.pool.tls ? 'secureConnect' : 'connect', () => {
                clearTimeout(timer);
                resolve(c);
              });
              c.socket.once('close', () => {
                clearTimeout(timer);
                resolve(null);
              });
            }),
        ),
      );
      for (const c of opened) if (c !== null) this.pool.release(c, true);
    }
  }

  /** Close idle keep-alive connections (in-flight requests are not affected). */
  close(): void {
    this.pool.close();
  }

  /**
   * The set of in-flight requests `signal` stops, with the one `abort` listener that cancels
   * them in the order they were sent (as per-request listeners would be called).
   */
  private cancelSet(signal: AbortSignal): Set<Stream> {
    let set = this.cancels.get(signal);
    if (set === undefined) {
      const streams = new Set<Stream>();
      set = streams;
      this.cancels.set(signal, streams);
      signal.addEventListener(
        'abort',
        () => {
          const pending = [...streams];
          streams.clear();
          for (const stream of pending) stream.fail('cancelled', 'stopped by the run');
        },
        { once: true },
      );
    }
    return set;
  }

  /**
   * Send one request; resolves when its terminal event is written. `signal` aborts it (kind
   * `cancelled`). Writes `dispatched` at once.
   */
  send(request: StreamRequest, signal?: AbortSignal): Promise<StreamOutcome> {
    const body = JSON.stringify(requestBody(this.config, request));
    const cancels = signal ? this.cancelSet(signal) : undefined;
    const shared = this.shared;
    return new Promise<StreamOutcome>((resolve) => {
      const stream = new Stream(shared, request.requestId, resolve, cancels);
      cancels?.add(stream);
      this.sink.write({ type: 'dispatched', requestId: request.requestId, tSeconds: shared.now() });
      stream.armTimer(Math.min(shared.stallTimeoutMs, shared.requestTimeoutMs));
      const head = requestHead({
        path: this.path,
        host: this.hostHeader,
        contentLength: Buffer.byteLength(body),
        ...(this.config.apiKey ? { authorization: `Bearer ${this.config.apiKey}` } : {}),
      });
      stream.start(this.pool.acquire(), head + body);
    });
  }
}

/** What the requests of one client share (one object, referenced by each request). */
interface Shared {
  api: ApiKind;
  tokenizer: ClientTokenizer | undefined;
  now: () => number;
  sink: EventSink;
  afterPiece: (() => void) | undefined;
  requestTimeoutMs: number;
  stallTimeoutMs: number;
  pool: ConnectionPool;
}

/** One request in flight: its state, its parsers and their handlers (one object per request). */
class Stream implements ResponseHandler {
  private settled = false;
  private gotResponse = false;
  private status = 0;
  private keepAlive = false;
  /** A non-2xx response: its body is read for the error message. */
  private errorBody: Buffer[] | null = null;
  private errorBodyBytes = 0;
  private sawDone = false;
  private first = true;
  private finishReason: string | null = null;
  private lastCompletionTokens: number | null = null;
  private generated = '';
  private readonly totalDeadlineMs: number;
  /** Last dispatch or received bytes (the stall limit counts from here). */
  private lastActivityMs: number;
  private timer: NodeJS.Timeout | undefined;
  private connection: Connection | null = null;
  private readonly response: ResponseParser;
  private readonly parser: SseParser;

  constructor(
    private readonly shared: Shared,
    private readonly requestId: number,
    private readonly resolve: (outcome: StreamOutcome) => void,
    private readonly cancels: Set<Stream> | undefined,
  ) {
    this.lastActivityMs = performance.now();
    this.totalDeadlineMs = this.lastActivityMs + shared.requestTimeoutMs;
    this.response = new ResponseParser(this);
    this.parser = new SseParser((ev) => this.onEvent(ev.data));
  }

  armTimer(ms: number): void {
    this.timer = setTimeout(() => this.onTimer(), ms);
  }

  /** One timer for both limits, re-armed for what is left when it fires early. */
  private onTimer(): void {
    this.timer = undefined;
    if (this.settled) return;
    const t = performance.now();
    const { stallTimeoutMs, requestTimeoutMs } = this.shared;
    if (t >= this.totalDeadlineMs)
      this.fail('timeout', `request exceeded ${requestTimeoutMs / 1000} s`);
    else if (t - this.lastActivityMs >= stallTimeoutMs)
      this.fail('timeout', `no data for ${stallTimeoutMs / 1000} s (stall timeout)`);
    else
      this.armTimer(
        Math.ceil(Math.min(this.lastActivityMs + stallTimeoutMs, this.totalDeadlineMs) - t),
      );
  }

  private cleanup(): void {
    clearTimeout(this.timer);
    this.cancels?.delete(this);
    this.response.stop();
  }

  /** Let go of the connection: to the pool when `reusable`, else closed. */
  private detach(reusable: boolean): void {
    const c = this.connection;
    this.connection = null;
    if (c !== null) this.shared.pool.release(c, reusable);
  }

  fail(kind: ErrorKind, message: string, httpStatus?: number): void {
    if (this.settled) return;
    this.settled = true;
    this.cleanup();
    this.shared.sink.write({
      type: 'error',
      requestId: this.requestId,
      tSeconds: this.shared.now(),
      kind,
      message,
      ...(httpStatus === undefined ? {} : { httpStatus }),
    });
    this.detach(false);
    this.resolve({ ok: false, errorKind: kind });
  }

  private succeed(): void {
    if (this.settled) return;
    this.settled = true;
    this.cleanup();
    const tokenizer = this.shared.tokenizer;
    this.shared.sink.write({
      type: 'done',
      requestId: this.requestId,
      tSeconds: this.shared.now(),
      finishReason: this.finishReason,
      clientTokens: tokenizer ? tokenizer.countTokens(this.generated) : null,
      tokenizer: tokenizer ? tokenizer.name : null,
    });
    this.resolve({ ok: true });
  }

  /** One SSE data message. */
  private onEvent(raw: string): void {
    if (this.settled) return;
    const data = raw.trim();
    if (data === '[DONE]') {
      this.sawDone = true;
      return;
    }
    const t = this.shared.now();
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      this.fail('malformed-sse', `data is not JSON: ${JSON.stringify(data.slice(0, 120))}`);
      return;
    }
    const { api, tokenizer } = this.shared;
    const chunk = readChunk(value, api);
    if (isChunkProblem(chunk)) {
      this.fail(chunk.serverError ? 'stream-error' : 'malformed-sse', chunk.problem);
      return;
    }
    let tokens = 0;
    let tokenBasis: 'usage-delta' | 'one-per-chunk' = 'one-per-chunk';
    const completion = chunk.usage?.completionTokens ?? null;
    if (chunk.choices && completion !== null) {
      // Continuous usage: cumulative counts on every chunk.
      tokens = Math.max(0, completion - (this.lastCompletionTokens ?? 0));
      tokenBasis = 'usage-delta';
    } else if (chunk.content !== null) tokens = 1;
    if (chunk.content !== null && tokenizer) this.generated += chunk.text;
    if (chunk.finishReason !== null) this.finishReason = chunk.finishReason;
    const sink = this.shared.sink;
    sink.write({
      type: 'chunk',
      requestId: this.requestId,
      tSeconds: t,
      choices: chunk.choices,
      content: chunk.content,
      tokens,
      tokenBasis,
    });
    if (chunk.usage !== null) {
      if (completion !== null) this.lastCompletionTokens = completion;
      sink.write({
        type: 'usage',
        requestId: this.requestId,
        tSeconds: t,
        promptTokens: chunk.usage.promptTokens,
        completionTokens: chunk.usage.completionTokens,
      });
    }
  }

  /** Send the request (head and body, one write) on `connection`. */
  start(connection: Connection, request: string): void {
    this.connection = connection;
    connection.stream = this;
    connection.socket.write(request);
  }

  /** Bytes [0, n) of `bytes` came on the connection (read during the call). */
  onBytes(bytes: Buffer, n: number): void {
    if (this.settled) return;
    this.lastActivityMs = performance.now();
    this.response.feed(bytes, 0, n);
    if (this.gotResponse) this.shared.afterPiece?.();
  }

  onHead(head: ResponseHead): void {
    this.gotResponse = true;
    this.status = head.status;
    this.keepAlive = head.keepAlive;
    this.shared.sink.write({
      type: 'status',
      requestId: this.requestId,
      tSeconds: this.shared.now(),
      httpStatus: head.status,
    });
    if (head.status < 200 || head.status >= 300) this.errorBody = [];
    else if (!head.contentType.includes('text/event-stream'))
      this.fail(
        'malformed-sse',
        `HTTP ${head.status} with content-type '${head.contentType}', not text/event-stream`,
      );
  }

  onBody(bytes: Buffer, start: number, end: number): void {
    if (this.settled || end <= start) return;
    const errorBody = this.errorBody;
    if (errorBody !== null) {
      // Enough bytes for MAX_ERROR_BODY_CHARS characters of UTF-8.
      if (this.errorBodyBytes < 4 * MAX_ERROR_BODY_CHARS) {
        errorBody.push(Buffer.from(bytes.subarray(start, end)));
        this.errorBodyBytes += end - start;
      }
      return;
    }
    if (this.first) {
      this.first = false;
      this.shared.sink.write({
        type: 'first-byte',
        requestId: this.requestId,
        tSeconds: this.shared.now(),
      });
    }
    this.parser.feedRange(bytes, start, end);
  }

  onComplete(): void {
    if (this.settled) return;
    this.detach(this.keepAlive);
    this.ended();
  }

  /** The response's body ended (its framing, or the close for a body read to the close). */
  private ended(): void {
    const status = this.status;
    if (this.errorBody !== null) {
      const kind = status >= 500 ? 'http-5xx' : 'http-4xx';
      const text = Buffer.concat(this.errorBody).toString('utf8');
      this.fail(kind, `HTTP ${status}: ${text.slice(0, MAX_ERROR_BODY_CHARS).trim()}`, status);
    } else if (this.sawDone || this.finishReason !== null) this.succeed();
    else this.fail('disconnect', 'stream ended before [DONE] or a finish_reason');
  }

  onProtocolError(reason: string): void {
    if (this.gotResponse) this.fail('disconnect', `invalid HTTP response mid-stream (${reason})`);
    else this.fail('connect', `no response (invalid HTTP response: ${reason})`);
  }

  /** The connection closed (after `error` when it failed). */
  onSocketClose(error: NodeJS.ErrnoException | undefined): void {
    this.connection = null;
    if (this.settled) return;
    const why = error ? (error.code ?? error.message) : 'ECONNRESET';
    if (this.response.endsAtClose) {
      this.response.stop();
      this.ended();
    } else if (!this.gotResponse) this.fail('connect', `no response (${why})`);
    else if (this.errorBody !== null) {
      const kind = this.status >= 500 ? 'http-5xx' : 'http-4xx';
      this.fail(kind, `HTTP ${this.status}`, this.status);
    } else if (error) this.fail('disconnect', `connection lost mid-stream (${why})`);
    else this.fail('disconnect', 'connection closed mid-stream');
  }
}
