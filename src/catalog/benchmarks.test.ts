import { describe, expect, it } from 'vitest';
import { findMlperfTask, MLPERF_LLM_TASKS, normalizeBenchmarkName } from './benchmarks.js';

describe('MLPERF_LLM_TASKS', () => {
  it('gives every task a mean output length no larger than its maximum', () => {
    for (const task of MLPERF_LLM_TASKS) {
      expect(task.output.meanTokens, task.id).toBeDefined();
      expect(task.output.meanTokens ?? Infinity, task.id).toBeLessThanOrEqual(
        task.output.maxTokens,
      );
    }
  });

  it('keeps every published mean input length at or below the input maximum', () => {
    for (const task of MLPERF_LLM_TASKS) {
      if (task.input.meanTokens === undefined) continue;
      expect(task.input.meanTokens, task.id).toBeLessThanOrEqual(task.input.maxTokens);
    }
  });

  it("orders min ≤ mean ≤ max, the percentiles and a published sample's quantiles wherever they are given", () => {
    for (const task of MLPERF_LLM_TASKS) {
      for (const d of [task.input, task.output]) {
        const seq = [d.minTokens, d.meanTokens, d.maxTokens].filter(
          (v): v is number => v !== undefined,
        );
        expect(
          [...seq].sort((a, b) => a - b),
          task.id,
        ).toEqual(seq);
        const pct = [d.p50Tokens, d.p90Tokens, d.p99Tokens, d.maxTokens].filter(
          (v): v is number => v !== undefined,
        );
        expect(
          [...pct].sort((a, b) => a - b),
          task.id,
        ).toEqual(pct);
        // A published sample's quantiles rise with their probability, inside [min, max].
        const q = d.publishedSample?.quantiles ?? [];
        for (let i = 1; i < q.length; i++) {
          expect(q[i]![0], task.id).toBeGreaterThan(q[i - 1]![0]);
          expect(q[i]![1], task.id).toBeGreaterThanOrEqual(q[i - 1]![1]);
        }
        for (const [p, x] of q) {
          expect(p > 0 && p < 1, task.id).toBe(true);
          expect(x, task.id).toBeGreaterThanOrEqual(d.minTokens ?? 1);
          expect(x, task.id).toBeLessThanOrEqual(d.maxTokens);
        }
      }
    }
  });

  it('gives every task positive sample, duration and query counts', () => {
    for (const task of MLPERF_LLM_TASKS) {
      expect(task.dataset.numSamples, task.id).toBeGreaterThan(0);
      expect(Number.isInteger(task.dataset.numSamples), task.id).toBe(true);
      expect(task.minDurationSeconds, task.id).toBe(600);
      expect(task.minQueryCount.Offline, task.id).toBeGreaterThan(0);
    }
  });

  it('cites a source for the task and for each number group', () => {
    for (const task of MLPERF_LLM_TASKS) {
      const refs = [
        task.ref,
        task.rounds.ref,
        task.accuracyTarget.ref,
        task.dataset.ref,
        task.input.ref,
        task.output.ref,
        task.latencyLimits.Server.ref,
        task.minQueryCount.ref,
        task.minDurationRef,
        task.speculativeDecodingAllowed.ref,
        ...(task.latencyLimits.Interactive ? [task.latencyLimits.Interactive.ref] : []),
      ];
      for (const ref of refs) expect(ref.source.length, task.id).toBeGreaterThan(0);
    }
  });

  it('explains every derived figure in a note', () => {
    for (const task of MLPERF_LLM_TASKS) {
      for (const ref of [task.input.ref, task.output.ref, task.speculativeDecodingAllowed.ref]) {
        if (ref.provenance === 'derived') expect(ref.note?.length ?? 0, task.id).toBeGreaterThan(0);
      }
    }
  });

  it('uses unique ids and aliases across tasks', () => {
    const names = MLPERF_LLM_TASKS.flatMap((t) => [t.id, ...t.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('limits llama2-70b Server to 2 s TTFT and 0.2 s TPOT', () => {
    const task = findMlperfTask('llama2-70b-99');
    expect(task?.latencyLimits.Server.ttftP99Seconds).toBe(2);
    expect(task?.latencyLimits.Server.tpotP99Seconds).toBe(0.2);
  });

  it('limits llama2-70b Interactive to 0.45 s TTFT and 0.04 s TPOT from v5.0', () => {
    const interactive = findMlperfTask('llama2-70b-99')?.latencyLimits.Interactive;
    expect(interactive?.ttftP99Seconds).toBe(0.45);
    expect(interactive?.tpotP99Seconds).toBe(0.04);
    expect(interactive?.sinceRound).toBe('v5.0');
  });

  it('allows speculative decoding only in DeepSeek-R1 Interactive', () => {
    const allowed = MLPERF_LLM_TASKS.flatMap((t) =>
      (['Offline', 'Server', 'Interactive'] as const)
        .filter((s) => t.speculativeDecodingAllowed[s] === true)
        .map((s) => `${t.id}/${s}`),
    );
    expect(allowed).toEqual(['deepseek-r1/Interactive']);
  });

  it('covers every datacenter LLM task from v3.1 to v6.x', () => {
    expect(MLPERF_LLM_TASKS.map((t) => t.id).sort()).toEqual(
      [
        'deepseek-r1',
        'gpt-oss-120b',
        'gptj-99',
        'llama2-70b-99',
        'llama3.1-405b',
        'llama3.1-8b',
        'mixtral-8x7b',
      ].sort(),
    );
  });
});

describe('findMlperfTask', () => {
  it.each([
    ['llama2-70b-99', 'llama2-70b-99'],
    ['llama2-70b-99.9', 'llama2-70b-99'],
    ['llama2-70b-interactive-99', 'llama2-70b-99'],
    ['llama2-70b-interactive-99.9', 'llama2-70b-99'],
    ['Llama2-70B', 'llama2-70b-99'],
    ['mixtral-8x7b', 'mixtral-8x7b'],
    ['llama3.1-8b', 'llama3.1-8b'],
    ['llama3_1-8b-interactive', 'llama3.1-8b'],
    ['llama3.1-405b', 'llama3.1-405b'],
    ['llama3_1-405b', 'llama3.1-405b'],
    ['deepseek-r1', 'deepseek-r1'],
    ['deepseek-r1-interactive', 'deepseek-r1'],
    ['gpt-oss-120b', 'gpt-oss-120b'],
    ['gptj-99.9', 'gptj-99'],
    ['GPT-J-99', 'gptj-99'],
  ])('maps %s to the %s task', (name, id) => {
    expect(findMlperfTask(name)?.id).toBe(id);
  });

  it('maps a spelling seen in no table by parsing it', () => {
    expect(findMlperfTask('  LLAMA3_1-405B-INTERACTIVE-99 ')?.id).toBe('llama3.1-405b');
  });

  it('returns undefined for a non-LLM benchmark', () => {
    expect(findMlperfTask('resnet50')).toBeUndefined();
  });

  it('returns undefined for the edge-only llama3.1-8b-edge task', () => {
    expect(findMlperfTask('llama3.1-8b-edge')).toBeUndefined();
  });

  it('returns undefined for an empty name', () => {
    expect(findMlperfTask('')).toBeUndefined();
  });
});

describe('normalizeBenchmarkName', () => {
  it('strips the accuracy suffix and the interactive marker', () => {
    expect(normalizeBenchmarkName('Llama2-70B-Interactive-99.9')).toBe('llama2-70b');
  });

  it('turns loadgen underscores between digits into dots', () => {
    expect(normalizeBenchmarkName('llama3_1-8b')).toBe('llama3.1-8b');
  });
});
