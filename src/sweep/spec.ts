/**
 * Sweep specs: the YAML file `aifactory sweep` reads (docs/sweeps.md). A spec names a base
 * scenario (inline `base:` or a `baseFile:` the CLI edge reads), the axes to vary — each a
 * dotted path into the scenario as written and its values (a list, a stepped range, or a
 * distribution to sample) —, a strategy (grid, random, capacity search), an objective, and
 * constraints on the metrics of `metrics.ts`.
 *
 * Parsing reports every problem at once, each with the spec's field path, the value, what was
 * expected, and for YAML the file, line and column (as `scenario/parse.ts` does for scenarios).
 * Problems that need the base scenario (an axis path that does not exist, a value the scenario
 * schema refuses) are found by `points.ts` `prepareSweep` and name the axis.
 * Pure: the caller reads files and passes text.
 */
import { z } from 'zod';
import { AifError, ERROR_CODES, type ErrorIssue } from '../core/errors.js';
import { formatIssues, locateIssues, parseYamlPositioned } from '../scenario/index.js';
import {
  bool,
  expectedFromMessage,
  expectedMessage,
  FIELDS_PREFIX,
  list,
  mapping,
  nonNegativeInt,
  positiveInt,
  positiveNumber,
  text,
} from '../scenario/fields.js';
import { closest } from '../scenario/suggest.js';
import { METRIC_IDS } from './metrics.js';

// ---------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------

/** `deployments.0.engine.maxNumSeqs`: field names and list indices, dot-separated. */
const PATH_PATTERN = /^([A-Za-z_][A-Za-z0-9_]*|\d+)(\.([A-Za-z_][A-Za-z0-9_]*|\d+))*$/;
const PATH_WORDS = 'a dotted path into the scenario, e.g. deployments.0.engine.maxNumSeqs';

const scenarioPath = (description: string) =>
  text(description).regex(PATH_PATTERN, { error: expectedMessage(PATH_WORDS) });

const finiteNumber = (description: string) =>
  z.number({ error: expectedMessage('a finite number') }).describe(description);

const isRecord = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

/** A cross-field check that runs even when some fields failed their own checks. */
const evenWithFieldIssues = { when: (payload: { value: unknown }) => isRecord(payload.value) };

const custom = (path: PropertyKey[], message: string, expected: string) => ({
  code: 'custom' as const,
  path,
  message,
  params: { expected },
});

/** Distributions an axis may be sampled from (points.ts has one sampler per kind). */
export const AXIS_DISTRIBUTION_KINDS = [
  'uniform',
  'loguniform',
  'triangular',
  'lognormal',
] as const;

const minMax = <K extends string>(kind: K, what: string, positive: boolean) =>
  mapping(
    {
      kind: z.literal(kind),
      min: positive ? positiveNumber('Smallest value (> 0).') : finiteNumber('Smallest value.'),
      max: finiteNumber('Largest value.'),
    },
    what,
    `${what} between min and max.`,
  ).superRefine((d, ctx) => {
    if (!(d.max > d.min))
      ctx.addIssue(custom(['max'], 'max must exceed min', `a number > ${d.min}`));
  });

const AxisDistributionSchema = z.discriminatedUnion(
  'kind',
  [
    minMax('uniform', 'a uniform distribution', false),
    minMax('loguniform', 'a log-uniform distribution', true),
    mapping(
      {
        kind: z.literal('triangular'),
        min: finiteNumber('Smallest value.'),
        mode: finiteNumber('Most likely value.'),
        max: finiteNumber('Largest value.'),
      },
      'a triangular distribution',
      'Triangular (three-point estimate).',
    ).superRefine((d, ctx) => {
      if (!(d.min <= d.mode && d.mode <= d.max && d.min < d.max))
        ctx.addIssue(
          custom(
            ['mode'],
            'needs min ≤ mode ≤ max and min < max',
            `a number in [${d.min}, ${d.max}]`,
          ),
        );
    }),
    mapping(
      {
        kind: z.literal('lognormal'),
        median: positiveNumber('Median (p50).'),
        p90: positiveNumber('90th percentile; must exceed the median.'),
      },
      'a lognormal distribution',
      'Lognormal by median and p90.',
    ).superRefine((d, ctx) => {
      if (!(d.p90 > d.median))
        ctx.addIssue(
          custom(['p90'], 'the 90th percentile must exceed the median', `a number > ${d.median}`),
        );
    }),
  ],
  { error: expectedMessage(`a distribution {kind: ${AXIS_DISTRIBUTION_KINDS.join(' | ')}, …}`) },
);

