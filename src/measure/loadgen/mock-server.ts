/**
 * A tiny in-process OpenAI-compatible streaming server for tests and the streams benchmark
 * (`node:http` on 127.0.0.1, port 0). It streams `max_tokens` placeholder words — one word per
 * token, so `wordTokenizer` is its exact tokenizer — after `ttftSeconds`, one chunk every
 * `itlSeconds`, with the chat role chunk first (empty content, as OpenAI and vLLM send it) and
 * a final usage chunk when `stream_options.include_usage` is set. `fault` injects failures per
 * request: HTTP 500/429, a connection dropped mid-stream, a stall, malformed SSE, an error
 * object in the stream, or a stream that ends without `[DONE]`.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export const MOCK_FAULTS = [
  'none',
  'http-500',
  'http-429',
  'drop-mid-stream',
  'stall',
  'malformed-sse',
  'stream-error',
  'no-done',
] as const;
export type MockFault = (typeof MOCK_FAULTS)[number];

export interface MockServerOptions {
  /** Served model name (`/v1/models`). Default `mock-model`. */
  model?: string;
  /** Delay from request to first content chunk, seconds (default 0.005). */
  ttftSeconds?: number;
  /** Gap between content chunks, seconds (default 0.002). */
  itlSeconds?: number;
  /** Tokens (words) per content chunk (default 1). */
  tokensPerChunk?: number;
  /** Cumulative usage on every chunk (vLLM `continuous_usage_stats`). Default false. */
  continuousUsage?: boolean;
  /** Prompt tokens the template adds: chat default 7, completions 1 (BOS). */
  templateTokens?: number;
  /** The fault of the request with this arrival index (0-based); default none. */
  fault?: (requestIndex: number) => MockFault;
  /** Content chunks sent before `drop-mid-stream` / `malformed-sse` strike (default 2). */
  faultAfterChunks?: number;
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP. */
  tls?: { keyPem: string; certPem: string };
}

export interface MockServerStats {
  /** TCP connections accepted. */
  connections: number;
  requests: number;
  active: number;
  maxActive: number;
  completed: number;
}

export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  stats: MockServerStats;
  /** Request bodies as received (parsed JSON), in arrival order. */
  bodies: Record<string, unknown>[];
  /** Each request's `Authorization` header ('' when absent), in arrival order (models included). */
  authorizations: string[];
  close(): Promise<void>;
}

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'omega', 'sigma', 'kappa', 'theta'];

const wordCount = (text: string): number => {
  const t = text.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
};

function promptOf(body: Record<string, unknown>): string {
  if (typeof body.prompt === 'string') return body.prompt;
  const messages = body.messages;
  if (Array.isArray(messages))
    return messages
      .map((m) =>
        typeof (m as { content?: unknown }).content === 'string'
          ? (m as { content: string }).content
          : '',
      )
      .join(' ');
  return '';
}

/** Start the mock on 127.0.0.1 with an OS-chosen port. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const model = options.model ?? 'mock-model';
  const ttftMs = (options.ttftSeconds ?? 0.005) * 1000;
  const itlMs = (options.itlSeconds ?? 0.002) * 1000;
  const perChunk = options.tokensPerChunk ?? 1;
  const faultAfter = options.faultAfterChunks ?? 2;
  const stats: MockServerStats = {
    connections: 0,
    requests: 0,
    active: 0,
    maxActive: 0,
    completed: 0,
  };
  const bodies: Record<string, unknown>[] = [];
  const authorizations: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, f: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      f();
    }, ms);
    timers.add(t);
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    authorizations.push(req.headers.authorization ?? '');
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: model, object: 'model' }] }));
      return;
    }
    const chat = req.url === '/v1/chat/completions';
    if (req.method !== 'POST' || (!chat && req.url !== '/v1/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (s: string) => (raw += s));
    req.on('end', () => {
      const index = stats.requests++;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'body is not JSON' } }));
        return;
      }
      bodies.push(body);
      const fault = options.fault?.(index) ?? 'none';
      if (fault === 'http-500' || fault === 'http-429') {
        const status = fault === 'http-500' ? 500 : 429;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { message: status === 500 ? 'internal error' : 'rate limited' },
          }),
        );
        return;
      }
      const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : 16;
      const includeUsage =
        (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
      const promptTokens = wordCount(promptOf(body)) + (options.templateTokens ?? (chat ? 7 : 1));
      stats.active++;
      stats.maxActive = Math.max(stats.maxActive, stats.active);
      let ended = false;
      const end = (): void => {
        if (ended) return;
        ended = true;
        stats.active--;
      };
      res.on('close', end);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const id = `cmpl-${index}`;
      const send = (obj: unknown): void => void res.write(`data: ${JSON.stringify(obj)}\n\n`);
      const chunk = (
        text: string | null,
        finish: string | null,
        sent: number,
      ): Record<string, unknown> => ({
        id,
        object: chat ? 'chat.completion.chunk' : 'text_completion',
        model,
        choices: [
          chat
            ? {
                index: 0,
                delta: text === null ? { role: 'assistant', content: '' } : { content: text },
                finish_reason: finish,
              }
            : { index: 0, text: text ?? '', finish_reason: finish },
        ],
        ...(options.continuousUsage
          ? {
              usage: {
                prompt_tokens: promptTokens,
                completion_tokens: sent,
                total_tokens: promptTokens + sent,
              },
            }
          : {}),
      });
      if (chat) send(chunk(null, null, 0));
      if (fault === 'stall') return; // headers and the role chunk, then silence
      let sent = 0;
      let chunksSent = 0;
      const step = (): void => {
        if (res.destroyed) return;
        if (chunksSent === faultAfter && fault === 'drop-mid-stream') {
          res.socket?.destroy();
          return;
        }
        if (chunksSent === faultAfter && fault === 'malformed-sse') {
          res.write('data: {"choices": [ this is not json\n\n');
          return;
        }
        if (chunksSent === faultAfter && fault === 'stream-error') {
          send({ error: { message: 'engine failure', code: 500 } });
          return;
        }
        const n = Math.min(perChunk, maxTokens - sent);
        const words: string[] = [];
        for (let k = 0; k < n; k++) words.push(WORDS[(sent + k) % WORDS.length]!);
        sent += n;
        chunksSent++;
        const last = sent >= maxTokens;
        send(chunk(` ${words.join(' ')}`, last ? 'length' : null, sent));
        if (!last) {
          later(itlMs, step);
          return;
        }
        if (includeUsage)
          send({
            id,
            object: chat ? 'chat.completion.chunk' : 'text_completion',
            model,
            choices: [],
            usage: {
              prompt_tokens: promptTokens,
              completion_tokens: sent,
              total_tokens: promptTokens + sent,
            },
          });
        if (fault !== 'no-done') res.write('data: [DONE]\n\n');
        stats.completed++;
        if (fault === 'no-done') res.socket?.destroy();
        else res.end();
      };
      later(ttftMs, step);
    });
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.keyPem, cert: options.tls.certPem }, handle)
    : http.createServer(handle);
  server.on(options.tls ? 'secureConnection' : 'connection', () => stats.connections++);
  server.keepAliveTimeout = 60_000;
  server.maxRequestsPerSocket = 0;
  // A long accept queue: thousands of streams open their connections within a second or two,
  // and a full queue (Node's default is 511) resets connections when the server falls behind.
  await new Promise<void>((resolve) =>
    server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    stats,
    bodies,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
