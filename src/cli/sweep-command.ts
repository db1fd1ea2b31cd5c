/**
 * `aifactory sweep <spec.yaml>`: a parameter sweep over a base scenario (docs/sweeps.md). The
 * pure driver (`sweep/run.ts`) proposes points; this edge evaluates them through an executor
 * (`src/jobs`: worker threads by default, `--workers 0` in this thread, `--queue <redis-url>`
 * on BullMQ queue workers), each job a `simulate` job carrying the point's fully resolved
 * scenario and seed; prints a summary (points, feasible, Pareto set, chosen configuration) or
 * the JSON, and writes the JSON to `--out` (default `.aifactory/sweeps/…`).
 *
 * `--db <file>`: this process alone writes the store (executors never do): every point as a
 * `sweep-point` run of its scenario, the sweep as a `sweep` run of its base scenario (seed: the
 * sweep's) with the SweepResult JSON. A point whose result the store already holds — a
 * `sweep-point` or `simulate` run of the same scenario, seed and engine version — is read from
 * it instead of simulated again. The orchestration (jobs, store writes) is `executeSweep` in
 * `server/api/sweeps.ts`, which `POST /api/sweeps` runs too.
 */
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { engineVersion } from '../app/engine-version.js';
import { AifError, ERROR_CODES } from '../core/errors.js';
import { canonicalJson } from '../core/hash.js';
import { createQueueExecutor, DEFAULT_QUEUE_NAME } from '../jobs/bullmq-executor.js';
import { createInProcessExecutor } from '../jobs/in-process.js';
import { createWorkerPoolExecutor } from '../jobs/worker-pool.js';
import type { Executor } from '../jobs/types.js';
import { parseScenarioYaml, resolveScenario } from '../scenario/index.js';
import { executeSweep } from '../server/api/sweeps.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/types.js';
import { metricDefinition } from '../sweep/metrics.js';
import { prepareSweep } from '../sweep/points.js';
import type { SweepResult } from '../sweep/run.js';
import { parseSweepSpecYaml, sweepYamlData } from '../sweep/spec.js';
import type { Basis } from '../core/basis.js';
import { BASIS_FIELDS } from '../sweep/basis.js';
import { formatNumber, formatSlo, formatValue, table } from './format.js';
import {
  calibrationOption,
  loadCalibration,
  loadCatalog,
  located,
  read,
  type CliIo,
} from './io.js';

/** What the command is built from; tests pass in-memory parts. */
export interface SweepCommandDeps {
  createWorkerPool?(threads: number): Executor;
  createInProcess?(): Executor;
  createQueue?(url: string, queueName: string): Executor;
  openStore?(path: string): Store;
  nowIso?(): string;
  /** Default worker threads when `--workers` is not given (default: the CPUs available). */
  defaultWorkers?(): number;
}

interface SweepOptions {
  workers?: string;
  queue?: string;
  queueName: string;
  json?: boolean;
  out?: string;
  db?: string;
  catalog?: string;
  calibration?: string[];
}

const count = (s: string, name: string, min: number): number => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < min)
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      `${name} must be an integer ≥ ${min}, got '${s}'`,
    );
  return n;
};

const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'sweep';

const shortHash = (h: string): string => h.replace(/^[^:]*:/, '').slice(0, 12);

// ---------------------------------------------------------------------------------------------
// Summary text
// ---------------------------------------------------------------------------------------------

const showValue = (v: unknown): string =>
  typeof v === 'number' ? formatNumber(v) : typeof v === 'string' ? v : JSON.stringify(v);

function metricCell(p: SweepResult['points'][number], id: string): string {
  const v = p.metrics.values[id];
  if (v === undefined) return '—';
  const unit = metricDefinition(id)?.unit ?? '';
  return unit === 's' || unit === 'fraction' ? formatValue(v, unit) : formatNumber(v);
}

/** Axis column titles: the last path segment, or the whole path where two would clash. */
function axisTitles(paths: readonly string[]): string[] {
  const last = paths.map((p) => p.split('.').at(-1)!);
  return paths.map((p, i) => (last.filter((x) => x === last[i]).length > 1 ? p : last[i]!));
}

/** A basis field's value in words (`source` is left to the JSON: it is long). */
function basisField(f: keyof Basis, v: unknown): string {
  if (f === 'slo') return `slo ${formatSlo(v as Basis['slo'])}`;
  if (f === 'energyPriceUsdPerKwh') return `${f} ${formatNumber(v as number)} USD/kWh`;
  return `${f} ${String(v)}`;
}

/**
 * The basis of the figures shown (DESIGN §1): the fields every shown metric shares at every
 * point once, then per metric its other shared fields and the fields that vary between points.
 */
