/**
 * Use case `build-vs-rent` (DESIGN §7): a parsed build-vs-rent file (plain object) → validated,
 * defaulted from sourced constants (`econ/build-vs-rent-defaults.ts`), converted to replicas
 * through the capacity at the SLO, and analysed with the given LP solver. Pure: the CLI reads
 * the file, loads the solver and prints. Every default applied is listed.
 */
import type { LpSolver } from '../core/lp.js';
import type { Sourced } from '../core/source.js';
import { HOURS_PER_YEAR, SECONDS_PER_HOUR } from '../core/units.js';
import { analyseBuildVsRent, type BuildVsRentReport } from '../econ/build-vs-rent.js';
import { apiUsdPerReplicaHour } from '../econ/build-vs-rent-api.js';
import { BUILD_VS_RENT_DEFAULTS as D } from '../econ/build-vs-rent-defaults.js';
import type { HourlyOption, OwnOption, ReservedOption } from '../econ/build-vs-rent-model.js';
import { generateDemandProfile } from '../econ/demand-profile.js';
import { replicasForDemand } from '../econ/demand-replicas.js';
import { AifError, ERROR_CODES } from '../core/errors.js';
import { parseBuildVsRentObject, type BuildVsRentFile } from '../scenario/build-vs-rent-schema.js';

export interface BuildVsRentDefault {
  field: string;
  value: number | string;
  source: string;
}

export interface BuildVsRentResult {
  report: BuildVsRentReport;
  defaultsApplied: BuildVsRentDefault[];
}

/** Validate, default and analyse a build-vs-rent file given as a parsed object. */
export function runBuildVsRent(obj: unknown, source: string, solver: LpSolver): BuildVsRentResult {
  const file = parseBuildVsRentObject(obj, source);
  return analyseBuildVsRentFile(file, source, solver);
}

