/**
 * Disaggregated rows of `validate silicon` through the serving twin: a prefill pool and a
 * decode pool with the row's worker counts and layouts, the prompt KV crossing the link
 * between them (perf/kv-transfer.ts), and the row's closed-loop clients sending fixed-length
 * requests. The analytical estimate has no model for two pools; the twin does.
 *
 * Measurement window: every client sends requests back to back; the first round of
 * completions (all clients arrived at once) is left out and the next max(concurrency, 24)
 * completions are measured while every client is still sending — the steady state. The file
 * does not say how many requests the benchmark sent or whether it excluded a warm-up; a run
 * dominated by its initial burst reads higher TTFT than this window.
 */
import type { Catalog } from '../catalog/catalog.js';
import { resolveCalibration, type CalibrationTable } from '../perf/calibration.js';
import { prepareDeployment, type PreparedDeployment } from '../perf/costs.js';
import { kvTransferLink, kvTransferSeconds } from '../perf/kv-transfer.js';
import { memoryFit } from '../perf/memory.js';
import type { Deployment } from '../perf/types.js';
import { createKvCacheManager } from '../sim/kv/index.js';
import { createRouter } from '../sim/router/index.js';
import { schedulerConfigFor } from '../sim/scheduler/config.js';
import { createStepModel } from '../sim/step-model.js';
import { runTwin } from '../sim/twin.js';
import type { FollowUp, SimRequest, WorkloadSource } from '../sim/types.js';

/** Fewest measured requests for small concurrencies. */
const MIN_MEASURED = 24;

export interface DisaggPrediction {
  ttftMs: number;
  tpotMs: number;
  calibration: string;
  kvTransferLink: 'scale-up' | 'scale-out';
}

const kvBlocksOf = (p: PreparedDeployment): number =>
  memoryFit(p).kvBlocksPerRank * p.deployment.parallel.attnDp;

/**
 * Closed-loop clients with fixed lengths: `concurrency` requests at t = 0, each completion
 * sends the next after `overheadSeconds` (HTTP, tokenization).
 * Latencies count from the send time (`arrivalSeconds`), as the benchmark measures them.
 */
function closedLoop(o: {
  concurrency: number;
  inputTokens: number;
  outputTokens: number;
  overheadSeconds: number;
}): WorkloadSource {
  let sent = 0;
  const make = (sendSeconds: number): SimRequest => {
    const id = sent++;
    return {
      id,
      classIndex: 0,
      arrivalSeconds: sendSeconds,
      promptTokens: o.inputTokens,
      outputTokens: o.outputTokens,
      segments: [{ contentId: id, tokens: o.inputTokens }],
      priority: 0,
    };
  };
  let initial = 0;
  return {
    peekSeconds: () => (initial < o.concurrency ? o.overheadSeconds : undefined),
    next: () => (initial++ < o.concurrency ? make(0) : undefined),
    onComplete: (_r, now): FollowUp[] => [
      { atSeconds: now + o.overheadSeconds, request: make(now) },
    ],
  };
}

/** Mean TTFT and TPOT of a disaggregated deployment under closed-loop load, by simulation. */
export function predictDisaggregated(o: {
  prefill: Deployment;
  decode: Deployment;
  numPrefillWorkers: number;
  numDecodeWorkers: number;
  concurrency: number;
  inputTokens: number;
  outputTokens: number;
  catalog: Catalog;
  calibration: CalibrationTable;
}): DisaggPrediction {
  const dep = o.prefill;
  const cal = resolveCalibration(o.calibration, dep.accelerator, dep.engine.name, dep.model);
  const prefill = prepareDeployment(o.prefill, o.catalog.formats);
  const decode = prepareDeployment(o.decode, o.catalog.formats);
  const link = kvTransferLink(prefill, decode);
  const warmup = o.concurrency;
  const measuredCount = Math.max(o.concurrency, MIN_MEASURED);
  const kv = (p: PreparedDeployment) => () =>
    createKvCacheManager({
      numTotalBlocks: kvBlocksOf(p),
      blockSizeTokens: p.deployment.engine.blockSizeTokens,
      prefixCaching: false,
    });
  const done: { ttft: number; tpot: number }[] = [];
  runTwin({
    numReplicas: o.numPrefillWorkers,
    // Without chunked prefill the budget is at least one prompt: the run admitted its prompts.
    scheduler: schedulerConfigFor(o.prefill, { minBudgetTokens: o.inputTokens }),
    createKvCache: kv(prefill),
    stepModel: createStepModel(prefill, cal.params),
    router: createRouter('least-outstanding-tokens'),
    workload: closedLoop({
      concurrency: o.concurrency,
      inputTokens: o.inputTokens,
      outputTokens: o.outputTokens,
      overheadSeconds: cal.params.requestOverheadSeconds,
    }),
    durationSeconds: Number.MAX_VALUE,
    seed: 1,
    stopWhen: () => done.length >= warmup + measuredCount,
    decode: {
      numReplicas: o.numDecodeWorkers,
      scheduler: schedulerConfigFor(o.decode, { minBudgetTokens: o.inputTokens }),
      createKvCache: kv(decode),
      stepModel: createStepModel(decode, cal.params),
      router: createRouter('least-outstanding-tokens'),
      transferSeconds: (r) => kvTransferSeconds(prefill, r.promptTokens, link),
    },
    observer: {
      onCompletion(seq, finish) {
        const first = seq.firstTokenSeconds!;
        const out = seq.request.outputTokens;
        done.push({
          ttft: first - seq.request.arrivalSeconds,
          tpot: out > 1 ? (finish - first) / (out - 1) : 0,
        });
      },
    },
  });
  const window = done.slice(warmup, warmup + measuredCount);
  const mean = (f: (x: { ttft: number; tpot: number }) => number) =>
    window.reduce((a, x) => a + f(x), 0) / window.length;
  return {
    ttftMs: mean((x) => x.ttft) * 1e3,
    tpotMs: mean((x) => x.tpot) * 1e3,
    calibration: cal.key,
    kvTransferLink: link.kind,
  };
}