function basisLines(r: SweepResult, metrics: readonly string[]): string[] {
  const summaries = metrics.map((m) => [m, r.basis[m]] as const);
  const withPoints = summaries.filter(([, b]) => b && b.points > 0);
  const shared = BASIS_FIELDS.filter(
    (f) =>
      f !== 'source' &&
      withPoints.length > 0 &&
      withPoints.every(
        ([, b]) =>
          b!.common[f] !== undefined &&
          canonicalJson(b!.common[f]) === canonicalJson(withPoints[0]![1]!.common[f]),
      ),
  );
  const text = (common: Partial<Basis>, skip: readonly string[]) =>
    BASIS_FIELDS.filter((f) => f !== 'source' && !skip.includes(f) && common[f] !== undefined)
      .map((f) => basisField(f, common[f]))
      .join(' · ');
  const lines = [
    '',
    `  basis, every point: ${
      withPoints.length
        ? text(
            withPoints[0]![1]!.common,
            BASIS_FIELDS.filter((f) => !shared.includes(f)),
          ) || '(no field shared by every figure)'
        : 'no figure has a value'
    }`,
  ];
  lines.push(
    ...table(
      summaries.map(([m, b]) => {
        if (!b || b.points === 0) return [m, 'no value at any point', ''];
        const varies = b.varies.length
          ? `varies over points: ${b.varies.join(', ')}`
          : 'same at every point';
        return [
          m,
          text(b.common, shared) || '—',
          b.incomparable.length
            ? `${varies} — NOT COMPARABLE (${b.incomparable.join(', ')} differ): not ranked`
            : varies,
        ];
      }),
      '    ',
    ),
    '  (a field varies where an axis changes it: the hardware shows in `source` (its calibration), the load in `utilization`; sources and each point’s basis: --json)',
  );
  return lines;
}

