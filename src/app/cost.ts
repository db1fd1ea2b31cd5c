/**
 * Use case `cost`: what a million tokens costs, all-in, and where the money goes (DESIGN §3,
 * §7). Turns an `EstimateReport` or a `SimResult` into a `CostReport`: the TCO inputs resolved
 * from the scenario's `economics` and `site` sections and the sourced econ defaults (each
 * default listed), the hourly cost waterfall, all-in USD per GPU-hour, and cost per 1M tokens
 * per token kind at the operating point's utilization and goodput, with the split rule named.
 * Pure: the CLI renders it (`cli/cost-text.ts`).
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Accelerator, System } from '../catalog/types.js';
import type { Basis, Metric } from '../core/basis.js';
import { distributionMean } from '../core/distributions.js';
import { AifError, ERROR_CODES } from '../core/errors.js';
import type { Sourced } from '../core/source.js';
import {
  costPerToken,
  type CostPerTokenInput,
  type CostPerTokenResult,
  type CostSplit,
  type PerTokenKind,
} from '../econ/cost-per-token.js';
import {
  cloudPriceUsdPerGpuHour,
  colocationUsdPerKwMonth,
  DEFAULT_CURRENCY_YEAR,
  electricityPriceUsdPerKwh,
  facilityCapexUsdPerMw,
  facilityLifeYears,
  maintenanceShareOfCapexPerYear,
  pueValue,
  usefulLifeYears,
  type CloudPriceTier,
} from '../econ/defaults.js';
import type { EnergyPricing, TimeOfUseTariff } from '../econ/energy-cost.js';
import { computeTco, type CapexItem, type TcoInput, type TcoResult } from '../econ/tco.js';
import type { DefaultApplied, Scenario, WorkloadClass } from '../scenario/index.js';
import type { EstimateReport } from './estimate.js';
import type { SimResult } from './simulate.js';

// ---------------------------------------------------------------------------------------------
// Report types
// ---------------------------------------------------------------------------------------------

/** One resolved TCO input: its value and where it comes from (scenario or a sourced default). */
export interface CostInput {
  path: string;
  value: unknown;
  unit: string;
  source: string;
}

export interface OperatingPointCost {
  /** Class name (estimate), or `all classes` (run). */
  name: string;
  /** The utilization the cost holds at, in words. */
  utilization: string;
  /** Facility power drawn at the operating point, W, and how it was reached. */
  facilityPowerWatts: number;
  facilityPowerSource: string;
  tokensPerSecond: PerTokenKind;
  tco: TcoResult;
  usdPerHour: Metric;
  usdPerGpuHour: Metric;
  costPerToken: CostPerTokenResult;
  /** The inputs the figures were computed from (sensitivity and Monte Carlo vary them). */
  model: { tco: TcoInput; costPerToken: Omit<CostPerTokenInput, 'usdPerHour'> };
}

export interface DeploymentCost {
  name: string;
  system: string;
  accelerator: string;
  gpus: number;
  systems: number;
  ownership: Ownership;
  /** Nameplate IT power of the GPUs' systems (TDP + host + network share), kW. */
  nameplateItKw: number;
  inputs: CostInput[];
  points: OperatingPointCost[];
  warnings: string[];
}

export interface CostReport {
  kind: 'aifactory.cost';
  /** Which result the token rates and power come from. */
  from: 'estimate' | 'run';
  scenario: { name: string; seed: number; hash: string };
  catalogVersion: string;
  currencyYear: string;
  defaultsApplied: DefaultApplied[];
  assumptions: string[];
  /** Economics fields the chosen ownership does not use. */
  notUsed: string[];
  deployments: DeploymentCost[];
}

export interface CostOptions {
  /** The scenario the report was made from (its `economics` and `site` sections). */
  scenario: Scenario;
  catalog: Catalog;
}

type Ownership = 'own' | 'rent' | 'reserved';
type Economics = NonNullable<Scenario['economics']>;

// ---------------------------------------------------------------------------------------------
// Resolution of the TCO inputs
// ---------------------------------------------------------------------------------------------

const fromRef = (v: Sourced): string =>
  `${v.ref.source}${v.ref.date ? ` (${v.ref.date})` : ''}${v.ref.note ? `: ${v.ref.note}` : ''}`;

interface Hardware {
  name: string;
  system: System;
  accelerator: Accelerator;
  gpus: number;
  systems: number;
}

