/**
 * Measure llama.cpp decode tokens/s on this CPU at batch sizes 1, 2, 4, 8 (issue 5 item 4) and
 * write `data/measurements/cpu-llamacpp-<date>.json` for `aifactory validate bench`.
 *
 *   npx tsx bench/llamacpp-decode.ts [--format q8_0|f16] [--out FILE] [--max-tokens 64] [--runs 3]
 *     [--batches 1,2,4,8] [--prefill 64,128,256] [--prefill-runs 3] [--threads N (default: cores)]
 *     [--no-probe] [--quiet 0.15] [--quiet-wait 30] [--run-timeout 120] [--settle 60]
 *
 * 1. Probe memory bandwidth (src/measure/engine/membw-probe.ts).
 * 2. Generate the ~1 GB random Llama GGUF in os.tmpdir() (deleted at exit): Q8_0 by default
 *    (LLAMA_1GB_Q8_0_SHAPE, 22 layers; llama.cpp's int8-dot-product kernels), or F16
 *    (LLAMA_1GB_SHAPE, 12 layers); wait --settle seconds; load it into memory (no mmap).
 * 3. Prefill runs: prompts of --prefill tokens (default 64, 128, 256), each evaluated in one
 *    `llama_decode`, timed engine side (compute-bound: `validate bench` fits the GEMM compute
 *    efficiency to them and holds the decode points out).
 * 4. Start the engine (one context, 8 sequences, threads = cores) behind its OpenAI endpoint on
 *    127.0.0.1:0 and, per batch size B, send B concurrent streaming /v1/completions with the same
 *    prompt and max_tokens, `stream_options.include_usage`. Client-side token timestamps give the
 *    decode window: from the moment every stream has its first token to the moment the first
 *    stream receives its last; tokens received by all streams inside it / its length = the
 *    aggregate decode tokens/s at batch B (prefill and ramp-down excluded). The engine's own
 *    `llama_decode` log is kept per run: steps that held all B sequences and their mean time.
 * The machine is shared: before the probe and every run the script waits (up to --quiet-wait
 * seconds, default 30) until other processes use less than --quiet (default 0.15) of the
 * machine's CPU over 2 s, and records the load average and the other processes' CPU share
 * during every run, and measures the streaming-read bandwidth (the membw probe on 64 MiB buffers)
 * right before it: neighbouring VMs share the memory bus and the cores' time invisibly to
 * /proc/stat, and llama.cpp's spinning thread pool turns any stolen time slice into a stall, so
 * the engine's own step log (median and fastest step per run) is kept beside the client's rate.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  BENCH_RESULT_KIND,
  BenchResultSchema,
  type BenchResult,
  type DecodePoint,
  type DecodeRun,
  type PrefillRun,
} from '../src/app/validate-bench-result.js';
import {
  NODE_LLAMA_CPP_VERSION,
  type LlamaCppEngine,
} from '../src/measure/engine/llamacpp-engine.js';
import { startLlamaCppServer } from '../src/measure/engine/llamacpp-server.js';
import { probeMemoryBandwidth } from '../src/measure/engine/membw-probe.js';
import {
  LLAMA_1GB_Q8_0_SHAPE,
  LLAMA_1GB_SHAPE,
  writeRandomLlamaGguf,
  type RandomLlamaWeightFormat,
} from '../src/measure/gguf/random-llama.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const maxTokens = Number(arg('max-tokens', '64'));
const runsPerBatch = Number(arg('runs', '3'));
const batches = arg('batches', '1,2,4,8').split(',').map(Number);
const skipProbe = process.argv.includes('--no-probe');
const threadsArg = arg('threads', '');
const threads = threadsArg ? Number(threadsArg) : undefined;
const format = arg('format', 'q8_0') as RandomLlamaWeightFormat;
if (format !== 'q8_0' && format !== 'f16') throw new Error(`--format must be q8_0 or f16`);
const shape = format === 'q8_0' ? LLAMA_1GB_Q8_0_SHAPE : LLAMA_1GB_SHAPE;
const shapeName = format === 'q8_0' ? 'LLAMA_1GB_Q8_0_SHAPE' : 'LLAMA_1GB_SHAPE';
const prefillTokens = arg('prefill', '64,128,256')
  .split(',')
  .filter((x) => x.length > 0)
  .map(Number);
const prefillRunsPerLength = Number(arg('prefill-runs', '3'));
const settleSeconds = Number(arg('settle', '60'));
const date = new Date().toISOString();
const out = arg(
  'out',
  `data/measurements/cpu-llamacpp-${date.slice(0, 10)}${format === 'q8_0' ? '-q8_0' : ''}.json`,
);

const load = () => {
  let uptime: string | undefined;
  try {
    uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    uptime = undefined;
  }
  const [a, b, c] = loadavg();
  return { loadAverage: [a!, b!, c!] as [number, number, number], ...(uptime ? { uptime } : {}) };
};
/** Busy and total CPU seconds of the whole machine (/proc/stat, USER_HZ = 100) and of this process. */
interface CpuSnapshot {
  machineBusySeconds: number;
  ownSeconds: number;
  atMs: number;
}
const cpuSnapshot = (): CpuSnapshot | undefined => {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, x) => a + x, 0);
    const own = process.cpuUsage();
    return {
      machineBusySeconds: (total - idle) / 100,
      ownSeconds: (own.user + own.system) / 1e6,
      atMs: performance.now(),
    };
  } catch {
    return undefined;
  }
};
/** Share of all cores other processes used between two snapshots. */
const othersFraction = (
  a: CpuSnapshot | undefined,
  b: CpuSnapshot | undefined,
): number | undefined => {
  if (!a || !b) return undefined;
  const elapsed = (b.atMs - a.atMs) / 1000;
  const others = b.machineBusySeconds - a.machineBusySeconds - (b.ownSeconds - a.ownSeconds);
  return Math.max(0, others / (elapsed * availableParallelism()));
};
const quietThreshold = Number(arg('quiet', '0.15'));
const quietWaitSeconds = Number(arg('quiet-wait', '30'));
const runTimeoutSeconds = Number(arg('run-timeout', '120'));
/** Wait (up to --quiet-wait seconds) until other processes use < --quiet of the machine for 2 s. */
async function waitForQuiet(): Promise<number | undefined> {
  const deadline = performance.now() + quietWaitSeconds * 1000;
  for (;;) {
    const a = cpuSnapshot();
    await new Promise((r) => setTimeout(r, 2000));
    const others = othersFraction(a, cpuSnapshot());
    if (others === undefined || others < quietThreshold || performance.now() > deadline)
      return others;
  }
}