export function renderSweep(
  r: SweepResult,
  info: { executor: string; seconds?: number; out: string; cached: number },
): string {
  const o = r.objective;
  const unitOf = (id: string) => metricDefinition(id)?.unit ?? '';
  const lines: string[] = [
    `Sweep ${r.name} — ${r.strategy.kind}, ${r.counts.points} points (${r.counts.feasible} feasible${r.counts.failed ? `, ${r.counts.failed} failed` : ''}), ${r.counts.batches} batch${r.counts.batches === 1 ? '' : 'es'}`,
    `  executor     ${info.executor}${info.cached ? ` (${info.cached} results read from the store)` : ''}${info.seconds !== undefined ? `, ${info.seconds.toFixed(1)} s` : ''}`,
    `  engine       ${r.engineVersion}`,
    `  spec         ${r.specHash}, seed ${r.seed}`,
    `  objective    ${o.sense} ${o.metric} (${unitOf(o.metric)})`,
    `  constraints  ${r.constraints.length ? r.constraints.map((c) => [c.min !== undefined ? `${c.metric} ≥ ${c.min} ${unitOf(c.metric)}` : '', c.max !== undefined ? `${c.metric} ≤ ${c.max} ${unitOf(c.metric)}` : ''].filter(Boolean).join(', ')).join('; ') : 'none'}`,
    `  Pareto over  ${r.pareto.objectives.map((x) => `${x.metric} ${x.sense === 'minimize' ? '↓' : '↑'}`).join(', ')}`,
    '',
  ];
  // Axes with one value over every point (settings such as the simulated time) are stated once.
  const valuesAt = (path: string) =>
    new Set(
      r.points.map((p) => canonicalJson(p.assignments.find((a) => a.path === path)?.value ?? null)),
    );
  const allPaths = [...new Set(r.points.flatMap((p) => p.assignments.map((a) => a.path)))];
  const fixed = allPaths.filter((path) => r.points.length > 1 && valuesAt(path).size === 1);
  const paths = allPaths.filter((path) => !fixed.includes(path));
  const shown = (as: readonly { path: string; value: unknown }[]) =>
    as
      .filter((a) => !fixed.includes(a.path))
      .map((a) => `${a.path} = ${showValue(a.value)}`)
      .join(', ');
  if (fixed.length)
    lines.splice(
      lines.length - 1,
      0,
      `  every point  ${fixed.map((path) => `${path} = ${showValue(r.points[0]!.assignments.find((a) => a.path === path)!.value)}`).join(', ')}`,
    );
  const metrics = [
    ...new Set([
      o.metric,
      ...r.constraints.map((c) => c.metric),
      ...r.pareto.objectives.map((x) => x.metric),
    ]),
  ];
  const pareto = new Set(r.pareto.keys);
  // Best first: feasible before infeasible, then by the objective, then by job key.
  const sign = o.sense === 'maximize' ? -1 : 1;
  const rows = [...r.points].sort((a, b) => {
    if (a.feasible !== b.feasible) return a.feasible ? -1 : 1;
    const va = a.metrics.values[o.metric];
    const vb = b.metrics.values[o.metric];
    if (va !== vb) return va === undefined ? 1 : vb === undefined ? -1 : sign * (va - vb);
    return a.key < b.key ? -1 : 1;
  });
  lines.push(
    ...table([
      ['', ...axisTitles(paths), ...metrics.map((m) => `${m} (${unitOf(m)})`), 'feasible', 'key'],
      ...rows.map((p) => [
        `${p.key === r.chosen?.key ? '>' : ''}${pareto.has(p.key) ? '*' : ''}`,
        ...paths.map((path) => {
          const a = p.assignments.find((x) => x.path === path);
          return a ? showValue(a.value) : '';
        }),
        ...metrics.map((m) => metricCell(p, m)),
        p.error
          ? `failed: ${p.error.message.split('\n')[0]}`
          : p.feasible
            ? 'yes'
            : `no: ${p.violations.map((v) => `${v.metric} ${v.bound === 'max' ? '>' : '<'} ${v.limit}${v.absent ? ' (absent)' : ''}`).join(', ')}`,
        shortHash(p.key),
      ]),
    ]),
    '  (> chosen, * Pareto set)',
    ...basisLines(r, metrics),
  );
  const cap = r.search.capacity;
  if (cap) {
    lines.push('', `  capacity: ${cap.rule}; ${cap.roundsToTolerance} rounds to tolerance`);
    lines.push(
      ...table(
        [
          [
            ...axisTitles(
              paths.filter((p) => cap.searches[0]?.assignments.some((a) => a.path === p)),
            ),
            'capacity',
            'bracket',
            'rounds',
            'status',
          ],
          ...cap.searches.map((s) => [
            ...s.assignments.filter((a) => !fixed.includes(a.path)).map((a) => showValue(a.value)),
            s.capacity === null ? '—' : formatNumber(s.capacity),
            `[${s.lowerBound === null ? '—' : formatNumber(s.lowerBound)}, ${s.upperBound === null ? '—' : formatNumber(s.upperBound)})`,
            String(s.rounds),
            `${s.status}${s.converged ? '' : ' (maxIterations reached)'}`,
          ]),
        ],
        '    ',
      ),
    );
  }
  lines.push('');
  if (r.chosen)
    lines.push(
      `  chosen: ${shown(r.chosen.assignments) || 'the only point'} — ${r.chosen.metric} ${formatNumber(r.chosen.value)} ${unitOf(r.chosen.metric)} (point ${shortHash(r.chosen.key)})`,
    );
  else lines.push(`  chosen: none — ${r.chosenReason ?? ''}`);
  lines.push(
    r.pareto.refused
      ? `  Pareto set: refused — ${r.pareto.refused}`
      : `  Pareto set: ${r.pareto.keys.length} point${r.pareto.keys.length === 1 ? '' : 's'}${r.pareto.leftOut ? ` (${r.pareto.leftOut} feasible points lack a Pareto metric)` : ''}`,
  );
  const absentMoney = r.points.find((p) => p.metrics.absent.usdPerHour)?.metrics.absent.usdPerHour;
  if (absentMoney) lines.push(`  note: cost metrics absent — ${absentMoney}`);
  const warned = r.points.filter((p) => p.warnings.length).length;
  if (warned)
    lines.push(
      `  note: ${warned} point${warned === 1 ? '' : 's'} with simulation warnings (overload, rejected requests): see the JSON`,
    );
  lines.push(`  JSON written to ${info.out}`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------------------------

export function addSweepCommand(
  program: Command,
  io: CliIo,
  catalogOption: () => Option,
  deps: SweepCommandDeps = {},
): void {
  const parts = {
    createWorkerPool:
      deps.createWorkerPool ?? ((threads: number) => createWorkerPoolExecutor({ threads })),
    createInProcess: deps.createInProcess ?? createInProcessExecutor,
    createQueue:
      deps.createQueue ??
      ((url: string, queueName: string) => createQueueExecutor(url, { queueName })),
    openStore: deps.openStore ?? ((path: string) => openSqliteStore(path)),
    nowIso: deps.nowIso ?? (() => new Date().toISOString()),
    defaultWorkers: deps.defaultWorkers ?? availableParallelism,
  };
  program
    .command('sweep')
    .description(
      'parameter sweep over a base scenario (grid, random or capacity search) through an executor: metrics per point, constraints, Pareto set, chosen configuration (docs/sweeps.md)',
    )
    .argument('<spec>', 'sweep spec YAML file (see examples/sweep-chat-h100.yaml)')
    .option(
      '--workers <n>',
      'worker threads (0: run in this thread; default: the CPUs available, at most one per point)',
    )
    .option(
      '--queue <redis-url>',
      'run the points on BullMQ queue workers (`aifactory worker --queue <url>`) instead of threads',
    )
    .option('--queue-name <name>', 'queue name (the workers’ --queue-name)', DEFAULT_QUEUE_NAME)
    .option('--json', 'print the SweepResult JSON instead of the summary')
    .option(
      '--out <file>',
      'where to write the JSON (default: .aifactory/sweeps/<name>-<spec hash>.json)',
    )
    .option(
      '--db <file>',
      'SQLite store: keep every point and the sweep as runs, reuse stored results',
    )
    .addOption(catalogOption())
    .addOption(calibrationOption())
    .action(async (file: string, opts: SweepOptions) => {
      if (opts.queue !== undefined && opts.workers !== undefined)
        throw new AifError(ERROR_CODES.INVALID_ARGUMENT, 'give --queue or --workers, not both');
      const workers = opts.workers === undefined ? undefined : count(opts.workers, '--workers', 0);
      const catalog = loadCatalog(io, opts.catalog);
      const calibration = loadCalibration(io, opts.calibration, catalog);
      const engine = engineVersion(catalog, calibration);
      // The engine travels with every job: worker threads and queue workers build the same one.
      const engineInputs = {
        ...(opts.catalog !== undefined
          ? { catalogExtension: parseYaml(read(io, opts.catalog)) as unknown }
          : {}),
        ...(opts.calibration?.length
          ? { calibrationFilesJson: opts.calibration.map((f) => read(io, f)) }
          : {}),
      };

      const text = read(io, file);
      const spec = parseSweepSpecYaml(text, file);
      let base: unknown = spec.base;
      if (spec.baseFile !== undefined) {
        const baseFile = join(dirname(file), spec.baseFile);
        const baseText = read(io, baseFile);
        const scenario = parseScenarioYaml(baseText, baseFile);
        located(baseText, baseFile, () => resolveScenario(scenario, catalog));
        base = sweepYamlData(baseText, baseFile);
      }
      const prep = located(text, file, () =>
        prepareSweep(spec, base, {
          engineVersion: engine,
          catalog,
          basePath: spec.baseFile === undefined ? 'base' : '',
        }),
      );

      const store = opts.db !== undefined ? parts.openStore(opts.db) : undefined;
      let executor: Executor | undefined;
      const executorFor = (batchSize: number): Executor => {
        if (executor) return executor;
        if (opts.queue !== undefined) executor = parts.createQueue(opts.queue, opts.queueName);
        else if (workers === 0) executor = parts.createInProcess();
        else
          executor = parts.createWorkerPool(
            workers ?? Math.max(1, Math.min(parts.defaultWorkers(), batchSize)),
          );
        return executor;
      };
      const progress = progressLine(io);
      let outcome: { result: SweepResult; resultJson: string; cached: number };
      let t0: number | undefined;
      try {
        const execution = executeSweep(
          { prep, catalog, engineVersion: engine, engineInputs, specText: text, specFile: file },
          {
            ...(store ? { store } : {}),
            executorFor,
            nowIso: parts.nowIso,
            ...(progress ? { onJobDone: progress } : {}),
          },
        );
        t0 = io.nowMs?.();
        try {
          outcome = await execution.done;
        } finally {
          progress?.(-1, 0, '');
          await executor?.close();
        }
      } finally {
        store?.close();
      }
      const { result, resultJson, cached } = outcome;
      const out =
        opts.out ?? `.aifactory/sweeps/${slug(spec.name)}-${shortHash(prep.specHash)}.json`;
      io.writeFile(out, resultJson);
      const seconds = t0 !== undefined && io.nowMs ? (io.nowMs() - t0) / 1000 : undefined;
      io.stdout(
        opts.json
          ? resultJson
          : renderSweep(result, {
              executor: executor?.name ?? 'none',
              out,
              cached,
              ...(seconds !== undefined ? { seconds } : {}),
            }),
      );
    });
}

/** `sweep: 12 points done (worker-threads(2))` redrawn on a terminal; silent otherwise. */
function progressLine(
  io: CliIo,
): ((simulated: number, total: number, executor: string) => void) | undefined {
  if (!io.stderrIsTty || !io.nowMs) return undefined;
  let shown = false;
  return (simulated, total, executor) => {
    if (simulated < 0) {
      if (shown) io.stderr('\n');
      return;
    }
    shown = true;
    io.stderr(`\rsweep: ${total} points done (${simulated} simulated on ${executor})`);
  };
}
