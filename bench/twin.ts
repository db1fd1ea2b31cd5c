/**
 * Speed of the serving twin (DESIGN §5 "Speed"), measured through `simulateScenario` — the
 * `aifactory run` path with its metrics, power, utilization and time series — so the figures
 * are what users get. Two cases:
 *
 * 1. Vidur-like: 10,000 requests with Azure LLM inference 2023 conversation lengths on 4
 *    replicas of a 7–8B dense model on H100. Vidur (microsoft/vidur) needs about 11 s for its
 *    simulation loop on a 2-core machine for such a run; the target is ≥ 50× faster (≤ 0.22 s).
 *    The catalog has no Llama-2-7B, so this uses Llama-3.1-8B (the closest 7–8B dense model;
 *    GQA with 8 KV heads where Llama-2-7B has 32, so 4× less KV per token and larger batches).
 * 2. Fleet-hour: one simulated hour of 1,000 replicas of Llama-3.1-70B fp8 at tp8 on H100
 *    (8,000 GPUs) serving coding-agent sessions with session-affinity routing and prefix
 *    caching; the target is < 60 s wall and < 4 GB peak memory on 2 cores.
 *
 * Prints figures; asserts nothing (timings belong here, not in tests).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { simulateScenario, type SimResult } from '../src/app/simulate.js';
import type { Catalog } from '../src/catalog/catalog.js';
import { BUILTIN_CALIBRATION } from '../src/perf/calibration-data.js';
import type { Scenario } from '../src/scenario/index.js';
import { CODING_AGENT_SESSION } from '../src/sim/workload/index.js';

/** Vidur's simulation loop for case 1 on a 2-core machine, seconds (the brief's figure). */
const VIDUR_LOOP_SECONDS = 11;
const CASE1_REQUESTS = 10_000;
/** Offered load of case 1 as a share of the fleet's saturated throughput. */
const CASE1_LOAD_SHARE = 0.8;
/**
 * Coding-agent sessions per second for case 2: 0.015 per replica. Sessions last about two
 * hours (mean 68 calls × mean 112 s think time), so the fleet fills up over the hour; at this
 * rate about 40 sessions per replica are alive at the end, whose contexts (~80k tokens each
 * at that age) fill the replica's KV cache (3.3 M tokens): the fleet ends the hour with its
 * HBM full of live agent contexts. (At 0.03 per replica the KV cache thrashes.) The bench
 * prints the sessions alive per replica at the end.
 */
const CASE2_SESSIONS_PER_SECOND = 15;
const CASE2_REPLICAS = 1000;
const CASE2_SECONDS = 3600;
const CASE2_BLOCK_TOKENS = 16;

const run = (scenario: Scenario, catalog: Catalog, onProgress?: () => void): SimResult =>
  simulateScenario(scenario, catalog, BUILTIN_CALIBRATION, {
    toolVersion: 'bench',
    ...(onProgress ? { onProgress } : {}),
  });

const azureChat = (arrivals: Record<string, unknown>) => ({
  name: 'azure-conversation',
  kind: 'request' as const,
  arrivals,
  // Azure LLM inference trace 2023, conversation (reference/workloads-and-metrics.md)
  inputTokens: { dist: 'lognormal' as const, median: 1020, p90: 2734 },
  outputTokens: { dist: 'lognormal' as const, median: 129, p90: 424 },
  slo: {},
});

const llama8bFleet = {
  name: 'llama8b-h100',
  model: 'llama-3.1-8b',
  system: 'hgx-h100-8gpu',
  precision: 'bf16',
  parallelism: { tp: 1 },
  replicas: 4,
  engine: { name: 'vllm' },
  router: 'least-outstanding-tokens',
};

function case1Scenario(ratePerSecond: number): Scenario {
  return {
    name: 'bench: 10k Azure conversation requests on 4 replicas',
    seed: 1,
    deployments: [llama8bFleet],
    workload: { classes: [azureChat({ process: 'poisson', requestsPerSecond: ratePerSecond })] },
    simulation: { durationSeconds: CASE1_REQUESTS / ratePerSecond, warmupSeconds: 10 },
  } as unknown as Scenario;
}

/** Requests per second the 4 replicas complete when every one is always busy (closed loop). */
function saturatedThroughput(catalog: Catalog): number {
  const scenario = {
    name: 'bench: saturated 4 replicas',
    seed: 1,
    deployments: [llama8bFleet],
    workload: { classes: [azureChat({ process: 'closed-loop', concurrency: 4 * 1024 })] },
    simulation: { durationSeconds: 150, warmupSeconds: 30 },
  } as unknown as Scenario;
  return run(scenario, catalog).deployments[0]!.metrics.total.completedRequestsPerSecond;
}

/** Case 2 at `replicas` replicas (default 1,000), the session rate scaled with them. */
export function case2Scenario(replicas = CASE2_REPLICAS): Scenario {
  return {
    name: 'bench: coding-agent fleet hour',
    seed: 1,
    deployments: [
      {
        name: 'llama70b-fp8-tp8',
        model: 'llama-3.1-70b',
        system: 'hgx-h100-8gpu',
        precision: 'fp8',
        parallelism: { tp: 8 },
        replicas,
        engine: { name: 'vllm', prefixCaching: true, blockSize: CASE2_BLOCK_TOKENS },
        router: 'session-affinity',
      },
    ],
    workload: {
      classes: [
        {
          name: 'coding-agent',
          kind: 'agent-session',
          arrivals: {
            process: 'poisson',
            sessionsPerSecond: (CASE2_SESSIONS_PER_SECOND * replicas) / CASE2_REPLICAS,
          },
          // The published-trace session compacts at 235k prompt tokens (a 200k+ window);
          // Llama 3.1 70B's window is 131,072 tokens, and the twin rejects longer calls as
          // vLLM does, so this fleet compacts below it (an assumption of the benchmark).
          session: {
            ...CODING_AGENT_SESSION,
            compaction: { ...CODING_AGENT_SESSION.compaction!, thresholdTokens: 120_000 },
          },
          slo: { ttftP99Seconds: 10 },
        },
      ],
    },
    simulation: { durationSeconds: CASE2_SECONDS, warmupSeconds: 600 },
  } as unknown as Scenario;
}

