/**
 * The build-vs-rent input file (DESIGN §7, §11): demand, the replica and its capacity at the
 * SLO, and the options to compare. Strict mappings (a typo is an error), units in the names,
 * every field described. Prices are per GPU-hour (a replica of n GPUs costs n times); omitted
 * prices and terms come from sourced defaults applied by `app/build-vs-rent.ts`, never here.
 * `parseBuildVsRentObject` reports every issue at once with its field path, the value as
 * written and what was expected.
 */
import { z } from 'zod';
import { AifError, ERROR_CODES, type ErrorIssue } from '../core/errors.js';
import {
  bool,
  expectedFromMessage,
  expectedMessage,
  fractionClosedOpen,
  fractionOpenClosed,
  list,
  mapping,
  nonNegativeInt,
  nonNegativeNumber,
  numberAtLeast,
  oneOf,
  positiveInt,
  positiveNumber,
  text,
} from './fields.js';

const unitInterval = (description: string) => {
  const e = { error: expectedMessage('a number in [0, 1]') };
  return z.number(e).gte(0, e).lte(1, e).describe(description);
};

const periodMonths = (description: string) => {
  const e = { error: expectedMessage('one of 1, 2, 3, 4, 6, 12 (months dividing a year)') };
  return z
    .number(e)
    .int(e)
    .refine((m) => m >= 1 && 12 % m === 0, e)
    .describe(description);
};

export const DEMAND_UNITS = ['output-tokens-per-second', 'replicas'] as const;

const DemandProfileSchema = mapping(
  {
    baseline: nonNegativeNumber(
      'Demand at the start, before daily/weekly cycles, in the demand unit.',
    ),
    diurnalAmplitude: fractionClosedOpen(
      'Half-swing of the daily cycle: 0.3 → peak 1.3×, trough 0.7×.',
    ),
    weeklyAmplitude: fractionClosedOpen('Half-swing of the weekly cycle.'),
    annualGrowth: numberAtLeast(-0.99, 'Growth per year as a fraction (0.5 = +50 %/year).'),
    noiseCv: nonNegativeNumber('Coefficient of variation of hourly noise.'),
    peakHourOfDay: nonNegativeInt('Hour of the daily peak, 0–23 (default 14).').optional(),
  },
  'a demand profile',
  'A generated hourly profile: growth × daily × weekly cycle × noise (seeded).',
);

export const BuildVsRentDemandSchema = mapping(
  {
    unit: oneOf(DEMAND_UNITS, 'Unit of the demand figures.'),
    profile: DemandProfileSchema.optional(),
    hourly: list(
      nonNegativeNumber('Demand in one hour.'),
      'numbers',
      'Given hourly demand, horizonYears · 8760 values.',
    ).optional(),
  },
  'demand',
  'Hourly demand over the horizon: generated (`profile`) or given (`hourly`).',
).superRefine((d, ctx) => {
  if ((d.profile === undefined) === (d.hourly === undefined))
    ctx.addIssue({
      code: 'custom',
      path: ['profile'],
      message: 'give exactly one of profile or hourly',
      params: { expected: 'profile or hourly' },
    });
});

const ReplicaSchema = mapping(
  {
    description: text('What one replica is, e.g. `llama-3.1-70b fp8 on 8×H100, TP8`.'),
    gpusPerReplica: positiveInt('GPUs in one replica (prices are per GPU-hour).'),
    capacityAtSloOutputTokensPerSecond: positiveNumber(
      'Output tokens per second one replica sustains while meeting the SLO (from `aifactory estimate` or the twin).',
    ),
    capacitySource: text('Where the capacity figure comes from.').optional(),
  },
  'a replica',
  'The unit of capacity and its throughput at the SLO.',
);

const OwnSchema = mapping(
  {
    include: bool('Consider owning (default true).').optional(),
    capexUsdPerGpu: positiveNumber(
      'Installed capex per GPU, USD (system, networking share).',
    ).optional(),
    fixedOpexUsdPerGpuHour: nonNegativeNumber(
      'Costs per in-service GPU-hour, busy or not (maintenance, space, staff, idle power).',
    ).optional(),
    energyUsdPerBusyGpuHour: nonNegativeNumber('Extra cost per busy GPU-hour (energy).').optional(),
    usefulLifeYears: positiveNumber('Useful life, years.').optional(),
    leadTimeMonths: nonNegativeNumber('Months from order to capacity in service.').optional(),
    residualValueShare: unitInterval(
      'Share of straight-line book value recovered at the horizon.',
    ).optional(),
    capexChangePerYear: numberAtLeast(
      -0.99,
      'Annual change of the capex price (−0.1 = 10 % cheaper a year).',
    ).optional(),
    maxReplicas: nonNegativeInt('Most owned replicas in service (power, space).').optional(),
  },
  'own settings',
  'Owning replicas.',
);

const ReservedSchema = mapping(
  {
    name: text('Option name, e.g. `reserved-1y`.'),
    termYears: positiveInt('Commitment term, years.'),
    upfrontShare: unitInterval('Share of the term cost paid upfront.').optional(),
    usdPerGpuHour: positiveNumber('Effective rate, upfront included, USD per GPU-hour.').optional(),
    maxReplicas: nonNegativeInt('Most replicas under this option at once.').optional(),
  },
  'a reserved option',
  'A reserved cloud commitment.',
);

