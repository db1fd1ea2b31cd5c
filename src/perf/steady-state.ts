/**
 * Steady-state throughput and latency of one replica serving requests of mean input length
 * ISL and output length OSL at a given concurrency (DESIGN §4, "analytical mode").
 *
 * Model (iteration accounting, continuous batching with chunked prefill):
 *  - each request lives N = n_c + D iterations: n_c prefill chunks, D = (OSL−1)/τ decode steps
 *    (τ = mean accepted length with speculative decoding, 1 without);
 *  - an iteration with only decodes takes t_d = step(B_dec decodes at mean context ISL+OSL/2);
 *    a prefill chunk riding along adds Δ_j = step(B_dec + chunk_j) − t_d; Δ = Σ_j Δ_j; when
 *    R/N ≥ 1 short prompts start per iteration they ride together, q = R/N of them (capped by the
 *    token budget), and each is charged Δ = (step(B_dec + q·prompt) − t_d)/q;
 *  - per cycle (each running slot completes one request) the replica spends
 *    T = max(N, P)·t_d + B·Δ, P = iterations that must carry a prefill chunk;
 *  - output tok/s = B·OSL/T (Little's law on the running set); TPOT = (t_d + (B−1)·Δ/N')/τ;
 *  - TTFT = request overhead + ½·t_d (the iteration in flight) + own prefill span Σ_j step_j
 *    + M/D/1 wait behind other prefills + closed-loop burst wait + wait for a KV/seq slot.
 */
import type { CalibrationParams } from './calibration.js';
import type { PreparedDeployment } from './costs.js';
import { maxConcurrentSequences, type MemoryFit } from './memory.js';
import type { Activity } from './power.js';
import { mdOneMeanWaitSeconds } from './queueing.js';
import { causalPairs, decodeBatch, stepTime, type StepTime } from './step-time.js';

export interface RequestShape {
  /** Mean prompt tokens per request. */
  inputTokens: number;
  /** Mean output tokens per request. */
  outputTokens: number;
  /** Prompt tokens served from the prefix cache (not recomputed). */
  cachedInputTokens?: number;
}

export type ArrivalKind = 'closed-loop' | 'poisson';

export interface SteadyStateOptions {
  prepared: PreparedDeployment;
  calibration: CalibrationParams;
  memory: MemoryFit;
  request: RequestShape;
  /** Requests in the system per replica (closed-loop clients, or mean number in system). */
  concurrency: number;
  arrivals: ArrivalKind;
}

export interface SteadyState {
  concurrency: number;
  /** Requests actually running (≤ maxNumSeqs and the KV capacity). */
  runningSeqs: number;
  /** What limits runningSeqs below concurrency, if anything. */
  limitedBy: 'none' | 'kv-cache' | 'max-num-seqs';
  ttftSeconds: number;
  tpotSeconds: number;
  e2eSeconds: number;
  outputTokensPerSecond: number;
  inputTokensPerSecond: number;
  requestsPerSecond: number;
  /** Cycle time T (each running slot completes one request), seconds. */
  cycleSeconds: number;
  decodeStep: StepTime;
  /** Own prefill span (Σ of its chunk iterations), seconds. */
  prefillSpanSeconds: number;
  /** Extra iteration time one request's prefill adds to the batch, seconds. */
  prefillExtraSeconds: number;
  /** Mean wait behind other prefills (queueing), seconds. */
  prefillQueueSeconds: number;
  /** Share of iterations carrying prefill work. */
  prefillIterationShare: number;
  /**
   * Time-averaged utilization per GPU over a cycle (decode steps and prefill work):
   * MFU = FLOP/s ÷ peak at the GEMM rate, MBU = bytes/s ÷ peak memory bandwidth.
   */
  mfu: number;
  mbu: number;
  /** What the GPUs are busy with, as shares of wall time (drives the power model). */
  activity: Activity;
}

interface Chunk {
  tokens: number;
  cached: number;
}

/** Split a prompt into chunks that fit the token budget left after the decode tokens. */
function prefillChunks(newTokens: number, cachedTokens: number, budget: number): Chunk[] {
  const chunks: Chunk[] = [];
  let done = 0;
  const size = Math.max(1, budget);
  while (done < newTokens - 1e-9) {
    const n = Math.min(size, newTokens - done);
    chunks.push({ tokens: n, cached: cachedTokens + done });
    done += n;
  }
  return chunks;
}