const cpuModel = (): string => {
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1]!.trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
};

/** SIMD-relevant flags of the CPU (/proc/cpuinfo), to tell which ggml kernels can run. */
const cpuFlags = (): string[] | undefined => {
  try {
    const m = /^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (!m) return undefined;
    return m[1]!
      .trim()
      .split(/\s+/)
      .filter((f) => /^(sse|ssse3|avx|f16c|fma|bmi|amx|vnni)/.test(f) || f.includes('vnni'))
      .sort();
  } catch {
    return undefined;
  }
};

/** `n` words of the random model's vocabulary (`▁a`, `▁b`, …: one token each). */
const words = (n: number): string =>
  Array.from({ length: n }, (_, i) => 'abcdefghijklmnopqrstuvwxyz'[i % 26]).join(' ');
// A fixed prompt: 40 words.
const PROMPT = words(40);

/**
 * Evaluate a prompt of `tokens` tokens (BOS included) in one `llama_decode` and time that call
 * engine side; one token is generated so the request completes.
 */
async function prefillRun(engine: LlamaCppEngine, tokens: number): Promise<PrefillRun> {
  await waitForQuiet();
  const snap0 = cpuSnapshot();
  let n = tokens - 1;
  while (n > 1 && engine.tokenize(words(n)).length + 1 > tokens) n--;
  const prompt = words(n);
  const promptTokens = engine.tokenize(prompt).length + 1;
  engine.resetSteps();
  await engine.generate({ prompt, maxTokens: 1 });
  const step = engine.steps()?.find((x) => x.tokens === promptTokens);
  if (!step) throw new Error(`prefill of ${promptTokens} tokens: no single llama_decode held it`);
  const others = othersFraction(snap0, cpuSnapshot());
  return {
    promptTokens,
    seconds: step.seconds,
    load: { ...load(), ...(others !== undefined ? { otherProcessesCpuFraction: others } : {}) },
  };
}

interface StreamTrace {
  firstTokenMs: number;
  tokenTimesMs: number[];
  usageCompletionTokens: number;
}

