/**
 * Sweep points: a base scenario with some fields set (axis values), validated by the scenario
 * schema and keyed by a content hash, so the same question is never asked twice and every
 * executor returns the same answer for it.
 *
 * - `prepareSweep` checks the base scenario and every axis value once, applied to the base
 *   alone (the schema, and the catalog when one is given): a bad path or value is an error that
 *   names the axis, before any simulation runs.
 * - `makePoint` applies a set of assignments, validates the result, and keys it:
 *   job key = `core/hash.ts` contentHash({scenario, seed, engineVersion}) over the parsed
 *   (normalised) scenario — the same scenario simulated by the same engine gives byte-identical
 *   results, so the key names the result.
 * - Axis values: `values` as listed; a `range` as from + i·step (i = 0, 1, … while ≤ to, each
 *   rounded to 12 significant digits so 0.1-steps do not print as 0.30000000000000004);
 *   distributions drawn from named seeded streams (`core/rng.ts`), one stream per axis path,
 *   so adding an axis never changes another's draws.
 *
 * Every point's scenario seed is the sweep's seed unless an axis sets `seed` (replications):
 * points then share their random streams — common random numbers, which make differences
 * between configurations less noisy than independent seeds would (Law & Kelton, "Simulation
 * Modeling and Analysis", 5th ed., §11.2).
 */
import type { Catalog } from '../catalog/catalog.js';
import { AifError, ERROR_CODES, isAifError, type ErrorIssue } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import { createRng, type RngStream } from '../core/rng.js';
import { createUncertainSampler } from '../econ/uncertain.js';
import { formatIssues, resolveScenario, ScenarioSchema, type Scenario } from '../scenario/index.js';
import {
  MAX_SWEEP_POINTS,
  specIssues,
  type AxisDistribution,
  type AxisSource,
  type SweepAxis,
  type SweepSpec,
} from './spec.js';

/** One field set at a point: the scenario path, the value, and where in the spec it came from. */
export interface Assignment {
  path: string;
  value: unknown;
  /** Spec path of the value (`axes.1.values.2`, `strategy.low`): errors point at it. */
  origin: string;
}

export interface SweepPoint {
  /** Job key: contentHash({scenario, seed, engineVersion}). */
  key: string;
  /** contentHash(scenario), as `SimResult.scenario.hash` states it. */
  scenarioHash: string;
  seed: number;
  assignments: Assignment[];
  /** The parsed scenario with every assignment applied (what the job simulates). */
  scenario: Scenario;
}

export interface PreparedSweep {
  spec: SweepSpec;
  /** The base scenario as written (plain data), its seed replaced by the sweep's. */
  base: Record<string, unknown>;
  /** contentHash of the spec with its base inline: names the question the sweep answers. */
  specHash: string;
  engineVersion: string;
}

export interface PrepareOptions {
  engineVersion: string;
  /** When given, every axis value is also resolved against the catalog (unknown ids, fit). */
  catalog?: Catalog;
  /** Spec path the base's issues are reported under (default `base`). */
  basePath?: string;
}

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

const isRecord = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

