/**
 * A streaming client for OpenAI-compatible `/v1/chat/completions` and `/v1/completions`, over
 * `node:http`/`node:https` with a keep-alive agent (no socket limit): one request per call,
 * every step written to the event log (`events.ts`). It never throws and never rejects: every
 * failure becomes exactly one `error` event of a counted kind, and every success one `done`.
 *
 * Why `node:http` rather than `fetch`: the stream is read as `data` events without the WHATWG
 * streams layer (less work per chunk at thousands of streams), the first byte is observable, and
 * a socket closed mid-stream surfaces as `aborted`/`close` before `end`, which is how a
 * disconnect is told from a finished stream.
 *
 * Request body: `model`, `messages: [{role: "user", content}]` (chat) or `prompt`
 * (completions), `max_tokens` = the sampled output length, `stream: true`,
 * `stream_options: {include_usage: true}`; with `ignoreEos` also `ignore_eos: true` and
 * `min_tokens` = `max_tokens` (vLLM and SGLang sampling extensions; servers that reject
 * unknown fields answer 400, so it is an option, off by default).
 */
import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import type { ApiKind } from './chunk.js';
import { isChunkProblem, readChunk } from './chunk.js';
import type { ErrorKind, EventSink } from './events.js';
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

/**
 * The response's `content-type` as `res.headers['content-type']` gives it (the first one; Node
 * drops duplicates of this field), read from the raw lines so that Node does not build the
 * `headers` object, which would live as long as the stream.
 */
function contentTypeOf(rawHeaders: readonly string[]): string {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 12 && name.toLowerCase() === 'content-type') return rawHeaders[i + 1]!;
  }
  return '';
}