export type AxisDistribution = z.infer<typeof AxisDistributionSchema>;

const RangeSchema = mapping(
  {
    from: finiteNumber('First value.'),
    to: finiteNumber('Last value (included when the steps land on it).'),
    step: positiveNumber('Step between values.'),
  },
  'a range',
  'Values from, from + step, … up to to.',
).superRefine((r, ctx) => {
  if (!(r.to >= r.from))
    ctx.addIssue(custom(['to'], 'to must not be below from', `a number ≥ ${r.from}`));
});

/** Where an axis's values come from (points.ts has one expander per kind). */
export type AxisSource =
  | { kind: 'values'; values: unknown[] }
  | { kind: 'range'; from: number; to: number; step: number }
  | { kind: 'distribution'; distribution: AxisDistribution; samples?: number };

export interface SweepAxis {
  /** Dotted path into the scenario as written (`deployments.0.system`). */
  path: string;
  source: AxisSource;
  /** Round range and sampled values to the nearest integer (counts, batch sizes). */
  integer: boolean;
}

const AxisSchema = mapping(
  {
    path: scenarioPath('Field to vary: a dotted path into the base scenario.'),
    values: list(z.unknown(), 'values', 'The values to try, in order.').optional(),
    range: RangeSchema.optional(),
    distribution: AxisDistributionSchema.optional(),
    samples: positiveInt(
      'Values drawn from the distribution for a grid (random search draws one per point).',
    ).optional(),
    integer: bool('Round range and sampled values to integers.').optional(),
  },
  'an axis',
  'One varied field: path and values, range or distribution.',
)
  .superRefine((a, ctx) => {
    const given = (['values', 'range', 'distribution'] as const).filter((k) => a[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue(
        custom(
          given.length ? [given[1]!] : [],
          given.length
            ? `give one of values, range, distribution, not ${given.join(' and ')}`
            : 'the axis has no values',
          'exactly one of: values, range, distribution',
        ),
      );
    if (a.samples !== undefined && a.distribution === undefined)
      ctx.addIssue(
        custom(['samples'], 'samples only applies to a distribution', 'no samples here'),
      );
    if (a.integer !== undefined && a.values !== undefined)
      ctx.addIssue(
        custom(['integer'], 'integer only applies to a range or a distribution', 'no integer here'),
      );
  })
  .transform((a): SweepAxis => ({
    path: a.path,
    integer: a.integer ?? false,
    source:
      a.values !== undefined
        ? { kind: 'values', values: a.values }
        : a.range !== undefined
          ? { kind: 'range', ...a.range }
          : {
              kind: 'distribution',
              distribution: a.distribution!,
              ...(a.samples !== undefined ? { samples: a.samples } : {}),
            },
  }));

const metricId = (description: string) =>
  z
    .enum(METRIC_IDS as [string, ...string[]], {
      error: expectedMessage(`a metric id (${METRIC_IDS.join(', ')})`),
    })
    .describe(description);

export interface SweepObjective {
  metric: string;
  sense: 'maximize' | 'minimize';
}

const ObjectiveSchema = mapping(
  {
    maximize: metricId('Metric to maximize.').optional(),
    minimize: metricId('Metric to minimize.').optional(),
  },
  'an objective',
  'What to optimize: {maximize: <metric>} or {minimize: <metric>}.',
)
  .superRefine((o, ctx) => {
    if ((o.maximize === undefined) === (o.minimize === undefined))
      ctx.addIssue(
        custom(
          o.maximize === undefined ? [] : ['minimize'],
          'give maximize or minimize, not both',
          'exactly one of: maximize, minimize',
        ),
      );
  })
  .transform((o): SweepObjective =>
    o.maximize !== undefined
      ? { metric: o.maximize, sense: 'maximize' }
      : { metric: o.minimize ?? '', sense: 'minimize' },
  );

export interface SweepConstraint {
  metric: string;
  /** The metric must be ≤ max. */
  max?: number;
  /** The metric must be ≥ min. */
  min?: number;
}

const ConstraintSchema = mapping(
  {
    metric: metricId('Metric the constraint bounds.'),
    max: finiteNumber('Upper bound (inclusive), in the metric’s unit.').optional(),
    min: finiteNumber('Lower bound (inclusive), in the metric’s unit.').optional(),
  },
  'a constraint',
  'A bound on a metric, e.g. {metric: ttftP99Seconds, max: 2}.',
).superRefine((c, ctx) => {
  if (c.max === undefined && c.min === undefined)
    ctx.addIssue(custom([], 'a constraint needs max or min', 'max, min or both'));
  if (c.max !== undefined && c.min !== undefined && c.min > c.max)
    ctx.addIssue(custom(['min'], 'min exceeds max', `a number ≤ ${c.max}`));
});

/** Strategy kinds (strategies.ts has one implementation per kind). */
export const STRATEGY_KINDS = ['grid', 'random', 'capacity'] as const;

const CapacitySchema = mapping(
  {
    kind: z.literal('capacity'),
    path: scenarioPath(
      'The rate to search (not an axis), e.g. workload.classes.0.arrivals.requestsPerSecond.',
    ),
    low: positiveNumber('Lowest value searched.'),
    high: positiveNumber('Highest value searched.'),
    relativeTolerance: positiveNumber(
      'Stop when high/low of the bracket ≤ 1 + this (geometric bisection).',
    ).optional(),
    absoluteTolerance: positiveNumber(
      'Stop when high − low of the bracket ≤ this (arithmetic bisection).',
    ).optional(),
    maxIterations: positiveInt('Most bisection rounds.'),
  },
  'a capacity search',
  'Bisection for the largest value of `path` whose point meets every constraint.',
).superRefine((c, ctx) => {
  if (!(c.high > c.low))
    ctx.addIssue(custom(['high'], 'high must exceed low', `a number > ${c.low}`));
  if ((c.relativeTolerance === undefined) === (c.absoluteTolerance === undefined))
    ctx.addIssue(
      custom(
        c.relativeTolerance === undefined ? [] : ['absoluteTolerance'],
        'give relativeTolerance or absoluteTolerance, not both',
        'exactly one of: relativeTolerance, absoluteTolerance',
      ),
    );
});

const StrategySchema = z.discriminatedUnion(
  'kind',
  [
    mapping({ kind: z.literal('grid') }, 'a grid', 'Every combination of the axes’ values.'),
    mapping(
      { kind: z.literal('random'), samples: positiveInt('Points to draw.') },
      'a random search',
      'Points drawn independently, one value per axis, from seeded streams.',
    ),
    CapacitySchema,
  ],
  { error: expectedMessage(`a strategy {kind: ${STRATEGY_KINDS.join(' | ')}, …}`) },
);

export type StrategySpec = z.infer<typeof StrategySchema>;

/** The Pareto objectives when the spec states none: cost ↓, goodput ↑, p99 TTFT ↓. */
export const DEFAULT_PARETO: readonly SweepObjective[] = [
  { metric: 'costUsdPerMillionOutputTokens', sense: 'minimize' },
  { metric: 'goodputTokensPerSecond', sense: 'maximize' },
  { metric: 'ttftP99Seconds', sense: 'minimize' },
];

/** Grids larger than this are refused (a step typo should not queue millions of jobs). */
export const MAX_SWEEP_POINTS = 100_000;

const SweepSpecSchema = mapping(
  {
    name: text('Sweep name.'),
    description: text('What question the sweep answers.').optional(),
    base: z
      .record(z.string(), z.unknown(), { error: expectedMessage('a scenario (a mapping)') })
      .describe('The base scenario, inline (its seed is replaced by the sweep’s).')
      .optional(),
    baseFile: text('The base scenario file, relative to the spec file.').optional(),
    seed: nonNegativeInt('Seed of every point (common random numbers) and of sampled axes.'),
    axes: z
      .array(AxisSchema, { error: expectedMessage('a list of axes') })
      .describe('The fields to vary.')
      .optional(),
    strategy: StrategySchema,
    objective: ObjectiveSchema,
    constraints: list(
      ConstraintSchema,
      'constraints',
      'Bounds every feasible point meets.',
    ).optional(),
    pareto: z
      .array(ObjectiveSchema, { error: expectedMessage('a list of objectives') })
      .min(2, { error: expectedMessage('at least two objectives') })
      .describe('Objectives of the Pareto set (default: cost ↓, goodput ↑, p99 TTFT ↓).')
      .optional(),
  },
  'a sweep spec',
  'A parameter sweep over a base scenario.',
).superRefine((s, ctx) => {
  if ((s.base === undefined) === (s.baseFile === undefined))
    ctx.addIssue(
      custom(
        s.base === undefined ? [] : ['baseFile'],
        s.base === undefined ? 'no base scenario' : 'give base or baseFile, not both',
        'exactly one of: base (inline scenario), baseFile (a scenario file)',
      ),
    );
  const axes = Array.isArray(s.axes) ? s.axes : [];
  const paths = axes.map((a) => (isRecord(a) && typeof a.path === 'string' ? a.path : undefined));
  const nested = (a: string, b: string) =>
    a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
  paths.forEach((p, i) => {
    if (p === undefined) return;
    const j = paths.findIndex((q, k) => k < i && q !== undefined && nested(p, q));
    if (j >= 0)
      ctx.addIssue(
        custom(
          ['axes', i, 'path'],
          `overlaps axis ${j} (${paths[j]})`,
          'a path no other axis contains or is inside',
        ),
      );
  });
  const strategy: unknown = s.strategy;
  const kind = isRecord(strategy) ? strategy.kind : undefined;
  if ((kind === 'grid' || kind === 'random') && axes.length === 0)
    ctx.addIssue(
      custom(['axes'], `a ${kind} strategy needs at least one axis`, 'a non-empty list of axes'),
    );
  if (kind === 'grid')
    axes.forEach((a, i) => {
      if (
        isRecord(a) &&
        isRecord(a.source) &&
        a.source.kind === 'distribution' &&
        a.source.samples === undefined
      )
        ctx.addIssue(
          custom(
            ['axes', i, 'samples'],
            'a grid over a distribution needs a sample count',
            'a positive integer',
          ),
        );
    });
  if (kind === 'capacity' && isRecord(strategy) && typeof strategy.path === 'string') {
    const cp = strategy.path;
    paths.forEach((p, i) => {
      if (p !== undefined && nested(p, cp))
        ctx.addIssue(
          custom(
            ['axes', i, 'path'],
            `overlaps the capacity search path ${cp}`,
            'a path apart from strategy.path',
          ),
        );
    });
    if (!s.constraints?.length)
      ctx.addIssue(
        custom(
          ['constraints'],
          'a capacity search needs constraints (what the rate must meet)',
          'a non-empty list of constraints',
        ),
      );
  }
}, evenWithFieldIssues);

/** A parsed sweep spec. */
export type SweepSpec = Omit<z.infer<typeof SweepSpecSchema>, 'axes'> & { axes: SweepAxis[] };

// ---------------------------------------------------------------------------------------------
// zod issues → ErrorIssues
// ---------------------------------------------------------------------------------------------

type ZodIssue = z.core.$ZodIssue;

const valueAt = (
  root: unknown,
  path: readonly PropertyKey[],
): { found: boolean; value?: unknown } => {
  let cur = root;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number' && seg < cur.length) cur = cur[seg];
    else if (isRecord(cur) && Object.hasOwn(cur, seg as string)) cur = cur[seg as string];
    else return { found: false };
  }
  return { found: true, value: cur };
};

function messageFor(issue: ZodIssue, value: unknown): string {
  const table: Partial<Record<ZodIssue['code'], () => string>> = {
    invalid_type: () => 'wrong type',
    too_small: () => (Array.isArray(value) ? 'wrong number of items' : 'out of range'),
    too_big: () => (Array.isArray(value) ? 'wrong number of items' : 'out of range'),
    invalid_format: () => 'wrong format',
    invalid_value: () => {
      const values = issue.code === 'invalid_value' ? issue.values.map(String) : [];
      const hint = typeof value === 'string' ? closest(value, values) : undefined;
      return hint ? `not an accepted value (did you mean '${hint}'?)` : 'not an accepted value';
    },
    invalid_union: () => 'not one of the accepted forms',
    custom: () => issue.message,
  };
  return table[issue.code]?.() ?? 'invalid value';
}

/** One zod issue of the spec as ErrorIssues (path, message, value, expected; no positions). */
export function specIssues(
  issue: ZodIssue,
  data: unknown,
  prefix: readonly PropertyKey[] = [],
): ErrorIssue[] {
  const path = [...prefix, ...issue.path];
  const dotted = (p: readonly PropertyKey[]) => p.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const expected = expectedFromMessage(issue.message);
    const known = expected?.startsWith(FIELDS_PREFIX)
      ? expected.slice(FIELDS_PREFIX.length).split(', ')
      : [];
    return issue.keys.map((key) => {
      const hint = closest(key, known);
      const at = valueAt(data, [...path, key]);
      return {
        path: dotted([...path, key]),
        message: `unknown field '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}`,
        ...(at.found ? { value: at.value } : {}),
        ...(expected !== undefined ? { expected } : {}),
      };
    });
  }
  const at = valueAt(data, path);
  const customExpected =
    issue.code === 'custom' && typeof issue.params?.['expected'] === 'string'
      ? (issue.params['expected'] as string)
      : undefined;
  const expected = customExpected ?? expectedFromMessage(issue.message);
  const missing = !at.found && issue.code !== 'custom';
  return [
    {
      path: dotted(path),
      message: missing
        ? `missing required field '${String(path.at(-1))}'`
        : messageFor(issue, at.value),
      ...(at.found ? { value: at.value } : {}),
      ...(expected !== undefined ? { expected } : {}),
    },
  ];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/**
 * Validate a sweep spec given as plain data (JSON, HTTP); issues carry paths, no positions.
 * @throws AifError E_SCENARIO_INVALID with every issue.
 */
export function parseSweepSpecObject(data: unknown, source: string): SweepSpec {
  const r = SweepSpecSchema.safeParse(data);
  if (r.success) return { ...r.data, axes: r.data.axes ?? [] };
  const issues = r.error.issues
    .flatMap((i) => specIssues(i, data))
    .map((i) => ({ ...i, file: source }));
  throw new AifError(
    ERROR_CODES.SCENARIO_INVALID,
    `${source}: the sweep spec has ${plural(issues.length, 'problem')}:\n${formatIssues(issues)}`,
    issues,
  );
}

/** The YAML text's data (merge keys allowed), or E_SCENARIO_YAML with positioned errors. */
export function sweepYamlData(text: string, file: string): unknown {
  return parseYamlPositioned(text, file).doc.toJS();
}

/**
 * Parse and validate a sweep spec written in YAML: every issue with its line and column.
 * @throws AifError E_SCENARIO_YAML (syntax) or E_SCENARIO_INVALID (schema).
 */
export function parseSweepSpecYaml(text: string, file: string): SweepSpec {
  const data = sweepYamlData(text, file);
  try {
    return parseSweepSpecObject(data, file);
  } catch (e) {
    if (e instanceof AifError && e.issues.length) throw locateIssues(e, text, file);
    throw e;
  }
}
