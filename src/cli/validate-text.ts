/**
 * Human and JSON forms of the validation reports (silicon, MLPerf, ML.ENERGY) and of a
 * calibration run.
 */
import type { CalibrationRun } from '../app/calibrate.js';
import type { MlenergyReport } from '../validation/mlenergy.js';
import type { MlperfReport } from '../validation/mlperf.js';
import type { MapeSummary, SiliconReport } from '../validation/silicon.js';
import type { VllmTraceCase } from '../validation/vllm-trace.js';
import type { ErrorStats, ReplayResult } from '../validation/vllm-replay.js';
import type { TraceCalibration } from '../app/calibrate-traces.js';
import { formatNumber, formatPct, table } from './format.js';

const pct = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(1)}%` : 'n/a');

// ---------------------------------------------------------------------------------------------
// silicon
// ---------------------------------------------------------------------------------------------

/** `validate silicon --json`: rows stripped to exactly the documented keys. */
export function siliconJson(r: SiliconReport): unknown {
  return {
    rows: r.rows.map((x) =>
      'skipped' in x
        ? { id: x.id, skipped: true, reason: x.reason }
        : {
            id: x.id,
            predictedTtftMs: x.predictedTtftMs,
            predictedTpotMs: x.predictedTpotMs,
            measuredTtftMs: x.measuredTtftMs,
            measuredTpotMs: x.measuredTpotMs,
          },
    ),
    summary: r.summary,
  };
}

function mapeTable(title: string, groups: Record<string, MapeSummary>): string[] {
  const rows = Object.entries(groups).map(([k, s]) => [
    k,
    String(s.rows),
    pct(s.ttftMapePct),
    pct(s.ttftMedianApePct),
    pct(s.tpotMapePct),
    pct(s.tpotMedianApePct),
  ]);
  return [
    `  by ${title}`,
    ...table(
      [[title, 'rows', 'TTFT MAPE', 'TTFT median', 'TPOT MAPE', 'TPOT median'], ...rows],
      '    ',
    ),
  ];
}

export function renderSilicon(r: SiliconReport, file: string): string {
  const s = r.summary;
  const o = s.overall;
  const lines = [
    `validate silicon ${file}: measured TTFT/TPOT vs the model (modeled vs measured; the calibration is fitted on the aggregated rows, so they are in-sample)`,
    `  rows ${r.rows.length}: predicted ${o.rows + (s.disaggregated?.rows ?? 0)}, skipped ${s.skipped}`,
    `  overall (aggregated rows, analytical model, in-sample): TTFT MAPE ${pct(o.ttftMapePct)} (median APE ${pct(o.ttftMedianApePct)}), TPOT MAPE ${pct(o.tpotMapePct)} (median APE ${pct(o.tpotMedianApePct)})`,
    ...(s.disaggregated
      ? [
          `  disaggregated rows (${s.disaggregated.rows}; serving twin with prefill and decode pools, held out): TTFT MAPE ${pct(s.disaggregated.ttftMapePct)} (median APE ${pct(s.disaggregated.ttftMedianApePct)}), TPOT MAPE ${pct(s.disaggregated.tpotMapePct)} (median APE ${pct(s.disaggregated.tpotMedianApePct)})`,
        ]
      : []),
    '  aggregated rows',
    ...mapeTable('system', s.bySystem),
    ...mapeTable('backend', s.byBackend),
    ...mapeTable('model', s.byModel),
  ];
  const reasons = Object.entries(s.skippedByReason).sort(
    (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
  );
  if (reasons.length)
    lines.push(
      '  skipped by reason',
      ...table(
        reasons.map(([k, n]) => [String(n), k]),
        '    ',
      ),
    );
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// MLPerf
// ---------------------------------------------------------------------------------------------

/** `validate mlperf --json`: the required keys first, plus basis and flags of predicted cases. */
export function mlperfJson(r: MlperfReport): unknown {
  return {
    cases: r.cases.map((c) =>
      'skipped' in c
        ? {
            item: c.item,
            skipped: true,
            reason: c.reason,
            ...(c.scenario ? { scenario: c.scenario } : {}),
            countsAsFailure: c.countsAsFailure,
          }
        : {
            item: c.item,
            scenario: c.scenario,
            predicted: c.predicted,
            published: c.published,
            errorPct: c.errorPct,
            basis: c.basis,
            flags: c.flags,
            // Server/Interactive: the twin's search and the analytical estimate it replaces.
            ...(c.details ? { details: c.details } : {}),
          },
    ),
    summary: r.summary,
  };
}

export function renderMlperf(r: MlperfReport, file: string): string {
  const lines = [
    `validate mlperf ${file}: predicted vs published output tok/s per system (modeled vs published)`,
  ];
  for (const c of r.cases) {
    if ('skipped' in c) {
      lines.push(
        `  SKIP  ${c.item} — ${c.reason}${c.countsAsFailure ? ' [counts as failure]' : ''}`,
      );
    } else {
      lines.push(
        `  ${formatPct(c.errorPct).padStart(8)}  predicted ${formatNumber(c.predicted)}  published ${formatNumber(c.published)} tok/s  ${c.item}`,
        `            plan ${c.basis.plan}; precision ${c.basis.precision}; engine ${c.basis.engine}; calib ${c.basis.calibration}`,
        ...(c.details
          ? [
              `            analytical ${formatNumber(c.details.analyticalTokensPerSecond)} tok/s (${formatPct(c.details.analyticalErrorPct)})`,
            ]
          : []),
        ...c.flags.map((f) => `            flag: ${f}`),
      );
    }
  }
  const s = r.summary;
  lines.push(
    '',
    `  summary: predicted ${s.predicted}, skipped ${s.skipped} (failures ${s.failures}), flagged ${s.flagged}`,
  );
  const rows = Object.entries(s.byScenario).map(([k, v]) => [
    k,
    String(v.n),
    pct(v.medianAbsErrorPct),
    pct(v.p90AbsErrorPct),
    formatPct(v.meanSignedErrorPct),
  ]);
  if (rows.length)
    lines.push(
      ...table([['scenario', 'n', 'median |err|', 'p90 |err|', 'mean signed'], ...rows], '    '),
    );
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// ML.ENERGY (printed generically: figures are objects of named numbers)
// ---------------------------------------------------------------------------------------------

const flatNumbers = (o: unknown, prefix = ''): [string, number][] => {
  if (typeof o === 'number') return [[prefix, o]];
  if (o === null || typeof o !== 'object') return [];
  return Object.entries(o).flatMap(([k, v]) => flatNumbers(v, prefix ? `${prefix}.${k}` : k));
};

const describeValue = (v: unknown): string =>
  typeof v === 'number' ? formatNumber(v) : typeof v === 'string' ? v : JSON.stringify(v);

export function renderMlenergy(r: MlenergyReport, file: string): string {
  const lines = [
    `validate mlenergy ${file}: predicted vs ML.ENERGY measured GPU power, throughput and energy per token (boundary: chip)`,
  ];
  for (const c of r.cases) {
    if ('skipped' in c) {
      lines.push(`  SKIP  ${c.item} — ${c.reason}`);
      continue;
    }
    lines.push(`  ${c.item}`);
    const predicted = new Map(flatNumbers(c.predicted));
    const published = new Map(flatNumbers(c.published));
    const error = new Map(flatNumbers(c.errorPct));
    lines.push(
      ...table(
        [...predicted.keys()].map((k) => [
          k,
          `predicted ${formatNumber(predicted.get(k)!)}`,
          `published ${published.has(k) ? formatNumber(published.get(k)!) : 'n/a'}`,
          error.has(k) ? formatPct(error.get(k)!) : '',
        ]),
        '      ',
      ),
    );
    const basis = Object.entries(c.basis as unknown as Record<string, unknown>);
    const scalars = basis.filter(([, v]) => !Array.isArray(v));
    lines.push(`      basis: ${scalars.map(([k, v]) => `${k} ${describeValue(v)}`).join('; ')}`);
    for (const [k, v] of basis.filter(([, x]) => Array.isArray(x)))
      lines.push(`      ${k}:`, ...(v as unknown[]).map((x) => `        · ${describeValue(x)}`));
  }
  lines.push('', '  summary');
  for (const [k, v] of flatNumbers(r.summary))
    lines.push(`    ${k}: ${k.toLowerCase().includes('pct') ? pct(v) : formatNumber(v)}`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// calibrate
// ---------------------------------------------------------------------------------------------

export function renderCalibration(run: CalibrationRun, out: string): string {
  const errRows = (
    rec: Record<string, { rows: number; ttftMapePct: number; tpotMapePct: number }>,
  ) =>
    Object.entries(rec)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, e]) => [k, String(e.rows), pct(e.ttftMapePct), pct(e.tpotMapePct)]);
  const head = ['key', 'rows', 'TTFT MAPE', 'TPOT MAPE'];
  const lines = [
    `calibrate silicon: ${run.rowsUsed} rows used; wrote ${out}`,
    '  in-sample fit error per key',
    ...table([head, ...errRows(run.fitErrors)], '    '),
  ];
  const lomo = errRows(run.heldOut.leaveOneModelOut);
  const loao = errRows(run.heldOut.leaveOneAcceleratorOut);
  if (lomo.length)
    lines.push(
      '  held out: leave one model out (pooled fit without the model)',
      ...table([['model', 'rows', 'TTFT MAPE', 'TPOT MAPE'], ...lomo], '    '),
    );
  if (loao.length)
    lines.push(
      '  held out: leave one accelerator out',
      ...table([['accelerator', 'rows', 'TTFT MAPE', 'TPOT MAPE'], ...loao], '    '),
    );
  if (!lomo.length && !loao.length) lines.push('  held-out errors not computed (--no-held-out)');
  if (run.atUpperBound.length) {
    lines.push(
      '  efficiencies at the upper bound (η ≥ 0.98: the model or the data is suspect — investigate, do not absorb)',
    );
    lines.push(
      ...table(
        run.atUpperBound.map((u) => [u.key, u.param, u.value.toFixed(3)]),
        '    ',
      ),
    );
  } else lines.push('  no efficiency at the upper bound');
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// vLLM traces
// ---------------------------------------------------------------------------------------------

export function renderVllmTraces(cases: VllmTraceCase[]): string {
  const lines = [
    'validate vllm-trace — analytical checks (KV capacity the engine logged, saturated throughput, median TPOT)',
  ];
  const rows: string[][] = [
    ['run', 'KV blocks pred/logged', 'out tok/s pred/meas', 'median TPOT pred/meas', 'calibration'],
  ];
  for (const c of cases) {
    if ('skipped' in c) {
      lines.push(`  ${c.name}: skipped — ${c.reason}`);
      continue;
    }
    const kv = c.measured.kvBlocks
      ? `${formatNumber(c.predicted.kvBlocks ?? NaN)} / ${formatNumber(c.measured.kvBlocks)} (${formatPct(c.errorPct.kvBlocks ?? NaN)})`
      : `${formatNumber(c.predicted.kvBlocks ?? NaN)} / not logged`;
    rows.push([
      c.name,
      kv,
      `${formatNumber(c.predicted.outputTokensPerSecond)} / ${formatNumber(c.measured.outputTokensPerSecond)} (${formatPct(c.errorPct.outputTokensPerSecond)})`,
      `${c.predicted.medianTpotMs.toFixed(1)} / ${c.measured.medianTpotMs.toFixed(1)} ms (${formatPct(c.errorPct.medianTpotMs)})`,
      c.basis.calibration,
    ]);
  }
  return [...lines, ...table(rows, '  '), ''].join('\n');
}

/** Replays through the serving twin: per-request latency errors and the throughput timeline. */
export function renderVllmReplays(results: ReplayResult[]): string {
  const lines = [
    'validate vllm-trace — replay through the serving twin (arrivals and lengths from requests.jsonl; runs marked * were used to fit their GPU’s calibration, the others are held out)',
  ];
  const rows: string[][] = [
    ['run', 'metric', 'mean sim / real', 'error of mean', '|err| mean', 'p50', 'p90'],
  ];
  const stat = (run: string, metric: string, e: ErrorStats): string[] => [
    run,
    metric,
    `${e.meanSim.toFixed(1)} / ${e.meanReal.toFixed(1)} ms`,
    formatPct(e.errorOfMeanPct),
    `${e.meanAbsPct.toFixed(1)}%`,
    `${e.p50AbsPct.toFixed(1)}%`,
    `${e.p90AbsPct.toFixed(1)}%`,
  ];
  const notes: string[] = [];
  for (const r of results) {
    if ('skipped' in r) {
      lines.push(`  ${r.name}: skipped — ${r.reason}`);
      continue;
    }
    const s = r.summary;
    const label = s.basis.calibrationFittedOnThisRun ? `${s.name} *` : s.name;
    rows.push(stat(label, 'TTFT', s.ttftMs), stat('', 'TPOT', s.tpotMs), stat('', 'E2E', s.e2eMs));
    const tl = s.throughputTimeline;
    notes.push(
      `  ${s.name}: ${s.requests} requests; makespan sim ${s.simMakespanSeconds.toFixed(1)} s / real ${s.realMakespanSeconds.toFixed(1)} s; ${tl ? `output-token timeline NMAE ${tl.nmaePct.toFixed(1)}% over ${tl.seconds} s` : 'no timeseries.csv'}; ${s.simPreemptions} preemptions; KV ${formatNumber(s.basis.kvBlocks)} blocks (${s.basis.kvBlocksSource}); calibration ${s.basis.calibration}`,
    );
  }
  return [...lines, ...table(rows, '  '), ...notes, ''].join('\n');
}

/** Summary of a trace calibration: entries, in-sample and held-out errors. */
export function renderTraceCalibration(c: TraceCalibration, outFile: string): string {
  const lines = [`calibrate vllm-trace — ${c.entries.length} entries written to ${outFile}`];
  for (const e of c.entries) lines.push(`  ${e.key}: ${e.source}`);
  const rows: string[][] = [['run', 'check', 'TPOT error of mean', 'TTFT error of mean']];
  for (const x of c.inSample)
    rows.push([
      x.run,
      'in-sample',
      formatPct(x.tpotErrorOfMeanPct),
      formatPct(x.ttftErrorOfMeanPct),
    ]);
  for (const x of c.heldOut)
    rows.push([
      x.run,
      'held out',
      formatPct(x.tpotErrorOfMeanPct),
      formatPct(x.ttftErrorOfMeanPct),
    ]);
  lines.push(...table(rows, '  '));
  if (c.singleRun.length)
    lines.push(`  fitted from one run (no held-out check): ${c.singleRun.join(', ')}`);
  for (const s of c.skipped) lines.push(`  skipped ${s.run}: ${s.reason}`);
  return `${lines.join('\n')}\n`;
}