interface Resolver {
  economics: Economics;
  scenario: Scenario;
  defaults: DefaultApplied[];
  assumptions: Set<string>;
}

/** A value from the scenario, or a sourced default that is listed in `defaultsApplied`. */
function pick(
  r: Resolver,
  inputs: CostInput[],
  path: string,
  unit: string,
  stated: number | undefined,
  fallback: () => Sourced,
): number {
  if (stated !== undefined) {
    inputs.push({ path, value: stated, unit, source: 'scenario' });
    return stated;
  }
  const d = fallback();
  const source = fromRef(d);
  inputs.push({ path, value: d.value, unit, source: `default: ${source}` });
  if (!r.defaults.some((x) => x.path === path)) r.defaults.push({ path, value: d.value, source });
  return d.value;
}

function nameplateItKw(hw: Hardware): number {
  const perSystem = hw.system.hostPowerWatts.value + hw.system.networkPowerWatts.value;
  return (hw.gpus * hw.accelerator.tdpWatts.value + hw.systems * perSystem) / 1000;
}

/** The energy price: economics, then site, then the region's sourced default; never assumed. */
function energyPricing(
  r: Resolver,
  inputs: CostInput[],
  facilityPowerWatts: number,
): EnergyPricing {
  const e = r.economics;
  const site = r.scenario.site;
  if (e.timeOfUse) {
    const tariff: TimeOfUseTariff = { blocks: e.timeOfUse };
    inputs.push({
      path: 'economics.timeOfUse',
      value: e.timeOfUse,
      unit: 'USD/kWh blocks',
      source: 'scenario',
    });
    return { facilityPowerWatts, timeOfUse: tariff };
  }
  const stated = e.energyPriceUsdPerKwh ?? site?.energyPriceUsdPerKwh;
  if (stated !== undefined) {
    inputs.push({
      path:
        e.energyPriceUsdPerKwh !== undefined
          ? 'economics.energyPriceUsdPerKwh'
          : 'site.energyPriceUsdPerKwh',
      value: stated,
      unit: 'USD/kWh',
      source: 'scenario',
    });
    return { facilityPowerWatts, priceUsdPerKwh: stated };
  }
  if (site?.region === undefined)
    throw new AifError(ERROR_CODES.SCENARIO_INVALID, 'cost: no energy price', [
      {
        path: 'economics.energyPriceUsdPerKwh',
        message: 'owning hardware needs an energy price: none is stated and site.region is not set',
        expected:
          'economics.energyPriceUsdPerKwh, economics.timeOfUse, site.energyPriceUsdPerKwh or site.region',
      },
    ]);
  const price = pick(r, inputs, 'site.energyPriceUsdPerKwh', 'USD/kWh', undefined, () =>
    electricityPriceUsdPerKwh(site.region!),
  );
  return { facilityPowerWatts, priceUsdPerKwh: price };
}

/** TCO parts an ownership model contributes, besides staff and software (shared). */
type OwnershipModel = (
  r: Resolver,
  inputs: CostInput[],
  hw: Hardware,
) => { parts: Omit<TcoInput, 'currencyYear' | 'numGpus'>; energyNeeded: boolean };

const RENT_TIER: Record<'rent' | 'reserved', CloudPriceTier> = {
  rent: 'on-demand',
  reserved: 'reserved-3y',
};

const rentModel =
  (kind: 'rent' | 'reserved'): OwnershipModel =>
  (r, inputs, hw) => {
    const rent = pick(
      r,
      inputs,
      'economics.rentUsdPerGpuHour',
      'USD/GPU-hour',
      r.economics.rentUsdPerGpuHour,
      () => cloudPriceUsdPerGpuHour(hw.accelerator.id, RENT_TIER[kind]),
    );
    r.assumptions.add(
      'renting: the GPU-hour price covers the hardware, its hosting and energy; capex, energy, maintenance and space are not added',
    );
    return {
      parts: {
        amortization: 'straight-line',
        costOfCapital: 0,
        capex: [],
        rentUsdPerGpuHour: rent,
      },
      energyNeeded: false,
    };
  };

