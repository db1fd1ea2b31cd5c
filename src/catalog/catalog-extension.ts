/**
 * Catalog extensions: users add (or, with `replace: true`, replace) accelerators, systems and
 * models from a YAML/JSON file. The edge parses the file; this module takes the parsed object,
 * validates it, converts human units (GB, TB/s, TFLOPS, GB/s) into SI and returns a new catalog.
 *
 * ```yaml
 * accelerators:
 *   - id: a100-sxm
 *     name: NVIDIA A100 SXM4 80GB
 *     vendor: nvidia
 *     productLine: A100
 *     generation: ampere
 *     formFactor: sxm
 *     memoryGb: 80
 *     memoryBandwidthTbPerSecond: 2.039
 *     peakTflops: { bf16: 312 }
 *     tdpWatts: 400
 *     idleWatts: 50
 *     scaleUpGbPerSecond: 300
 *     scaleUpDomainSize: 8
 *     hostLinkGbPerSecond: 32
 *     source: NVIDIA A100 datasheet https://www.nvidia.com/en-us/data-center/a100/
 *     date: '2021'
 * ```
 */
import { z } from 'zod';
import { AifError, ERROR_CODES, type ErrorIssue } from '../core/errors.js';
import { zodIssueToErrorIssue } from '../core/zod-issues.js';
import { sourced, type SourceRef } from '../core/source.js';
import {
  gbPerSecondToBytesPerSecond,
  GIB,
  tbPerSecondToBytesPerSecond,
  tflopsToFlopsPerSecond,
} from '../core/units.js';
import type { Catalog } from './catalog.js';
import {
  NUMBER_FORMAT_IDS,
  type Accelerator,
  type ComputeRate,
  type ModelArch,
  type System,
} from './types.js';

// ---------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'ids are lower-case kebab-case: letters, digits, ".", "_", "-"');
const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const count = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

/** Every entry names its source (non-negotiable 1). */
const sourceFields = {
  source: z
    .string()
    .trim()
    .min(1, 'every entry needs a source: a document, URL or repository path'),
  date: z.string().optional(),
  provenance: z
    .enum(['vendor-spec', 'published-config', 'measured', 'third-party', 'assumption', 'derived'])
    .optional(),
  note: z.string().optional(),
  /** Replace a built-in entry with the same id instead of refusing it. */
  replace: z.boolean().optional(),
};

const AcceleratorEntrySchema = z
  .strictObject({
    id,
    name: z.string().min(1),
    vendor: z.enum(['nvidia', 'amd']),
    productLine: z.string().min(1),
    generation: z.string().min(1),
    formFactor: z.enum(['sxm', 'nvl', 'pcie', 'superchip', 'oam']),
    memoryGb: positive,
    memoryBandwidthTbPerSecond: positive,
    /** Dense (no sparsity) peak TFLOPS per rate; bf16 required. */
    peakTflops: z.strictObject({
      bf16: positive,
      fp8: positive.optional(),
      fp4: positive.optional(),
      int8: positive.optional(),
    }),
    tdpWatts: positive,
    idleWatts: nonNegative,
    /** Scale-up bandwidth per GPU, one direction, GB/s. */
    scaleUpGbPerSecond: positive,
    scaleUpDomainSize: count,
    /** Host link (PCIe / C2C) bandwidth per GPU, one direction, GB/s. */
    hostLinkGbPerSecond: positive,
    ...sourceFields,
  })
  .refine((a) => a.idleWatts <= a.tdpWatts, {
    message: 'idleWatts must not exceed tdpWatts',
    path: ['idleWatts'],
  });

const SystemEntrySchema = z
  .strictObject({
    id,
    name: z.string().min(1),
    acceleratorId: id,
    acceleratorCount: count,
    scaleUpDomainSize: count,
    /** Non-accelerator IT power at full load, W. */
    hostPowerWatts: nonNegative,
    /** Share of network switch power, W. */
    networkPowerWatts: nonNegative,
    hostIdlePowerWatts: nonNegative,
    priceUsd: nonNegative,
    ...sourceFields,
  })
  .refine((s) => s.scaleUpDomainSize <= s.acceleratorCount, {
    message: 'scaleUpDomainSize must not exceed acceleratorCount',
    path: ['scaleUpDomainSize'],
  })
  .refine((s) => s.hostIdlePowerWatts <= s.hostPowerWatts, {
    message: 'hostIdlePowerWatts must not exceed hostPowerWatts',
    path: ['hostIdlePowerWatts'],
  });

const AttentionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('gqa'),
    numHeads: count,
    numKvHeads: count,
    headDim: count,
  }),
  z.strictObject({
    kind: z.literal('mla'),
    numHeads: count,
    qLoraRank: nonNegativeInt,
    kvLoraRank: count,
    qkNopeHeadDim: count,
    qkRopeHeadDim: count,
    vHeadDim: count,
  }),
]);

