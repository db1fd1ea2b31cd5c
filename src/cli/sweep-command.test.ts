import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { runJobToJson } from '../jobs/handlers.js';
import type { Executor, JobOutcome, JobSpec } from '../jobs/types.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/types.js';
import type { SweepResult } from '../sweep/run.js';
import { reportError, runCli } from './program.js';
import { memoryIo } from './test-support.js';
import { addSweepCommand, type SweepCommandDeps } from './sweep-command.js';

const CHAT = readFileSync('examples/chat-fleet-h100.yaml', 'utf8');

/** A two-point grid: H100 vs H200, 10 simulated seconds each. */
const SPEC = `name: tiny sweep
baseFile: chat.yaml
seed: 4
axes:
  - path: simulation
    values: [{ durationSeconds: 10, warmupSeconds: 2 }]
  - path: deployments.0.system
    values: [hgx-h100-8gpu, hgx-h200-8gpu]
strategy: { kind: grid }
objective: { maximize: goodputTokensPerUsd }
constraints: [{ metric: ttftP99Seconds, max: 2 }]
`;

/** Jobs run on this thread, but finish in the reverse of the order they were submitted. */
function reversingExecutor(log: JobSpec[] = []): Executor {
  let queue: { job: JobSpec; resolve: (o: JobOutcome) => void; reject: (e: unknown) => void }[] =
    [];
  return {
    name: 'reversing',
    submit(job) {
      log.push(job);
      return new Promise<JobOutcome>((resolve, reject) => {
        queue.push({ job, resolve, reject });
        if (queue.length === 1)
          setImmediate(() => {
            const batch = queue.reverse();
            queue = [];
            for (const t of batch) {
              try {
                t.resolve({ resultJson: runJobToJson(t.job, { reportProgress: () => undefined }) });
              } catch (e) {
                t.reject(e);
              }
            }
          });
      });
    },
    close: async () => undefined,
  };
}

/** Run `aifactory sweep …` in memory with the given parts. */
async function sweep(args: string[], files: Record<string, string>, deps: SweepCommandDeps = {}) {
  const m = memoryIo(files);
  const program = new Command().exitOverride();
  program.configureOutput({ writeOut: m.io.stdout, writeErr: m.io.stderr });
  addSweepCommand(program, m.io, () => new Option('--catalog <file>', 'catalog extension'), {
    nowIso: () => '2026-01-01T00:00:00.000Z',
    ...deps,
  });
  let code = 0;
  try {
    await program.parseAsync(['sweep', ...args], { from: 'user' });
  } catch (e) {
    code = reportError(e, m.io);
  }
  return { ...m, code };
}

const FILES = { 'dir/spec.yaml': SPEC, 'dir/chat.yaml': CHAT };

