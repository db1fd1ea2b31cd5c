/**
 * Sweep throughput (docs/sweeps.md "Speed"): simulations per minute of a fixed sweep — the
 * grid of `examples/sweep-chat-h100.yaml` at 300 simulated seconds per point and two seeds,
 * 16 points — on the in-process executor and on worker-thread pools of 1 and 2 threads. Each
 * executor first runs one warm-up job per thread (thread start and module loading under tsx,
 * printed as "start"), then the whole sweep through `runSweep` three times; the median is
 * printed. The sweep JSON must be byte-identical across executors (checked and printed).
 *
 * `npx tsx bench/sweep.ts` runs it alone; `npm run bench` runs it last. Prints figures;
 * asserts nothing (timings belong here, not in tests).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parse as parseYaml } from 'yaml';
import { engineVersion } from '../src/app/engine-version.js';
import { defaultCatalog } from '../src/catalog/catalog.js';
import { createInProcessExecutor } from '../src/jobs/in-process.js';
import type { Executor } from '../src/jobs/types.js';
import { createWorkerPoolExecutor } from '../src/jobs/worker-pool.js';
import { BUILTIN_CALIBRATION } from '../src/perf/calibration-data.js';
import { prepareSweep } from '../src/sweep/points.js';
import { runSweep } from '../src/sweep/run.js';
import { parseSweepSpecYaml } from '../src/sweep/spec.js';

const SPEC = 'examples/sweep-chat-h100.yaml';
/** Sweeps per executor; the median is printed. */
const REPEATS = 3;

export async function benchSweep(): Promise<void> {
  const catalog = defaultCatalog();
  // The example's grid, longer: 300 simulated seconds per point and two seeds (16 points).
  const text = readFileSync(SPEC, 'utf8')
    .replace(
      '{ durationSeconds: 60, warmupSeconds: 10 }',
      '{ durationSeconds: 300, warmupSeconds: 30 }',
    )
    .replace('axes:\n', 'axes:\n  - { path: seed, values: [1, 2] }\n');
  const spec = parseSweepSpecYaml(text, SPEC);
  const base: unknown = parseYaml(readFileSync(`examples/${spec.baseFile!}`, 'utf8'));
  const prep = prepareSweep(spec, base, {
    engineVersion: engineVersion(catalog, BUILTIN_CALIBRATION),
    catalog,
  });
  const configs: [string, number, () => Executor][] = [
    ['in-process', 1, createInProcessExecutor],
    ['worker threads × 1', 1, () => createWorkerPoolExecutor({ threads: 1 })],
    ['worker threads × 2', 2, () => createWorkerPoolExecutor({ threads: 2 })],
  ];
  const hashes = new Set<string>();
  const warmUp = {
    kind: 'simulate',
    payload: { scenario: { ...prep.base, simulation: { durationSeconds: 5, warmupSeconds: 1 } } },
  };
  console.log(
    `sweep ${SPEC} at 300 simulated s per point × seeds 1, 2 (grid), median of ${REPEATS} runs per executor`,
  );
  for (const [label, threads, make] of configs) {
    const t0 = performance.now();
    const executor = make();
    // Warm-up: one short simulation per thread starts the threads and loads the modules.
    await Promise.all(Array.from({ length: threads }, () => executor.submit(warmUp)));
    const startMs = performance.now() - t0;
    const times: number[] = [];
    let points = 0;
    for (let k = 0; k < REPEATS; k++) {
      const t1 = performance.now();
      const result = await runSweep(
        prep,
        (ps) =>
          Promise.all(
            ps.map((p) =>
              executor.submit({
                kind: 'simulate',
                payload: { scenario: p.scenario, seed: p.seed },
              }),
            ),
          ),
        { catalog },
      );
      times.push(performance.now() - t1);
      points = result.counts.points;
      hashes.add(createHash('sha256').update(JSON.stringify(result)).digest('hex'));
    }
    await executor.close();
    const ms = [...times].sort((a, b) => a - b)[Math.floor(REPEATS / 2)]!;
    console.log(
      `  ${label.padEnd(20)} start ${(startMs / 1000).toFixed(2)} s; ${points} points in ${(ms / 1000).toFixed(2)} s = ${((points * 60_000) / ms).toFixed(0)} simulations/min`,
    );
  }
  console.log(`  sweep JSON identical across executors: ${hashes.size === 1 ? 'yes' : 'NO'}`);
}

if (process.argv[1]?.endsWith('bench/sweep.ts')) await benchSweep();
