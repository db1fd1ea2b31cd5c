/**
 * `aifactory calibrate bench <scenario> <report.json…> --out cal.json` and `aifactory calibrate
 * probe <dataset.json> --out cal.json`: fit a calibration entry from the user's own measurements
 * (app/calibrate-bench.ts, app/calibrate-probe.ts) and write a calibration file
 * (perf/calibration-file.ts) that `--calibration cal.json` layers over the built-in table.
 */
import type { Command, Option } from 'commander';
import { calibrateFromBench, type BenchCalibration } from '../app/calibrate-bench.js';
import { calibrateFromProbe, type ProbeCalibration } from '../app/calibrate-probe.js';
import { AifError, ERROR_CODES, isAifError } from '../core/errors.js';
import type { CalibrationParams, RequiredParamKey } from '../perf/calibration.js';
import { parseCalibrationFile, type CalibrationProvenance } from '../perf/calibration-file.js';
import { parseGpuProbeDatasetJson } from '../measure/probe-dataset.js';
import { locateIssues, parseScenarioYaml } from '../scenario/index.js';
import { table } from './format.js';
import {
  calibrationOption,
  inputError,
  json,
  loadCalibration,
  loadCatalog,
  read,
  type CliIo,
} from './io.js';
import { contentId, dbOption, recordInStore } from './store-record.js';