async function streamOne(baseUrl: string, t0: number, signal: AbortSignal): Promise<StreamTrace> {
  const res = await fetch(`${baseUrl}/completions`, {
    signal,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'aifactory-random-llama',
      prompt: PROMPT,
      max_tokens: maxTokens,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  const times: number[] = [];
  let usage = -1;
  let buf = '';
  const decoder = new TextDecoder();
  for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
    const now = performance.now() - t0;
    buf += decoder.decode(part, { stream: true });
    let idx: number;
    while ((idx = buf.indexOf('\n\n')) >= 0) {
      const event = buf.slice(0, idx);
      buf = buf.slice(idx + 2);
      const data = event.replace(/^data: /, '');
      if (data === '[DONE]') continue;
      const j = JSON.parse(data) as {
        choices: { text: string; finish_reason: string | null }[];
        usage?: { completion_tokens: number };
      };
      if (j.usage) usage = j.usage.completion_tokens;
      else if (j.choices[0] && j.choices[0].finish_reason === null) times.push(now);
    }
  }
  return { firstTokenMs: times[0] ?? NaN, tokenTimesMs: times, usageCompletionTokens: usage };
}

async function runBatch(
  baseUrl: string,
  batchSize: number,
  engine: LlamaCppEngine,
): Promise<DecodeRun> {
  await waitForQuiet();
  const bw = await probeMemoryBandwidth({
    bufferBytes: 64 * 2 ** 20,
    passes: 2,
    repetitions: 2,
  });
  engine.resetSteps();
  const snap0 = cpuSnapshot();
  const t0 = performance.now();
  const signal = AbortSignal.timeout(runTimeoutSeconds * 1000);
  const traces = await Promise.all(
    Array.from({ length: batchSize }, () => streamOne(baseUrl, t0, signal)),
  );
  const start = Math.max(...traces.map((t) => t.firstTokenMs));
  const end = Math.min(...traces.map((t) => t.tokenTimesMs[t.tokenTimesMs.length - 1]!));
  let tokens = 0;
  const itls: number[] = [];
  for (const t of traces) {
    const inWindow = t.tokenTimesMs.filter((x) => x > start && x <= end);
    tokens += inWindow.length;
    const first = t.tokenTimesMs.filter((x) => x <= start).pop() ?? start;
    if (inWindow.length > 0) itls.push((inWindow[inWindow.length - 1]! - first) / inWindow.length);
  }
  const others = othersFraction(snap0, cpuSnapshot());
  const steps = engine.steps();
  // Decode steps: those after the last prompt was evaluated (a prompt step holds > B tokens or
  // comes before some stream's first token); here: steps of at most B tokens after the largest.
  let lastPrompt = -1;
  steps?.forEach((x, i) => {
    if (x.tokens > batchSize) lastPrompt = i;
  });
  const decodeSteps = steps?.slice(lastPrompt + 1) ?? [];
  const full = decodeSteps.filter((x) => x.tokens === batchSize);
  // Host time between consecutive full-batch steps.
  const gaps: number[] = [];
  for (let i = 1; i < decodeSteps.length; i++) {
    const a = decodeSteps[i - 1]!;
    const b = decodeSteps[i]!;
    if (a.tokens === batchSize && b.tokens === batchSize)
      gaps.push(Math.max(0, (b.startMs - a.startMs) / 1000 - a.seconds));
  }
  const windowSeconds = (end - start) / 1000;
  if (!(windowSeconds > 0) || tokens === 0)
    throw new Error(
      `batch ${batchSize}: the streams never all decoded together (first tokens at ${traces.map((t) => (t.firstTokenMs / 1000).toFixed(2)).join(', ')} s; last tokens at ${traces.map((t) => (t.tokenTimesMs[t.tokenTimesMs.length - 1]! / 1000).toFixed(2)).join(', ')} s)`,
    );
  return {
    decodeTokensPerSecond: tokens / windowSeconds,
    windowSeconds,
    tokensInWindow: tokens,
    meanItlSeconds: itls.reduce((a, x) => a + x, 0) / itls.length / 1000,
    ttftSeconds: traces.map((t) => t.firstTokenMs / 1000),
    lastTokenSeconds: traces.map((t) => t.tokenTimesMs[t.tokenTimesMs.length - 1]! / 1000),
    completionTokens: traces.map((t) => t.tokenTimesMs.length),
    usageCompletionTokens: traces.map((t) => t.usageCompletionTokens),
    load: { ...load(), ...(others !== undefined ? { otherProcessesCpuFraction: others } : {}) },
    membwReadBytesPerSecondBefore: bw.read.medianBytesPerSecond,
    ...(steps
      ? {
          engineSteps: {
            steps: steps.length,
            fullBatchSteps: full.length,
            ...(full.length > 0
              ? {
                  meanFullBatchStepSeconds: full.reduce((a, x) => a + x.seconds, 0) / full.length,
                  medianFullBatchStepSeconds: median(full.map((x) => x.seconds)),
                  minFullBatchStepSeconds: Math.min(...full.map((x) => x.seconds)),
                  ...(gaps.length > 0 ? { medianGapSeconds: median(gaps) } : {}),
                }
              : {}),
            meanDecodeStepTokens:
              decodeSteps.length > 0
                ? decodeSteps.reduce((a, x) => a + x.tokens, 0) / decodeSteps.length
                : 0,
          },
        }
      : {}),
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  const loadBefore = load();
  const flags = cpuFlags();
  console.log(`load before: ${loadBefore.uptime ?? loadBefore.loadAverage.join(' ')}`);
  let membwProbe: BenchResult['membwProbe'];
  if (!skipProbe) {
    await waitForQuiet();
    const snap = cpuSnapshot();
    const p = await probeMemoryBandwidth();
    const others = othersFraction(snap, cpuSnapshot());
    membwProbe = {
      method: p.method,
      readMedianBytesPerSecond: p.read.medianBytesPerSecond,
      readBestBytesPerSecond: p.read.bestBytesPerSecond,
      copyMedianBytesPerSecond: p.copy.medianBytesPerSecond,
      load: { ...load(), ...(others !== undefined ? { otherProcessesCpuFraction: others } : {}) },
    };
    console.log(
      `membw (others' CPU share ${others?.toFixed(2)}): read median ${(p.read.medianBytesPerSecond / 1e9).toFixed(1)} GB/s (best ${(p.read.bestBytesPerSecond / 1e9).toFixed(1)}), copy median ${(p.copy.medianBytesPerSecond / 1e9).toFixed(1)} GB/s`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'aif-llamacpp-'));
  // The 1 GB model must not outlive an interrupted run.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  const seed = 20261127;
  try {
    const t = performance.now();
    const model = writeRandomLlamaGguf(
      join(dir, `random-llama-1gb-${format}.gguf`),
      shape,
      seed,
      format,
    );
    console.log(
      `generated ${(model.fileBytes / 1e9).toFixed(3)} GB ${format} GGUF (${(model.params / 1e6).toFixed(1)} M params) in ${((performance.now() - t) / 1000).toFixed(1)} s; settling ${settleSeconds} s`,
    );
    // Decode steps were seen slowed for tens of seconds about a minute after the 1 GB file was
    // written (the kernel's handling of the fresh page cache); let that pass before timing.
    await new Promise((r) => setTimeout(r, settleSeconds * 1000));
    const sequences = Math.max(...batches);
    const server = await startLlamaCppServer({
      modelPath: model.path,
      sequences,
      contextTokensPerSequence: 512,
      ...(threads !== undefined ? { threads } : {}),
    });
    try {
      const engine = server.engine;
      console.log(`llama.cpp system info: ${engine.info.systemInfo}`);
      // Warm-up: page the weights in and let the threads settle.
      await runBatch(server.baseUrl, 1, engine).catch(() => undefined);
      const prefillRuns: PrefillRun[] = [];
      for (const p of prefillTokens)
        for (let r = 0; r < prefillRunsPerLength; r++) {
          const run = await prefillRun(engine, p);
          prefillRuns.push(run);
          console.log(
            `prefill ${run.promptTokens} tokens: ${run.seconds.toFixed(3)} s (${(run.promptTokens / run.seconds).toFixed(1)} tok/s; others' CPU share ${run.load?.otherProcessesCpuFraction?.toFixed(2)})`,
          );
        }
      const promptTokens = engine.tokenize(PROMPT).length + 1;
      const points: DecodePoint[] = [];
      for (const b of batches) {
        const runs: DecodeRun[] = [];
        for (let r = 0; r < runsPerBatch; r++) {
          try {
            runs.push(await runBatch(server.baseUrl, b, engine));
          } catch (e) {
            console.log(
              `B=${b} run ${r + 1}: dropped (${e instanceof Error ? e.message : String(e)})`,
            );
          }
        }
        if (runs.length === 0) {
          console.log(`B=${b}: no run completed within ${runTimeoutSeconds} s; skipped`);
          continue;
        }
        const quietest = [...runs].sort(
          (x, y) =>
            (x.load?.otherProcessesCpuFraction ?? 0) - (y.load?.otherProcessesCpuFraction ?? 0),
        )[0]!;
        const point: DecodePoint = {
          batchSize: b,
          decodeTokensPerSecond: quietest.decodeTokensPerSecond,
          medianTokensPerSecond: median(runs.map((x) => x.decodeTokensPerSecond)),
          meanContextTokens: promptTokens + maxTokens / 2,
          runs,
        };
        points.push(point);
        console.log(
          `B=${b}: ${point.decodeTokensPerSecond.toFixed(1)} tok/s (runs ${runs.map((x) => x.decodeTokensPerSecond.toFixed(1)).join(', ')}; engine-side full-batch steps ${runs.map((x) => (x.engineSteps?.medianFullBatchStepSeconds ? `${x.engineSteps.fullBatchSteps}× median ${(x.engineSteps.medianFullBatchStepSeconds * 1000).toFixed(1)} / min ${((x.engineSteps.minFullBatchStepSeconds ?? NaN) * 1000).toFixed(1)} ms` : '–')).join(', ')}); load ${runs.map((x) => x.load?.loadAverage[0].toFixed(2)).join(', ')}; others' CPU share ${runs.map((x) => x.load?.otherProcessesCpuFraction?.toFixed(2)).join(', ')}; read GB/s before ${runs.map((x) => ((x.membwReadBytesPerSecondBefore ?? NaN) / 1e9).toFixed(0)).join(', ')}`,
        );
      }
      const result: BenchResult = {
        kind: BENCH_RESULT_KIND,
        version: 1,
        date,
        machine: {
          cpuModel: cpuModel(),
          cores: availableParallelism(),
          memoryBytes: totalmem(),
          nodeVersion: process.version,
          platform: `${process.platform}-${process.arch}`,
          loadBefore,
          loadAfter: load(),
          note: 'Shared machine (other engineers run builds and tests on the same 2 cores); see the load averages per run.',
          ...(flags ? { cpuFlags: flags } : {}),
        },
        engine: {
          name: 'llama.cpp',
          binding: `node-llama-cpp@${NODE_LLAMA_CPP_VERSION}`,
          threads: server.engine.info.threads,
          sequences: server.engine.info.sequences,
          contextTokensPerSequence: server.engine.info.contextTokensPerSequence,
          buildType: server.engine.info.buildType,
          sampling: 'greedy; end-of-generation tokens banned (every request runs to max_tokens)',
          systemInfo: server.engine.info.systemInfo,
          mmap: false,
        },
        model: {
          name: `aifactory-random-llama-1gb${format === 'q8_0' ? '-q8_0' : ''}`,
          shape: {
            numLayers: shape.numLayers,
            hiddenSize: shape.hiddenSize,
            numHeads: shape.numHeads,
            numKvHeads: shape.numKvHeads,
            intermediateSize: shape.intermediateSize,
            vocabSize: shape.vocabSize,
          },
          weightFormat: format === 'q8_0' ? 'q8_0' : 'fp16',
          kvCacheFormat: 'fp16',
          params: model.params,
          weightBytes: model.weightBytes,
          fileBytes: model.fileBytes,
          seed,
          generatedBy: `src/measure/gguf/random-llama.ts writeRandomLlamaGguf(${shapeName}, seed, '${format}')`,
        },
        workload: {
          promptTokens,
          maxTokens,
          runsPerBatchSize: runsPerBatch,
          endpoint: 'POST /v1/completions, stream: true, stream_options.include_usage (127.0.0.1)',
          method: `B concurrent streams with the same prompt and max_tokens; decode window = [last first-token arrival, first last-token arrival]; tokens/s = tokens received by all streams in the window / its length; before each run wait up to ${quietWaitSeconds} s for other processes to use < ${quietThreshold} of the CPU; a run longer than ${runTimeoutSeconds} s is dropped; the point's rate is the quietest run's (lowest other-process CPU share), the median is kept beside it; one batch-1 warm-up run first`,
        },
        ...(membwProbe ? { membwProbe } : {}),
        ...(prefillRuns.length > 0
          ? {
              prefill: {
                method: `prompts of ${prefillTokens.join(', ')} tokens (BOS included; words of the vocabulary, one token each), ${prefillRunsPerLength} runs each after the warm-up, max_tokens 1, through the engine (no HTTP); seconds = the wall time of the one llama_decode that evaluated the whole prompt (node-llama-cpp's native decodeBatch, timed around its await); before each run wait up to ${quietWaitSeconds} s for other processes to use < ${quietThreshold} of the CPU`,
                runs: prefillRuns,
              },
            }
          : {}),
        points,
      };
      BenchResultSchema.parse(result);
      mkdirSync(join(out, '..'), { recursive: true });
      writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`wrote ${out}`);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