export function steadyState(o: SteadyStateOptions): SteadyState {
  const { prepared: p, calibration: c, memory, request } = o;
  const dep = p.deployment;
  const engine = dep.engine;
  const isl = Math.max(1, request.inputTokens);
  const osl = Math.max(1, request.outputTokens);
  const cached = Math.min(request.cachedInputTokens ?? 0, isl - 1);
  const tau = dep.speculative ? dep.speculative.meanAcceptanceLength : 1;

  const meanContext = isl + osl / 2;
  const seqCap = engine.maxNumSeqs * dep.parallel.attnDp;
  // Admission: engines that reserve prompt + output up front (full-reservation) turn KV
  // shortage into admission waits; engines that admit on the prompt alone run what fits on
  // average, and either queue the rest or — for lockstep clients — preempt and time-share.
  const reserve = engine.kvAdmission === 'full-reservation';
  const kvCap = maxConcurrentSequences(p, memory, reserve ? isl + osl : meanContext);
  // Independent (Poisson) arrivals beyond the KV capacity queue before admission; closed-loop
  // clients with fixed output lengths start together and stay in lockstep, so they are all
  // admitted on their prompts and the shortage appears later as preemption.
  const lockstep = o.arrivals === 'closed-loop' && !reserve;
  const admitted = Math.max(1, Math.min(o.concurrency, seqCap, lockstep ? Infinity : kvCap));
  const running = Math.max(1, Math.min(admitted, kvCap));
  const limitedBy: SteadyState['limitedBy'] =
    running >= o.concurrency ? 'none' : kvCap <= seqCap ? 'kv-cache' : 'max-num-seqs';
  /** Admitted requests share the running slots when KV forces preemption (≥ 1). */
  const timeShare = admitted / running;

  const decodeIters = Math.max(0, (osl - 1) / tau);
  const newTokens = isl - cached;
  // Without chunked prefill a prompt goes in whole (engines cap it at their token limit).
  const chunkBudget = engine.chunkedPrefill
    ? engine.maxNumBatchedTokens
    : Math.max(engine.maxNumBatchedTokens, newTokens);
  // Several short prompts share one iteration when they fit the budget together.
  const promptsPerIteration = Math.max(1, Math.floor(chunkBudget / newTokens));

  // Fixed point: decoding seqs per iteration depend on the share of iterations spent prefilling.
  let bDec = running * (decodeIters / Math.max(1, decodeIters + 1));
  let chunks = prefillChunks(newTokens, cached, chunkBudget - bDec);
  let td = stepTime(p, c, decodeBatch(bDec, meanContext));
  for (let iter = 0; iter < 3; iter++) {
    const n = chunks.length + decodeIters;
    bDec = running * (decodeIters / Math.max(1, n));
    chunks = prefillChunks(newTokens, cached, chunkBudget - (engine.chunkedPrefill ? bDec : 0));
    td = stepTime(p, c, decodeBatch(bDec, meanContext));
  }
  const base = decodeBatch(bDec, meanContext);
  let span = 0;
  let extra = 0;
  let extraFlops = 0;
  let extraBytes = 0;
  let extraComputeBound = 0;
  let extraMemoryBound = 0;
  let extraDevice = 0;
  // Prompts per prefill-carrying iteration: in steady state each running slot completes one
  // request per N = chunks + decode iterations, so R / N prompts are admitted
  // per iteration (continuous batching admits a waiting prompt as soon as a slot frees). Below
  // one, prompts ride alone in separate iterations; above one, they share iterations up to the
  // token budget. Costing them together matters because an iteration's time is not additive:
  // with asynchronous scheduling it is max(device, host), so a lone prompt can hide under the
  // host time while R / N prompts per iteration cannot (DESIGN §4: per-iteration model).
  // Chunked prompts (longer than the budget) run one chunk per iteration (vLLM
  // max_num_partial_prefills = 1).
  const q =
    chunks.length === 1
      ? Math.min(promptsPerIteration, Math.max(1, running / (chunks.length + decodeIters)))
      : 1;
  for (const [i, ch] of chunks.entries()) {
    const mixed = stepTime(p, c, {
      ...base,
      numPrefillTokens: ch.tokens * q,
      prefillAttentionPairs: causalPairs(ch.tokens, ch.cached) * q,
      numPrefillSamples: i === chunks.length - 1 ? q : 0,
      numPrefillSeqs: q,
    });
    // The iteration carrying this prompt's chunk carries q prompts: its own span sees the whole
    // iteration; the cycle is charged a 1/q share of the extra time per prompt.
    span += mixed.seconds;
    extra += (mixed.seconds - td.seconds) / q;
    extraFlops += (mixed.flopsPerGpu - td.flopsPerGpu) / q;
    extraBytes += (mixed.bytesPerGpu - td.bytesPerGpu) / q;
    extraComputeBound += (mixed.computeBoundSeconds - td.computeBoundSeconds) / q;
    extraMemoryBound += (mixed.memoryBoundSeconds - td.memoryBoundSeconds) / q;
    extraDevice += (mixed.deviceSeconds - td.deviceSeconds) / q;
  }
  extra = Math.max(0, extra);

  const itersPerRequest = chunks.length + decodeIters;
  const prefillIters = (running * chunks.length) / (chunks.length === 1 ? promptsPerIteration : 1);
  const itersPerCycle = Math.max(itersPerRequest, prefillIters);
  const cycle = itersPerCycle * td.seconds + running * extra;
  const tpot =
    decodeIters > 0
      ? (timeShare * (td.seconds + ((running - 1) * extra) / itersPerCycle)) / tau
      : 0;

  // Prefill queueing: iterations carry one prompt's chunk at a time (vLLM max_num_partial_prefills=1).
  const rho = Math.min(0.95, prefillIters / itersPerCycle);
  const mdOneWait = mdOneMeanWaitSeconds(rho, span);
  const burstWait =
    o.arrivals === 'closed-loop' ? c.closedLoopBurstFraction * (running - 1) * extra : 0;
  // Clients beyond the admitted set wait for admission: R running slots complete R requests
  // per cycle T, so with B clients in a closed loop the B − A not admitted wait T·(B − A)/R.
  const slotWait =
    o.arrivals === 'closed-loop' && o.concurrency > admitted
      ? (cycle * (o.concurrency - admitted)) / running
      : 0;
  const ttft =
    c.requestOverheadSeconds + 0.5 * td.seconds + span + mdOneWait + burstWait + slotWait;
  const e2e = ttft + tpot * (osl - 1);

  const outputRate = (running * osl) / cycle;
  const cycleFlops = itersPerCycle * td.flopsPerGpu + running * extraFlops;
  const cycleBytes = itersPerCycle * td.bytesPerGpu + running * extraBytes;
  const mfu = Math.min(1, cycleFlops / cycle / p.attentionProjection.peakFlopsPerSecond);
  const mbu = Math.min(1, cycleBytes / cycle / p.memoryBandwidthBytesPerSecond);
  // Shares of wall time the GPU spends in compute-bound, memory-bound and other device work.
  const share = (perIteration: number, perRequest: number): number =>
    Math.max(0, Math.min(1, (itersPerCycle * perIteration + running * perRequest) / cycle));
  const computeBoundShare = share(td.computeBoundSeconds, extraComputeBound);
  const memoryBoundShare = share(td.memoryBoundSeconds, extraMemoryBound);
  const deviceShare = share(td.deviceSeconds, extraDevice);
  const activity: Activity = {
    computeBoundShare,
    memoryBoundShare,
    otherBusyShare: Math.max(0, deviceShare - computeBoundShare - memoryBoundShare),
  };
  return {
    concurrency: o.concurrency,
    runningSeqs: running,
    limitedBy,
    ttftSeconds: ttft,
    tpotSeconds: tpot,
    e2eSeconds: e2e,
    outputTokensPerSecond: outputRate,
    inputTokensPerSecond: (running * isl) / cycle,
    requestsPerSecond: running / cycle,
    cycleSeconds: cycle,
    decodeStep: td,
    prefillSpanSeconds: span,
    prefillExtraSeconds: extra,
    prefillQueueSeconds: mdOneWait + burstWait,
    prefillIterationShare: rho,
    mfu,
    mbu,
    activity,
  };
}
