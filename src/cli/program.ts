/**
 * The `aifactory` command line as a function of its I/O: `buildProgram(io)` returns the
 * commander program, `runCli(argv, io)` runs it and returns the exit code. Nothing here touches
 * `process` or the file system directly — `main.ts` is the process edge — so tests run the
 * whole CLI in memory.
 *
 * Exit codes: 0 success; 2 input errors (bad scenario or data file, unknown ids, usage errors,
 * unreadable files, no feasible plan); 1 anything else (a defect: printed with its stack).
 * An `AifError` prints as its code, its first message line and one line per issue
 * (`file:line:col path: message (got X, expected Y)`), never a stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { calibrateFromSilicon, renderCalibrationModule } from '../app/calibrate.js';
import {
  parseSimulatorConfig,
  vllmTraceCase,
  type VllmRunHardware,
  type VllmTraceMeta,
  type VllmTraceRequest,
  type VllmTraceTick,
} from '../validation/vllm-trace.js';
import { estimateScenario } from '../app/estimate.js';
import {
  calibrateFromVllmTraces,
  renderTraceCalibrationModule,
  type TraceRun,
} from '../app/calibrate-traces.js';
import { replayVllmTrace } from '../validation/vllm-replay.js';
import { simulateScenario } from '../app/simulate.js';
import { renderRun } from './run-text.js';
import type { Catalog } from '../catalog/catalog.js';
import { countParams } from '../catalog/model-params.js';
import { AifError, ERROR_CODES, isAifError, type ErrorCode } from '../core/errors.js';
import { BUILTIN_CALIBRATION, SILICON_CALIBRATION } from '../perf/calibration-data.js';
import {
  formatIssues,
  locateIssues,
  parseScenarioYaml,
  scenarioJsonSchema,
} from '../scenario/index.js';
import { validateMlenergy } from '../validation/mlenergy.js';
import { validateMlperf, type PublicDataItem } from '../validation/mlperf.js';
import { validateSilicon, type SiliconRow } from '../validation/silicon.js';
import { renderEstimate } from './estimate-text.js';
import { addBenchCommand } from './bench-command.js';
import { addEconCommands } from './econ-commands.js';
import { addValidateBenchCommand } from './validate-bench-command.js';
import { addPlanCommand } from './plan-command.js';
import { addSweepCommand } from './sweep-command.js';
import { addServeSimCommand } from './serve-command.js';
import { addServeAppCommand } from './serve-app-command.js';
import { addReportCommand } from './report-command.js';
import { addCalibrateCommands } from './calibrate-commands.js';
import { addWorkerCommand } from './worker-command.js';
import {
  calibrationOption,
  inputError,
  json,
  loadCalibration,
  loadCatalog,
  read,
  type CliIo,
} from './io.js';
import { formatNumber, table } from './format.js';
import {
  mlperfJson,
  renderCalibration,
  renderMlenergy,
  renderTraceCalibration,
  renderVllmReplays,
  renderVllmTraces,
  renderMlperf,
  renderSilicon,
  siliconJson,
} from './validate-text.js';

export type { CliIo } from './io.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_INPUT = 2;

/** Error codes that mean "the input is wrong" (exit 2), as opposed to a defect (exit 1). */
const INPUT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ERROR_CODES.SCENARIO_INVALID,
  ERROR_CODES.SCENARIO_YAML,
  ERROR_CODES.CATALOG_UNKNOWN_ID,
  ERROR_CODES.CATALOG_INVALID,
  ERROR_CODES.PRECISION_UNSUPPORTED,
  ERROR_CODES.INPUT_FORMAT,
  ERROR_CODES.NO_FEASIBLE_PLAN,
  ERROR_CODES.MEMORY_DOES_NOT_FIT,
  ERROR_CODES.INVALID_ARGUMENT,
]);

export const DEFAULT_CALIBRATION_OUT = 'src/perf/calibration-data.ts';
export const DEFAULT_TRACE_CALIBRATION_OUT = 'src/perf/calibration-traces-data.ts';

