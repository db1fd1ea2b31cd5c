/**
 * The capacity-plan file (`aifactory plan <plan.yaml>`, DESIGN §8, §11): a horizon in quarters,
 * the gates that make capacity procurable, the model served and its workloads (each with the
 * interactivity its SLO asks), demand per region and period, sites with their power envelope and
 * milestones, the system types that may be placed, and the objective. Strict mappings with
 * described fields; `parsePlanObject` reports every issue with its path, the value as written
 * and what was expected.
 */
import { z } from 'zod';
import { AifError, ERROR_CODES, type ErrorIssue } from '../core/errors.js';
import { valueAt } from '../core/zod-issues.js';
import { ENGINE_NAMES } from './engine-defaults.js';
import {
  expectedFromMessage,
  expectedMessage,
  fractionClosedOpen,
  fractionOpenClosed,
  list,
  mapping,
  nonNegativeInt,
  nonNegativeNumber,
  oneOf,
  positiveInt,
  positiveNumber,
  text,
} from './fields.js';

const QUARTER = /^\d{4}-Q[1-4]$/;
const DATE = /^\d{4}-(Q[1-4]|(0[1-9]|1[0-2])(-\d{2})?)$/;

const quarter = (description: string) =>
  z
    .string({ error: expectedMessage('a quarter written YYYY-Qn, e.g. 2027-Q3') })
    .regex(QUARTER, { error: expectedMessage('a quarter written YYYY-Qn, e.g. 2027-Q3') })
    .describe(description);

const planDate = (description: string) => {
  const e = { error: expectedMessage('a date YYYY-Qn, YYYY-MM or YYYY-MM-DD') };
  return z.string(e).regex(DATE, e).describe(description);
};

export const PLAN_GATES = [
  'announced',
  'site-control',
  'power-confirmed',
  'permitted',
  'financed',
  'under-construction',
  'energized',
] as const;

const GateSchema = z
  .union(
    [
      planDate('The date the gate passed (done) or is planned.'),
      mapping(
        {
          date: planDate('The date the gate passed or is planned.'),
          status: oneOf(
            ['done', 'planned', 'at-risk'] as const,
            'done, planned or at-risk.',
          ).optional(),
          confidence: fractionOpenClosed(
            'Confidence (0–1) that the date holds; reported, never multiplied into MW.',
          ).optional(),
        },
        'a gate',
        'A gate with its date, status and confidence.',
      ),
    ],
    { error: expectedMessage('a date, or a mapping {date, status?, confidence?}') },
  )
  .describe('A milestone gate.');

const RedundancySchema = z
  .union([z.literal('N'), z.literal('2N'), z.string().regex(/^N\+1( \(\d+\+1\))?$/)], {
    error: expectedMessage("'N', 'N+1' (4 active units + 1), 'N+1 (k+1)' or '2N'"),
  })
  .describe("Redundancy: 'N', 'N+1' (4+1 assumed unless 'N+1 (k+1)'), or '2N'.");

export const PlanSiteSchema = mapping(
  {
    id: text('Site id, unique (letters, digits, dashes).'),
    region: text(
      'Region id for defaults (energy price, carbon, jurisdiction, climate), e.g. us-va, fi.',
    ),
    jurisdiction: text(
      'Jurisdiction, when it differs from the region default (e.g. eu, us).',
    ).optional(),
    powerEnvelopeMw: positiveNumber('Contracted utility envelope, MW at the facility boundary.'),
    cooling: oneOf(['air', 'direct-liquid'] as const, 'Cooling type (sets the PUE curve).'),
    pue: positiveNumber('A constant PUE instead of the documented curve (≥ 1).').optional(),
    energyPriceUsdPerKwh: nonNegativeNumber(
      'Energy price, when the region has no sourced one or it differs.',
    ).optional(),
    carbonIntensityGPerKwh: nonNegativeNumber(
      'Grid carbon intensity, g CO2 per kWh, when the region has none.',
    ).optional(),
    rackDensityLimitKw: positiveNumber('Power one rack position can take, kW.'),
    spaceRacks: positiveInt('Rack positions available.'),
    redundancy: mapping(
      { power: RedundancySchema, cooling: RedundancySchema },
      'redundancy',
      'Redundancy of the power and cooling plant.',
    ).optional(),
    latencyRegion: text(
      'Latency region of the site (for demand that restricts where it is served).',
    ).optional(),
    installedBase: list(
      mapping(
        {
          from: planDate('From when the step holds.'),
          itMw: nonNegativeNumber(
            'Provisioned IT MW already drawing from then on (a smaller later step is a retirement).',
          ),
        },
        'an installed-base step',
        'IT load already drawing on the envelope from a date.',
      ),
      'installed-base steps',
      'Installed base already drawing on the envelope, with retirements.',
    ).optional(),
    milestones: z
      .partialRecord(z.enum(PLAN_GATES), GateSchema, {
        error: expectedMessage(`a mapping of gates (${PLAN_GATES.join(', ')}) to dates`),
      })
      .describe('Gates and their dates; `announced` is required.'),
  },
  'a site',
  'A site: its envelope, cooling, rack density, space and milestones.',
);

