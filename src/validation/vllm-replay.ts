/**
 * `validate vllm-trace` with the serving twin: replay a real vLLM run (a directory shaped like
 * ../shared/reference/vllm-traces/<gpu>_<model>: requests.jsonl, meta.json, timeseries.csv) —
 * its arrivals and lengths into one simulated replica with the run's engine settings, model and
 * GPU — and compare every request's TTFT, TPOT and E2E, and the per-second output-token
 * timeline, with what the engine measured.
 *
 * Definitions follow the reference README and DESIGN §3: TTFT = first_token_ts − queued_ts,
 * TPOT = (last_token_ts − first_token_ts)/(output − 1), E2E = last_token_ts − queued_ts, all on
 * the engine's monotonic clock; arrivals are queued_ts relative to the first. The KV pool is
 * the engine's logged `num_gpu_blocks` when the run states it (the engine's own capacity; the
 * analytical memory model's estimate is compared separately by `vllmTraceCase`).
 */
import type { Catalog } from '../catalog/catalog.js';
import { mean, quantile } from '../core/stats.js';
import type { CalibrationTable } from '../perf/calibration.js';
import { createKvCacheManager } from '../sim/kv/index.js';
import { createStepModel } from '../sim/step-model.js';
import { runTwin } from '../sim/twin.js';
import type { FollowUp, Router, SimRequest, WorkloadSource } from '../sim/types.js';
import {
  vllmRunDeployment,
  type VllmRunHardware,
  type VllmTraceMeta,
  type VllmTraceRequest,
  type VllmTraceTick,
} from './vllm-trace.js';

export interface ReplayRequest {
  request_id: string;
  simTtftMs: number;
  simTpotMs: number;
  simE2eMs: number;
  realTtftMs: number;
  realTpotMs: number;
  realE2eMs: number;
}

/** Mean, p50 and p90 of per-request signed relative error (%) and of its absolute value. */
export interface ErrorStats {
  meanSim: number;
  meanReal: number;
  /** (mean sim − mean real) / mean real, %. */
  errorOfMeanPct: number;
  /** Per-request |sim − real| / real, %. */
  meanAbsPct: number;
  p50AbsPct: number;
  p90AbsPct: number;
}

export interface ReplaySummary {
  name: string;
  requests: number;
  ttftMs: ErrorStats;
  tpotMs: ErrorStats;
  e2eMs: ErrorStats;
  /** Per-second output tokens, sim vs timeseries.csv gen_throughput. */
  throughputTimeline?: {
    seconds: number;
    /** Σ|sim − real| / Σ real over the ticks (normalised mean absolute error), %. */
    nmaePct: number;
    meanSimTokensPerSecond: number;
    meanRealTokensPerSecond: number;
  };
  simMakespanSeconds: number;
  realMakespanSeconds: number;
  simPreemptions: number;
  simIterations: number;
  basis: {
    model: string;
    accelerator: string;
    tp: number;
    maxNumSeqs: number;
    maxNumBatchedTokens: number;
    kvBlocks: number;
    kvBlocksSource: string;
    memoryBandwidthGbPerSecond: number;
    memoryBandwidthSource: string;
    calibration: string;
    /** The calibration entry was fitted on this very run (in-sample, not a held-out check). */
    calibrationFittedOnThisRun: boolean;
    method: string;
  };
}

export type ReplayResult =
  | { requests: ReplayRequest[]; summary: ReplaySummary }
  | { name: string; skipped: true; reason: string };

const errorStats = (sim: number[], real: number[]): ErrorStats => {
  const abs = sim.map((s, i) => (100 * Math.abs(s - real[i]!)) / real[i]!);
  const ms = mean(sim);
  const mr = mean(real);
  return {
    meanSim: ms,
    meanReal: mr,
    errorOfMeanPct: (100 * (ms - mr)) / mr,
    meanAbsPct: mean(abs),
    p50AbsPct: quantile(abs, 0.5),
    p90AbsPct: quantile(abs, 0.9),
  };
};

