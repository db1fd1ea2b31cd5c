/**
 * The real llama.cpp engine (node-llama-cpp 3.21.1, prebuilt CPU binary) behind the project's
 * OpenAI-compatible endpoint on 127.0.0.1, with a small generated GGUF (2 layers, ~3 MB).
 * Not timing-sensitive: it checks counts, usage and protocol, never speeds, so it may share the
 * machine with other test files; every wait is bounded by the test timeout. (To run it after
 * all other files and alone, give it its own vitest project with `sequence.groupOrder: 1` and
 * `fileParallelism: false`.) The decode-speed measurement is `bench/llamacpp-decode.ts` →
 * `aifactory validate bench`, not a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LLAMA_TINY_SHAPE, writeRandomLlamaGguf } from '../gguf/random-llama.js';
import { startLlamaCppEngine } from './llamacpp-engine.js';
import { startLlamaCppServer, type LlamaCppServer } from './llamacpp-server.js';

interface StreamOutcome {
  status: number;
  contentType: string | null;
  texts: string[];
  finishReasons: (string | null)[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  done: boolean;
}

async function stream(url: string, body: unknown): Promise<StreamOutcome> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const raw = await res.text();
  const out: StreamOutcome = {
    status: res.status,
    contentType: res.headers.get('content-type'),
    texts: [],
    finishReasons: [],
    done: false,
  };
  for (const event of raw.split('\n\n').filter((e) => e.length > 0)) {
    const data = event.replace(/^data: /, '');
    if (data === '[DONE]') {
      out.done = true;
      continue;
    }
    const j = JSON.parse(data) as {
      choices: { text?: string; delta?: { content?: string }; finish_reason: string | null }[];
      usage?: StreamOutcome['usage'];
    };
    if (j.usage) out.usage = j.usage;
    for (const c of j.choices) {
      if (c.finish_reason !== null) out.finishReasons.push(c.finish_reason);
      else out.texts.push(c.text ?? c.delta?.content ?? '');
    }
  }
  return out;
}

describe.sequential('llama.cpp engine behind the OpenAI-compatible endpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aif-llamacpp-test-'));
  let server: LlamaCppServer;

  beforeAll(async () => {
    const model = writeRandomLlamaGguf(join(dir, 'tiny.gguf'), LLAMA_TINY_SHAPE, 11);
    server = await startLlamaCppServer({
      modelPath: model.path,
      sequences: 3,
      contextTokensPerSequence: 256,
      host: '127.0.0.1',
      port: 0,
    });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the prebuilt CPU binary with one thread per core and three sequences', () => {
    expect(server.engine.info.gpu).toBe(false);
    expect(server.engine.info.binding).toBe('node-llama-cpp@3.21.1');
    expect(server.engine.info.sequences).toBe(3);
    expect(server.engine.info.threads).toBeGreaterThanOrEqual(1);
    // llama_print_system_info of the loaded ggml-cpu backend, recorded with every measurement.
    expect(server.engine.info.systemInfo).toMatch(/CPU : /);
  });

  it('streams three concurrent requests, each to exactly its max_tokens, with usage last', async () => {
    const prompt = 'a b c d e f g';
    server.engine.resetSteps();
    const [a, b, c] = await Promise.all([
      stream(`${server.baseUrl}/completions`, {
        prompt,
        max_tokens: 12,
        stream: true,
        stream_options: { include_usage: true },
      }),
      stream(`${server.baseUrl}/completions`, {
        prompt,
        max_tokens: 20,
        stream: true,
        stream_options: { include_usage: true },
      }),
      stream(`${server.baseUrl}/chat/completions`, {
        messages: [{ role: 'user', content: prompt }],
        max_tokens: 16,
        stream: true,
        stream_options: { include_usage: true },
      }),
    ]);
    const promptTokens = server.engine.tokenize(prompt).length + 1; // + BOS
    const chatPromptTokens = server.engine.tokenize(`user: ${prompt}`).length + 1;
    for (const [s, n, p] of [
      [a, 12, promptTokens],
      [b, 20, promptTokens],
      [c, 16, chatPromptTokens],
    ] as const) {
      expect(s.status).toBe(200);
      expect(s.contentType).toMatch(/text\/event-stream/);
      expect(s.texts.length).toBe(n);
      expect(s.finishReasons).toEqual(['length']);
      expect(s.usage).toEqual({ prompt_tokens: p, completion_tokens: n, total_tokens: p + n });
      expect(s.done).toBe(true);
      expect(s.texts.join('')).not.toContain('\uFFFD');
    }
    expect(server.engine.running()).toBe(0);
    // The llama_decode log accounts for every evaluated token: each prompt, then each generated
    // token but the last (it is sampled, never fed back), in batches of at most 3 sequences'
    // decode tokens once the prompts are in.
    const steps = server.engine.steps()!;
    expect(steps.reduce((a, x) => a + x.tokens, 0)).toBe(
      2 * promptTokens + chatPromptTokens + (12 - 1) + (20 - 1) + (16 - 1),
    );
    for (const x of steps) expect(x.seconds).toBeGreaterThan(0);
    // Continuous batching: the requests decode in lockstep (the engine's step barrier), so the
    // decode steps hold all three running sequences until the shortest request ends.
    const decodeSizes = steps.filter((x) => x.tokens <= 3).map((x) => x.tokens);
    expect(Math.max(...decodeSizes)).toBe(3);
  });

  it('queues a fourth concurrent request until a sequence is free and still completes it', async () => {
    const all = await Promise.all(
      [5, 6, 7, 8].map((n) =>
        stream(`${server.baseUrl}/completions`, {
          prompt: 'hello',
          max_tokens: n,
          stream: true,
          stream_options: { include_usage: true },
        }),
      ),
    );
    expect(all.map((s) => s.usage?.completion_tokens)).toEqual([5, 6, 7, 8]);
    expect(server.engine.waiting()).toBe(0);
  });

  it('answers a non-streaming completion with its text and usage', async () => {
    const res = await fetch(`${server.baseUrl}/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x y z', max_tokens: 4 }),
    });
    const j = (await res.json()) as {
      choices: { text: string; finish_reason: string }[];
      usage: { completion_tokens: number };
    };
    expect(j.choices[0]?.finish_reason).toBe('length');
    expect(j.usage.completion_tokens).toBe(4);
  });

  it('rejects max_tokens beyond the sequence context with 400 before generating', async () => {
    const res = await fetch(`${server.baseUrl}/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x', max_tokens: 10_000, stream: true }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe('max_tokens');
  });

  it('rejects a body without a prompt with 400 invalid_request_error', async () => {
    const res = await fetch(`${server.baseUrl}/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ max_tokens: 4 }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe(
      'invalid_request_error',
    );
  });
});

describe('llama.cpp engine with Q8_0 weights', () => {
  it('loads the generated Q8_0 GGUF and generates exactly max_tokens tokens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aif-llamacpp-q8-'));
    try {
      const model = writeRandomLlamaGguf(join(dir, 'tiny-q8.gguf'), LLAMA_TINY_SHAPE, 11, 'q8_0');
      const engine = await startLlamaCppEngine({
        modelPath: model.path,
        sequences: 1,
        contextTokensPerSequence: 128,
      });
      try {
        const texts: string[] = [];
        const r = await engine.generate({
          prompt: 'a b c',
          maxTokens: 6,
          onToken: (t) => texts.push(t),
        });
        expect(r).toEqual({
          promptTokens: engine.tokenize('a b c').length + 1,
          completionTokens: 6,
          finishReason: 'length',
        });
        expect(texts.length).toBe(6);
        expect(engine.info.modelBytes).toBeGreaterThan(0);
      } finally {
        await engine.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