export const PlanWorkloadSchema = mapping(
  {
    name: text('Workload name, referenced by demand.'),
    inputTokens: positiveInt(
      'Prompt tokens per request (fixed length for the throughput envelope).',
    ),
    outputTokens: positiveInt('Output tokens per request.'),
    interactivityTokensPerSecondPerUser: positiveNumber(
      'Tokens/s each user must see (1 / TPOT target).',
    ),
    ttftSeconds: positiveNumber('TTFT target, seconds (steady-state mean against it).').optional(),
  },
  'a workload',
  'A workload and the interactivity its SLO asks.',
);

export const PlanDemandSchema = mapping(
  {
    id: text('Demand id, unique.'),
    region: text('Demand region (a name for reports).'),
    jurisdiction: text('Jurisdiction of the demand (for sovereign demand).'),
    sovereign: z
      .boolean({ error: expectedMessage('true or false') })
      .describe('Served only from its own jurisdiction.')
      .optional(),
    workload: text('Workload name.'),
    allowedLatencyRegions: list(
      text('A latency region.'),
      'latency regions',
      'Served only from sites in these latency regions.',
    ).optional(),
    outputTokensPerSecond: z
      .record(
        z.string().regex(QUARTER, { error: expectedMessage('a quarter YYYY-Qn') }),
        nonNegativeNumber('Output tokens/s at the SLO.'),
        {
          error: expectedMessage(
            'a mapping of quarters to tokens/s, e.g. { 2027-Q1: 1.0e6, 2030-Q4: 5.0e6 }',
          ),
        },
      )
      .describe(
        'Demand at stated quarters; linear between them, flat after the last, none before the first.',
      ),
  },
  'a demand',
  'Demand of one region for one workload over time.',
);

export const PlanSystemSchema = mapping(
  {
    id: text('Catalog system id, e.g. gb200-nvl72.'),
    capexUsd: nonNegativeNumber('Price per system, USD (default: the catalog price).').optional(),
    leadTimeQuarters: nonNegativeInt(
      'Supply lead time: quarters from the start before the first can serve.',
    ).optional(),
  },
  'a system type',
  'A system type that may be placed.',
);

export const PlanSchema = mapping(
  {
    name: text('Plan name.'),
    seed: nonNegativeInt('Seed of the Monte Carlo over gate delays.'),
    horizon: mapping(
      { start: quarter('First quarter.'), end: quarter('Last quarter.') },
      'a horizon',
      'The quarters planned.',
    ),
    require: list(
      oneOf(PLAN_GATES, 'A gate.'),
      'gates',
      'Gates a site must have passed for its capacity to be procurable.',
    ),
    model: text('Catalog model id served.'),
    precision: text('Precision preset, e.g. fp8, nvfp4.'),
    engine: oneOf(ENGINE_NAMES, 'Serving engine (calibration and defaults).'),
    workloads: list(PlanWorkloadSchema, 'workloads', 'Workloads the demand refers to.'),
    demand: list(PlanDemandSchema, 'demands', 'Demand per region and workload.'),
    sites: list(PlanSiteSchema, 'sites', 'Candidate sites.'),
    systems: list(PlanSystemSchema, 'system types', 'System types that may be placed.'),
    objective: oneOf(
      ['min-cost', 'max-tokens'] as const,
      'Minimise cost serving the demand, or maximise tokens within the budget.',
    ),
    budgetUsd: positiveNumber('Budget over the horizon (discounted capex + opex), USD.').optional(),
    costOfCapital: fractionClosedOpen(
      'Annual discount rate for costs over time (default 0.08).',
    ).optional(),
    hardwareLifeYears: positiveNumber(
      'Useful life for the cost per token, years (default: econ defaults).',
    ).optional(),
    monteCarloSamples: positiveInt(
      'Samples of the Monte Carlo over gate delays (0: none).',
    ).optional(),
  },
  'a capacity plan',
  'A capacity plan: sites, milestones, systems, workloads and demand over time.',
);

export type PlanFile = z.infer<typeof PlanSchema>;

/** Parse a plan object (from YAML/JSON), every issue at once with its path. */
export function parsePlanObject(obj: unknown, source: string): PlanFile {
  const r = PlanSchema.safeParse(obj);
  if (r.success) return r.data;
  const issues: ErrorIssue[] = r.error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
    value: valueAt(obj, i.path),
    expected: expectedFromMessage(i.message),
    file: source,
  }));
  throw new AifError(ERROR_CODES.SCENARIO_INVALID, `${source}: invalid capacity plan`, issues);
}