/** The `Host` header Node writes for these request options (IPv6 in brackets, port unless default). */
function hostHeader(hostname: string, port: string, defaultPort: number): string {
  let host = hostname;
  const colon = host.indexOf(':');
  if (colon !== -1 && host.includes(':', colon + 1) && host.charCodeAt(0) !== 91 /* '[' */)
    host = `[${host}]`;
  if (port && +port !== defaultPort) host += `:${port}`;
  return host;
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
 * (`Stream`) rather than a dozen closures over a shared scope, and its body is not kept once
 * handed to the socket; headers go to `http.request` as the ready list of lines Node would
 * build (the same bytes on the wire); one `abort` listener per signal, not one per request
 * (`EventTarget` listener lists are linear, so thousands of in-flight requests made every add
 * and remove O(n)); one timer per request for both the stall and the whole-request limit,
 * re-armed only when it fires (a byte received just moves a timestamp); the SSE stream is
 * parsed from the received bytes (no string decoder, no per-line strings).
 */
export class StreamingClient {
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  /** `http.request` options but the headers, from the endpoint URL (as Node derives them). */
  private readonly requestOptions: http.RequestOptions;
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
    const https_ = url.protocol === 'https:';
    this.transport = https_ ? https : http;
    const agentOptions = {
      keepAlive: true,
      maxSockets: Infinity,
      maxFreeSockets: 4096,
      noDelay: true,
    };
    this.agent = https_ ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    const options = urlToHttpOptions(url);
    this.requestOptions = { ...options, method: 'POST', agent: this.agent };
    this.hostHeader = hostHeader(options.hostname ?? 'localhost', url.port, https_ ? 443 : 80);
    this.shared = {
      api: config.api,
      tokenizer: config.tokenizer,
      now: clockSeconds,
      sink,
      afterPiece,
      requestTimeoutMs: (config.requestTimeoutSeconds ?? 600) * 1000,
      stallTimeoutMs: (config.stallTimeoutSeconds ?? 120) * 1000,
    };
  }

  /** Close idle keep-alive sockets (in-flight requests are not affected). */
  close(): void {
    this.agent.destroy();
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
      // The lines Node builds from a headers object, in its order: ours, then `Host`.
      const headers = [
        'content-type',
        'application/json',
        'content-length',
        String(Buffer.byteLength(body)),
        'accept',
        'text/event-stream',
      ];
      if (this.config.apiKey) headers.push('authorization', `Bearer ${this.config.apiKey}`);
      headers.push('Host', this.hostHeader);
      stream.start(this.transport.request({ ...this.requestOptions, headers }), body);
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
}

/** One request in flight: its state and its handlers (one object per request). */
class Stream {
  private settled = false;
  private gotResponse = false;
  private sawDone = false;
  private first = true;
  private finishReason: string | null = null;
  private lastCompletionTokens: number | null = null;
  private generated = '';
  private readonly totalDeadlineMs: number;
  /** Last dispatch, headers or received piece (the stall limit counts from here). */
  private lastActivityMs: number;
  private timer: NodeJS.Timeout | undefined;
  private req: http.ClientRequest | undefined;
  private readonly parser: SseParser;

  constructor(
    private readonly shared: Shared,
    private readonly requestId: number,
    private readonly resolve: (outcome: StreamOutcome) => void,
    private readonly cancels: Set<Stream> | undefined,
  ) {
    this.lastActivityMs = performance.now();
    this.totalDeadlineMs = this.lastActivityMs + shared.requestTimeoutMs;
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
    this.req?.destroy();
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

  /** Listen to the request and send its body. */
  start(req: http.ClientRequest, body: string): void {
    this.req = req;
    req.on('error', (e: NodeJS.ErrnoException) => {
      const why = e.code ?? e.message;
      if (this.gotResponse) this.fail('disconnect', `connection lost mid-stream (${why})`);
      else this.fail('connect', `no response (${why})`);
    });
    req.on('response', (res: http.IncomingMessage) => this.onResponse(res));
    req.end(body);
  }

  private onResponse(res: http.IncomingMessage): void {
    this.gotResponse = true;
    const status = res.statusCode ?? 0;
    this.shared.sink.write({
      type: 'status',
      requestId: this.requestId,
      tSeconds: this.shared.now(),
      httpStatus: status,
    });
    this.lastActivityMs = performance.now();
    if (status < 200 || status >= 300) {
      const kind = status >= 500 ? 'http-5xx' : 'http-4xx';
      res.setEncoding('utf8');
      let text = '';
      res.on('data', (s: string) => {
        if (text.length < MAX_ERROR_BODY_CHARS) text += s;
      });
      res.on('end', () =>
        this.fail(kind, `HTTP ${status}: ${text.slice(0, MAX_ERROR_BODY_CHARS).trim()}`, status),
      );
      res.on('error', () => this.fail(kind, `HTTP ${status}`, status));
      return;
    }
    const contentType = contentTypeOf(res.rawHeaders);
    if (!contentType.includes('text/event-stream')) {
      this.fail(
        'malformed-sse',
        `HTTP ${status} with content-type '${contentType}', not text/event-stream`,
      );
      return;
    }
    res.on('data', (piece: Buffer) => this.onData(piece));
    res.on('aborted', () => this.fail('disconnect', 'connection closed mid-stream'));
    res.on('error', (e: NodeJS.ErrnoException) =>
      this.fail('disconnect', `connection lost mid-stream (${e.code ?? e.message})`),
    );
    res.on('end', () => {
      if (res.readableAborted || !res.complete) {
        this.fail('disconnect', 'connection closed mid-stream');
        return;
      }
      if (this.sawDone || this.finishReason !== null) this.succeed();
      else this.fail('disconnect', 'stream ended before [DONE] or a finish_reason');
    });
    res.on('close', () => {
      if (!this.settled) this.fail('disconnect', 'connection closed mid-stream');
    });
  }

  private onData(piece: Buffer): void {
    if (this.settled) return;
    if (this.first) {
      this.first = false;
      this.shared.sink.write({
        type: 'first-byte',
        requestId: this.requestId,
        tSeconds: this.shared.now(),
      });
    }
    this.lastActivityMs = performance.now();
    this.parser.feedBytes(piece);
    this.shared.afterPiece?.();
  }
}
