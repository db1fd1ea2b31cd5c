import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamingClient, type EndpointConfig } from './client.js';
import type { LoadgenEvent, RequestErrorEvent } from './events.js';
import { startMockServer, type MockServer } from './mock-server.js';
import { MemorySink } from './sinks.js';

const close: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of close.splice(0).reverse()) await f(); // clients before their servers
});

/** A TCP server that records each request's bytes and answers with `answer`. */
async function rawServer(
  answer: (sock: net.Socket) => void,
): Promise<{ url: string; got: string[] }> {
  const got: string[] = [];
  const server = net.createServer((sock) => {
    let buf = '';
    sock.on('error', () => {});
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      const head = buf.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(buf);
      if (head < 0 || !length || buf.length < head + 4 + Number(length[1])) return;
      got.push(buf);
      buf = '';
      answer(sock);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, got };
}

const sse =
  (...events: string[]) =>
  (sock: net.Socket): void => {
    const body = events.map((e) => `data: ${e}\n\n`).join('');
    sock.write(
      `HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  };

const clock = (): number => 0;
/** A chat client on `sink` (a fresh one by default), closed after the test. */
const chatClient = (
  baseUrl: string,
  sink: MemorySink = new MemorySink(),
  options: Partial<EndpointConfig> = {},
): StreamingClient => {
  const client = new StreamingClient({ baseUrl, api: 'chat', model: 'm', ...options }, clock, sink);
  close.push(() => client.close());
  return client;
};
const errors = (events: readonly LoadgenEvent[]): RequestErrorEvent[] =>
  events.filter((e): e is RequestErrorEvent => e.type === 'error');

describe('StreamingClient', () => {
  it('sends the request head Node builds from a headers object: ours in order, then Host and Connection', async () => {
    const { url, got } = await rawServer(
      sse('{"choices":[{"delta":{"content":"x"},"finish_reason":"stop"}]}', '[DONE]'),
    );
    const client = chatClient(`${url}/v1/`, new MemorySink(), { apiKey: 'k' });
    expect(await client.send({ requestId: 1, prompt: 'héllo', maxTokens: 2 })).toEqual({
      ok: true,
    });
    const body = JSON.stringify({
      model: 'm',
      messages: [{ role: 'user', content: 'héllo' }],
      max_tokens: 2,
      stream: true,
      stream_options: { include_usage: true },
    });
    const host = new URL(url).host;
    expect(got[0]).toBe(
      'POST /v1/chat/completions HTTP/1.1\r\ncontent-type: application/json\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\naccept: text/event-stream\r\n` +
        `authorization: Bearer k\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n` +
        Buffer.from(body).toString('latin1'),
    );
  });

  it('streams over https, trusting an extra CA, and refuses an untrusted certificate as a connect error', async () => {
    const tlsFixture = {
      keyPem: readFileSync('test/fixtures/tls/test-only-key.pem', 'utf8'),
      certPem: readFileSync('test/fixtures/tls/test-only-cert.pem', 'utf8'),
    };
    const server = await startMockServer({ tls: tlsFixture, tokensPerChunk: 1 });
    close.push(() => server.close());
    expect(server.url.startsWith('https://127.0.0.1:')).toBe(true);
    const sink = new MemorySink();
    const client = chatClient(server.url, sink, { extraCaPem: tlsFixture.certPem });
    // Two requests one after the other: the second reuses the TLS connection.
    for (const requestId of [1, 2])
      expect(await client.send({ requestId, prompt: 'p', maxTokens: 3 })).toEqual({ ok: true });
    expect(server.stats.connections).toBe(1);
    const content = sink.events.filter((e) => e.type === 'chunk' && e.requestId === 2);
    expect(content.reduce((a, e) => a + (e.type === 'chunk' ? e.tokens : 0), 0)).toBe(3);
    expect(sink.events.filter((e) => e.type === 'usage')).toHaveLength(2);

    // Node's roots alone do not trust the self-signed certificate: the request fails, counted.
    const refused = new MemorySink();
    const strict = chatClient(server.url, refused);
    const outcome = await strict.send({ requestId: 3, prompt: 'p', maxTokens: 3 });
    expect(outcome.ok).toBe(false);
    const [e] = errors(refused.events);
    expect(e!.requestId).toBe(3);
    expect(e!.kind).toBe(outcome.errorKind);
    expect(e!.kind).toBe('connect');
    expect(e!.message).toMatch(/SELF_SIGNED_CERT/);
  });

  it('one abort cancels every request in flight on that signal once, in the order they were sent', async () => {
    const server: MockServer = await startMockServer({ fault: () => 'stall' });
    close.push(() => server.close());
    const sink = new MemorySink();
    const client = chatClient(server.url, sink);
    const stop = new AbortController();
    const other = new AbortController();
    const sent = [5, 3, 9, 1].map((id) =>
      client.send({ requestId: id, prompt: 'p', maxTokens: 4 }, stop.signal),
    );
    const kept = client.send({ requestId: 7, prompt: 'p', maxTokens: 4 }, other.signal);
    while (server.stats.requests < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    expect(await Promise.all(sent)).toEqual(
      Array.from({ length: 4 }, () => ({ ok: false, errorKind: 'cancelled' })),
    );
    expect(errors(sink.events).map((e) => [e.requestId, e.kind, e.message])).toEqual(
      [5, 3, 9, 1].map((id) => [id, 'cancelled', 'stopped by the run']),
    );
    other.abort();
    expect(await kept).toEqual({ ok: false, errorKind: 'cancelled' });
    expect(errors(sink.events)).toHaveLength(5);
  });

  it('times out a stream that stalls, and one that streams past the whole-request limit', async () => {
    const stalled = await rawServer((sock) =>
      sock.write(
        'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n',
      ),
    );
    const trickle = await rawServer((sock) => {
      sock.write(
        'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n',
      );
      const piece = 'data: {"choices":[{"delta":{"content":"a"}}]}\n\n';
      const timer = setInterval(() => {
        if (sock.destroyed) clearInterval(timer);
        else sock.write(`${Buffer.byteLength(piece).toString(16)}\r\n${piece}\r\n`);
      }, 20);
      sock.on('close', () => clearInterval(timer));
    });
    const sink = new MemorySink();
    const a = chatClient(stalled.url, sink, { stallTimeoutSeconds: 0.1 });
    const b = chatClient(trickle.url, sink, {
      stallTimeoutSeconds: 0.1,
      requestTimeoutSeconds: 0.3,
    });
    await Promise.all([
      a.send({ requestId: 1, prompt: 'p', maxTokens: 4 }),
      b.send({ requestId: 2, prompt: 'p', maxTokens: 4 }),
    ]);
    const byId = new Map(errors(sink.events).map((e) => [e.requestId, [e.kind, e.message]]));
    expect(byId.get(1)).toEqual(['timeout', 'no data for 0.1 s (stall timeout)']);
    expect(byId.get(2)).toEqual(['timeout', 'request exceeded 0.3 s']);
    expect(
      sink.events.filter((e) => e.type === 'chunk' && e.requestId === 2).length,
    ).toBeGreaterThan(1);
  });

  it('reuses a kept-alive connection; a connection closed before the response is a connect error, one closed mid-body a disconnect', async () => {
    const sockets = new Set<net.Socket>();
    const answer = sse('{"choices":[{"delta":{"content":"x"},"finish_reason":"stop"}]}');
    const ok = await rawServer((sock) => {
      sockets.add(sock);
      answer(sock);
    });
    const sink = new MemorySink();
    const client = chatClient(ok.url, sink);
    for (const requestId of [1, 2, 3])
      expect(await client.send({ requestId, prompt: 'p', maxTokens: 1 })).toEqual({ ok: true });
    expect([ok.got.length, sockets.size]).toEqual([3, 1]);
    const hangUp = await rawServer((sock) => sock.destroy());
    const cut = await rawServer((sock) => {
      sock.write(
        'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: 100\r\n\r\n',
      );
      sock.end('data: {"choices":[]}\n\n');
    });
    const other = chatClient(hangUp.url, sink);
    const third = chatClient(cut.url, sink);
    await other.send({ requestId: 4, prompt: 'p', maxTokens: 1 });
    await third.send({ requestId: 5, prompt: 'p', maxTokens: 1 });
    expect(errors(sink.events).map((e) => [e.requestId, e.kind, e.message])).toEqual([
      [4, 'connect', 'no response (ECONNRESET)'],
      [5, 'disconnect', 'connection closed mid-stream'],
    ]);
  });
});