const ownModel: OwnershipModel = (r, inputs, hw) => {
  const e = r.economics;
  const life = pick(r, inputs, 'economics.depreciationYears', 'years', e.depreciationYears, () =>
    usefulLifeYears(),
  );
  const amortization =
    e.amortization ?? (e.costOfCapital !== undefined ? 'annuity' : 'straight-line');
  inputs.push({
    path: 'economics.amortization',
    value: amortization,
    unit: '',
    source: e.amortization
      ? 'scenario'
      : `default: ${e.costOfCapital !== undefined ? 'annuity, as costOfCapital is stated' : 'straight-line, as no costOfCapital is stated'}`,
  });
  if (!e.amortization)
    r.defaults.push({
      path: 'economics.amortization',
      value: amortization,
      source: 'aifactory default: annuity when costOfCapital is stated, else straight-line',
    });
  const costOfCapital = e.costOfCapital ?? 0;
  if (e.costOfCapital !== undefined)
    inputs.push({
      path: 'economics.costOfCapital',
      value: costOfCapital,
      unit: 'per year',
      source: 'scenario',
    });
  const systemUsd = pick(
    r,
    inputs,
    'economics.systemCapexUsd',
    `USD per ${hw.system.id}`,
    e.systemCapexUsd,
    () => hw.system.priceUsd,
  );
  const systemsUsd = systemUsd * hw.systems;
  const capex: CapexItem[] = [
    {
      item: 'systems',
      capexUsd: systemsUsd,
      lifeYears: life,
      maintained: true,
      derivation: `${hw.systems} × ${systemUsd} USD per ${hw.system.id}`,
    },
  ];
  const share = (item: string, path: string, value: number | undefined) => {
    if (value === undefined) {
      r.assumptions.add(
        `${item} capex is NOT included: no sourced default share exists; state economics.${path.split('.').pop()} to include it (the cost is a lower bound)`,
      );
      return;
    }
    inputs.push({ path, value, unit: 'share of system capex', source: 'scenario' });
    capex.push({
      item,
      capexUsd: value * systemsUsd,
      lifeYears: life,
      maintained: true,
      derivation: `${value} × ${systemsUsd} USD of systems`,
    });
  };
  share('networking', 'economics.networkingCapexShare', e.networkingCapexShare);
  share('storage', 'economics.storageCapexShare', e.storageCapexShare);
  const itKw = nameplateItKw(hw);
  let colocation: TcoInput['colocation'];
  if (e.facilityCapexUsdPerMw !== undefined) {
    const perMw = pick(
      r,
      inputs,
      'economics.facilityCapexUsdPerMw',
      'USD/MW critical IT',
      e.facilityCapexUsdPerMw,
      () => facilityCapexUsdPerMw(),
    );
    const facilityLife = pick(
      r,
      inputs,
      'economics.facilityLifeYears',
      'years',
      e.facilityLifeYears,
      () => facilityLifeYears(),
    );
    capex.push({
      item: 'facility build',
      capexUsd: (perMw * itKw) / 1000,
      lifeYears: facilityLife,
      maintained: false,
      derivation: `${perMw} USD/MW × ${itKw.toPrecision(6)} kW nameplate IT`,
    });
  } else {
    const usd = pick(
      r,
      inputs,
      'economics.colocationUsdPerKwMonth',
      'USD/kW-month',
      e.colocationUsdPerKwMonth,
      () => colocationUsdPerKwMonth(),
    );
    colocation = { itPowerKw: itKw, usdPerKwMonth: usd };
    if (e.colocationUsdPerKwMonth === undefined)
      r.assumptions.add(
        'space is rented (colocation) by default; state economics.facilityCapexUsdPerMw to build instead',
      );
  }
  const maintenance = pick(
    r,
    inputs,
    'economics.maintenanceShareOfCapexPerYear',
    'per year',
    e.maintenanceShareOfCapexPerYear,
    () => maintenanceShareOfCapexPerYear(),
  );
  return {
    parts: {
      amortization,
      costOfCapital,
      capex,
      maintenanceShareOfCapexPerYear: maintenance,
      ...(colocation ? { colocation } : {}),
    },
    energyNeeded: true,
  };
};

const OWNERSHIP_MODELS: Record<Ownership, OwnershipModel> = {
  own: ownModel,
  rent: rentModel('rent'),
  reserved: rentModel('reserved'),
};

