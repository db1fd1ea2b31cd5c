import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parseScenarioYaml } from '../scenario/index.js';
import { createServeSim, type ServeSim } from './serve-sim.js';

const scenario = parseScenarioYaml(
  readFileSync('examples/chat-fleet-h100.yaml', 'utf8'),
  'chat-fleet-h100.yaml',
);

/** 50× real time: a 20-token answer of about 0.5 simulated seconds takes about 10 ms. */
const make = (): ServeSim =>
  createServeSim({
    scenario,
    catalog: defaultCatalog(),
    calibration: BUILTIN_CALIBRATION,
    speed: 50,
    nowMs: () => performance.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  });

/** The `data:` payloads of an SSE body. */
const events = (body: string): string[] =>
  body
    .split('\n\n')
    .map((e) => e.trim())
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));

const chat = (o: Record<string, unknown>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    model: 'llama-3.1-70b',
    messages: [{ role: 'user', content: 'x'.repeat(4000) }],
    ...o,
  }),
});

describe('serve-sim (in process)', () => {
  const sim = make();
  afterAll(() => sim.close());

  it('streams max_tokens chunks, a finish chunk, the usage and [DONE]', async () => {
    const res = await sim.app.request(
      '/v1/chat/completions',
      chat({ max_tokens: 20, stream: true, stream_options: { include_usage: true } }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const data = events(await res.text());
    expect(data.at(-1)).toBe('[DONE]');
    const parsed = data.slice(0, -1).map((d) => JSON.parse(d));
    const content = parsed.filter((p) => p.choices?.[0]?.delta?.content);
    expect(content).toHaveLength(20);
    expect(content[0].choices[0].delta.role).toBe('assistant');
    const usage = parsed.find((p) => p.usage);
    // 4,000 characters + "user: " ≈ 1,002 tokens at 4 characters per token.
    expect(usage.usage).toEqual({ prompt_tokens: 1002, completion_tokens: 20, total_tokens: 1022 });
    expect(parsed.some((p) => p.choices?.[0]?.finish_reason === 'length')).toBe(true);
  });

  it('answers without streaming with the whole text and usage', async () => {
    const res = await sim.app.request('/v1/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'hello world', max_tokens: 7 }),
    });
    const body = (await res.json()) as {
      choices: { text: string }[];
      usage: { completion_tokens: number };
    };
    expect(body.usage.completion_tokens).toBe(7);
    expect(body.choices[0]!.text.split(' ').filter(Boolean)).toHaveLength(7);
    expect(res.headers.get('x-aifactory-output-tokens')).toBe('max_tokens');
  });

  it('takes the output length from the scenario when max_tokens is absent, and says so', async () => {
    const res = await sim.app.request('/v1/chat/completions', chat({}));
    const body = (await res.json()) as { usage: { completion_tokens: number } };
    // chat-fleet-h100: output lognormal median 129, p90 424 ⇒ mean ≈ 199.
    expect(body.usage.completion_tokens).toBe(199);
    expect(res.headers.get('x-aifactory-output-tokens')).toBe('scenario class mean');
  });

  it('refuses a malformed body with 400 naming the field', async () => {
    const res = await sim.app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: 'hi', max_tokens: -1 }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; param: string } };
    expect(body.error.message).toMatch(/messages/);
    expect(body.error.message).toMatch(/max_tokens/);
  });

  it('serves concurrent requests, all accounted for', async () => {
    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        sim.app.request('/v1/chat/completions', chat({ max_tokens: 5 + i, stream: true })),
      ),
    );
    const counts = await Promise.all(
      responses.map(
        async (r) => events(await r.text()).filter((d) => d.includes('"content"')).length,
      ),
    );
    expect(counts).toEqual(Array.from({ length: 16 }, (_, i) => 5 + i));
    expect(sim.inFlight()).toBe(0);
  });
});

describe('serve-sim over a real socket', () => {
  it('streams to a client on 127.0.0.1', async () => {
    const sim = make();
    const server = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const res = await fetch(
        `http://127.0.0.1:${port}/v1/chat/completions`,
        chat({ max_tokens: 12, stream: true }),
      );
      const data = events(await res.text());
      expect(data.filter((d) => d.includes('"content"'))).toHaveLength(12);
      expect(data.at(-1)).toBe('[DONE]');
    } finally {
      sim.close();
      await new Promise((r) => server.close(r));
    }
  });
});
