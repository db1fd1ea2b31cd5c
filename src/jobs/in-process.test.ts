import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { describeExecutorConformance, TINY_SIM_FIXTURE } from './executor-conformance.js';
import { createInProcessExecutor } from './in-process.js';
import { JobCancelledError } from './types.js';

const tinyScenario = (): unknown => parseYaml(readFileSync(TINY_SIM_FIXTURE, 'utf8'));

describeExecutorConformance('in-process', () => createInProcessExecutor());

describe('in-process executor', () => {
  it('discards a result finished after an abort (the abort comes with the last progress event)', async () => {
    const executor = createInProcessExecutor();
    const controller = new AbortController();
    const job = { kind: 'estimate', payload: { scenario: tinyScenario() } };
    const seen: number[] = [];
    const outcome = executor.submit(job, {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.fraction);
        if (p.fraction === 1) controller.abort();
      },
    });
    await expect(outcome).rejects.toBeInstanceOf(JobCancelledError);
    expect(seen.at(-1)).toBe(1);
    await executor.close();
  });

  it('fails a job whose onProgress throws with that error', async () => {
    const executor = createInProcessExecutor();
    const job = { kind: 'estimate', payload: { scenario: tinyScenario() } };
    const boom = new Error('progress sink failed');
    await expect(
      executor.submit(job, {
        onProgress: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
    await executor.close();
  });
});
