/**
 * `aifactory validate bench <result.json>`: compare a measured decode run of a real engine
 * (written by `bench/llamacpp-decode.ts`, e.g. `data/measurements/cpu-llamacpp-2026-11-27.json`)
 * with the performance model's predicted decode tokens/s at each batch size, and say whether
 * each is within the tolerance (default 25%). `--catalog` replaces the `cpu-host` entry with
 * another machine's probed figures; `--accelerator` picks another catalog entry.
 * Exit code 0 either way: the verdict is in the report (`allWithinTolerance`).
 */
import type { Command, Option } from 'commander';
import {
  DEFAULT_BENCH_ACCELERATOR,
  DEFAULT_BENCH_TOLERANCE,
  validateBench,
  type BenchValidation,
} from '../app/validate-bench.js';
import { BenchResultSchema, type BenchResult } from '../app/validate-bench-result.js';
import { formatNumber, table } from './format.js';
import { inputError, json, loadCatalog, read, type CliIo } from './io.js';

function readResult(io: CliIo, file: string): BenchResult {
  let data: unknown;
  try {
    data = JSON.parse(read(io, file));
  } catch (e) {
    if (e instanceof SyntaxError) throw inputError(`${file} is not valid JSON: ${e.message}`);
    throw e;
  }
  const parsed = BenchResultSchema.safeParse(data);
  if (!parsed.success)
    throw inputError(
      `${file} is not a decode-bench result: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.data;
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

export function renderBenchValidation(v: BenchValidation, file: string): string {
  const m = v.machine;
  const lines = [
    `validate bench: ${file}`,
    `  model ${v.model.name}: ${formatNumber(v.model.params / 1e6)} M params, ${formatNumber(v.model.weightBytes / 1e9)} GB of weights`,
    `  machine: ${m.cpuModel}, ${m.cores} cores, Node ${m.nodeVersion}; load average before ${m.loadBefore.loadAverage.map((x) => x.toFixed(2)).join(' ')}, after ${m.loadAfter.loadAverage.map((x) => x.toFixed(2)).join(' ')}`,
    `  predictor: ${v.predictor}`,
    `  accelerator ${v.acceleratorId}: ${formatNumber(v.memoryBandwidthBytesPerSecond.value / 1e9)} GB/s (${v.memoryBandwidthBytesPerSecond.source}), GEMMs at the ${v.gemmPeakFlopsPerSecond.rate} rate ${formatNumber(v.gemmPeakFlopsPerSecond.value / 1e9)} GFLOP/s (${v.gemmPeakFlopsPerSecond.source})`,
    `  calibration ${v.calibration.key}: ${v.calibration.source}`,
    ...(v.calibration.prefillFit
      ? [
          '',
          '  prefill runs (fitted: GEMM compute efficiency)',
          ...table([
            ['prompt tokens', 'measured s', 'fitted model s', 'GEMM GFLOP/s', 'own fit η'],
            ...v.calibration.prefillFit.runs.map((x) => [
              String(x.promptTokens),
              x.measuredSeconds.toFixed(3),
              x.predictedSeconds.toFixed(3),
              formatNumber(x.achievedGemmFlopsPerSecond / 1e9),
              x.gemmComputeEfficiency.toFixed(3),
            ]),
          ]),
          `  η = ${v.calibration.prefillFit.gemmComputeEfficiency.toFixed(3)} of the ${v.gemmPeakFlopsPerSecond.rate} rate = ${formatNumber((v.calibration.prefillFit.gemmComputeEfficiency * v.gemmPeakFlopsPerSecond.value) / 1e9)} GFLOP/s at large M`,
        ]
      : []),
    ...(v.calibration.overlapFit
      ? [
          '',
          `  compute–memory overlap ω = ${v.calibration.overlapFit.computeMemoryOverlap.toFixed(3)} (fitted to batch ${v.calibration.overlapFit.batchSize}: ${formatNumber(v.calibration.overlapFit.measuredTokensPerSecond)} tok/s${v.calibration.overlapFit.atBound ? `; at its bound, ${v.calibration.overlapFit.atBound}` : ''}): each op class takes max(compute, memory) + (1 − ω)·min(compute, memory)`,
        ]
      : []),
    '',
    v.calibration.overlapFit
      ? '  decode (batch marked * fitted, the others held out)'
      : '  decode (held out)',
    ...table([
      [
        'batch',
        'measured tok/s',
        "others' CPU",
        'median',
        'runs (min–max)',
        'predicted tok/s',
        'error',
        `within ${(v.tolerance * 100).toFixed(0)}%`,
        'bound',
      ],
      ...v.points.map((p) => [
        `${p.batchSize}${p.fitted ? ' *' : ''}`,
        formatNumber(p.measuredTokensPerSecond),
        p.otherProcessesCpuFraction !== undefined
          ? `${(p.otherProcessesCpuFraction * 100).toFixed(0)}%`
          : '–',
        formatNumber(p.measuredMedianTokensPerSecond),
        `${formatNumber(p.measuredRange[0])}–${formatNumber(p.measuredRange[1])}`,
        formatNumber(p.predictedTokensPerSecond),
        pct(p.relativeError),
        p.fitted ? '(fitted)' : p.withinTolerance ? 'yes' : 'NO',
        p.boundBy,
      ]),
    ]),
    '',
    `  ${v.allWithinTolerance ? 'all' : 'NOT all'} ${v.points.some((p) => p.fitted) ? 'held-out ' : ''}batch sizes within ${(v.tolerance * 100).toFixed(0)}%`,
    ...(v.points.some((p) => p.relativeErrorVsEngineMedian !== undefined)
      ? [
          '',
          '  the same prediction against the engine-side rates (its own llama_decode log)',
          ...table([
            ['batch', 'engine median tok/s', 'error', 'engine best tok/s', 'error'],
            ...v.points.map((p) => [
              String(p.batchSize),
              p.engineMedianTokensPerSecond !== undefined
                ? formatNumber(p.engineMedianTokensPerSecond)
                : '–',
              p.relativeErrorVsEngineMedian !== undefined
                ? `${pct(p.relativeErrorVsEngineMedian)}${Math.abs(p.relativeErrorVsEngineMedian) <= v.tolerance ? '' : ' (NO)'}`
                : '–',
              p.engineBestTokensPerSecond !== undefined
                ? formatNumber(p.engineBestTokensPerSecond)
                : '–',
              p.relativeErrorVsEngineBest !== undefined
                ? `${pct(p.relativeErrorVsEngineBest)}${Math.abs(p.relativeErrorVsEngineBest) <= v.tolerance ? '' : ' (NO)'}`
                : '–',
            ]),
          ]),
          '  engine median = B / (median full-batch step + median gap) of the quietest run; best = B / (fastest step + gap) of any run.',
        ]
      : []),
    ...v.notes.map((n) => `  note: ${n}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function addValidateBenchCommand(
  validate: Command,
  io: CliIo,
  catalogOption: () => Option,
): void {
  validate
    .command('bench')
    .description(
      "compare a measured engine run's decode tokens/s per batch size with the performance model's prediction (within 25%?)",
    )
    .argument('<result.json>', 'decode-bench result (data/measurements/cpu-llamacpp-*.json)')
    .option(
      '--accelerator <id>',
      'catalog accelerator the engine ran on',
      DEFAULT_BENCH_ACCELERATOR,
    )
    .option('--tolerance <fraction>', 'allowed relative error', String(DEFAULT_BENCH_TOLERANCE))
    .option(
      '--no-overlap-fit',
      'keep the roofline max (compute–memory overlap 1) instead of fitting the overlap to the smallest batch',
    )
    .option('--json', 'print the comparison as JSON')
    .addOption(catalogOption())
    .action(
      (
        file: string,
        opts: {
          accelerator: string;
          tolerance: string;
          overlapFit: boolean;
          json?: boolean;
          catalog?: string;
        },
      ) => {
        const tolerance = Number(opts.tolerance);
        if (!(tolerance > 0))
          throw inputError(`--tolerance must be a positive number, got '${opts.tolerance}'`);
        const report = validateBench({
          result: readResult(io, file),
          catalog: loadCatalog(io, opts.catalog),
          acceleratorId: opts.accelerator,
          tolerance,
          fitOverlap: opts.overlapFit,
        });
        io.stdout(opts.json ? json(report) : renderBenchValidation(report, file));
      },
    );
}
