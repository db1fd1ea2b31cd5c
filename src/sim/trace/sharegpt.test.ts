import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimateTokensFromText, iterateShareGpt, parseShareGpt } from './sharegpt.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

// Estimated tokens of the fixture's texts, ⌈characters / 4⌉:
// "What is KV cache?" 17 → 5, "It stores keys and values." 26 → 7, "Why?" 4 → 1,
// "To skip recomputation." 22 → 6, "Be brief." 9 → 3, 'A "cache" of keys.' 18 → 5.
// Content ids by first appearance: c1's four texts 0–3, c2's text 4, "Be brief." 5, c3's reply 6.

describe('estimateTokensFromText', () => {
  it('rounds characters / 4 up and counts an astral character once', () => {
    expect(estimateTokensFromText('')).toBe(0);
    expect(estimateTokensFromText('abcd')).toBe(1);
    expect(estimateTokensFromText('abcde')).toBe(2);
    expect(estimateTokensFromText('😀😀😀😀')).toBe(1);
    expect(estimateTokensFromText('abcdef', 2)).toBe(3);
  });
});

describe('parseShareGpt', () => {
  it('keeps the first human → assistant turn per conversation at a fixed rate', () => {
    const result = parseShareGpt(fixture('sharegpt.json'), { arrivals: { ratePerSecond: 2 } });
    expect(result.records).toEqual([
      {
        arrivalSeconds: 0,
        promptTokens: 5,
        outputTokens: 7,
        segments: [{ contentId: 0, tokens: 5 }],
        requestId: 'c1',
        estimated: true,
      },
      {
        arrivalSeconds: 0.5,
        promptTokens: 8,
        outputTokens: 5,
        segments: [
          { contentId: 5, tokens: 3 },
          { contentId: 0, tokens: 5 },
        ],
        requestId: 'c3',
        estimated: true,
      },
    ]);
    expect(result.skipped).toEqual([{ line: 11, reason: 'no turn (fewer than two messages)' }]);
    expect(result.notes[0]).toMatch(/estimated as ⌈characters \/ 4⌉/);
  });

  it('replays every turn as a session whose prompt accumulates the conversation', () => {
    const result = parseShareGpt(fixture('sharegpt.json'), {
      arrivals: { ratePerSecond: 2 },
      turns: 'all',
    });
    expect(
      result.records.map((r) => [r.arrivalSeconds, r.sessionId, r.requestId, r.outputTokens]),
    ).toEqual([
      [0, 0, 'c1:0', 7],
      [0.5, 0, 'c1:1', 6],
      [1, 1, 'c3:0', 5],
    ]);
    expect(result.records[1]!.segments).toEqual([
      { contentId: 0, tokens: 5 },
      { contentId: 1, tokens: 7 },
      { contentId: 2, tokens: 1 },
    ]);
    expect(result.records[1]!.promptTokens).toBe(13);
  });

  it("takes arrivals from the caller's list, relative to the earliest", () => {
    const result = parseShareGpt(fixture('sharegpt.json'), {
      arrivals: { timesSeconds: [10, 12.5, 99] },
      turns: 'all',
    });
    expect(result.records.map((r) => r.arrivalSeconds)).toEqual([0, 2.5, 89]);
  });

  it('refuses an arrival list shorter than the requests, and missing arrivals', () => {
    expect(() =>
      parseShareGpt(fixture('sharegpt.json'), { arrivals: { timesSeconds: [0] } }),
    ).toThrow(/timesSeconds has 1 times but line 12 starts request 2/);
    expect(() =>
      parseShareGpt(fixture('sharegpt.json'), {} as Parameters<typeof parseShareGpt>[1]),
    ).toThrow(/arrivals are required/);
    expect(() =>
      parseShareGpt(fixture('sharegpt.json'), { arrivals: { ratePerSecond: 0 } }),
    ).toThrow(/ratePerSecond must be a positive number/);
  });

  it('stops after maxRequests', () => {
    const result = parseShareGpt(fixture('sharegpt.json'), {
      arrivals: { timesSeconds: [0] },
      maxRequests: 1,
    });
    expect(result.records.map((r) => r.requestId)).toEqual(['c1']);
    expect(result.notes).toContain('reached maxRequests = 1; the rest of the file was not read');
  });

  it('refuses an unknown role naming the conversation line and field', () => {
    const text = '[\n{"id": "x", "conversations": [{"from": "robot", "value": "beep"}]}\n]';
    expect(() => parseShareGpt(text, { arrivals: { ratePerSecond: 1 } })).toThrow(
      /sharegpt trace line 2: \[0\]\.conversations\[0\]\.from is "robot"; expected one of human, user/,
    );
  });

  it('refuses a conversation without a conversations array', () => {
    expect(() => parseShareGpt('[{"id": "x"}]', { arrivals: { ratePerSecond: 1 } })).toThrow(
      /line 1: \[0\]\.conversations is missing; expected an array of \{from, value\}/,
    );
  });

  it('skips a turn whose prompt or reply is empty', () => {
    const text =
      '{"id": "e", "conversations": [{"from": "human", "value": ""}, {"from": "gpt", "value": "ok"}]}';
    const result = parseShareGpt(text, { arrivals: { ratePerSecond: 1 } });
    expect(result.records).toEqual([]);
    expect(result.skipped).toEqual([
      { line: 1, reason: 'zero prompt tokens (turn 1: empty text)' },
    ]);
  });

  it('streams conversations one at a time', () => {
    const stream = iterateShareGpt(fixture('sharegpt.json'), { arrivals: { ratePerSecond: 1 } });
    expect(stream.next().value).toMatchObject({ requestId: 'c1', arrivalSeconds: 0 });
    expect(stream.next().value).toMatchObject({ requestId: 'c3', arrivalSeconds: 1 });
    expect(stream.next().done).toBe(true);
  });
});