const OnDemandSchema = mapping(
  {
    include: bool('Consider on-demand (default true).').optional(),
    usdPerGpuHour: positiveNumber('On-demand price, USD per GPU-hour.').optional(),
    maxReplicas: nonNegativeInt('Most on-demand replicas in any hour.').optional(),
  },
  'on-demand settings',
  'Renting on demand.',
);

const SpotSchema = mapping(
  {
    include: bool('Consider spot (default true).').optional(),
    usdPerGpuHour: positiveNumber('Spot price, USD per GPU-hour.').optional(),
    availability: fractionOpenClosed('Share of rented spot hours that deliver service.').optional(),
    maxReplicas: nonNegativeInt('Most spot replicas in any hour.').optional(),
  },
  'spot settings',
  'Renting spot capacity.',
);

const ApiSchema = mapping(
  {
    include: bool('Consider an API (default true).').optional(),
    usdPerMillionInputTokens: nonNegativeNumber(
      'Price per million uncached input tokens.',
    ).optional(),
    usdPerMillionCachedInputTokens: nonNegativeNumber(
      'Price per million cached input tokens.',
    ).optional(),
    usdPerMillionOutputTokens: nonNegativeNumber('Price per million output tokens.').optional(),
    inputTokensPerOutputToken: nonNegativeNumber(
      'Input tokens sent per output token (agents: hundreds).',
    ),
    cachedInputShare: unitInterval('Share of input tokens the API bills as cached.'),
    maxReplicaEquivalents: nonNegativeNumber(
      'Most replica-equivalents of traffic the API takes in any hour.',
    ).optional(),
  },
  'API settings',
  'Buying tokens from an API instead of capacity.',
);

export const BuildVsRentSchema = mapping(
  {
    name: text('Name of the analysis.'),
    seed: nonNegativeInt('Seed of the generated demand profile (default 1).').optional(),
    currencyYear: text('Currency and year of every money figure, e.g. `USD-2026`.').optional(),
    horizonYears: positiveInt('Years to analyse.'),
    periodMonths: periodMonths('Months per period of the optimiser (default 12).').optional(),
    loadBlocksPerPeriod: positiveInt('Load-duration blocks per period (default 8).').optional(),
    costOfCapitalPerYear: numberAtLeast(0, 'Discount rate per year.').optional(),
    rentPriceChangePerYear: numberAtLeast(
      -0.99,
      'Annual change of all rent and API prices.',
    ).optional(),
    ownedFractionSteps: positiveInt(
      'Steps of the cost-vs-owned-fraction curve (default 10).',
    ).optional(),
    replica: ReplicaSchema,
    demand: BuildVsRentDemandSchema,
    own: OwnSchema.optional(),
    reserved: z
      .array(ReservedSchema, { error: expectedMessage('a list of reserved options') })
      .describe('Reserved commitments (default: 1-year and 3-year, sourced). [] for none.')
      .optional(),
    onDemand: OnDemandSchema.optional(),
    spot: SpotSchema.optional(),
    api: ApiSchema.optional(),
  },
  'a build-vs-rent analysis',
  'Build vs rent vs hybrid for an hourly demand profile (DESIGN §7).',
);

export type BuildVsRentFileInput = z.input<typeof BuildVsRentSchema>;
export type BuildVsRentFile = z.output<typeof BuildVsRentSchema>;

// ---------------------------------------------------------------------------------------------
// Parsing with issues that name field, value and expectation
// ---------------------------------------------------------------------------------------------

const valueAt = (
  root: unknown,
  path: readonly PropertyKey[],
): { found: boolean; value?: unknown } => {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur !== null && typeof cur === 'object' && Object.hasOwn(cur, seg as string))
      cur = (cur as Record<PropertyKey, unknown>)[seg];
    else return { found: false };
  }
  return { found: true, value: cur };
};

function toIssues(issue: z.core.$ZodIssue, root: unknown, source: string): ErrorIssue[] {
  if (issue.code === 'unrecognized_keys') {
    const expected = expectedFromMessage(issue.message);
    return issue.keys.map((key) => ({
      path: [...issue.path, key].map(String).join('.'),
      message: `unknown field '${key}'`,
      value: valueAt(root, [...issue.path, key]).value,
      ...(expected ? { expected } : {}),
      file: source,
    }));
  }
  const at = valueAt(root, issue.path);
  const custom = issue.code === 'custom' ? issue.params?.['expected'] : undefined;
  const expected = typeof custom === 'string' ? custom : expectedFromMessage(issue.message);
  const last = issue.path[issue.path.length - 1];
  return [
    {
      path: issue.path.map(String).join('.'),
      message:
        !at.found && issue.code !== 'custom'
          ? `missing required field '${String(last)}'`
          : issue.code === 'custom'
            ? issue.message
            : 'invalid value',
      ...(at.found ? { value: at.value } : {}),
      ...(expected !== undefined ? { expected } : {}),
      file: source,
    },
  ];
}

/** Validate a parsed build-vs-rent file. Throws `E_SCENARIO_INVALID` listing every issue. */
export function parseBuildVsRentObject(obj: unknown, source: string): BuildVsRentFile {
  const result = BuildVsRentSchema.safeParse(obj);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((i) => toIssues(i, obj, source));
  const lines = issues.map(
    (i) =>
      `${i.path || '(root)'}: ${i.message}${'value' in i ? ` (got ${JSON.stringify(i.value)}` : ' ('}${i.expected ? `${'value' in i ? ', ' : ''}expected ${i.expected})` : ')'}`,
  );
  throw new AifError(
    ERROR_CODES.SCENARIO_INVALID,
    `${source}: the build-vs-rent file has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
    issues,
  );
}
