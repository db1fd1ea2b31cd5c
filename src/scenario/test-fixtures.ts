/**
 * A tiny hand-written catalog for the scenario tests, independent of the built-in catalog data.
 * The numbers are round test values, NOT catalog data: do not use them for estimates.
 */
import type { Catalog } from '../catalog/catalog.js';
import { NUMBER_FORMATS } from '../catalog/formats.js';
import type {
  Accelerator,
  ModelArch,
  NumberFormat,
  NumberFormatId,
  System,
} from '../catalog/types.js';
import type { Sourced } from '../core/source.js';
import { GIB } from '../core/units.js';

const REF = {
  source: 'scenario test fixture (not catalog data)',
  provenance: 'assumption' as const,
};
const v = (value: number): Sourced => ({ value, ref: REF });

function accelerator(
  id: string,
  memoryGib: number,
  rates: Accelerator['peakFlopsPerSecond'],
  scaleUp: number,
): Accelerator {
  return {
    id,
    name: id,
    vendor: 'nvidia',
    productLine: id.toUpperCase(),
    generation: 'test',
    formFactor: 'sxm',
    memoryBytes: v(memoryGib * GIB),
    memoryBandwidthBytesPerSecond: v(3e12),
    peakFlopsPerSecond: rates,
    tdpWatts: v(700),
    idleWatts: v(100),
    scaleUpBandwidthBytesPerSecond: v(450e9),
    scaleUpDomainSize: v(scaleUp),
    hostLinkBytesPerSecond: v(64e9),
  };
}

/** 80 GiB, bf16 + fp8: takes vLLM's large-GPU defaults. */
export const BIG_GPU = accelerator('test-big', 80, { bf16: v(1e15), fp8: v(2e15) }, 8);
/** 48 GiB, bf16 only: takes vLLM's small-GPU defaults. */
export const SMALL_GPU = accelerator('test-small', 48, { bf16: v(3e14) }, 8);
/** 186 GiB with an fp4 rate, 72 per scale-up domain. */
export const RACK_GPU = accelerator(
  'test-rack',
  186,
  { bf16: v(2.5e15), fp8: v(5e15), fp4: v(1e16) },
  72,
);

function system(
  id: string,
  acceleratorId: string,
  acceleratorCount: number,
  scaleUpDomainSize: number,
): System {
  return {
    id,
    name: id,
    acceleratorId,
    acceleratorCount,
    scaleUpDomainSize,
    hostPowerWatts: v(2000),
    networkPowerWatts: v(500),
    hostIdlePowerWatts: v(800),
    priceUsd: v(300_000),
    ref: REF,
  };
}

export const NODE_8 = system('test-node-8', BIG_GPU.id, 8, 8);
export const SMALL_NODE_8 = system('test-small-node-8', SMALL_GPU.id, 8, 8);
export const RACK_72 = system('test-rack-72', RACK_GPU.id, 72, 72);

const model = (id: string, extra: Partial<ModelArch>): ModelArch => ({
  id,
  name: id,
  hfIds: [],
  numLayers: 80,
  hiddenSize: 8192,
  vocabSize: 128_256,
  attention: { kind: 'gqa', numHeads: 64, numKvHeads: 8, headDim: 128 },
  layers: { full: 80 },
  intermediateSize: 28_672,
  gatedMlp: true,
  tieWordEmbeddings: false,
  releasedWeightFormat: 'bf16',
  ref: REF,
  ...extra,
});

/** Dense, 64 heads, 80 layers. */
export const DENSE = model('test-dense', {});
/** MoE with MLA, 128 heads, 61 layers. */
export const MOE = model('test-moe', {
  numLayers: 61,
  hiddenSize: 7168,
  attention: {
    kind: 'mla',
    numHeads: 128,
    qLoraRank: 1536,
    kvLoraRank: 512,
    qkNopeHeadDim: 128,
    qkRopeHeadDim: 64,
    vHeadDim: 128,
  },
  layers: { full: 61 },
  intermediateSize: 18_432,
  moe: {
    numExperts: 256,
    numActiveExperts: 8,
    numSharedExperts: 1,
    expertIntermediateSize: 2048,
    numDenseLayers: 3,
  },
});

const byId = <T extends { id: string }>(xs: readonly T[]): Map<string, T> =>
  new Map(xs.map((x) => [x.id, x]));

export function testCatalog(): Catalog {
  return {
    version: 'test',
    formats: byId(NUMBER_FORMATS) as Map<NumberFormatId, NumberFormat>,
    accelerators: byId([BIG_GPU, SMALL_GPU, RACK_GPU]),
    systems: byId([NODE_8, SMALL_NODE_8, RACK_72]),
    models: byId([DENSE, MOE]),
    speculative: [
      { modelId: MOE.id, drafter: 'mtp', draftTokens: 1, meanAcceptanceLength: 1.8, ref: REF },
      {
        modelId: MOE.id,
        drafter: 'eagle3 (org/test-drafter)',
        draftTokens: 3,
        meanAcceptanceLength: 2.4,
        ref: REF,
      },
    ],
  };
}