/** A run directory's name: its last path component. */
const runName = (dir: string): string =>
  dir
    .replace(/[\\/]+$/, '')
    .split(/[\\/]/)
    .pop() ?? dir;

import { TOOL_VERSION } from '../app/engine-version.js';

export { TOOL_VERSION };

/**
 * A progress bar on stderr for runs over a few seconds (DESIGN: speed is visible). Silent
 * without a clock or a terminal; redraws at most every 200 ms.
 */
function progressBar(
  io: CliIo,
  label: string,
): { update: (f: number) => void; done: () => void } | undefined {
  const now = io.nowMs;
  if (!now || !io.stderrIsTty) return undefined;
  const start = now();
  let last = 0;
  let shown = false;
  return {
    update(f) {
      const t = now();
      if (t - start < 2000 || t - last < 200) return;
      last = t;
      shown = true;
      const width = 30;
      const fill = Math.round(Math.min(1, Math.max(0, f)) * width);
      io.stderr(
        `\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(100 * f).toFixed(0)}% ${((t - start) / 1000).toFixed(0)} s`,
      );
    },
    done() {
      if (shown) io.stderr('\n');
    },
  };
}

function readPublicItems(io: CliIo, file: string): PublicDataItem[] {
  let data: unknown;
  try {
    data = JSON.parse(read(io, file));
  } catch (e) {
    if (isAifError(e)) throw e;
    throw inputError(`${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const items = Array.isArray(data) ? data : (data as { items?: unknown } | null)?.items;
  if (!Array.isArray(items))
    throw inputError(`${file}: expected {"items": [...]} or an array of items`);
  return items as PublicDataItem[];
}

function readCsvRows(io: CliIo, file: string): SiliconRow[] {
  const text = read(io, file);
  try {
    return parseCsv(text, { columns: true, skip_empty_lines: true, trim: true }) as SiliconRow[];
  } catch (e) {
    throw inputError(
      `${file} is not a readable CSV with a header row: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** A vLLM run directory: meta.json + requests.jsonl (one JSON object per line). */
function readVllmTrace(
  io: CliIo,
  dir: string,
): {
  meta: VllmTraceMeta;
  requests: VllmTraceRequest[];
  ticks: VllmTraceTick[];
  /** GPU named by simulator-config.json (`nodes[0].instances[0].hardware`), when present. */
  gpu?: string;
  /** The publisher's hardware figures from simulator-config.json, when present. */
  hardware?: VllmRunHardware;
} {
  const base = dir.replace(/[\\/]+$/, '');
  const parse = (file: string, text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw inputError(`${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const metaFile = `${base}/meta.json`;
  const meta = parse(metaFile, read(io, metaFile)) as VllmTraceMeta;
  if (!meta || typeof meta.model !== 'string' || !meta.engine_kwargs)
    throw inputError(`${metaFile}: expected "model" and "engine_kwargs"`);
  const reqFile = `${base}/requests.jsonl`;
  const requests = read(io, reqFile)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => parse(`${reqFile}:${i + 1}`, l) as VllmTraceRequest);
  const tsFile = `${base}/timeseries.csv`;
  let ticks: VllmTraceTick[] = [];
  try {
    ticks = (
      parseCsv(io.readFile(tsFile), {
        columns: true,
        skip_empty_lines: true,
        trim: true,
      }) as Record<string, string>[]
    ).map((r) => ({
      gen_throughput: Number(r.gen_throughput),
      running: Number(r.running),
      waiting: Number(r.waiting),
    }));
  } catch {
    ticks = []; // optional file: without it the whole-run rate is compared (and said so)
  }
  let gpu: string | undefined;
  let hardware: VllmRunHardware | undefined;
  const configFile = `${base}/simulator-config.json`;
  try {
    const parsed = parseSimulatorConfig(JSON.parse(io.readFile(configFile)), configFile);
    gpu = parsed.gpu;
    hardware = parsed.hardware;
  } catch {
    gpu = undefined; // optional file: the GPU then comes from meta.json or the directory name
  }
  return { meta, requests, ticks, ...(gpu ? { gpu } : {}), ...(hardware ? { hardware } : {}) };
}

const positiveInt =
  (name: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new AifError(
        ERROR_CODES.INVALID_ARGUMENT,
        `${name} must be a positive integer, got '${v}'`,
      );
    return n;
  };

const gbOf = (bytes: number): string => formatNumber(bytes / 1e9);
const tflops = (x: { value: number } | undefined): string =>
  x ? formatNumber(x.value / 1e12) : '—';

function catalogList(catalog: Catalog, kind: string | undefined): string {
  const kinds = ['accelerators', 'systems', 'models'];
  if (kind !== undefined && !kinds.includes(kind))
    throw new AifError(ERROR_CODES.INVALID_ARGUMENT, `catalog list: unknown kind '${kind}'`, [
      {
        path: 'kind',
        message: `unknown kind '${kind}'`,
        value: kind,
        expected: `one of: ${kinds.join(', ')}`,
      },
    ]);
  const lines: string[] = [`catalog ${catalog.version}`];
  if (kind === undefined || kind === 'accelerators') {
    lines.push('', 'accelerators');
    lines.push(
      ...table([
        ['id', 'memory', 'bandwidth', 'bf16 TFLOPS', 'fp8 TFLOPS', 'fp4 TFLOPS', 'TDP', 'source'],
        ...[...catalog.accelerators.values()].map((a) => [
          a.id,
          `${gbOf(a.memoryBytes.value)} GB`,
          `${formatNumber(a.memoryBandwidthBytesPerSecond.value / 1e12)} TB/s`,
          tflops(a.peakFlopsPerSecond.bf16),
          tflops(a.peakFlopsPerSecond.fp8),
          tflops(a.peakFlopsPerSecond.fp4),
          `${formatNumber(a.tdpWatts.value)} W`,
          a.memoryBytes.ref.source,
        ]),
      ]),
    );
  }
  if (kind === undefined || kind === 'systems') {
    lines.push('', 'systems');
    lines.push(
      ...table([
        ['id', 'accelerators', 'scale-up domain', 'host W', 'network W', 'price', 'source'],
        ...[...catalog.systems.values()].map((s) => [
          s.id,
          `${s.acceleratorCount} × ${s.acceleratorId}`,
          String(s.scaleUpDomainSize),
          formatNumber(s.hostPowerWatts.value),
          formatNumber(s.networkPowerWatts.value),
          `${formatNumber(s.priceUsd.value)} USD${s.priceUsd.ref.date ? ` (${s.priceUsd.ref.date})` : ''}`,
          s.ref.source,
        ]),
      ]),
    );
  }
  if (kind === undefined || kind === 'models') {
    lines.push('', 'models');
    lines.push(
      ...table([
        ['id', 'params total', 'active/token', 'layers', 'attention', 'experts', 'source'],
        ...[...catalog.models.values()].map((m) => {
          const p = countParams(m);
          return [
            m.id,
            `${formatNumber(p.totalParams / 1e9)} B`,
            `${formatNumber(p.activeParamsPerToken / 1e9)} B`,
            String(m.numLayers),
            m.attention.kind,
            m.moe ? `${m.moe.numActiveExperts} of ${m.moe.numExperts}` : 'dense',
            m.ref.source,
          ];
        }),
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Build the `aifactory` program over the given I/O. Commands throw; `runCli` maps errors to exit codes. */
export function buildProgram(io: CliIo): Command {
  const program = new Command();
  program
    .name('aifactory')
    .description(
      'AI inference infrastructure as a factory: power, hardware and money in, tokens out.',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(run with --help for usage)');

  const catalogOption = () =>
    new Option(
      '--catalog <file>',
      'catalog extension (YAML/JSON) adding or replacing accelerators, systems, models',
    );

  program
    .command('estimate')
    .description(
      'analytical estimate of a scenario: memory fit, plan, throughput, latency, utilization, frontier, power',
    )
    .argument('<scenario>', 'scenario YAML file')
    .option('--json', 'print the full report as JSON')
    .addOption(catalogOption())
    .addOption(calibrationOption())
    .action((file: string, opts: { json?: boolean; catalog?: string; calibration?: string[] }) => {
      const catalog = loadCatalog(io, opts.catalog);
      const calibration = loadCalibration(io, opts.calibration, catalog);
      const text = read(io, file);
      const scenario = parseScenarioYaml(text, file);
      let report;
      try {
        report = estimateScenario(scenario, catalog, calibration);
      } catch (e) {
        // Issues raised after parsing carry paths only: give them the file's positions.
        if (isAifError(e) && e.issues.length) throw locateIssues(e, text, file);
        throw e;
      }
      io.stdout(opts.json ? json(report) : renderEstimate(report));
    });

  program
    .command('run')
    .description(
      'simulate a scenario with the serving twin: the factory scorecard (tokens, latency percentiles, SLO attainment, utilization, power, availability) and a JSON result',
    )
    .argument('<scenario>', 'scenario YAML file')
    .option('--json', 'print the full result as JSON instead of the scorecard')
    .option(
      '--out <file>',
      'where to write the JSON result (default: .aifactory/runs/<name>-<hash>.json)',
    )
    .addOption(catalogOption())
    .addOption(calibrationOption())
    .action(
      (
        file: string,
        opts: { json?: boolean; out?: string; catalog?: string; calibration?: string[] },
      ) => {
        const catalog = loadCatalog(io, opts.catalog);
        const calibration = loadCalibration(io, opts.calibration, catalog);
        const text = read(io, file);
        const scenario = parseScenarioYaml(text, file);
        const progress = progressBar(io, 'simulating');
        let result;
        try {
          result = simulateScenario(scenario, catalog, calibration, {
            toolVersion: TOOL_VERSION,
            ...(progress ? { onProgress: progress.update } : {}),
          });
        } catch (e) {
          if (isAifError(e) && e.issues.length) throw locateIssues(e, text, file);
          throw e;
        } finally {
          progress?.done();
        }
        const slug = scenario.name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '');
        const out =
          opts.out ??
          `.aifactory/runs/${slug || 'run'}-${result.scenario.hash.replace(/^[^:]*:/, '').slice(0, 12)}-seed${scenario.seed}.json`;
        io.writeFile(out, json(result));
        io.stdout(opts.json ? json(result) : renderRun(result, out));
      },
    );

  program
    .command('schema')
    .description('print the JSON Schema of scenario files')
    .action(() => io.stdout(json(scenarioJsonSchema())));

  addEconCommands(program, io, catalogOption, (label) => progressBar(io, label), TOOL_VERSION);
  addServeSimCommand(program, io, catalogOption);
  addServeAppCommand(program, io);
  addReportCommand(program, io);
  addBenchCommand(program, io);
  addPlanCommand(program, io, catalogOption);
  addSweepCommand(program, io, catalogOption);
  addWorkerCommand(program, io);

  const validate = program
    .command('validate')
    .description('compare the model with published and measured data');
  addValidateBenchCommand(validate, io, catalogOption);
  validate
    .command('silicon')
    .description(
      'predict TTFT/TPOT for each row of an aiconfigurator-style silicon CSV and report MAPE',
    )
    .argument(
      '<csv>',
      'CSV with a header row (data/reference/aiconfigurator-silicon/measured-ttft-tpot.csv)',
    )
    .option('--json', 'print rows and summary as JSON')
    .addOption(catalogOption())
    .action((file: string, opts: { json?: boolean; catalog?: string }) => {
      const report = validateSilicon(
        readCsvRows(io, file),
        loadCatalog(io, opts.catalog),
        BUILTIN_CALIBRATION,
      );
      io.stdout(opts.json ? json(siliconJson(report)) : renderSilicon(report, file));
    });
  validate
    .command('mlperf')
    .description(
      'predict MLPerf Inference results (output tok/s per system) and compare with the published values',
    )
    .argument(
      '<public-data.json>',
      'public data file with mlperf_inference_result items (data/reference/public-data.json)',
    )
    .option('--json', 'print cases and summary as JSON')
    .addOption(catalogOption())
    .action((file: string, opts: { json?: boolean; catalog?: string }) => {
      const report = validateMlperf(
        readPublicItems(io, file),
        loadCatalog(io, opts.catalog),
        BUILTIN_CALIBRATION,
      );
      io.stdout(opts.json ? json(mlperfJson(report)) : renderMlperf(report, file));
    });
  validate
    .command('mlenergy')
    .description(
      'predict ML.ENERGY GPU power, throughput and energy per token and compare with the measured values',
    )
    .argument(
      '<public-data.json>',
      'public data file with ml_energy items (data/reference/public-data.json)',
    )
    .option('--json', 'print cases and summary as JSON')
    .addOption(catalogOption())
    .action((file: string, opts: { json?: boolean; catalog?: string }) => {
      const report = validateMlenergy(
        readPublicItems(io, file),
        loadCatalog(io, opts.catalog),
        BUILTIN_CALIBRATION,
      );
      io.stdout(opts.json ? json(report) : renderMlenergy(report, file));
    });

  validate
    .command('vllm-trace')
    .description(
      'replay real vLLM runs through the serving twin (per-request TTFT/TPOT/E2E and the throughput timeline) and check KV capacity, saturated throughput and median TPOT analytically',
    )
    .argument('<dir...>', 'run directories (data/reference/vllm-traces/<gpu>_<model>)')
    .option(
      '--json',
      'print {"requests":[…],"summary":{…}} (one directory) or {"runs":[…]} as JSON',
    )
    .addOption(catalogOption())
    .addOption(calibrationOption())
    .action(
      (dirs: string[], opts: { json?: boolean; catalog?: string; calibration?: string[] }) => {
        const catalog = loadCatalog(io, opts.catalog);
        const calibration = loadCalibration(io, opts.calibration, catalog);
        const runs = dirs.map((dir) => {
          const { meta, requests, ticks, gpu, hardware } = readVllmTrace(io, dir);
          const name = runName(dir);
          const hint = gpu ?? name;
          const args = [name, meta, requests, catalog, calibration, hint, ticks, hardware] as const;
          return { replay: replayVllmTrace(...args), analytical: vllmTraceCase(...args) };
        });
        if (opts.json) {
          const one = (r: (typeof runs)[number]) =>
            'skipped' in r.replay
              ? { ...r.replay, analytical: r.analytical }
              : {
                  requests: r.replay.requests,
                  summary: { ...r.replay.summary, analytical: r.analytical },
                };
          io.stdout(json(runs.length === 1 ? one(runs[0]!) : { runs: runs.map(one) }));
          return;
        }
        io.stdout(
          renderVllmReplays(runs.map((r) => r.replay)) +
            renderVllmTraces(runs.map((r) => r.analytical)),
        );
      },
    );

  const calibrate = program.command('calibrate').description('fit the calibration table');
  addCalibrateCommands(calibrate, io, catalogOption, TOOL_VERSION);
  calibrate
    .command('vllm-trace')
    .description(
      'fit one entry per GPU from measured vLLM runs by replaying them through the serving twin, and write the trace calibration module',
    )
    .argument('<dir...>', 'run directories (data/reference/vllm-traces/<gpu>_<model>)')
    .option('--out <file>', 'TypeScript module to write', DEFAULT_TRACE_CALIBRATION_OUT)
    .option(
      '--max-iterations <n>',
      'Nelder–Mead iterations per fit',
      positiveInt('--max-iterations'),
    )
    .addOption(catalogOption())
    .action((dirs: string[], opts: { out: string; maxIterations?: number; catalog?: string }) => {
      const runs: TraceRun[] = dirs.map((dir) => {
        const { meta, requests, ticks, gpu, hardware } = readVllmTrace(io, dir);
        const name = runName(dir);
        return {
          name,
          meta,
          requests,
          ticks,
          gpuHint: gpu ?? name,
          ...(hardware ? { hardware } : {}),
        };
      });
      const fit = calibrateFromVllmTraces(
        runs,
        loadCatalog(io, opts.catalog),
        SILICON_CALIBRATION,
        {
          ...(opts.maxIterations !== undefined ? { maxIterations: opts.maxIterations } : {}),
        },
      );
      const command = `aifactory calibrate vllm-trace ${dirs.join(' ')} --out ${opts.out}${opts.maxIterations !== undefined ? ` --max-iterations ${opts.maxIterations}` : ''}`;
      io.writeFile(opts.out, renderTraceCalibrationModule(fit, command));
      io.stdout(renderTraceCalibration(fit, opts.out));
    });
  calibrate
    .command('silicon')
    .description(
      'fit efficiencies and overheads per accelerator/engine from a silicon CSV and write the calibration module',
    )
    .argument(
      '<csv>',
      'CSV with a header row (data/reference/aiconfigurator-silicon/measured-ttft-tpot.csv)',
    )
    .option('--out <file>', 'TypeScript module to write', DEFAULT_CALIBRATION_OUT)
    .option(
      '--max-evaluations <n>',
      'objective evaluations per fit',
      positiveInt('--max-evaluations'),
    )
    .option('--no-held-out', 'skip the leave-one-model-out and leave-one-accelerator-out errors')
    .option(
      '--relative <public-data.json>',
      'derive entries for accelerator generations without rows from InferenceX cross-vendor ratios in this file',
    )
    .addOption(catalogOption())
    .action(
      (
        file: string,
        opts: {
          out: string;
          maxEvaluations?: number;
          heldOut: boolean;
          catalog?: string;
          relative?: string;
        },
      ) => {
        const run = calibrateFromSilicon(readCsvRows(io, file), loadCatalog(io, opts.catalog), {
          describe: file.split(/[\\/]/).pop() ?? file,
          ...(opts.maxEvaluations !== undefined ? { maxEvaluations: opts.maxEvaluations } : {}),
          heldOut: opts.heldOut,
          ...(opts.relative ? { relativeItems: readPublicItems(io, opts.relative) } : {}),
        });
        const command = `aifactory calibrate silicon ${file} --out ${opts.out}${opts.maxEvaluations !== undefined ? ` --max-evaluations ${opts.maxEvaluations}` : ''}${opts.heldOut ? '' : ' --no-held-out'}${opts.relative ? ` --relative ${opts.relative}` : ''}`;
        io.writeFile(opts.out, renderCalibrationModule(run, { data: file, command }));
        io.stdout(renderCalibration(run, opts.out));
      },
    );

  program
    .command('catalog')
    .description('inspect the catalog')
    .command('list')
    .description('list catalog entries with key figures and sources')
    .argument('[kind]', 'accelerators | systems | models (default: all)')
    .addOption(catalogOption())
    .action((kind: string | undefined, opts: { catalog?: string }) => {
      io.stdout(catalogList(loadCatalog(io, opts.catalog), kind));
    });

  return program;
}

/** Print an error the way users should see it; return the exit code it maps to. */
export function reportError(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) {
    // Commander has already printed help or the usage problem; --help and --version exit 0.
    return e.exitCode === 0 ? EXIT_OK : EXIT_INPUT;
  }
  if (isAifError(e)) {
    let head = e.message.split('\n')[0] ?? e.message;
    // Some messages restate their issues inline; the issues follow one per line anyway.
    if (e.issues.length && head.length > 120) {
      const counted = /^.*?\(\d+ (?:issues?|problems?|errors?)\)/.exec(head);
      head = counted ? `${counted[0]}:` : `${head.slice(0, 117)}…`;
    }
    const body = e.issues.length
      ? formatIssues(e.issues)
      : e.message.split('\n').slice(1).join('\n');
    io.stderr(`error ${e.code}: ${head}\n${body ? `${body}\n` : ''}`);
    return INPUT_CODES.has(e.code) ? EXIT_INPUT : EXIT_FAILURE;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr(`internal error (a defect — please report it): ${err.stack ?? err.message}\n`);
  return EXIT_FAILURE;
}

/** Run the CLI on `argv` (the arguments after the program name); returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    return reportError(e, io);
  }
}
