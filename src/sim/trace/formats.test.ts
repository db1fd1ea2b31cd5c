import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectTraceFormat, iterateTrace, parseTrace } from './formats.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('detectTraceFormat', () => {
  it.each([
    ['mooncake.jsonl', 'mooncake'],
    ['azure.csv', 'azure'],
    ['burstgpt-v1.csv', 'burstgpt'],
    ['burstgpt-v2.csv', 'burstgpt'],
    ['sharegpt.json', 'sharegpt'],
    ['vllm-requests.jsonl', 'vllm'],
  ])('recognises %s as %s from its content', (file, format) => {
    expect(detectTraceFormat(fixture(file))).toBe(format);
  });

  it('recognises ShareGPT JSON Lines by the conversations key', () => {
    expect(detectTraceFormat('{"id": "a", "conversations": []}\n')).toBe('sharegpt');
  });

  it('falls back to the file name when the content says nothing', () => {
    expect(detectTraceFormat('', 'runs/x/requests.jsonl')).toBe('vllm');
    expect(detectTraceFormat('', 'C:\\data\\BurstGPT_1.csv')).toBe('burstgpt');
    expect(detectTraceFormat('', 'AzureLLMInferenceTrace_code.csv')).toBe('azure');
  });

  it('returns undefined when neither content nor name tells', () => {
    expect(detectTraceFormat('a,b\n1,2\n', 'data.csv')).toBeUndefined();
    expect(detectTraceFormat('{"x": 1}')).toBeUndefined();
  });
});

describe('parseTrace', () => {
  it('reads a detected format with its own options', () => {
    const result = parseTrace(fixture('burstgpt-v2.csv'), { burstgpt: { models: ['GPT-4'] } });
    expect(result.format).toBe('burstgpt');
    expect(result.records.map((r) => r.promptTokens)).toEqual([900, 1500]);
  });

  it('needs arrivals for ShareGPT and refuses an unknown format', () => {
    expect(() => parseTrace(fixture('sharegpt.json'))).toThrow(/needs options\.sharegpt\.arrivals/);
    expect(
      parseTrace(fixture('sharegpt.json'), { sharegpt: { arrivals: { ratePerSecond: 1 } } })
        .records,
    ).toHaveLength(2);
    expect(() => parseTrace('a,b\n', { fileName: 'x.csv' })).toThrow(
      /cannot tell the format of x\.csv/,
    );
  });

  it('streams through the same registry', () => {
    expect([...iterateTrace(fixture('mooncake.jsonl'))].map((r) => r.promptTokens)).toEqual([
      1100, 600, 1024,
    ]);
  });
});
