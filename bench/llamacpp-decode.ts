/**
 * Measure llama.cpp decode tokens/s on this CPU at batch sizes 1, 2, 4, 8 (issue 5 item 4) and
 * write `data/measurements/cpu-llamacpp-<date>.json` for `aifactory validate bench`.
 *
 *   npx tsx bench/llamacpp-decode.ts [--out FILE] [--max-tokens 64] [--runs 3] [--batches 1,2,4,8]
 *     [--threads N (default: cores)] [--no-probe]
 *
 * 1. Probe memory bandwidth (src/measure/engine/membw-probe.ts).
 * 2. Generate the ~1 GB random Llama GGUF (LLAMA_1GB_SHAPE, F16) in os.tmpdir(); deleted at exit.
 * 3. Start the engine (one context, 8 sequences, threads = cores) behind its OpenAI endpoint on
 *    127.0.0.1:0 and, per batch size B, send B concurrent streaming /v1/completions with the same
 *    prompt and max_tokens, `stream_options.include_usage`. Client-side token timestamps give the
 *    decode window: from the moment every stream has its first token to the moment the first
 *    stream receives its last; tokens received by all streams inside it / its length = the
 *    aggregate decode tokens/s at batch B (prefill and ramp-down excluded).
 * The machine is shared: before the probe and every run the script waits (up to --quiet-wait
 * seconds, default 30) until other processes use less than --quiet (default 0.15) of the
 * machine's CPU over 2 s, and records the load average and the other processes' CPU share
 * during every run.
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
} from '../src/app/validate-bench-result.js';
import { NODE_LLAMA_CPP_VERSION } from '../src/measure/engine/llamacpp-engine.js';
import { startLlamaCppServer } from '../src/measure/engine/llamacpp-server.js';
import { probeMemoryBandwidth } from '../src/measure/engine/membw-probe.js';
import { LLAMA_1GB_SHAPE, writeRandomLlamaGguf } from '../src/measure/gguf/random-llama.js';

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
const date = new Date().toISOString();
const out = arg('out', `data/measurements/cpu-llamacpp-${date.slice(0, 10)}.json`);

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
const runTimeoutSeconds = Number(arg('run-timeout', '60'));
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

// A fixed prompt: 40 words of the random model's vocabulary.
const PROMPT = Array.from({ length: 40 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz'[i % 26]).join(' ');

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

async function runBatch(baseUrl: string, batchSize: number): Promise<DecodeRun> {
  await waitForQuiet();
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
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  const loadBefore = load();
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
    const model = writeRandomLlamaGguf(join(dir, 'random-llama-1gb.gguf'), LLAMA_1GB_SHAPE, seed);
    console.log(
      `generated ${(model.fileBytes / 1e9).toFixed(3)} GB GGUF (${(model.params / 1e6).toFixed(1)} M params) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const sequences = Math.max(...batches);
    const server = await startLlamaCppServer({
      modelPath: model.path,
      sequences,
      contextTokensPerSequence: 512,
      ...(threads !== undefined ? { threads } : {}),
    });
    try {
      // Warm-up: page the weights in and let the threads settle.
      await runBatch(server.baseUrl, 1).catch(() => undefined);
      const promptTokens = server.engine.tokenize(PROMPT).length + 1;
      const points: DecodePoint[] = [];
      for (const b of batches) {
        const runs: DecodeRun[] = [];
        for (let r = 0; r < runsPerBatch; r++) {
          try {
            runs.push(await runBatch(server.baseUrl, b));
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
          `B=${b}: ${point.decodeTokensPerSecond.toFixed(1)} tok/s (runs ${runs.map((x) => x.decodeTokensPerSecond.toFixed(1)).join(', ')}); load ${runs.map((x) => x.load?.loadAverage[0].toFixed(2)).join(', ')}; others' CPU share ${runs.map((x) => x.load?.otherProcessesCpuFraction?.toFixed(2)).join(', ')}`,
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
        },
        engine: {
          name: 'llama.cpp',
          binding: `node-llama-cpp@${NODE_LLAMA_CPP_VERSION}`,
          threads: server.engine.info.threads,
          sequences: server.engine.info.sequences,
          contextTokensPerSequence: server.engine.info.contextTokensPerSequence,
          buildType: server.engine.info.buildType,
          sampling: 'greedy; end-of-generation tokens banned (every request runs to max_tokens)',
        },
        model: {
          name: 'aifactory-random-llama-1gb',
          shape: {
            numLayers: LLAMA_1GB_SHAPE.numLayers,
            hiddenSize: LLAMA_1GB_SHAPE.hiddenSize,
            numHeads: LLAMA_1GB_SHAPE.numHeads,
            numKvHeads: LLAMA_1GB_SHAPE.numKvHeads,
            intermediateSize: LLAMA_1GB_SHAPE.intermediateSize,
            vocabSize: LLAMA_1GB_SHAPE.vocabSize,
          },
          weightFormat: 'fp16',
          kvCacheFormat: 'fp16',
          params: model.params,
          weightBytes: model.weightBytes,
          fileBytes: model.fileBytes,
          seed,
          generatedBy: 'src/measure/gguf/random-llama.ts writeRandomLlamaGguf(LLAMA_1GB_SHAPE)',
        },
        workload: {
          promptTokens,
          maxTokens,
          runsPerBatchSize: runsPerBatch,
          endpoint: 'POST /v1/completions, stream: true, stream_options.include_usage (127.0.0.1)',
          method: `B concurrent streams with the same prompt and max_tokens; decode window = [last first-token arrival, first last-token arrival]; tokens/s = tokens received by all streams in the window / its length; before each run wait up to ${quietWaitSeconds} s for other processes to use < ${quietThreshold} of the CPU; a run longer than ${runTimeoutSeconds} s is dropped; the point's rate is the quietest run's (lowest other-process CPU share), the median is kept beside it; one batch-1 warm-up run first`,
        },
        ...(membwProbe ? { membwProbe } : {}),
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
