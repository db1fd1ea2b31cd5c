import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AifError } from '../../core/errors.js';
import { iterateMooncake, parseMooncake } from './mooncake.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseMooncake', () => {
  it('reads ms timestamps as seconds and hash_ids as 512-token blocks, the last one partial', () => {
    const result = parseMooncake(fixture('mooncake.jsonl'));
    expect(result.format).toBe('mooncake');
    expect(result.records).toEqual([
      {
        arrivalSeconds: 0,
        promptTokens: 1100,
        outputTokens: 50,
        segments: [
          { contentId: 0, tokens: 512 },
          { contentId: 1, tokens: 512 },
          { contentId: 2, tokens: 76 },
        ],
      },
      {
        arrivalSeconds: 0,
        promptTokens: 600,
        outputTokens: 20,
        segments: [
          { contentId: 0, tokens: 512 },
          { contentId: 3, tokens: 88 },
        ],
      },
      {
        arrivalSeconds: 1.5,
        promptTokens: 1024,
        outputTokens: 7,
        segments: [
          { contentId: 0, tokens: 512 },
          { contentId: 1, tokens: 512 },
        ],
      },
    ]);
  });

  it('skips and counts a row with zero output tokens, naming its line', () => {
    const result = parseMooncake(fixture('mooncake.jsonl'));
    expect(result.skipped).toEqual([{ line: 5, reason: 'zero output tokens (output_length = 0)' }]);
    expect(result.notes).toContain('1 row skipped: 1 × zero output tokens');
  });

  it('makes arrivals relative to the first row', () => {
    const text =
      '{"timestamp": 5000, "input_length": 10, "output_length": 1, "hash_ids": [9]}\n' +
      '{"timestamp": 5250, "input_length": 10, "output_length": 1, "hash_ids": [9]}';
    expect(parseMooncake(text).records.map((r) => r.arrivalSeconds)).toEqual([0, 0.25]);
  });

  it('refuses hash_ids whose count does not match the input length, naming line and field', () => {
    const text =
      '{"timestamp": 0, "input_length": 10, "output_length": 1, "hash_ids": [1]}\n' +
      '{"timestamp": 1, "input_length": 1100, "output_length": 1, "hash_ids": [1, 2]}';
    const call = () => parseMooncake(text, { fileName: 'conv.jsonl' });
    expect(call).toThrow(AifError);
    expect(call).toThrow(
      /mooncake conv\.jsonl line 2: hash_ids is \[1,2\]; expected ⌈input_length 1100 \/ 512⌉ = 3 block ids/,
    );
    try {
      call();
    } catch (e) {
      expect((e as AifError).code).toBe('E_INPUT_FORMAT');
      expect((e as AifError).issues[0]).toMatchObject({
        line: 2,
        path: 'hash_ids',
        file: 'conv.jsonl',
      });
    }
  });

  it('honours another block size', () => {
    const text = '{"timestamp": 0, "input_length": 20, "output_length": 1, "hash_ids": [4, 5]}';
    expect(parseMooncake(text, { blockSizeTokens: 16 }).records[0]!.segments).toEqual([
      { contentId: 4, tokens: 16 },
      { contentId: 5, tokens: 4 },
    ]);
  });

  it('refuses a line that is not JSON and a count that is not an integer', () => {
    expect(() => parseMooncake('{"timestamp": 0,')).toThrow(/line 1: not valid JSON/);
    expect(() =>
      parseMooncake('{"timestamp": 0, "input_length": "12", "output_length": 1}'),
    ).toThrow(/line 1: input_length is "12"; expected a non-negative integer/);
    expect(() => parseMooncake('{"input_length": 12, "output_length": 1}')).toThrow(
      /line 1: timestamp is missing; expected a finite number/,
    );
  });

  it('numbers session_id values densely in order of first appearance', () => {
    const text = ['"s-b"', '"s-a"', '"s-b"']
      .map(
        (s, i) => `{"timestamp": ${i}, "input_length": 5, "output_length": 1, "session_id": ${s}}`,
      )
      .join('\n');
    const result = parseMooncake(text);
    expect(result.records.map((r) => r.sessionId)).toEqual([0, 1, 0]);
    expect(result.records[0]!.segments).toBeUndefined();
  });

  it('streams the same records as the array form for a sorted trace', () => {
    expect([...iterateMooncake(fixture('mooncake.jsonl'))]).toEqual(
      parseMooncake(fixture('mooncake.jsonl')).records,
    );
  });
});
