import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventLine, type LoadgenEvent } from './events.js';
import { JsonlFileSink, MemorySink, teeSink } from './sinks.js';

/** Every event type the client and runner write, with the values the compact store encodes. */
const EVENTS: LoadgenEvent[] = [
  {
    type: 'stage-start',
    stage: 0,
    tSeconds: 0,
    startedAtIso: '2026-01-01T00:00:00.000Z',
    label: 'poisson 4 req/s',
    offeredLoad: 4,
    offeredLoadUnit: 'requests/s',
  },
  {
    type: 'scheduled',
    requestId: 3,
    stage: 0,
    tSeconds: 0.125,
    className: 'chat',
    sessionId: 2,
    promptTokens: 20,
    maxTokens: 6,
  },
  { type: 'dispatched', requestId: 3, tSeconds: 0.1250001 },
  { type: 'status', requestId: 3, tSeconds: 0.2, httpStatus: 200 },
  { type: 'first-byte', requestId: 3, tSeconds: 0.21 },
  {
    type: 'chunk',
    requestId: 3,
    tSeconds: 0.22,
    choices: true,
    content: null,
    tokens: 0,
    tokenBasis: 'one-per-chunk',
  },
  {
    type: 'chunk',
    requestId: 3,
    tSeconds: 0.23,
    choices: true,
    content: 'text',
    tokens: 1,
    tokenBasis: 'one-per-chunk',
  },
  {
    type: 'chunk',
    requestId: 3,
    tSeconds: 0.24,
    choices: true,
    content: 'reasoning',
    tokens: 3,
    tokenBasis: 'usage-delta',
  },
  {
    type: 'chunk',
    requestId: 3,
    tSeconds: 1 / 3,
    choices: true,
    content: 'tool-call',
    tokens: -0,
    tokenBasis: 'usage-delta',
  },
  {
    type: 'chunk',
    requestId: 2 ** 40,
    tSeconds: 0.25,
    choices: false,
    content: null,
    tokens: 0.5,
    tokenBasis: 'one-per-chunk',
  },
  { type: 'usage', requestId: 3, tSeconds: 0.25, promptTokens: 27, completionTokens: null },
  {
    type: 'done',
    requestId: 3,
    tSeconds: 0.26,
    finishReason: 'stop',
    clientTokens: null,
    tokenizer: null,
  },
  { type: 'status', requestId: 4, tSeconds: 0.3, httpStatus: 429 },
  {
    type: 'error',
    requestId: 4,
    tSeconds: 0.31,
    kind: 'http-4xx',
    message: 'HTTP 429: slow down',
    httpStatus: 429,
  },
  { type: 'stage-end', stage: 0, tSeconds: 1, durationSeconds: null },
];

const jsonl = (events: readonly LoadgenEvent[]): string => events.map(eventLine).join('');

describe('MemorySink', () => {
  it('gives back every event in order, the same JSON for each', () => {
    const sink = new MemorySink();
    for (const e of EVENTS) sink.write(e);
    expect(jsonl(sink.events)).toBe(jsonl(EVENTS));
    expect(sink.events).toEqual(EVENTS);
    expect(Object.is(sink.events[8]!.type === 'chunk' && sink.events[8]!.tokens, -0)).toBe(true);
  });

  it('extends the same array with the events written since the last read', () => {
    const sink = new MemorySink();
    for (const e of EVENTS.slice(0, 5)) sink.write(e);
    const first = sink.events;
    expect(first).toHaveLength(5);
    for (const e of EVENTS.slice(5)) sink.write(e);
    expect(sink.events).toBe(first);
    expect(jsonl(first)).toBe(jsonl(EVENTS));
  });

  it('keeps an event with other keys or key order as given', () => {
    const odd = [
      { requestId: 1, type: 'dispatched', tSeconds: 0.5 },
      { type: 'first-byte', requestId: 1, tSeconds: 0.6, note: 'x' },
      {
        type: 'chunk',
        requestId: 1,
        tSeconds: 0.7,
        choices: true,
        content: 'image',
        tokens: 1,
        tokenBasis: 'one-per-chunk',
      },
    ] as unknown as LoadgenEvent[];
    const sink = new MemorySink();
    for (const e of odd) sink.write(e);
    expect(jsonl(sink.events)).toBe(jsonl(odd));
  });
});

describe('JsonlFileSink', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aif-sinks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one line per event, the same bytes as eventLine, across batches', async () => {
    const path = join(dir, 'sub', 'events.jsonl');
    const file = new JsonlFileSink(path);
    const memory = new MemorySink();
    const sink = teeSink(memory, file);
    const many: LoadgenEvent[] = [];
    for (let i = 0; i < 3000; i++)
      many.push(...EVENTS.map((e) => ({ ...e, tSeconds: i + e.tSeconds })));
    for (const e of many.slice(0, 1000)) sink.write(e);
    await new Promise((resolve) => setImmediate(resolve)); // a batch flushed at the end of a turn
    for (const e of many.slice(1000)) sink.write(e);
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe(jsonl(many));
    expect(jsonl(memory.events)).toBe(jsonl(many));
  });
});
