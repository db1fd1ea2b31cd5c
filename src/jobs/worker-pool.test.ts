import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { AifError, ERROR_CODES } from '../core/errors.js';
import { describeExecutorConformance, TINY_SIM_FIXTURE } from './executor-conformance.js';
import { createWorkerPoolExecutor, workerExecArgv } from './worker-pool.js';

const tinyScenario = (): unknown => parseYaml(readFileSync(TINY_SIM_FIXTURE, 'utf8'));

describeExecutorConformance('worker-pool(1)', () => createWorkerPoolExecutor({ threads: 1 }));
describeExecutorConformance('worker-pool(2)', () => createWorkerPoolExecutor({ threads: 2 }));

describe('worker-pool executor', () => {
  it('fails a job whose onProgress throws with that error', async () => {
    const executor = createWorkerPoolExecutor({ threads: 1 });
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

  const loader = 'file:///x/node_modules/tsx/dist/loader.mjs';

  it('adds the tsx loader to execArgv when the process runs without it (vitest, tsx API)', () => {
    expect(workerExecArgv(['--conditions', 'node'], loader)).toEqual([
      '--conditions',
      'node',
      '--import',
      loader,
    ]);
  });

  it('keeps execArgv as it is when the process already imports tsx (tsx CLI)', () => {
    const tsxCli = ['--require', '/x/preflight.cjs', '--import', loader];
    expect(workerExecArgv(tsxCli, loader)).toEqual(tsxCli);
    expect(workerExecArgv(['--import=tsx'], loader)).toEqual(['--import=tsx']);
  });

  it('refuses a thread count that is not a positive integer', () => {
    for (const threads of [0, 1.5, -2]) {
      try {
        createWorkerPoolExecutor({ threads });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AifError);
        expect((e as AifError).code).toBe(ERROR_CODES.INVALID_ARGUMENT);
      }
    }
  });
});
