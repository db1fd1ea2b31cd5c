import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { iterateBurstGpt, parseBurstGpt } from './burstgpt.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseBurstGpt', () => {
  it('reads the 6-column release, skipping failed rows (Response tokens = 0)', () => {
    const result = parseBurstGpt(fixture('burstgpt-v1.csv'));
    expect(result.records).toEqual([
      { arrivalSeconds: 0, promptTokens: 472, outputTokens: 18 },
      { arrivalSeconds: 113, promptTokens: 417, outputTokens: 276 },
    ]);
    expect(result.skipped).toEqual([{ line: 3, reason: 'failed request (Response tokens = 0)' }]);
    expect(result.notes).toContain('1 row skipped: 1 × failed request');
    expect(result.notes[0]).toMatch(/^6-column \(v1\) release/);
  });

  it('reads the 8-column release: sessions numbered by first appearance, elapsed time kept', () => {
    const result = parseBurstGpt(fixture('burstgpt-v2.csv'));
    expect(result.records).toEqual([
      {
        arrivalSeconds: 0,
        promptTokens: 900,
        outputTokens: 400,
        sessionId: 0,
        measured: { lastTokenSeconds: 12 },
      },
      {
        arrivalSeconds: 2.5,
        promptTokens: 40,
        outputTokens: 30,
        sessionId: 1,
        measured: { lastTokenSeconds: 5.5 },
      },
      { arrivalSeconds: 10, promptTokens: 64, outputTokens: 8 },
      {
        arrivalSeconds: 20,
        promptTokens: 1500,
        outputTokens: 120,
        sessionId: 0,
        measured: { lastTokenSeconds: 25 },
      },
    ]);
    expect(result.skipped).toEqual([{ line: 4, reason: 'failed request (Response tokens = 0)' }]);
  });

  it('keeps only the listed models and log types, counting the rest as skipped', () => {
    const result = parseBurstGpt(fixture('burstgpt-v2.csv'), {
      models: ['GPT-4'],
      logTypes: ['Conversation log'],
    });
    expect(result.records.map((r) => r.promptTokens)).toEqual([900, 1500]);
    expect(result.skipped.map((s) => s.reason)).toEqual([
      'model not selected (Model = ChatGPT)',
      'failed request (Response tokens = 0)',
      'model not selected (Model = ChatGPT)',
    ]);
  });

  it('skips rows whose Log Type names a failure', () => {
    const text =
      'Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n' +
      '1,ChatGPT,10,5,15,Failed log\n2,ChatGPT,10,5,15,API log\n';
    const result = parseBurstGpt(text);
    expect(result.records).toHaveLength(1);
    expect(result.skipped).toEqual([{ line: 2, reason: 'failed request (Log Type = Failed log)' }]);
  });

  it('notes rows whose Total tokens disagrees with its parts', () => {
    const text =
      'Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n1,ChatGPT,10,5,16,API log\n';
    expect(parseBurstGpt(text).notes).toContain(
      '1 rows with Total tokens ≠ Request tokens + Response tokens; the two parts were used',
    );
  });

  it('refuses a malformed number naming line, field and value', () => {
    const text =
      'Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n1,ChatGPT,ten,5,15,API log\n';
    expect(() => parseBurstGpt(text, { fileName: 'b.csv' })).toThrow(
      /burstgpt b\.csv line 2: Request tokens is "ten"; expected a non-negative integer/,
    );
  });

  it('refuses a models filter on a file without a Model column', () => {
    const text = 'Timestamp,Request tokens,Response tokens\n1,10,5\n';
    expect(parseBurstGpt(text).records).toHaveLength(1);
    expect(() => parseBurstGpt(text, { models: ['GPT-4'] })).toThrow(/no Model column/);
  });

  it('streams records and reports skips through onSkip', () => {
    const skipped: number[] = [];
    const records = [
      ...iterateBurstGpt(fixture('burstgpt-v1.csv'), { onSkip: (s) => skipped.push(s.line) }),
    ];
    expect(records.map((r) => r.arrivalSeconds)).toEqual([0, 113]);
    expect(skipped).toEqual([3]);
  });
});