/** Replay a vLLM run through the twin. Deterministic (no randomness is drawn). */
export function replayVllmTrace(
  name: string,
  meta: VllmTraceMeta,
  rows: readonly (VllmTraceRequest & { request_id?: string })[],
  catalog: Catalog,
  table: CalibrationTable,
  gpuHint: string,
  ticks: readonly VllmTraceTick[] = [],
  hardware?: VllmRunHardware,
): ReplayResult {
  const skip = (reason: string): ReplayResult => ({ name, skipped: true, reason });
  if (rows.length < 2) return skip('fewer than two requests');
  const run = vllmRunDeployment(meta, catalog, table, gpuHint, hardware);
  if ('reason' in run) return skip(run.reason);
  const engine = run.prepared.deployment.engine;
  const logged = meta.kv_cache?.num_gpu_blocks ?? undefined;
  const kvBlocks = logged ?? run.memory.kvBlocksPerRank;

  const order = rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.queued_ts - b.r.queued_ts || a.i - b.i);
  const t0 = order[0]!.r.queued_ts;
  const requests: SimRequest[] = order.map(({ r, i }) => ({
    id: i,
    classIndex: 0,
    arrivalSeconds: r.queued_ts - t0,
    promptTokens: r.input_toks,
    outputTokens: r.output_toks,
    segments: [{ contentId: i, tokens: r.input_toks }],
    priority: 0,
  }));
  let next = 0;
  const workload: WorkloadSource = {
    peekSeconds: () => requests[next]?.arrivalSeconds,
    next: () => requests[next++],
    onComplete: (): FollowUp[] => [],
  };
  const only: Router = { name: 'single-replica', route: (_r, f) => (f.load(0).up ? 0 : -1) };
  const realEnd = Math.max(...rows.map((r) => r.last_token_ts)) - t0;
  const sim = new Map<number, { ttft: number; tpot: number; e2e: number; first: number }>();
  const scheduler = {
    maxNumSeqs: engine.maxNumSeqs,
    maxNumBatchedTokens: engine.maxNumBatchedTokens,
    chunkedPrefill: engine.chunkedPrefill,
    kvAdmission: engine.kvAdmission ?? ('prompt' as const),
  };
  let simEnd = 0;
  const counters = runTwin({
    numReplicas: 1,
    scheduler,
    createKvCache: () =>
      createKvCacheManager({
        numTotalBlocks: kvBlocks,
        blockSizeTokens: engine.blockSizeTokens,
        prefixCaching: false,
      }),
    stepModel: createStepModel(run.prepared, run.calibration.params),
    router: only,
    workload,
    // Long enough for any plausible replay; the loop ends when the last request finishes.
    durationSeconds: 20 * realEnd + 600,
    seed: 0,
    observer: {
      onCompletion(seq, finish) {
        const r = seq.request;
        const first = seq.firstTokenSeconds!;
        simEnd = Math.max(simEnd, finish);
        sim.set(r.id, {
          ttft: first - r.arrivalSeconds,
          tpot: r.outputTokens > 1 ? (finish - first) / (r.outputTokens - 1) : 0,
          e2e: finish - r.arrivalSeconds,
          first,
        });
      },
    },
  });

  const out: ReplayRequest[] = [];
  rows.forEach((r, i) => {
    const s = sim.get(i);
    if (!s) return;
    out.push({
      request_id: r.request_id ?? String(i),
      simTtftMs: s.ttft * 1e3,
      simTpotMs: s.tpot * 1e3,
      simE2eMs: s.e2e * 1e3,
      realTtftMs: (r.first_token_ts - r.queued_ts) * 1e3,
      realTpotMs:
        r.output_toks > 1 ? ((r.last_token_ts - r.first_token_ts) / (r.output_toks - 1)) * 1e3 : 0,
      realE2eMs: (r.last_token_ts - r.queued_ts) * 1e3,
    });
  });
  if (out.length < rows.length)
    return skip(`the twin finished ${out.length} of ${rows.length} requests`);
  const withTpot = out.filter((x) => x.realTpotMs > 0 && x.simTpotMs > 0);

  let timeline: ReplaySummary['throughputTimeline'];
  if (ticks.length > 0) {
    // Spread each request's output tokens evenly between its first and last token (sim side),
    // and compare with the engine's per-second generation counter.
    const simTicks = new Array<number>(ticks.length).fill(0);
    // Ticks are counted from the first arrival (the engine's counters start with the run).
    for (const [id, s] of sim) {
      const outputTokens = rows[id]!.output_toks;
      spread(simTicks, s.first, s.first + s.tpot * (outputTokens - 1), outputTokens);
    }
    let absErr = 0;
    let real = 0;
    ticks.forEach((t, i) => {
      absErr += Math.abs(simTicks[i]! - t.gen_throughput);
      real += t.gen_throughput;
    });
    timeline = {
      seconds: ticks.length,
      nmaePct: (100 * absErr) / real,
      meanSimTokensPerSecond: mean(simTicks),
      meanRealTokensPerSecond: real / ticks.length,
    };
  }

  return {
    requests: out,
    summary: {
      name,
      requests: out.length,
      ttftMs: errorStats(
        out.map((x) => x.simTtftMs),
        out.map((x) => x.realTtftMs),
      ),
      tpotMs: errorStats(
        withTpot.map((x) => x.simTpotMs),
        withTpot.map((x) => x.realTpotMs),
      ),
      e2eMs: errorStats(
        out.map((x) => x.simE2eMs),
        out.map((x) => x.realE2eMs),
      ),
      ...(timeline ? { throughputTimeline: timeline } : {}),
      simMakespanSeconds: simEnd,
      realMakespanSeconds: realEnd,
      simPreemptions: counters.numPreemptions,
      simIterations: counters.numIterations,
      basis: {
        model: run.model.id,
        accelerator: run.accelerator.id,
        tp: meta.engine_kwargs.tensor_parallel_size,
        maxNumSeqs: engine.maxNumSeqs,
        maxNumBatchedTokens: engine.maxNumBatchedTokens,
        kvBlocks,
        kvBlocksSource: logged
          ? 'meta.json kv_cache.num_gpu_blocks (the engine log)'
          : 'analytical memory model (the run does not log its blocks)',
        memoryBandwidthGbPerSecond: run.accelerator.memoryBandwidthBytesPerSecond.value / 1e9,
        memoryBandwidthSource: run.accelerator.memoryBandwidthBytesPerSecond.ref.source,
        calibration: run.calibration.key,
        calibrationFittedOnThisRun: run.calibration.source.includes(name),
        method:
          'serving twin (iteration-level vLLM v1 scheduler, per-op-class roofline step times); arrivals and lengths from requests.jsonl',
      },
    },
  };
}

/** Add `tokens` spread uniformly over [from, to] seconds into 1-second ticks (tick i = [i, i+1)). */
function spread(ticks: number[], from: number, to: number, tokens: number): void {
  if (to <= from) {
    const i = Math.floor(from);
    if (i >= 0 && i < ticks.length) ticks[i]! += tokens;
    return;
  }
  const rate = tokens / (to - from);
  for (let i = Math.max(0, Math.floor(from)); i < ticks.length && i < to; i++) {
    const overlap = Math.min(to, i + 1) - Math.max(from, i);
    if (overlap > 0) ticks[i]! += overlap * rate;
  }
}
