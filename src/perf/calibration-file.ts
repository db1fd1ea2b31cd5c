/**
 * The calibration file (`kind: "aifactory.calibration"`, version 1): entries fitted from the
 * user's own measurements (`aifactory calibrate bench|probe --out file.json`) with their
 * provenance and fit error, and how such files are layered over a calibration table
 * (`--calibration file…` on estimate, run, cost, validate …): a file's entries replace the
 * table's entries *for their keys*; later files win over earlier ones. Every loaded entry's
 * `source` names the file and its provenance, so each result's basis shows where its
 * efficiencies came from (DESIGN §1.1, §4).
 */
import { z } from 'zod';
import { AifError, ERROR_CODES, type ErrorIssue } from '../core/errors.js';
import { zodIssueToErrorIssue } from '../core/zod-issues.js';
import type { Accelerator } from '../catalog/types.js';
import {
  isProductLineKey,
  withProductLines,
  type CalibrationEntry,
  type CalibrationParams,
  type CalibrationTable,
} from './calibration.js';

const fraction = z.number().finite().gt(0).lte(1);
const seconds = z.number().finite().nonnegative();
const positive = z.number().finite().positive();

/** Every parameter of `CalibrationParams`, with its admissible range (efficiencies in (0, 1]). */
export const CalibrationParamsSchema = z.strictObject({
  gemmComputeEfficiency: fraction,
  gemmHalfEfficiencyTokens: positive,
  moeHalfEfficiencyTokensPerExpert: positive,
  memoryEfficiency: fraction,
  attentionComputeEfficiency: fraction,
  commEfficiency: fraction,
  collectiveLatencySeconds: seconds,
  layerOverheadSeconds: seconds,
  hostOverheadSeconds: seconds,
  hostOverheadPerSeqSeconds: seconds,
  requestOverheadSeconds: seconds,
  closedLoopBurstFraction: z.number().finite().min(0).max(1),
  computeMemoryOverlap: z.number().finite().min(0).max(1).optional(),
}) satisfies z.ZodType<CalibrationParams>;

/** One measured row against the fitted entry's prediction. */
export const CalibrationRowErrorSchema = z.strictObject({
  label: z.string().min(1),
  quantity: z.string().min(1),
  measuredSeconds: positive,
  predictedSeconds: positive,
  /** (predicted − measured) / measured × 100. */
  errorPct: z.number().finite(),
});

export const CalibrationFitErrorSchema = z.strictObject({
  /** Rows (stages, probe steps) the entry was fitted on; errors are in-sample. */
  rows: z.number().int().nonnegative(),
  ttftMapePct: z.number().finite().nonnegative().optional(),
  tpotMapePct: z.number().finite().nonnegative().optional(),
  stepTimeMapePct: z.number().finite().nonnegative().optional(),
  perRow: z.array(CalibrationRowErrorSchema).optional(),
});

export const CalibrationFileEntrySchema = z.strictObject({
  /** Fallback-chain key, e.g. `h100-sxm/vllm/dense` (src/perf/calibration.ts). */
  key: z.string().regex(/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/),
  params: CalibrationParamsSchema,
  source: z.string().min(1),
  numRows: z.number().int().nonnegative().optional(),
  /** The chain entry the fit started from (and was pulled towards). */
  startedFrom: z.string().optional(),
  /** Parameters this file measured or fitted; the rest are the start entry's. */
  fitted: z.array(z.string()).optional(),
  fitError: CalibrationFitErrorSchema,
});

export const CalibrationProvenanceSchema = z.strictObject({
  /** `bench` (measured serving runs) or `gpu-probe` (probe/gpu/probe.py dataset). */
  method: z.enum(['bench', 'gpu-probe']),
  /** Input files, as given on the command line. */
  files: z.array(z.string().min(1)).min(1),
  /** ISO 8601 time the calibration was made. */
  createdAt: z.iso.datetime({ offset: true }),
  /** The command that wrote the file. */
  command: z.string().optional(),
  toolVersion: z.string().optional(),
  catalogVersion: z.string().optional(),
  /** Bench: the endpoint measured (one per distinct target). */
  endpoints: z
    .array(z.strictObject({ baseUrl: z.string(), api: z.string(), model: z.string() }))
    .optional(),
  /** Bench: the scenario naming the deployment that was measured. */
  scenario: z
    .strictObject({ file: z.string().optional(), name: z.string(), hash: z.string() })
    .optional(),
  /** What was measured: model, accelerator, precision, engine, plan (bench); GPU, driver (probe). */
  deployment: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  machine: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
  /** Stages or rows left out, with their reason; caveats a reader must know. */
  notes: z.array(z.string()).optional(),
});

export const CalibrationFileSchema = z.strictObject({
  kind: z.literal('aifactory.calibration'),
  version: z.literal(1),
  provenance: CalibrationProvenanceSchema,
  entries: z.array(CalibrationFileEntrySchema).min(1),
});