const segmentsOf = (path: string): (string | number)[] =>
  path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const show = (value: unknown): string => {
  const s = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/**
 * Set `path` in `root` (mutated). Every container on the way must exist in the base: a list
 * index must be inside the list, a mapping on the way must be stated (the last field may be
 * absent: the scenario schema then checks it is a known field).
 * @returns undefined, or why the path does not exist.
 */
function setAt(root: Record<string, unknown>, path: string, value: unknown): string | undefined {
  const segs = segmentsOf(path);
  let cur: unknown = root;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    const here = segs.slice(0, i).join('.') || '(the scenario)';
    if (Array.isArray(cur)) {
      if (typeof seg !== 'number')
        return `${here} is a list: the next segment must be an index, got '${seg}'`;
      if (seg >= cur.length) return `${here} has ${cur.length} items: no index ${seg}`;
      if (last) cur[seg] = value;
      else cur = cur[seg];
    } else if (isRecord(cur)) {
      if (last) cur[String(seg)] = value;
      else if (!Object.hasOwn(cur, String(seg)))
        return `${[...segs.slice(0, i + 1)].join('.')} is not stated in the base scenario (state it there to vary a field inside it)`;
      else cur = cur[String(seg)];
    } else return `${here} is a ${cur === null ? 'null' : typeof cur}, not a mapping or list`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Axis values
// ---------------------------------------------------------------------------------------------

/** Round to 12 significant digits: range arithmetic without binary-fraction noise. */
const tidy = (x: number): number => Number(x.toPrecision(12));

type Sampler = (rng: RngStream) => number;

/**
 * How each distribution kind is drawn, and values that stand for its support in validation.
 * uniform, triangular and lognormal use econ/uncertain.ts's samplers (inverse CDF; Box–Muller
 * for the lognormal); loguniform is exp(U(ln min, ln max)).
 */
const DISTRIBUTIONS: {
  [K in AxisDistribution['kind']]: {
    sampler(d: Extract<AxisDistribution, { kind: K }>): Sampler;
    representatives(d: Extract<AxisDistribution, { kind: K }>): number[];
  };
} = {
  uniform: {
    sampler: (d) => createUncertainSampler({ dist: 'uniform', min: d.min, max: d.max }),
    representatives: (d) => [d.min, d.max],
  },
  loguniform: {
    sampler: (d) => {
      const lo = Math.log(d.min);
      const width = Math.log(d.max) - lo;
      return (rng) => Math.exp(lo + width * rng.next());
    },
    representatives: (d) => [d.min, d.max],
  },
  triangular: {
    sampler: (d) =>
      createUncertainSampler({ dist: 'triangular', min: d.min, mode: d.mode, max: d.max }),
    representatives: (d) => [d.min, d.mode, d.max],
  },
  lognormal: {
    sampler: (d) => createUncertainSampler({ dist: 'lognormal', median: d.median, p90: d.p90 }),
    representatives: (d) => [d.median, d.p90],
  },
};

type DistributionEntry = {
  sampler(d: AxisDistribution): Sampler;
  representatives(d: AxisDistribution): number[];
};
const distributionOf = (d: AxisDistribution): DistributionEntry =>
  DISTRIBUTIONS[d.kind] as DistributionEntry;

const rounded = (axis: SweepAxis, x: number): number => (axis.integer ? Math.round(x) : tidy(x));

/** Values of an axis as (value, origin) pairs; `rng` draws a distribution's samples. */
interface AxisKind<S extends AxisSource> {
  /** The values a grid takes, in order. */
  gridValues(axis: SweepAxis, source: S, index: number, seed: number): Assignment[];
  /** One value for a random point. */
  draw(axis: SweepAxis, source: S, index: number, rng: RngStream): Assignment;
  /** Values that stand for the whole axis when checking it against the base. */
  representatives(axis: SweepAxis, source: S, index: number): Assignment[];
}

function rangeValues(
  axis: SweepAxis,
  r: Extract<AxisSource, { kind: 'range' }>,
  index: number,
): number[] {
  const n = Math.floor((r.to - r.from) / r.step + 1e-9) + 1;
  if (n > MAX_SWEEP_POINTS)
    throw new AifError(ERROR_CODES.SCENARIO_INVALID, `axis ${axis.path}: too many values`, [
      {
        path: `axes.${index}.range`,
        message: `the range has ${n} values`,
        value: r,
        expected: `at most ${MAX_SWEEP_POINTS} values`,
      },
    ]);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = rounded(axis, r.from + i * r.step);
    if (out.at(-1) !== v) out.push(v);
  }
  return out;
}

const AXIS_KINDS: { [K in AxisSource['kind']]: AxisKind<Extract<AxisSource, { kind: K }>> } = {
  values: {
    gridValues: (axis, s, i) =>
      s.values.map((value, j) => ({ path: axis.path, value, origin: `axes.${i}.values.${j}` })),
    draw: (axis, s, i, rng) => {
      const j = rng.nextInt(s.values.length);
      return { path: axis.path, value: s.values[j], origin: `axes.${i}.values.${j}` };
    },
    representatives: (axis, s, i) => AXIS_KINDS.values.gridValues(axis, s, i, 0),
  },
  range: {
    gridValues: (axis, s, i) =>
      rangeValues(axis, s, i).map((value) => ({
        path: axis.path,
        value,
        origin: `axes.${i}.range`,
      })),
    draw: (axis, s, i, rng) => {
      const vs = rangeValues(axis, s, i);
      return { path: axis.path, value: vs[rng.nextInt(vs.length)], origin: `axes.${i}.range` };
    },
    representatives: (axis, s, i) => AXIS_KINDS.range.gridValues(axis, s, i, 0),
  },
  distribution: {
    gridValues: (axis, s, i, seed) => {
      const rng = createRng(seed, `sweep/grid/${axis.path}`);
      const draw = distributionOf(s.distribution).sampler(s.distribution);
      return Array.from({ length: s.samples ?? 0 }, () => ({
        path: axis.path,
        value: rounded(axis, draw(rng)),
        origin: `axes.${i}.distribution`,
      }));
    },
    draw: (axis, s, i, rng) => ({
      path: axis.path,
      value: rounded(axis, distributionOf(s.distribution).sampler(s.distribution)(rng)),
      origin: `axes.${i}.distribution`,
    }),
    representatives: (axis, s, i) =>
      distributionOf(s.distribution)
        .representatives(s.distribution)
        .map((x) => ({
          path: axis.path,
          value: rounded(axis, x),
          origin: `axes.${i}.distribution`,
        })),
  },
};

const kindOf = (axis: SweepAxis): AxisKind<AxisSource> =>
  AXIS_KINDS[axis.source.kind] as AxisKind<AxisSource>;

/** The values a grid takes on axis `index` (distribution axes: `samples` seeded draws). */
export const gridValues = (prep: PreparedSweep, index: number): Assignment[] => {
  const axis = prep.spec.axes[index]!;
  return kindOf(axis).gridValues(axis, axis.source, index, prep.spec.seed);
};

/** The stream a random search draws axis `index` from. */
export const randomStream = (prep: PreparedSweep, index: number): RngStream =>
  createRng(prep.spec.seed, `sweep/random/${prep.spec.axes[index]!.path}`);

/** One random value of axis `index` from its stream. */
export const drawValue = (prep: PreparedSweep, index: number, rng: RngStream): Assignment => {
  const axis = prep.spec.axes[index]!;
  return kindOf(axis).draw(axis, axis.source, index, rng);
};

/** Cartesian product, first list varying slowest (axis order). */
export function cartesian<T>(lists: readonly (readonly T[])[]): T[][] {
  const total = lists.reduce((n, l) => n * l.length, 1);
  if (total > MAX_SWEEP_POINTS)
    throw new AifError(ERROR_CODES.SCENARIO_INVALID, `the grid has ${total} points`, [
      {
        path: 'axes',
        message: `the grid has ${total} points`,
        expected: `at most ${MAX_SWEEP_POINTS} points (fewer values, or a random strategy)`,
      },
    ]);
  return lists.reduce<T[][]>(
    (acc, l) => acc.flatMap((prefix) => l.map((x) => [...prefix, x])),
    [[]],
  );
}

// ---------------------------------------------------------------------------------------------
// Points
// ---------------------------------------------------------------------------------------------

const isUnder = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(`${prefix}.`) || prefix.startsWith(`${path}.`);

/** Spec path of the path an assignment's value was set at (`axes.1.path`, `strategy.path`). */
const pathOrigin = (a: Assignment): string =>
  a.origin.startsWith('strategy.')
    ? 'strategy.path'
    : a.origin.replace(/\.(values\.\d+|range|distribution)$/, '.path');

/**
 * Scenario issues of an assigned scenario, reported against the spec: an issue at or inside an
 * assigned path names that axis value; any other names the combination.
 */
function blame(issues: ErrorIssue[], assignments: readonly Assignment[]): ErrorIssue[] {
  return issues.map((i) => {
    // The base alone is valid, so with one assignment every new issue is that value's doing.
    const a =
      assignments.find((x) => isUnder(i.path, x.path)) ??
      (assignments.length === 1 ? assignments[0] : undefined);
    const detail = `${i.path === '' ? '(root)' : i.path}: ${i.message}`;
    // An unknown field at the assigned path is the path's fault, not the value's.
    if (a && i.path === a.path && i.message.startsWith('unknown field'))
      return {
        path: pathOrigin(a),
        message: `${a.path}: ${i.message}`,
        value: a.path,
        ...(i.expected !== undefined ? { expected: i.expected } : {}),
      };
    if (a)
      return {
        path: a.origin,
        message: `${a.path} = ${show(a.value)} makes the scenario invalid (${detail})`,
        value: a.value,
        ...(i.expected !== undefined ? { expected: `${i.path}: ${i.expected}` } : {}),
      };
    const combo = assignments.map((x) => `${x.path} = ${show(x.value)}`).join(', ');
    return {
      path: 'axes',
      message: `the combination ${combo} makes the scenario invalid (${detail})`,
      ...('value' in i ? { value: i.value } : {}),
      ...(i.expected !== undefined ? { expected: i.expected } : {}),
    };
  });
}

/** The base with the assignments set, or the issues (naming the axes). */
function assign(
  base: Record<string, unknown>,
  assignments: readonly Assignment[],
): { data: Record<string, unknown> } | { issues: ErrorIssue[] } {
  const data = clone(base);
  const issues: ErrorIssue[] = [];
  for (const a of assignments) {
    const why = setAt(data, a.path, a.value);
    if (why !== undefined)
      issues.push({
        path: pathOrigin(a),
        message: `no such field in the base scenario: ${why}`,
        value: a.path,
        expected: 'a path to a field of the base scenario',
      });
  }
  return issues.length ? { issues } : { data };
}

function invalid(message: string, issues: ErrorIssue[]): AifError {
  return new AifError(ERROR_CODES.SCENARIO_INVALID, `${message}:\n${formatIssues(issues)}`, issues);
}

/** Apply, validate and key one point. @throws AifError naming the axes of a bad point. */
export function makePoint(prep: PreparedSweep, assignments: readonly Assignment[]): SweepPoint {
  const r = assign(prep.base, assignments);
  if ('issues' in r) throw invalid('a sweep axis names a field the base scenario lacks', r.issues);
  const parsed = ScenarioSchema.safeParse(r.data);
  if (!parsed.success)
    throw invalid(
      'a sweep point is not a valid scenario',
      blame(
        parsed.error.issues.flatMap((i) => specIssues(i, r.data)),
        assignments,
      ),
    );
  const scenario = parsed.data;
  const seed = scenario.seed;
  return {
    key: contentHash({ scenario, seed, engineVersion: prep.engineVersion }),
    scenarioHash: contentHash(scenario),
    seed,
    assignments: assignments.map((a) => ({ ...a })),
    scenario,
  };
}

/** The issues of one axis value applied to the base alone (schema, then catalog). */
function checkValue(
  prep: PreparedSweep,
  a: Assignment,
  catalog: Catalog | undefined,
): ErrorIssue[] {
  let point: SweepPoint;
  try {
    point = makePoint(prep, [a]);
  } catch (e) {
    if (isAifError(e)) return [...e.issues];
    throw e;
  }
  if (!catalog) return [];
  try {
    resolveScenario(point.scenario, catalog);
    return [];
  } catch (e) {
    if (!isAifError(e)) throw e;
    return e.issues.length
      ? blame([...e.issues], [a])
      : [{ path: a.origin, message: `${a.path} = ${show(a.value)}: ${e.message}`, value: a.value }];
  }
}

/**
 * Check the base and every axis value (and the capacity search's bounds), applied to the base
 * alone; return what the strategies and the driver need.
 * @param base the base scenario as written (inline `base:` or the base file's data).
 * @throws AifError E_SCENARIO_INVALID with every issue: base issues under `base.`, axis issues
 *   at the axis value (`axes.1.values.2`) or path (`axes.1.path`).
 */
export function prepareSweep(
  spec: SweepSpec,
  base: unknown,
  options: PrepareOptions,
): PreparedSweep {
  const basePath = options.basePath ?? 'base';
  if (!isRecord(base))
    throw invalid('the base scenario is not a mapping', [
      { path: basePath, message: 'not a mapping', value: base, expected: 'a scenario (a mapping)' },
    ]);
  const seeded = { ...clone(base), seed: spec.seed };
  const parsed = ScenarioSchema.safeParse(seeded);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .flatMap((i) => specIssues(i, seeded))
      .map((i) => ({ ...i, path: basePath ? `${basePath}${i.path ? `.${i.path}` : ''}` : i.path }));
    throw invalid('the base scenario is not valid', issues);
  }
  if (options.catalog) {
    try {
      resolveScenario(parsed.data, options.catalog);
    } catch (e) {
      if (!isAifError(e)) throw e;
      throw invalid(
        'the base scenario does not resolve against the catalog',
        e.issues.map((i) => ({ ...i, path: basePath ? `${basePath}.${i.path}` : i.path })),
      );
    }
  }
  const { base: _inline, baseFile: _file, ...rest } = spec;
  const prep: PreparedSweep = {
    spec,
    base: seeded,
    specHash: contentHash({ ...rest, base: seeded }),
    engineVersion: options.engineVersion,
  };
  const issues: ErrorIssue[] = [];
  const candidates: Assignment[] = spec.axes.flatMap((axis, i) => {
    try {
      return kindOf(axis).representatives(axis, axis.source, i);
    } catch (e) {
      if (!isAifError(e)) throw e;
      issues.push(...e.issues);
      return [];
    }
  });
  const s = spec.strategy;
  if (s.kind === 'capacity')
    candidates.push(
      { path: s.path, value: s.low, origin: 'strategy.low' },
      { path: s.path, value: s.high, origin: 'strategy.high' },
    );
  const seen = new Set<string>();
  for (const a of candidates) {
    for (const i of checkValue(prep, a, options.catalog)) {
      const id = `${i.path}\u0000${i.message}`;
      if (!seen.has(id)) issues.push(i);
      seen.add(id);
    }
  }
  if (issues.length) throw invalid('the sweep’s axes do not fit the base scenario', issues);
  return prep;
}