/** Peak resident set of this process so far, bytes (Linux VmHWM; undefined elsewhere). */
function peakRssBytes(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

const line = (label: string, value: string): void => console.log(`${label.padEnd(52)} ${value}`);
const fmt = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Median wall time of `reps` runs after one warm-up, and the last result. */
function timed(
  reps: number,
  fn: () => SimResult,
): { ms: number; coldMs: number; result: SimResult } {
  let t0 = performance.now();
  let result = fn();
  const coldMs = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, coldMs, result };
}

export function benchTwin(catalog: Catalog): void {
  // Case 1.
  const capacity = saturatedThroughput(catalog);
  const rate = Math.round(CASE1_LOAD_SHARE * capacity);
  const c1 = timed(5, () => run(case1Scenario(rate), catalog));
  const d1 = c1.result.deployments[0]!;
  const k1 = d1.counters;
  line(
    'twin case 1: 10k Azure conv. requests, 4× Llama-3.1-8B',
    `${fmt(c1.ms, 1)} ms per run (median of 5; first run ${fmt(c1.coldMs, 0)} ms)`,
  );
  line(
    '  offered load',
    `${rate} req/s Poisson = ${fmt(100 * CASE1_LOAD_SHARE)} % of the ${fmt(capacity, 1)} req/s the 4 replicas complete saturated`,
  );
  line(
    '  simulated',
    `${fmt(k1.numArrivals)} requests (${fmt(k1.numCompleted)} completed) in ${fmt(c1.result.simulation.durationSeconds, 1)} s; ` +
      `${fmt(k1.numIterations)} iterations (${fmt(k1.numJumpedIterations)} in decode jumps), ${fmt(k1.numEvents)} events`,
  );
  line(
    '  speed',
    `${fmt(k1.numIterations / (c1.ms / 1000))} iterations/s; ${fmt((VIDUR_LOOP_SECONDS * 1000) / c1.ms, 0)}× Vidur's ~${VIDUR_LOOP_SECONDS} s loop (target ≥ 50×)`,
  );
  line(
    '  served',
    `TTFT p50 ${fmt(d1.metrics.total.ttft.p50Seconds! * 1000, 0)} ms / p99 ${fmt(d1.metrics.total.ttft.p99Seconds! * 1000, 0)} ms, TPOT p50 ${fmt(d1.metrics.total.tpot.p50Seconds! * 1000, 1)} ms`,
  );

  // Case 2: one run (it is the long one); peak memory sampled while it runs.
  let peakSampled = process.memoryUsage().rss;
  const sample = () => {
    peakSampled = Math.max(peakSampled, process.memoryUsage().rss);
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r2 = run(case2Scenario(), catalog, sample);
  const ms2 = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  sample();
  const d2 = r2.deployments[0]!;
  const k2 = d2.counters;
  const vmHwm = peakRssBytes();
  line(
    'twin case 2: fleet hour, 1,000× Llama-3.1-70B tp8',
    `${fmt(ms2 / 1000, 1)} s wall (${fmt((cpu.user + cpu.system) / 1e6, 1)} s CPU; target < 60 s)`,
  );
  line(
    '  offered load',
    `${CASE2_SESSIONS_PER_SECOND} coding-agent sessions/s Poisson (${CASE2_SESSIONS_PER_SECOND / CASE2_REPLICAS} per replica), session affinity, prefix caching`,
  );
  line(
    '  simulated',
    `${fmt(k2.numArrivals)} requests (${fmt(k2.numCompleted)} completed), ${fmt(k2.numEvents)} events, ` +
      `${fmt(k2.numIterations)} iterations (${fmt((100 * k2.numJumpedIterations) / Math.max(1, k2.numIterations), 1)} % in decode jumps)`,
  );
  const sessions = d2.workload.classes[0]!.counters;
  const alive = (sessions.sessionsStarted ?? 0) - (sessions.sessionsFinished ?? 0);
  line(
    '  served',
    `KV hit ${fmt(100 * (d2.kvCache.hitRate ?? 0), 1)} %, TTFT p50 ${fmt(d2.metrics.total.ttft.p50Seconds! * 1000, 0)} ms / p99 ${fmt(d2.metrics.total.ttft.p99Seconds!, 1)} s; ` +
      `${fmt(alive / CASE2_REPLICAS, 1)} sessions alive per replica at the end (KV cache ${fmt((d2.kvBlocksPerReplica * CASE2_BLOCK_TOKENS) / 1e6, 1)} M tokens per replica)`,
  );
  line(
    '  peak memory',
    `${fmt(peakSampled / 2 ** 20)} MiB RSS sampled during the run` +
      (vmHwm !== undefined ? `, ${fmt(vmHwm / 2 ** 20)} MiB process peak (VmHWM)` : '') +
      ' (target < 4 GB)',
  );
}