describe('aifactory sweep', () => {
  it('is a command of the aifactory program', async () => {
    const m = memoryIo(FILES);
    expect(await runCli(['sweep', 'dir/spec.yaml', '--workers', '0', '--json'], m.io)).toBe(0);
    expect((JSON.parse(m.out()) as SweepResult).name).toBe('tiny sweep');
  });

  it('prints the summary, writes the JSON, and resolves baseFile next to the spec', async () => {
    const r = await sweep(['dir/spec.yaml', '--workers', '0'], FILES);
    expect(r.err()).toBe('');
    expect(r.code).toBe(0);
    const out = r.out();
    for (const s of [
      'Sweep tiny sweep — grid, 2 points',
      'executor     in-process',
      'every point  simulation =',
      'chosen: deployments.0.system = ',
      'Pareto set:',
    ])
      expect(out).toContain(s);
    const [path, text] = [...r.written.entries()][0]!;
    expect(path).toMatch(/^\.aifactory\/sweeps\/tiny-sweep-[0-9a-f]{12}\.json$/);
    const result = JSON.parse(text) as SweepResult;
    expect(result.kind).toBe('aifactory.sweep');
    expect(result.points).toHaveLength(2);
    expect(out).toContain(`JSON written to ${path}`);
  });

  it('prints the basis the points share under the table, and per metric the fields that vary', async () => {
    const r = await sweep(['dir/spec.yaml', '--workers', '0'], FILES);
    const out = r.out();
    const result = JSON.parse([...r.written.values()][0]!) as SweepResult;
    expect(out).toContain(
      '  basis, every point: model llama-3.1-70b · precision fp8 · workload chat · slo TTFT p99 ≤ 450 ms, TPOT p99 ≤ 40 ms · provenance modeled\n',
    );
    // H100 vs H200: the hardware changes the calibration, named in the source.
    for (const m of ['goodputTokensPerUsd', 'ttftP99Seconds', 'costUsdPerMillionOutputTokens']) {
      const b = result.basis[m]!;
      expect(b.points).toBe(2);
      expect(b.varies).toContain('source');
      const line = out.split('\n').find((l) => l.startsWith(`    ${m} `))!;
      expect(line, m).toMatch(new RegExp(`varies over points: ${b.varies.join(', ')}$`));
    }
    expect(out).toMatch(
      /^ {4}goodputTokensPerUsd .*boundary facility · currencyYear USD-2026 · energyPriceUsdPerKwh 0\.0892 USD\/kWh /m,
    );
    expect(out).toMatch(/^ {4}ttftP99Seconds .*boundary n\/a · currencyYear n\/a /m);
    expect(result.basis.goodputTokensPerUsd!.common.currencyYear).toBe('USD-2026');
    expect(result.basis.ttftP99Seconds!.common.model).toBe('llama-3.1-70b');
  });

  it('flags metrics whose points differ in currency-year and ranks none of them', async () => {
    const spec = SPEC.replace(
      '  - path: deployments.0.system\n    values: [hgx-h100-8gpu, hgx-h200-8gpu]',
      '  - path: economics.currencyYear\n    values: [USD-2025, USD-2026]',
    );
    const r = await sweep(['dir/spec.yaml', '--workers', '0'], { ...FILES, 'dir/spec.yaml': spec });
    expect(r.err()).toBe('');
    const out = r.out();
    expect(out).toMatch(
      /^ {4}goodputTokensPerUsd .*varies over points: currencyYear — NOT COMPARABLE \(currencyYear differ\): not ranked$/m,
    );
    expect(out).toMatch(/^ {4}ttftP99Seconds .*same at every point$/m);
    expect(out).toContain(
      "chosen: none — refused: the feasible points' goodputTokensPerUsd values are not comparable: their bases differ in currencyYear (USD-2025 vs USD-2026)",
    );
    expect(out).toContain('Pareto set: refused — ');
  });

  it('gives the same JSON in this thread and on an executor that finishes jobs out of order', async () => {
    const a = await sweep(['dir/spec.yaml', '--workers', '0', '--json'], FILES);
    const jobs: JobSpec[] = [];
    const b = await sweep(['dir/spec.yaml', '--json'], FILES, {
      createWorkerPool: () => reversingExecutor(jobs),
    });
    expect(b.code).toBe(0);
    expect(b.out()).toBe(a.out());
    // Each job carries the point's whole scenario and seed.
    expect(jobs).toHaveLength(2);
    expect(jobs[0]!.kind).toBe('simulate');
    const payload = jobs[0]!.payload as {
      scenario: { deployments: { system: string }[]; seed: number };
      seed: number;
    };
    expect(payload.seed).toBe(4);
    expect(payload.scenario.seed).toBe(4);
    expect(payload.scenario.deployments[0]!.system).toBe('hgx-h100-8gpu');
  });

  it('starts no more worker threads than the batch has points, unless told', async () => {
    const asked: number[] = [];
    const make = (threads: number) => (asked.push(threads), reversingExecutor());
    await sweep(['dir/spec.yaml'], FILES, { createWorkerPool: make, defaultWorkers: () => 16 });
    await sweep(['dir/spec.yaml', '--workers', '3'], FILES, { createWorkerPool: make });
    expect(asked).toEqual([2, 3]);
  });

  it('points at a bad axis value in the spec and exits 2', async () => {
    const bad = SPEC.replace('[hgx-h100-8gpu, hgx-h200-8gpu]', '[hgx-h100-8gpu, hgx-h900-8gpu]');
    const r = await sweep(['dir/spec.yaml', '--workers', '0'], { ...FILES, 'dir/spec.yaml': bad });
    expect(r.code).toBe(2);
    expect(r.err()).toMatch(/dir\/spec\.yaml:8:\d+ axes\.1\.values\.1: .*hgx-h900-8gpu/);
    expect(r.written.size).toBe(0);
  });

  it('records a point that cannot be simulated as failed and goes on', async () => {
    // Llama 3.1 405B in fp8 on tp4 H100s: 101 GB of weights per GPU, more than its 80 GB.
    const spec = SPEC.replace(
      '  - path: deployments.0.system\n    values: [hgx-h100-8gpu, hgx-h200-8gpu]',
      '  - path: deployments.0.model\n    values: [llama-3.1-70b, llama-3.1-405b]',
    );
    const r = await sweep(['dir/spec.yaml', '--workers', '0', '--json'], {
      ...FILES,
      'dir/spec.yaml': spec,
    });
    expect(r.err()).toBe('');
    const result = JSON.parse(r.out()) as SweepResult;
    expect(result.counts.failed).toBe(1);
    const failed = result.points.find((p) => p.error)!;
    expect(failed.assignments[1]!.value).toBe('llama-3.1-405b');
    expect(failed.feasible).toBe(false);
  });

  it('runs a batch through a queue executor’s settled batch call', async () => {
    const inner = reversingExecutor();
    let batches = 0;
    const queue = {
      name: 'bullmq(fake)',
      submit: inner.submit,
      close: inner.close,
      async submitBatchSettled(jobs: readonly JobSpec[]) {
        batches++;
        return Promise.allSettled(jobs.map((j) => inner.submit(j)));
      },
    };
    let url = '';
    const r = await sweep(['dir/spec.yaml', '--queue', 'redis://q:6379'], FILES, {
      createQueue: (u) => ((url = u), queue),
    });
    expect(r.code).toBe(0);
    expect(url).toBe('redis://q:6379');
    expect(batches).toBe(1);
    expect(r.out()).toContain('executor     bullmq(fake)');
    const both = await sweep(['dir/spec.yaml', '--queue', 'redis://q', '--workers', '2'], FILES);
    expect(both.code).toBe(2);
    expect(both.err()).toContain('give --queue or --workers, not both');
  });

  it('keeps points and the sweep in the store, and reads stored results back instead of simulating', async () => {
    const store = openSqliteStore(':memory:');
    const kept: Store = { ...store, close: () => undefined };
    const first = await sweep(
      ['dir/spec.yaml', '--workers', '0', '--json', '--db', 'x.db'],
      FILES,
      {
        openStore: () => kept,
      },
    );
    expect(first.code).toBe(0);
    const runs = store.listRuns();
    expect(runs.filter((r) => r.kind === 'sweep-point' && r.status === 'done')).toHaveLength(2);
    const sweepRun = runs.find((r) => r.kind === 'sweep')!;
    expect(sweepRun.status).toBe('done');
    expect(store.getRun(sweepRun.id)!.resultJson).toBe(first.out());
    expect(sweepRun.seed).toBe(4);

    let submitted = 0;
    const second = await sweep(['dir/spec.yaml', '--json', '--db', 'x.db'], FILES, {
      openStore: () => kept,
      createWorkerPool: () => (submitted++, reversingExecutor()),
    });
    expect(submitted).toBe(0);
    expect(second.out()).toBe(first.out());
    store.close();
  });
});