/** Economics fields each ownership model ignores. */
const OWN_ONLY: (keyof Economics)[] = [
  'depreciationYears',
  'costOfCapital',
  'amortization',
  'energyPriceUsdPerKwh',
  'timeOfUse',
  'systemCapexUsd',
  'networkingCapexShare',
  'storageCapexShare',
  'facilityCapexUsdPerMw',
  'facilityLifeYears',
  'maintenanceShareOfCapexPerYear',
  'colocationUsdPerKwMonth',
];
const NOT_USED_BY: Record<Ownership, (keyof Economics)[]> = {
  own: ['rentUsdPerGpuHour'],
  rent: OWN_ONLY,
  reserved: OWN_ONLY,
};

// ---------------------------------------------------------------------------------------------
// Operating points and the report
// ---------------------------------------------------------------------------------------------

interface PointFacts {
  name: string;
  utilization: string;
  /** IT (node boundary) power drawn, W, for the whole deployment. */
  nodePowerWatts: number;
  /** Facility power when the result already has it (scenario PUE), W. */
  facilityPowerWatts?: number;
  facilityPowerSource?: string;
  tokensPerSecond: PerTokenKind;
  outputGoodputTokensPerSecond?: number;
  acceleratorSecondsPerToken: PerTokenKind;
  acceleratorTimeDerivation: string;
  tokensPerRequest?: PerTokenKind;
  tokensPerSession?: PerTokenKind;
  basis: Pick<Basis, 'model' | 'precision' | 'workload' | 'slo' | 'source'>;
  warnings: string[];
}

function newResolver(scenario: Scenario): Resolver {
  const defaults: DefaultApplied[] = [];
  let economics = scenario.economics;
  if (!economics) {
    economics = { ownership: 'own' };
    defaults.push({
      path: 'economics.ownership',
      value: 'own',
      source: 'aifactory default: owned hardware (the scenario has no economics section)',
    });
  }
  return { economics, scenario, defaults, assumptions: new Set() };
}

function costDeployment(
  r: Resolver,
  hw: Hardware,
  points: PointFacts[],
  currencyYear: string,
): DeploymentCost {
  const inputs: CostInput[] = [];
  const ownership = r.economics.ownership;
  const { parts, energyNeeded } = OWNERSHIP_MODELS[ownership](r, inputs, hw);
  const shared: Partial<TcoInput> = {};
  if (r.economics.staffUsdPerYear !== undefined) {
    shared.staffUsdPerYear = r.economics.staffUsdPerYear;
    inputs.push({
      path: 'economics.staffUsdPerYear',
      value: shared.staffUsdPerYear,
      unit: 'USD/year',
      source: 'scenario',
    });
  } else
    r.assumptions.add(
      'staff cost is NOT included (no sourced default): state economics.staffUsdPerYear',
    );
  if (r.economics.softwareUsdPerGpuYear !== undefined) {
    shared.softwareUsdPerGpuYear = r.economics.softwareUsdPerGpuYear;
    inputs.push({
      path: 'economics.softwareUsdPerGpuYear',
      value: shared.softwareUsdPerGpuYear,
      unit: 'USD/GPU-year',
      source: 'scenario',
    });
  } else
    r.assumptions.add(
      'software cost is NOT included (no sourced default): state economics.softwareUsdPerGpuYear',
    );
  const warnings: string[] = [];
  const split = splitOf(r);
  let pue: number | undefined;
  const costs = points.map((p): OperatingPointCost => {
    warnings.push(...p.warnings.map((w) => `${p.name}: ${w}`));
    let facilityPowerWatts = p.facilityPowerWatts ?? 0;
    let facilityPowerSource = p.facilityPowerSource ?? '';
    if (p.facilityPowerWatts === undefined) {
      pue ??= pick(r, inputs, 'site.pue', '', undefined, () => pueValue());
      facilityPowerWatts = p.nodePowerWatts * pue;
      facilityPowerSource = `node power drawn ${(p.nodePowerWatts / 1000).toPrecision(6)} kW × default PUE ${pue}`;
    }
    const tcoInput: TcoInput = {
      currencyYear,
      numGpus: hw.gpus,
      ...parts,
      ...shared,
      ...(energyNeeded ? { energy: energyPricing(r, [], facilityPowerWatts) } : {}),
    };
    const tco = computeTco(tcoInput);
    const basis: Basis = {
      ...p.basis,
      utilization: p.utilization,
      boundary: 'facility',
      currencyYear,
      provenance: 'modeled',
      source: `${p.basis.source}; TCO econ/tco.ts (${ownership}; inputs listed in the cost report)`,
    };
    const usdPerHour: Metric = {
      name: `all-in cost per hour, ${hw.gpus} GPUs`,
      value: tco.usdPerHour,
      unit: 'USD/hour',
      basis,
    };
    const usdPerGpuHour: Metric = {
      name: 'all-in cost per GPU-hour',
      value: tco.usdPerGpuHour,
      unit: 'USD/GPU-hour',
      basis,
    };
    const good = p.outputGoodputTokensPerSecond;
    const costSplit: CostSplit = split ?? {
      rule: 'accelerator-time',
      acceleratorSecondsPerToken: p.acceleratorSecondsPerToken,
      derivation: p.acceleratorTimeDerivation,
    };
    const cptInput: Omit<CostPerTokenInput, 'usdPerHour'> = {
      currencyYear,
      tokensPerSecond: p.tokensPerSecond,
      ...(good !== undefined && good > 0 ? { outputGoodputTokensPerSecond: good } : {}),
      split: costSplit,
      basis: { ...p.basis, utilization: p.utilization, boundary: 'facility' },
      ...(p.tokensPerRequest ? { tokensPerRequest: p.tokensPerRequest } : {}),
      ...(p.tokensPerSession ? { tokensPerSession: p.tokensPerSession } : {}),
    };
    const cpt = costPerToken({ usdPerHour: tco.usdPerHour, ...cptInput });
    if (good !== undefined && !(good > 0))
      warnings.push(
        `${p.name}: no request met its SLOs: the cost per good token is unbounded; the figures count every token`,
      );
    return {
      name: p.name,
      utilization: p.utilization,
      facilityPowerWatts,
      facilityPowerSource,
      tokensPerSecond: p.tokensPerSecond,
      tco,
      usdPerHour,
      usdPerGpuHour,
      costPerToken: cpt,
      model: { tco: tcoInput, costPerToken: cptInput },
    };
  });
  // Energy inputs are listed once (the price does not depend on the operating point).
  if (energyNeeded && points.length) energyPricing(r, inputs, 0);
  return {
    name: hw.name,
    system: hw.system.id,
    accelerator: hw.accelerator.id,
    gpus: hw.gpus,
    systems: hw.systems,
    ownership,
    nameplateItKw: nameplateItKw(hw),
    inputs,
    points: costs,
    warnings,
  };
}

