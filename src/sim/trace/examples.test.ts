// The @example lines of this folder's doc comments, run as written.
import { describe, expect, it } from 'vitest';
import { parseAzure } from './azure.js';
import { parseBurstGpt } from './burstgpt.js';
import { daysFromCivil, parseCivilDateTime } from './civil-time.js';
import { iterateCsvRecords, splitCsvLine } from './csv.js';
import { detectTraceFormat } from './formats.js';
import { iterateLines } from './lines.js';
import { parseMooncake } from './mooncake.js';
import { estimateTokensFromText, parseShareGpt } from './sharegpt.js';

describe('doc comment examples', () => {
  it('civil-time: daysFromCivil and parseCivilDateTime', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 3, 1)).toBe(11017);
    expect(parseCivilDateTime('2023-11-16 18:15:46.6805900')).toEqual({
      days: 19677,
      secondsOfDay: 65746.68059,
    });
  });

  it('csv and lines: iterateCsvRecords, splitCsvLine, iterateLines', () => {
    expect([...iterateCsvRecords('a,"b,""c"""\r\n1,2\n')]).toEqual([
      { line: 1, fields: ['a', 'b,"c"'] },
      { line: 2, fields: ['1', '2'] },
    ]);
    expect(splitCsvLine('1,"a, b",""')).toEqual(['1', 'a, b', '']);
    expect([...iterateLines('a\r\n\nb')]).toEqual([
      { line: 1, text: 'a' },
      { line: 3, text: 'b' },
    ]);
  });

  it('importers: parseMooncake, parseAzure, parseBurstGpt, parseShareGpt', () => {
    expect(
      parseMooncake('{"timestamp": 0, "input_length": 600, "output_length": 5, "hash_ids": [7, 8]}')
        .records[0]!.segments,
    ).toEqual([
      { contentId: 7, tokens: 512 },
      { contentId: 8, tokens: 88 },
    ]);
    expect(
      parseAzure(
        'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.5,10,2\n2023-11-16 18:15:47.25,20,3',
      ).records.map((r) => r.arrivalSeconds),
    ).toEqual([0, 0.75]);
    const burst = parseBurstGpt(
      'Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n5,ChatGPT,10,0,10,API log\n7,GPT-4,12,3,15,API log',
    );
    expect(burst.records).toEqual([{ arrivalSeconds: 0, promptTokens: 12, outputTokens: 3 }]);
    expect(burst.skipped.map((s) => s.line)).toEqual([2]);
    expect(
      parseShareGpt(
        '[{"id":"a","conversations":[{"from":"human","value":"hi there"},{"from":"gpt","value":"hello!"}]}]',
        { arrivals: { ratePerSecond: 2 } },
      ).records,
    ).toEqual([
      {
        arrivalSeconds: 0,
        promptTokens: 2,
        outputTokens: 2,
        segments: [{ contentId: 0, tokens: 2 }],
        requestId: 'a',
        estimated: true,
      },
    ]);
    expect(estimateTokensFromText('hello world')).toBe(3);
  });

  it('formats: detectTraceFormat', () => {
    expect(detectTraceFormat('TIMESTAMP,ContextTokens,GeneratedTokens\n…')).toBe('azure');
  });
});