const LayerMixSchema = z.strictObject({
  full: nonNegativeInt,
  slidingWindow: z.strictObject({ layers: nonNegativeInt, windowTokens: count }).optional(),
  linear: z
    .strictObject({
      layers: nonNegativeInt,
      numKeyHeads: count,
      numValueHeads: count,
      keyHeadDim: count,
      valueHeadDim: count,
      stateBytesPerLayer: positive,
    })
    .optional(),
  sparseTopKTokens: count.optional(),
});

const MoeSchema = z.strictObject({
  numExperts: count,
  numActiveExperts: count,
  numSharedExperts: nonNegativeInt,
  expertIntermediateSize: count,
  sharedIntermediateSize: count.optional(),
  numDenseLayers: nonNegativeInt,
});

const ModelEntrySchema = z
  .strictObject({
    id,
    name: z.string().min(1),
    hfIds: z.array(z.string().min(1)).default([]),
    numLayers: count,
    hiddenSize: count,
    vocabSize: count,
    attention: AttentionSchema,
    layers: LayerMixSchema,
    intermediateSize: count,
    gatedMlp: z.boolean(),
    moe: MoeSchema.optional(),
    tieWordEmbeddings: z.boolean(),
    mtpLayers: nonNegativeInt.optional(),
    releasedWeightFormat: z.enum(NUMBER_FORMAT_IDS),
    ...sourceFields,
  })
  .refine(
    (m) =>
      m.layers.full + (m.layers.slidingWindow?.layers ?? 0) + (m.layers.linear?.layers ?? 0) ===
      m.numLayers,
    {
      message:
        'layers.full + layers.slidingWindow.layers + layers.linear.layers must equal numLayers',
      path: ['layers'],
    },
  )
  .refine((m) => !m.moe || m.moe.numActiveExperts <= m.moe.numExperts, {
    message: 'moe.numActiveExperts must not exceed moe.numExperts',
    path: ['moe', 'numActiveExperts'],
  })
  .refine((m) => !m.moe || m.moe.numDenseLayers <= m.numLayers, {
    message: 'moe.numDenseLayers must not exceed numLayers',
    path: ['moe', 'numDenseLayers'],
  });

/** A catalog extension as users write it (already parsed from YAML/JSON), in human units. */
export const CatalogExtensionSchema = z.strictObject({
  accelerators: z.array(AcceleratorEntrySchema).optional(),
  systems: z.array(SystemEntrySchema).optional(),
  models: z.array(ModelEntrySchema).optional(),
});

export type CatalogExtensionInput = z.input<typeof CatalogExtensionSchema>;
export type CatalogExtension = z.output<typeof CatalogExtensionSchema>;
type AcceleratorEntry = z.output<typeof AcceleratorEntrySchema>;
type SystemEntry = z.output<typeof SystemEntrySchema>;
type ModelEntry = z.output<typeof ModelEntrySchema>;

// ---------------------------------------------------------------------------------------------
// Conversion to catalog types (SI units)
// ---------------------------------------------------------------------------------------------

const refOf = (e: {
  source: string;
  date?: string | undefined;
  provenance?: SourceRef['provenance'];
  note?: string | undefined;
}): SourceRef => {
  const ref: SourceRef = { source: e.source };
  if (e.date !== undefined) ref.date = e.date;
  if (e.provenance !== undefined) ref.provenance = e.provenance;
  if (e.note !== undefined) ref.note = e.note;
  return ref;
};

function toAccelerator(e: AcceleratorEntry): Accelerator {
  const ref = refOf(e);
  const peak: Accelerator['peakFlopsPerSecond'] = {
    bf16: sourced(tflopsToFlopsPerSecond(e.peakTflops.bf16), ref),
  };
  for (const rate of ['fp8', 'fp4', 'int8'] as const satisfies readonly ComputeRate[]) {
    const tflops = e.peakTflops[rate];
    if (tflops !== undefined) peak[rate] = sourced(tflopsToFlopsPerSecond(tflops), ref);
  }
  return {
    id: e.id,
    name: e.name,
    vendor: e.vendor,
    productLine: e.productLine,
    generation: e.generation,
    formFactor: e.formFactor,
    memoryBytes: sourced(e.memoryGb * GIB, ref), // binary capacity, as the built-in catalog
    memoryBandwidthBytesPerSecond: sourced(
      tbPerSecondToBytesPerSecond(e.memoryBandwidthTbPerSecond),
      ref,
    ),
    peakFlopsPerSecond: peak,
    tdpWatts: sourced(e.tdpWatts, ref),
    idleWatts: sourced(e.idleWatts, ref),
    scaleUpBandwidthBytesPerSecond: sourced(gbPerSecondToBytesPerSecond(e.scaleUpGbPerSecond), ref),
    scaleUpDomainSize: sourced(e.scaleUpDomainSize, ref),
    hostLinkBytesPerSecond: sourced(gbPerSecondToBytesPerSecond(e.hostLinkGbPerSecond), ref),
  };
}