export type CalibrationFile = z.output<typeof CalibrationFileSchema>;
export type CalibrationFileEntry = z.output<typeof CalibrationFileEntrySchema>;
export type CalibrationProvenance = z.output<typeof CalibrationProvenanceSchema>;
export type CalibrationFitError = z.output<typeof CalibrationFitErrorSchema>;

type ZodIssue = z.core.$ZodIssue;

/** Zod issues as `ErrorIssue`s naming the field path, the value found and what was expected. */
export function zodIssues(issues: readonly ZodIssue[], input: unknown): ErrorIssue[] {
  return issues.map((issue) =>
    zodIssueToErrorIssue(issue, input, {
      unknownKeys:
        'only the documented fields (docs/calibration.md, "Calibrating from your own measurements")',
      format: (f) =>
        f === 'regex' ? 'a fallback-chain key such as h100-sxm/vllm/dense' : undefined,
    }),
  );
}

function invalid(source: string, issues: readonly ErrorIssue[]): AifError {
  return new AifError(
    ERROR_CODES.INPUT_FORMAT,
    `parseCalibrationFile: ${source} is not a valid calibration file (${issues.length} issue${issues.length === 1 ? '' : 's'})`,
    issues.map((i) => ({ ...i, file: source })),
  );
}

/**
 * Validate a parsed calibration file.
 * @throws AifError E_INPUT_FORMAT with one issue per problem (field path, value, expected);
 *   duplicate keys are an issue too (which entry should win would be ambiguous).
 */
export function parseCalibrationFile(input: unknown, source = 'calibration file'): CalibrationFile {
  const parsed = CalibrationFileSchema.safeParse(input);
  if (!parsed.success) throw invalid(source, zodIssues(parsed.error.issues, input));
  const seen = new Map<string, number>();
  const issues: ErrorIssue[] = [];
  parsed.data.entries.forEach((e, i) => {
    const first = seen.get(e.key);
    if (first !== undefined)
      issues.push({
        path: `entries.${i}.key`,
        message: `duplicate key (entries.${first} has it too)`,
        value: e.key,
        expected: 'each key once per file',
      });
    else seen.set(e.key, i);
  });
  if (issues.length) throw invalid(source, issues);
  return parsed.data;
}

/** Parse JSON text and validate it; a JSON syntax error is reported as an issue at the root. */
export function parseCalibrationFileJson(
  text: string,
  source = 'calibration file',
): CalibrationFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw invalid(source, [
      { path: '(root)', message: (e as Error).message, expected: 'valid JSON' },
    ]);
  }
  return parseCalibrationFile(data, source);
}

/** One line saying where a file's entries come from (shown in every result's basis). */
export function describeProvenance(file: CalibrationFile, path: string): string {
  const p = file.provenance;
  const what =
    p.method === 'bench'
      ? `bench runs ${p.files.join(', ')}${p.endpoints?.length ? ` of ${p.endpoints.map((e) => e.baseUrl).join(', ')}` : ''}${p.scenario ? `, scenario ${p.scenario.name} (${p.scenario.hash})` : ''}`
      : `GPU probe ${p.files.join(', ')}${p.machine?.gpuName ? ` on ${String(p.machine.gpuName)}` : ''}`;
  return `calibration file ${path} (${what}, ${p.createdAt})`;
}

/**
 * A calibration table with the files' entries over `base`: each entry replaces the base entry
 * of its key (later files win); its source is prefixed with the file's provenance. The
 * product-line entries are derived again from the layered accelerator-level entries
 * (`withProductLines`), so a file's fit of one form factor (H200 SXM) reaches its unfitted
 * siblings (H200 NVL) as the built-in fit did; a product-line key a file sets itself wins.
 */
export function layerCalibrationFiles(
  base: CalibrationTable,
  files: readonly { path: string; file: CalibrationFile }[],
  accelerators: readonly Pick<Accelerator, 'id' | 'productLine'>[],
): CalibrationTable {
  if (files.length === 0) return base;
  const layered = new Map(base);
  const explicitLines: CalibrationEntry[] = [];
  for (const { path, file } of files) {
    const from = describeProvenance(file, path);
    for (const e of file.entries) {
      const entry: CalibrationEntry = {
        key: e.key,
        params: { ...e.params },
        source: `${from}: ${e.source}`,
        ...(e.numRows !== undefined ? { numRows: e.numRows } : {}),
      };
      layered.set(e.key, entry);
      if (isProductLineKey(e.key)) explicitLines.push(entry);
    }
  }
  const table = new Map(
    withProductLines(
      [...layered.values()].filter((e) => !isProductLineKey(e.key)),
      accelerators,
    ),
  );
  for (const e of explicitLines) table.set(e.key, e);
  return table;
}
