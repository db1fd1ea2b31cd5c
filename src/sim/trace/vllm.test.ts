import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { iterateVllmRequests, parseVllmRequests } from './vllm.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** The reference runs shipped with the repository (data/reference/vllm-traces). */
const REFERENCE = new URL('../../../data/reference/vllm-traces/', import.meta.url);
const RUNS = ['RTX4090_Llama-3.1-8B', 'RTXPRO6000_Llama-3.1-8B', 'RTXPRO6000_Qwen3-32B'];
const runFile = (run: string): URL => new URL(`${run}/requests.jsonl`, REFERENCE);

describe('parseVllmRequests', () => {
  it('takes arrivals from queued_ts and keeps the engine times on the same relative clock', () => {
    const result = parseVllmRequests(fixture('vllm-requests.jsonl'));
    expect(result.records).toEqual([
      {
        arrivalSeconds: 0,
        promptTokens: 100,
        outputTokens: 11,
        requestId: 'bench-0',
        measured: {
          queuedSeconds: 0,
          scheduledSeconds: 0,
          firstTokenSeconds: 0.25,
          lastTokenSeconds: 1.25,
        },
      },
      {
        arrivalSeconds: 0.25,
        promptTokens: 200,
        outputTokens: 21,
        requestId: 'bench-1',
        measured: {
          queuedSeconds: 0.25,
          scheduledSeconds: 0.5,
          firstTokenSeconds: 0.75,
          lastTokenSeconds: 2.75,
        },
      },
      {
        arrivalSeconds: 1.75,
        promptTokens: 50,
        outputTokens: 2,
        requestId: 'bench-3',
        measured: {
          queuedSeconds: 1.75,
          scheduledSeconds: 2.25,
          firstTokenSeconds: 2.75,
          lastTokenSeconds: 2.875,
        },
      },
    ]);
    expect(result.skipped).toEqual([{ line: 3, reason: 'zero output tokens (output_toks = 0)' }]);
  });

  it('refuses engine timestamps out of order, naming the field', () => {
    const text =
      '{"input_toks": 1, "output_toks": 1, "queued_ts": 5, "scheduled_ts": 4, "first_token_ts": 6, "last_token_ts": 7}';
    expect(() => parseVllmRequests(text)).toThrow(
      /vllm trace line 1: scheduled_ts is 4; expected a time ≥ queued_ts \(5\)/,
    );
  });

  it('keeps a request whose first and last token times are null, with the times it has', () => {
    const text =
      '{"input_toks": 1, "output_toks": 1, "queued_ts": 5, "scheduled_ts": 6, "first_token_ts": null, "last_token_ts": null}';
    const result = parseVllmRequests(text);
    expect(result.records[0]!.measured).toEqual({ queuedSeconds: 0, scheduledSeconds: 1 });
    expect(result.notes).toContain('1 requests lack some engine timestamps (null in the log)');
  });

  it('refuses a row without queued_ts', () => {
    expect(() => parseVllmRequests('{"input_toks": 1, "output_toks": 1}')).toThrow(
      /line 1: queued_ts is missing; expected a finite number/,
    );
  });

  it('streams the same records as the array form', () => {
    const text = fixture('vllm-requests.jsonl');
    expect([...iterateVllmRequests(text)]).toEqual(parseVllmRequests(text).records);
  });

  it.skipIf(!existsSync(REFERENCE))(
    'reads each reference run: 300 requests, first arrival 0, sorted, TTFT ≥ 0',
    () => {
      for (const run of RUNS) {
        const result = parseVllmRequests(readFileSync(runFile(run), 'utf8'), { fileName: run });
        expect(result.records).toHaveLength(300);
        expect(result.skipped).toEqual([]);
        expect(result.records[0]!.arrivalSeconds).toBe(0);
        const arrivals = result.records.map((r) => r.arrivalSeconds);
        expect(arrivals).toEqual([...arrivals].sort((a, b) => a - b));
        for (const r of result.records) {
          expect(r.measured!.queuedSeconds).toBe(r.arrivalSeconds);
          expect(r.measured!.firstTokenSeconds!).toBeGreaterThanOrEqual(r.arrivalSeconds);
          expect(r.outputTokens).toBeGreaterThanOrEqual(512); // the runs' minimum output length
        }
        // The runs submit 300 requests over about 29 s (10 requests per second).
        expect(arrivals.at(-1)!).toBeGreaterThan(28);
        expect(arrivals.at(-1)!).toBeLessThan(30);
      }
    },
  );
});