function splitOf(r: Resolver): CostSplit | undefined {
  const s = r.economics.costSplit;
  if (!s) {
    r.assumptions.add(
      'cost split by accelerator time (default): uncached input tokens are charged prefill time at peak compute (model FLOPs share of busy time — a lower bound), output tokens the rest of the busy time (decode), cached input tokens none (their reuse is charged to the new tokens)',
    );
    return undefined;
  }
  const table: Record<CostSplit['rule'], () => CostSplit | undefined> = {
    'price-ratio': () => ({ rule: 'price-ratio', ratio: s.ratio! }),
    'total-tokens': () => ({ rule: 'total-tokens' }),
    'accelerator-time': () =>
      s.acceleratorSecondsPerToken
        ? {
            rule: 'accelerator-time',
            acceleratorSecondsPerToken: s.acceleratorSecondsPerToken,
            derivation: 'seconds stated in the scenario',
          }
        : undefined,
  };
  return table[s.rule]();
}

function hardwareOf(
  catalog: Catalog,
  name: string,
  systemId: string,
  acceleratorId: string,
  gpus: number,
  systems: number,
): Hardware {
  const system = catalog.systems.get(systemId);
  const accelerator = catalog.accelerators.get(acceleratorId);
  if (!system || !accelerator)
    throw new AifError(
      ERROR_CODES.CATALOG_UNKNOWN_ID,
      `cost: deployment '${name}' names ${system ? `accelerator '${acceleratorId}'` : `system '${systemId}'`} the catalog does not have`,
    );
  return { name, system, accelerator, gpus, systems };
}

function finish(
  r: Resolver,
  from: CostReport['from'],
  head: { scenario: CostReport['scenario']; catalogVersion: string },
  currencyYear: string,
  deployments: DeploymentCost[],
): CostReport {
  const notUsed = NOT_USED_BY[r.economics.ownership]
    .filter((k) => r.economics[k] !== undefined)
    .map((k) => `economics.${k} (not used when ownership is ${r.economics.ownership})`);
  return {
    kind: 'aifactory.cost',
    from,
    scenario: head.scenario,
    catalogVersion: head.catalogVersion,
    currencyYear,
    defaultsApplied: r.defaults,
    assumptions: [
      `money in ${currencyYear}: inputs are nominal US dollars of their source dates (2023–2026), not inflation-adjusted`,
      'cost per token holds at the stated utilization: the hourly cost of the capacity is spread over the tokens it served at that operating point',
      ...r.assumptions,
    ],
    notUsed,
    deployments,
  };
}