/** `--db`: keep the calibration file in the store with a one-line provenance. */
function recordCalibration(
  db: string | undefined,
  fileJson: string,
  p: CalibrationProvenance,
): void {
  recordInStore(db, (store, nowIso) =>
    store.putCalibration({
      id: contentId('cal', fileJson),
      fileJson,
      provenance: `${p.method} from ${p.files.join(', ')} at ${p.createdAt}${p.command ? ` (${p.command})` : ''}`,
      createdAt: nowIso,
    }),
  );
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
const ms = (s: number): string => `${(s * 1000).toPrecision(4)} ms`;
const val = (k: keyof CalibrationParams, v: number): string =>
  /Seconds$/.test(k) ? `${(v * 1000).toPrecision(4)} ms` : v.toPrecision(4);

function positiveInt(option: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new AifError(ERROR_CODES.INVALID_ARGUMENT, `--${option} must be a positive integer`, [
      { path: option, message: 'not a positive integer', value: v, expected: 'an integer ≥ 1' },
    ]);
  return n;
}

function parseJson(io: CliIo, file: string): unknown {
  const text = read(io, file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw inputError(`${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The fitted-or-kept table of a calibration: each parameter at the start and now, and why. */
function decisionTable(c: {
  decisions: readonly { param: RequiredParamKey; fitted: boolean; reason: string }[];
  start: { params: CalibrationParams };
  entry: { params: CalibrationParams };
}): string[] {
  return table([
    ['parameter', 'start', 'now', 'decision'],
    ...c.decisions.map((d) => [
      d.param,
      val(d.param, c.start.params[d.param]),
      val(d.param, c.entry.params[d.param]),
      `${d.fitted ? 'fitted' : 'kept'}: ${d.reason}`,
    ]),
  ]);
}

export function renderBenchCalibration(c: BenchCalibration, out: string): string {
  const lines: string[] = [
    `calibrate bench: entry ${c.entry.key} for deployment '${c.deployment.name}' (${c.deployment.plan}, ${c.deployment.replicas} replica${c.deployment.replicas === 1 ? '' : 's'}, plan from the ${c.deployment.planChosenBy}); started from ${c.start.key}`,
    '',
    'parameters',
    ...decisionTable(c),
    '',
    'stages (mean TTFT and TPOT: measured, start entry, fitted entry)',
    ...table([
      [
        'file',
        'stage',
        'TTFT meas',
        'start',
        'fitted',
        'err',
        'TPOT meas',
        'start',
        'fitted',
        'err',
      ],
      ...c.stages.map((s) => [
        s.file,
        `${s.stage} ${s.label}`,
        ms(s.measured.ttftSeconds),
        ms(s.before.ttftSeconds),
        ms(s.after.ttftSeconds),
        pct(s.ttftErrorPct),
        ms(s.measured.tpotSeconds),
        ms(s.before.tpotSeconds),
        ms(s.after.tpotSeconds),
        pct(s.tpotErrorPct),
      ]),
    ]),
    '',
    `in-sample MAPE: TTFT ${c.before.ttftMapePct.toFixed(1)}% → ${c.after.ttftMapePct.toFixed(1)}%, TPOT ${c.before.tpotMapePct.toFixed(1)}% → ${c.after.tpotMapePct.toFixed(1)}% (start entry → fitted)`,
  ];
  if (c.skipped.length)
    lines.push(
      '',
      'skipped',
      ...c.skipped.map((s) => `  ${s.file} stage ${s.stage ?? '—'} (${s.label}): ${s.reason}`),
    );
  for (const u of c.atUpperBound)
    lines.push(`WARNING ${u.param} = ${u.value} at the upper bound: the data want η ≥ 1`);
  lines.push('', `wrote ${out} — use it with --calibration ${out}`, '');
  return lines.join('\n');
}

export function renderProbeCalibration(c: ProbeCalibration, out: string): string {
  const lines: string[] = [
    `calibrate probe: entry ${c.entry.key} for ${c.accelerator}; started from ${c.start.key}`,
    '',
    'measured ÷ catalog peak',
    ...table([
      ['measurement', 'measured', 'peak', 'η', 'used'],
      ...c.efficiencies.map((e) => [
        e.what,
        `${e.measured.toPrecision(6)} ${e.unit}`,
        `${e.peak.toPrecision(6)} ${e.unit}`,
        e.efficiency.toFixed(4),
        e.used ? 'yes' : '',
      ]),
    ]),
    '',
    'fitted from the layer-stack steps',
    ...decisionTable(c),
    '',
    ...table([
      ['step', 'batch', 'context', 'measured', 'predicted', 'err'],
      ...c.steps.map((s) => [
        s.phase,
        String(s.batchSize),
        String(s.contextLength),
        ms(s.measuredSeconds),
        ms(s.predictedSeconds),
        pct(s.errorPct),
      ]),
    ]),
    '',
    `step-time MAPE ${c.stepTimeMapePct.toFixed(1)}% (in-sample)`,
    ...c.notes.map((n) => `note: ${n}`),
    '',
    `wrote ${out} — use it with --calibration ${out}`,
    '',
  ];
  return lines.join('\n');
}

/** Add `bench` and `probe` under the existing `calibrate` command. */
export function addCalibrateCommands(
  calibrate: Command,
  io: CliIo,
  catalogOption: () => Option,
  toolVersion: string,
): void {
  calibrate
    .command('bench')
    .description(
      'fit the calibration of a measured deployment from `aifactory bench --report` files and write a calibration file',
    )
    .argument('<scenario>', 'scenario YAML naming the deployment that was measured')
    .argument('<report...>', 'bench report JSON files (`aifactory bench --report`)')
    .requiredOption('--out <file>', 'calibration file (JSON) to write')
    .option('--deployment <name>', 'the deployment measured, when the scenario has several')
    .option(
      '--served-model <name>',
      "name the endpoint serves the scenario's model under (when neither its id nor an hfId)",
    )
    .option('--max-iterations <n>', 'Nelder–Mead iterations per simplex (default 300)')
    .option('--json', 'print the fit report as JSON')
    .addOption(catalogOption())
    .addOption(calibrationOption())
    .addOption(dbOption('the calibration file'))
    .action(
      (
        scenarioFile: string,
        reportFiles: string[],
        opts: {
          out: string;
          deployment?: string;
          servedModel?: string;
          maxIterations?: string;
          json?: boolean;
          catalog?: string;
          calibration?: string[];
          db?: string;
        },
      ) => {
        const catalog = loadCatalog(io, opts.catalog);
        const base = loadCalibration(io, opts.calibration, catalog);
        const text = read(io, scenarioFile);
        const scenario = parseScenarioYaml(text, scenarioFile);
        const maxIterations = positiveInt('max-iterations', opts.maxIterations);
        const command = [
          'aifactory calibrate bench',
          scenarioFile,
          ...reportFiles,
          `--out ${opts.out}`,
          ...(opts.deployment ? [`--deployment ${opts.deployment}`] : []),
          ...(opts.servedModel ? [`--served-model ${opts.servedModel}`] : []),
          ...(opts.calibration?.length ? [`--calibration ${opts.calibration.join(' ')}`] : []),
        ].join(' ');
        let fit: BenchCalibration;
        try {
          fit = calibrateFromBench(
            scenario,
            reportFiles.map((file) => ({ file, data: parseJson(io, file) })),
            catalog,
            base,
            {
              createdAt: new Date().toISOString(),
              scenarioFile,
              command,
              toolVersion,
              ...(opts.deployment ? { deployment: opts.deployment } : {}),
              ...(opts.servedModel ? { servedModel: opts.servedModel } : {}),
              ...(maxIterations !== undefined ? { maxIterations } : {}),
            },
          );
        } catch (e) {
          // Scenario-path issues (no file named) get the scenario file's positions.
          if (isAifError(e) && e.issues.length && e.issues.every((i) => i.file === undefined))
            throw locateIssues(e, text, scenarioFile);
          throw e;
        }
        const fileJson = json(parseCalibrationFile(fit.file, opts.out));
        io.writeFile(opts.out, fileJson);
        recordCalibration(opts.db, fileJson, fit.file.provenance);
        io.stdout(opts.json ? json(fit) : renderBenchCalibration(fit, opts.out));
      },
    );

  calibrate
    .command('probe')
    .description(
      'derive GEMM and memory efficiency (measured ÷ catalog peak) and fit the per-layer floor from a GPU probe dataset; write a calibration file',
    )
    .argument('<dataset>', 'GPU probe dataset JSON (probe/gpu/probe.py)')
    .requiredOption('--out <file>', 'calibration file (JSON) to write')
    .option('--engine <name>', 'engine the entry is keyed for (the probe runs none)', 'vllm')
    .option('--max-iterations <n>', 'Nelder–Mead iterations per simplex (default 300)')
    .option('--json', 'print the fit report as JSON')
    .addOption(catalogOption())
    .addOption(calibrationOption())
    .addOption(dbOption('the calibration file'))
    .action(
      (
        file: string,
        opts: {
          out: string;
          engine: string;
          maxIterations?: string;
          json?: boolean;
          catalog?: string;
          calibration?: string[];
          db?: string;
        },
      ) => {
        const dataset = parseGpuProbeDatasetJson(read(io, file), file);
        const maxIterations = positiveInt('max-iterations', opts.maxIterations);
        const catalog = loadCatalog(io, opts.catalog);
        const fit = calibrateFromProbe(
          dataset,
          catalog,
          loadCalibration(io, opts.calibration, catalog),
          {
            file,
            engine: opts.engine,
            createdAt: new Date().toISOString(),
            command: `aifactory calibrate probe ${file} --out ${opts.out} --engine ${opts.engine}`,
            toolVersion,
            ...(maxIterations !== undefined ? { maxIterations } : {}),
          },
        );
        const fileJson = json(parseCalibrationFile(fit.file, opts.out));
        io.writeFile(opts.out, fileJson);
        recordCalibration(opts.db, fileJson, fit.file.provenance);
        io.stdout(opts.json ? json(fit) : renderProbeCalibration(fit, opts.out));
      },
    );
}