function toSystem(e: SystemEntry): System {
  const ref = refOf(e);
  return {
    id: e.id,
    name: e.name,
    acceleratorId: e.acceleratorId,
    acceleratorCount: e.acceleratorCount,
    scaleUpDomainSize: e.scaleUpDomainSize,
    hostPowerWatts: sourced(e.hostPowerWatts, ref),
    networkPowerWatts: sourced(e.networkPowerWatts, ref),
    hostIdlePowerWatts: sourced(e.hostIdlePowerWatts, ref),
    priceUsd: sourced(e.priceUsd, ref),
    ref,
  };
}

function toModel(e: ModelEntry): ModelArch {
  const { source: _s, date: _d, provenance: _p, note: _n, replace: _r, ...arch } = e;
  const model: ModelArch = { ...arch, ref: refOf(e) };
  // Drop keys whose value is undefined so extended models look like built-in ones.
  for (const key of Object.keys(model) as (keyof ModelArch)[]) {
    if (model[key] === undefined) delete model[key];
  }
  return model;
}

// ---------------------------------------------------------------------------------------------
// Validation issues
// ---------------------------------------------------------------------------------------------

const invalid = (issues: readonly ErrorIssue[]): AifError =>
  new AifError(
    ERROR_CODES.CATALOG_INVALID,
    `extendCatalog: catalog extension is invalid (${issues.length} issue${issues.length === 1 ? '' : 's'}): ${issues
      .map((i) => `${i.path || '(root)'}: ${i.message}`)
      .join('; ')}`,
    issues,
  );

/** Ids an extension may add: new ones, or existing ones with `replace: true`; never twice. */
function checkIds(
  kind: 'accelerators' | 'systems' | 'models',
  entries: readonly { id: string; replace?: boolean | undefined }[],
  existing: ReadonlyMap<string, unknown>,
  issues: ErrorIssue[],
): void {
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    const path = `${kind}.${i}.id`;
    if (seen.has(e.id)) {
      issues.push({
        path,
        message: `id '${e.id}' appears twice in the extension`,
        value: e.id,
        expected: 'unique ids',
      });
    } else if (existing.has(e.id) && e.replace !== true) {
      issues.push({
        path,
        message: `id '${e.id}' already exists in the catalog; set replace: true to replace it or choose another id`,
        value: e.id,
        expected: 'a new id, or replace: true',
      });
    }
    seen.add(e.id);
  });
}

// ---------------------------------------------------------------------------------------------
// Catalog version of an extended catalog
// ---------------------------------------------------------------------------------------------

/** JSON with sorted object keys, so equal extensions give equal strings. */
function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** 32-bit FNV-1a of a string, as 8 hex digits. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/**
 * Validate a parsed extension and return a new catalog with its entries added (or replacing
 * built-ins marked `replace: true`). The base catalog is not modified. The new catalog's
 * version is `<base>+ext.<hash of the extension>` so results record which extension they used.
 *
 * @throws AifError E_CATALOG_INVALID with one issue per problem (field path, message, value,
 *   expected): schema violations, ids that already exist without `replace: true`, ids repeated
 *   in the extension, systems whose `acceleratorId` is in neither the catalog nor the extension.
 */
export function extendCatalog(base: Catalog, ext: unknown): Catalog {
  const parsed = CatalogExtensionSchema.safeParse(ext);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => zodIssueToErrorIssue(i, ext)));

  const accelerators = parsed.data.accelerators ?? [];
  const systems = parsed.data.systems ?? [];
  const models = parsed.data.models ?? [];

  const issues: ErrorIssue[] = [];
  checkIds('accelerators', accelerators, base.accelerators, issues);
  checkIds('systems', systems, base.systems, issues);
  checkIds('models', models, base.models, issues);

  const acceleratorMap = new Map(base.accelerators);
  for (const e of accelerators) acceleratorMap.set(e.id, toAccelerator(e));

  systems.forEach((s, i) => {
    if (!acceleratorMap.has(s.acceleratorId)) {
      issues.push({
        path: `systems.${i}.acceleratorId`,
        message: `unknown accelerator '${s.acceleratorId}'`,
        value: s.acceleratorId,
        expected: `one of: ${[...acceleratorMap.keys()].sort().join(', ')}`,
      });
    }
  });
  if (issues.length > 0) throw invalid(issues);

  const systemMap = new Map(base.systems);
  for (const e of systems) systemMap.set(e.id, toSystem(e));
  const modelMap = new Map(base.models);
  for (const e of models) modelMap.set(e.id, toModel(e));

  const empty = accelerators.length + systems.length + models.length === 0;
  return {
    version: empty ? base.version : `${base.version}+ext.${fnv1a(stableStringify(parsed.data))}`,
    formats: base.formats,
    accelerators: acceleratorMap,
    systems: systemMap,
    models: modelMap,
    speculative: base.speculative,
  };
}
