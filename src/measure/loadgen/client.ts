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
 * Sends requests and logs their events. `clockSeconds` is the run's monotonic clock (seconds
 * since the run started); `sink` receives the events.
 */
export class StreamingClient {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly requestTimeoutMs: number;
  private readonly stallTimeoutMs: number;

  constructor(
    private readonly config: EndpointConfig,
    private readonly clockSeconds: () => number,
    private readonly sink: EventSink,
  ) {
    this.url = endpointUrl(config.baseUrl, config.api);
    const https_ = this.url.protocol === 'https:';
    this.transport = https_ ? https : http;
    const agentOptions = { keepAlive: true, maxSockets: Infinity, maxFreeSockets: 4096 };
    this.agent = https_ ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.requestTimeoutMs = (config.requestTimeoutSeconds ?? 600) * 1000;
    this.stallTimeoutMs = (config.stallTimeoutSeconds ?? 120) * 1000;
  }

  /** Close idle keep-alive sockets (in-flight requests are not affected). */
  close(): void {
    this.agent.destroy();
  }

  /**
   * Send one request; resolves when its terminal event is written. `signal` aborts it (kind
   * `cancelled`). Writes `dispatched` at once.
   */
  send(request: StreamRequest, signal?: AbortSignal): Promise<StreamOutcome> {
    const { requestId } = request;
    const sink = this.sink;
    const now = this.clockSeconds;
    const api = this.config.api;
    const tokenizer = this.config.tokenizer;
    const body = JSON.stringify(requestBody(this.config, request));

    return new Promise<StreamOutcome>((resolve) => {
      let settled = false;
      let stallTimer: NodeJS.Timeout | undefined;
      let gotResponse = false;
      let sawDone = false;
      let finishReason: string | null = null;
      let lastCompletionTokens: number | null = null;
      let generated = '';
      // eslint-disable-next-line prefer-const
      let req: http.ClientRequest;

      const cleanup = (): void => {
        clearTimeout(totalTimer);
        clearTimeout(stallTimer);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (kind: ErrorKind, message: string, httpStatus?: number): void => {
        if (settled) return;
        settled = true;
        cleanup();
        sink.write({
          type: 'error',
          requestId,
          tSeconds: now(),
          kind,
          message,
          ...(httpStatus === undefined ? {} : { httpStatus }),
        });
        req.destroy();
        resolve({ ok: false, errorKind: kind });
      };
      const succeed = (): void => {
        if (settled) return;
        settled = true;
        cleanup();
        sink.write({
          type: 'done',
          requestId,
          tSeconds: now(),
          finishReason,
          clientTokens: tokenizer ? tokenizer.countTokens(generated) : null,
          tokenizer: tokenizer ? tokenizer.name : null,
        });
        resolve({ ok: true });
      };
      const armStall = (): void => {
        clearTimeout(stallTimer);
        stallTimer = setTimeout(
          () => fail('timeout', `no data for ${this.stallTimeoutMs / 1000} s (stall timeout)`),
          this.stallTimeoutMs,
        );
      };
      const onAbort = (): void => fail('cancelled', 'stopped by the run');
      const totalTimer = setTimeout(
        () => fail('timeout', `request exceeded ${this.requestTimeoutMs / 1000} s`),
        this.requestTimeoutMs,
      );

      const parser = new SseParser((ev) => {
        if (settled) return;
        const data = ev.data.trim();
        if (data === '[DONE]') {
          sawDone = true;
          return;
        }
        const t = now();
        let value: unknown;
        try {
          value = JSON.parse(data);
        } catch {
          fail('malformed-sse', `data is not JSON: ${JSON.stringify(data.slice(0, 120))}`);
          return;
        }
        const chunk = readChunk(value, api);
        if (isChunkProblem(chunk)) {
          fail(chunk.serverError ? 'stream-error' : 'malformed-sse', chunk.problem);
          return;
        }
        let tokens = 0;
        let tokenBasis: 'usage-delta' | 'one-per-chunk' = 'one-per-chunk';
        const completion = chunk.usage?.completionTokens ?? null;
        if (chunk.choices && completion !== null) {
          // Continuous usage: cumulative counts on every chunk.
          tokens = Math.max(0, completion - (lastCompletionTokens ?? 0));
          tokenBasis = 'usage-delta';
        } else if (chunk.content !== null) tokens = 1;
        if (chunk.content !== null && tokenizer) generated += chunk.text;
        if (chunk.finishReason !== null) finishReason = chunk.finishReason;
        sink.write({
          type: 'chunk',
          requestId,
          tSeconds: t,
          choices: chunk.choices,
          content: chunk.content,
          tokens,
          tokenBasis,
        });
        if (chunk.usage !== null) {
          if (completion !== null) lastCompletionTokens = completion;
          sink.write({
            type: 'usage',
            requestId,
            tSeconds: t,
            promptTokens: chunk.usage.promptTokens,
            completionTokens: chunk.usage.completionTokens,
          });
        }
      });

      signal?.addEventListener('abort', onAbort);
      sink.write({ type: 'dispatched', requestId, tSeconds: now() });
      armStall();
      const headers: http.OutgoingHttpHeaders = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        accept: 'text/event-stream',
      };
      if (this.config.apiKey) headers.authorization = `Bearer ${this.config.apiKey}`;
      req = this.transport.request(this.url, { method: 'POST', agent: this.agent, headers });
      req.on('error', (e: NodeJS.ErrnoException) => {
        const why = e.code ?? e.message;
        if (gotResponse) fail('disconnect', `connection lost mid-stream (${why})`);
        else fail('connect', `no response (${why})`);
      });
      req.on('response', (res) => {
        gotResponse = true;
        const status = res.statusCode ?? 0;
        sink.write({ type: 'status', requestId, tSeconds: now(), httpStatus: status });
        armStall();
        res.setEncoding('utf8');
        let first = true;
        if (status < 200 || status >= 300) {
          let text = '';
          res.on('data', (s: string) => {
            if (text.length < MAX_ERROR_BODY_CHARS) text += s;
          });
          res.on('end', () =>
            fail(
              status >= 500 ? 'http-5xx' : 'http-4xx',
              `HTTP ${status}: ${text.slice(0, MAX_ERROR_BODY_CHARS).trim()}`,
              status,
            ),
          );
          res.on('error', () =>
            fail(status >= 500 ? 'http-5xx' : 'http-4xx', `HTTP ${status}`, status),
          );
          return;
        }
        const contentType = String(res.headers['content-type'] ?? '');
        if (!contentType.includes('text/event-stream')) {
          fail(
            'malformed-sse',
            `HTTP ${status} with content-type '${contentType}', not text/event-stream`,
          );
          return;
        }
        res.on('data', (s: string) => {
          if (settled) return;
          if (first) {
            first = false;
            sink.write({ type: 'first-byte', requestId, tSeconds: now() });
          }
          armStall();
          parser.feed(s);
        });
        res.on('aborted', () => fail('disconnect', 'connection closed mid-stream'));
        res.on('error', (e: NodeJS.ErrnoException) =>
          fail('disconnect', `connection lost mid-stream (${e.code ?? e.message})`),
        );
        res.on('end', () => {
          if (res.readableAborted || !res.complete) {
            fail('disconnect', 'connection closed mid-stream');
            return;
          }
          if (sawDone || finishReason !== null) succeed();
          else fail('disconnect', 'stream ended before [DONE] or a finish_reason');
        });
        res.on('close', () => {
          if (!settled) fail('disconnect', 'connection closed mid-stream');
        });
      });
      req.end(body);
    });
  }
}