export function analyseBuildVsRentFile(
  file: BuildVsRentFile,
  source: string,
  solver: LpSolver,
): BuildVsRentResult {
  const defaults: BuildVsRentDefault[] = [];
  const pick = <T extends number | string>(
    field: string,
    given: T | undefined,
    d: Sourced<T>,
  ): T => {
    if (given !== undefined) return given;
    defaults.push({
      field,
      value: d.value,
      source: `${d.ref.source}${d.ref.date ? ` (${d.ref.date})` : ''}`,
    });
    return d.value;
  };
  const gpus = file.replica.gpusPerReplica;
  const capacity = file.replica.capacityAtSloOutputTokensPerSecond;

  // Demand → replicas per hour.
  const seed = file.seed ?? 1;
  const hours = file.horizonYears * HOURS_PER_YEAR;
  const raw = file.demand.profile
    ? generateDemandProfile({ ...file.demand.profile, seed, years: file.horizonYears })
    : file.demand.hourly!;
  if (raw.length !== hours)
    throw new AifError(
      ERROR_CODES.SCENARIO_INVALID,
      `${source}: demand.hourly has ${raw.length} values`,
      [
        {
          path: 'demand.hourly',
          message: 'wrong number of hours',
          value: raw.length,
          expected: `${hours} values (horizonYears · 8760)`,
          file: source,
        },
      ],
    );
  const demandReplicasPerHour =
    file.demand.unit === 'replicas' ? raw.slice() : replicasForDemand(raw, capacity);

  // Options.
  const o = file.own ?? {};
  const own: OwnOption | undefined =
    o.include === false
      ? undefined
      : {
          capexUsdPerReplica: gpus * pick('own.capexUsdPerGpu', o.capexUsdPerGpu, D.capexUsdPerGpu),
          fixedOpexUsdPerReplicaHour:
            gpus *
            pick('own.fixedOpexUsdPerGpuHour', o.fixedOpexUsdPerGpuHour, D.fixedOpexUsdPerGpuHour),
          energyUsdPerBusyReplicaHour:
            gpus *
            pick(
              'own.energyUsdPerBusyGpuHour',
              o.energyUsdPerBusyGpuHour,
              D.energyUsdPerBusyGpuHour,
            ),
          usefulLifeYears: pick('own.usefulLifeYears', o.usefulLifeYears, D.usefulLifeYears),
          leadTimeMonths: pick('own.leadTimeMonths', o.leadTimeMonths, D.leadTimeMonths),
          residualValueShare: pick(
            'own.residualValueShare',
            o.residualValueShare,
            D.residualValueShare,
          ),
          capexChangePerYear: o.capexChangePerYear ?? 0,
          ...(o.maxReplicas !== undefined ? { maxReplicas: o.maxReplicas } : {}),
        };
  const reservedIn = file.reserved ?? [
    { name: 'reserved-1y', termYears: 1 },
    { name: 'reserved-3y', termYears: 3 },
  ];
  const reserved: ReservedOption[] = reservedIn
    .filter((r) => r.termYears <= file.horizonYears)
    .map((r, i) => {
      const f = `reserved.${i}`;
      const three = r.termYears >= 3;
      return {
        name: r.name,
        termYears: r.termYears,
        upfrontShare: three
          ? pick(`${f}.upfrontShare`, r.upfrontShare, D.reserved3yUpfrontShare)
          : (r.upfrontShare ?? 0),
        usdPerReplicaHour:
          gpus *
          pick(
            `${f}.usdPerGpuHour`,
            r.usdPerGpuHour,
            three ? D.reserved3yUsdPerGpuHour : D.reserved1yUsdPerGpuHour,
          ),
        ...(r.maxReplicas !== undefined ? { maxReplicas: r.maxReplicas } : {}),
      };
    });
  const hourly: HourlyOption[] = [];
  const od = file.onDemand ?? {};
  if (od.include !== false)
    hourly.push({
      name: 'on-demand',
      kind: 'on-demand',
      usdPerReplicaHour:
        gpus * pick('onDemand.usdPerGpuHour', od.usdPerGpuHour, D.onDemandUsdPerGpuHour),
      deliveredFraction: 1,
      ...(od.maxReplicas !== undefined ? { maxReplicas: od.maxReplicas } : {}),
    });
  const sp = file.spot ?? {};
  if (sp.include !== false && file.spot !== undefined)
    hourly.push({
      name: 'spot',
      kind: 'spot',
      usdPerReplicaHour: gpus * pick('spot.usdPerGpuHour', sp.usdPerGpuHour, D.spotUsdPerGpuHour),
      deliveredFraction: pick('spot.availability', sp.availability, D.spotAvailability),
      ...(sp.maxReplicas !== undefined ? { maxReplicas: sp.maxReplicas } : {}),
    });
  const api = file.api;
  const assumptions: string[] = [];
  if (api && api.include !== false) {
    const outputTokens = capacity * SECONDS_PER_HOUR;
    const inputAll = outputTokens * api.inputTokensPerOutputToken;
    const tokens = {
      outputTokens,
      cachedInputTokens: inputAll * api.cachedInputShare,
      inputTokens: inputAll * (1 - api.cachedInputShare),
    };
    const pricing = {
      usdPerMillionInputTokens: pick(
        'api.usdPerMillionInputTokens',
        api.usdPerMillionInputTokens,
        D.apiUsdPerMillionInputTokens,
      ),
      usdPerMillionCachedInputTokens: pick(
        'api.usdPerMillionCachedInputTokens',
        api.usdPerMillionCachedInputTokens,
        D.apiUsdPerMillionCachedInputTokens,
      ),
      usdPerMillionOutputTokens: pick(
        'api.usdPerMillionOutputTokens',
        api.usdPerMillionOutputTokens,
        D.apiUsdPerMillionOutputTokens,
      ),
    };
    const price = apiUsdPerReplicaHour(pricing, tokens);
    assumptions.push(
      `API priced per replica-hour of tokens: ${Math.round(tokens.inputTokens)} uncached input + ${Math.round(tokens.cachedInputTokens)} cached input + ${Math.round(tokens.outputTokens)} output tokens = $${price.toFixed(2)}/replica-hour at t = 0`,
    );
    hourly.push({
      name: 'api',
      kind: 'api',
      usdPerReplicaHour: price,
      deliveredFraction: 1,
      ...(api.maxReplicaEquivalents !== undefined
        ? { maxReplicas: api.maxReplicaEquivalents }
        : {}),
    });
  }
  const dropped = reservedIn.filter((r) => r.termYears > file.horizonYears).map((r) => r.name);
  if (dropped.length)
    assumptions.push(`reserved options longer than the horizon left out: ${dropped.join(', ')}`);
  const currencyYear = pick('currencyYear', file.currencyYear, D.currencyYear);
  const discountRatePerYear = pick(
    'costOfCapitalPerYear',
    file.costOfCapitalPerYear,
    D.costOfCapitalPerYear,
  );
  const rentPriceChangePerYear = pick(
    'rentPriceChangePerYear',
    file.rentPriceChangePerYear,
    D.rentPriceChangePerYear,
  );
  for (const d of defaults) assumptions.push(`default ${d.field} = ${d.value} (${d.source})`);

  const report = analyseBuildVsRent(
    {
      name: file.name,
      currencyYear,
      discountRatePerYear,
      periodMonths: file.periodMonths ?? 12,
      blocksPerPeriod: file.loadBlocksPerPeriod ?? 8,
      demandReplicasPerHour,
      ...(own ? { own } : {}),
      reserved,
      hourly,
      rentPriceChangePerYear,
      ownedFractionSteps: file.ownedFractionSteps ?? 10,
      workload: `${file.demand.unit === 'replicas' ? 'demand in replicas' : `demand in output tok/s at ${capacity} tok/s per replica`}; ${file.replica.description}`,
      source: `${source}${file.replica.capacitySource ? `; capacity: ${file.replica.capacitySource}` : ''}`,
      assumptions,
    },
    solver,
  );
  return { report, defaultsApplied: defaults };
}