function currencyYearOf(r: Resolver): string {
  if (r.economics.currencyYear) return r.economics.currencyYear;
  r.defaults.push({
    path: 'economics.currencyYear',
    value: DEFAULT_CURRENCY_YEAR,
    source: 'aifactory default currency-year',
  });
  return DEFAULT_CURRENCY_YEAR;
}

const uncachedOf = (input: number, cached: number): number => Math.max(0, input - cached);

/** Mean calls per agent session (parent calls only). */
function sessionCalls(c: WorkloadClass | undefined): number | undefined {
  return c?.kind === 'agent-session' ? distributionMean(c.session.calls) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Use cases
// ---------------------------------------------------------------------------------------------

/**
 * Cost of every deployment of an analytical estimate, per workload class (each class as the
 * deployment's only traffic, as the estimate evaluates it).
 * @throws AifError when an energy price or cloud price is needed and none is stated or sourced.
 */
export function costFromEstimate(report: EstimateReport, options: CostOptions): CostReport {
  const r = newResolver(options.scenario);
  const currencyYear = currencyYearOf(r);
  const deployments = report.deployments.map((d) => {
    const hw = hardwareOf(
      options.catalog,
      d.name,
      d.system,
      d.accelerator,
      d.plan.gpus,
      d.plan.systems,
    );
    const replicas = d.plan.replicas;
    const points: PointFacts[] = d.classes.map((c) => {
      const t = c.throughput;
      const out = t.outputTokensPerSecondPerReplica.value;
      const input = t.inputTokensPerSecondPerReplica.value;
      const meanIn = c.request.meanInputTokens.value;
      const meanCached = c.request.meanCachedInputTokens.value;
      const cachedShare = meanIn > 0 ? Math.min(1, meanCached / meanIn) : 0;
      const uncached = input * (1 - cachedShare);
      const mfu = c.utilization.mfu.value;
      const busy = c.utilization.busy.value;
      const sPrefill = uncached + out > 0 ? mfu / (uncached + out) : 0;
      const sDecode = out > 0 ? Math.max(0, busy - sPrefill * uncached) / out : 0;
      const facility = c.power.facilityWattsPerReplica;
      const perRequest: PerTokenKind = {
        uncachedInput: uncachedOf(meanIn, meanCached),
        cachedInput: meanCached,
        output: c.request.meanOutputTokens.value,
      };
      const calls = sessionCalls(
        options.scenario.workload.classes.find((w) => w.name === c.className),
      );
      const b = t.outputTokensPerSecondPerReplica.basis;
      const warnings: string[] = [];
      if (!c.slo.allMet)
        warnings.push(
          'the steady-state means miss an SLO: the estimate counts every token as goodput anyway',
        );
      return {
        name: c.className,
        utilization: `${b.utilization}; ${replicas} replicas`,
        nodePowerWatts: c.power.nodeWattsPerReplica.value * replicas,
        ...(facility
          ? {
              facilityPowerWatts: facility.value * replicas,
              facilityPowerSource: `estimate facility power drawn (${c.power.pue?.source ?? 'scenario PUE'}) × ${replicas} replicas`,
            }
          : {}),
        tokensPerSecond: {
          uncachedInput: uncached * replicas,
          cachedInput: (input - uncached) * replicas,
          output: out * replicas,
        },
        acceleratorSecondsPerToken: { uncachedInput: sPrefill, cachedInput: 0, output: sDecode },
        acceleratorTimeDerivation: `replica-seconds per token from the estimate: prefill = MFU ${mfu.toPrecision(3)} ÷ computed tok/s; decode = (busy ${busy.toPrecision(3)} − prefill time) ÷ output tok/s`,
        tokensPerRequest: perRequest,
        ...(calls !== undefined
          ? {
              tokensPerSession: {
                uncachedInput: perRequest.uncachedInput * calls,
                cachedInput: perRequest.cachedInput * calls,
                output: perRequest.output * calls,
              },
            }
          : {}),
        basis: {
          model: b.model,
          precision: b.precision,
          workload: b.workload,
          slo: b.slo,
          source: b.source,
        },
        warnings,
      };
    });
    const cost = costDeployment(r, hw, points, currencyYear);
    if (!d.memory.fits)
      cost.warnings.push('does not fit in memory: no operating point, no cost per token');
    return cost;
  });
  if (options.scenario.workload.classes.some((c) => c.kind === 'agent-session'))
    r.assumptions.add(
      'cost per agent session = cost of the mean call × mean calls per session (sub-agent calls not counted)',
    );
  r.assumptions.add(
    'the estimate reports no goodput: every output token counts (see SLO warnings)',
  );
  return finish(
    r,
    'estimate',
    { scenario: report.scenario, catalogVersion: report.catalogVersion },
    currencyYear,
    deployments,
  );
}

/**
 * Cost of every deployment of a serving-twin run, over the measurement window, at the run's
 * utilization and token goodput (all classes the deployment served together).
 * @throws AifError when an energy price or cloud price is needed and none is stated or sourced.
 */
export function costFromRun(result: SimResult, options: CostOptions): CostReport {
  const r = newResolver(options.scenario);
  const currencyYear = currencyYearOf(r);
  const deployments = result.deployments.map((d) => {
    const system = options.catalog.systems.get(d.system);
    const systems = system ? d.plan.gpus / system.acceleratorCount : 0;
    const hw = hardwareOf(options.catalog, d.name, d.system, d.accelerator, d.plan.gpus, systems);
    const t = d.metrics.total;
    const u = d.utilization;
    const win = d.metrics.windowSeconds;
    const nU = t.uncachedInputTokensPerSecond * win;
    const nO = t.outputTokensPerSecond * win;
    const peakPerGpuSecond = u.gpuSeconds > 0 ? u.peakFlops / u.gpuSeconds : 0;
    const flopsPerToken = nU + nO > 0 ? u.modelFlops / (nU + nO) : 0;
    const sPrefill = peakPerGpuSecond > 0 ? flopsPerToken / peakPerGpuSecond : 0;
    const sDecode = nO > 0 ? Math.max(0, u.busyGpuSeconds - sPrefill * nU) / nO : 0;
    const done = t.numCompleted;
    const b = d.scorecard[0]?.basis;
    const pue = options.scenario.site?.pue;
    const warnings: string[] = [...d.warnings];
    const point: PointFacts = {
      name: 'all classes',
      utilization: `busy ${(100 * u.busyShare).toFixed(1)}%, ${d.plan.replicas} replicas, measurement window ${win} s`,
      nodePowerWatts: d.energy.meanPowerWatts.node,
      ...(pue !== undefined
        ? {
            facilityPowerWatts: d.energy.meanPowerWatts.node * pue,
            facilityPowerSource: `run mean node power × site.pue ${pue}`,
          }
        : {}),
      tokensPerSecond: {
        uncachedInput: t.uncachedInputTokensPerSecond,
        cachedInput: t.cachedInputTokensPerSecond,
        output: t.outputTokensPerSecond,
      },
      outputGoodputTokensPerSecond: t.tokenGoodputTokensPerSecond,
      acceleratorSecondsPerToken: { uncachedInput: sPrefill, cachedInput: 0, output: sDecode },
      acceleratorTimeDerivation:
        'GPU-seconds per token from the run: prefill = model FLOPs per computed token ÷ peak FLOP/s; decode = (busy GPU-seconds − prefill time) ÷ output tokens',
      ...(done > 0
        ? {
            tokensPerRequest: {
              uncachedInput: (t.numPromptTokens - t.numCachedPromptTokens) / done,
              cachedInput: t.numCachedPromptTokens / done,
              output: t.numOutputTokens / done,
            },
          }
        : {}),
      basis: {
        model: d.model,
        precision: d.precision,
        workload: b?.workload ?? d.classes.join(' + '),
        slo: b?.slo ?? 'none',
        source: b?.source ?? `serving twin; catalog ${result.catalogVersion}`,
      },
      warnings,
    };
    return costDeployment(r, hw, [point], currencyYear);
  });
  r.assumptions.add(
    'cost per token at the run’s token goodput: tokens of requests that missed an SLO are not counted (the same good share applied to every token kind)',
  );
  return finish(
    r,
    'run',
    { scenario: result.scenario, catalogVersion: result.catalogVersion },
    currencyYear,
    deployments,
  );
}
