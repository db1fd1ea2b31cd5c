/**
 * Total cost of ownership per hour (DESIGN §7) and its cost waterfall.
 *
 *   USD/hour = Σ capex items amortized per hour (systems, networking, storage, facility build)
 *            + energy (facility kW × USD/kWh, or a time-of-use tariff)
 *            + maintenance (share of maintained capex per year ÷ 8760)
 *            + staff (USD/year ÷ 8760)
 *            + colocation (contracted IT kW × USD/kW-month × 12 ÷ 8760, when renting space)
 *            + software (USD per GPU-year × GPUs ÷ 8760)
 *            + rent (USD per GPU-hour × GPUs, when renting the accelerators)
 *   USD/GPU-hour (all-in) = USD/hour ÷ GPUs.
 *
 * The waterfall lists every part in that order with its share; the total is the sum of the
 * parts as listed (left to right), so the parts add up to it exactly. Every money figure is in
 * the input's currency-year (e.g. `USD-2026`).
 */
import { requireArg } from '../core/errors.js';
import {
  AMORTIZATION_METHODS,
  HOURS_PER_YEAR,
  type AmortizationMethodName,
} from './depreciation.js';
import { energyUsdPerHour, type EnergyPricing } from './energy-cost.js';

const HOURS_PER_MONTH = HOURS_PER_YEAR / 12;

export interface CapexItem {
  /** Waterfall label, e.g. `systems`, `networking`, `facility build`. */
  item: string;
  capexUsd: number;
  lifeYears: number;
  /** Whether the annual maintenance share applies to this item (hardware: yes; building: no). */
  maintained: boolean;
  /** How the amount was reached, in words. */
  derivation?: string;
}

export interface TcoInput {
  /** Currency and year of every money input and output, e.g. `USD-2026`. */
  currencyYear: string;
  /** Accelerators the cost is spread over (for USD/GPU-hour and per-GPU items). */
  numGpus: number;
  amortization: AmortizationMethodName;
  /** Annual cost of capital for the annuity (ignored by straight-line), e.g. 0.08. */
  costOfCapital: number;
  capex: readonly CapexItem[];
  energy?: EnergyPricing;
  maintenanceShareOfCapexPerYear?: number;
  staffUsdPerYear?: number;
  colocation?: { itPowerKw: number; usdPerKwMonth: number };
  softwareUsdPerGpuYear?: number;
  rentUsdPerGpuHour?: number;
}

export interface WaterfallItem {
  item: string;
  usdPerHour: number;
  /** usdPerHour ÷ total (0 when the total is 0). */
  share: number;
  derivation: string;
}

export interface TcoResult {
  currencyYear: string;
  numGpus: number;
  amortization: AmortizationMethodName;
  amortizationFormula: string;
  /** Sum of the waterfall parts, left to right. */
  usdPerHour: number;
  usdPerGpuHour: number;
  usdPerYear: number;
  capexUsd: number;
  waterfall: WaterfallItem[];
}

const fmt = (x: number): string => Number(x.toPrecision(6)).toString();

/**
 * Hourly TCO with its waterfall (see the module comment for the formula).
 * @throws AifError E_INVALID_ARGUMENT for GPUs ≤ 0, negative amounts, or bad lives/rates.
 */
export function computeTco(input: TcoInput): TcoResult {
  const fn = 'computeTco';
  requireArg(input.numGpus > 0, fn, 'numGpus must be > 0');
  requireArg(input.costOfCapital >= 0, fn, 'costOfCapital must be ≥ 0');
  const method = AMORTIZATION_METHODS[input.amortization];
  const parts: Omit<WaterfallItem, 'share'>[] = [];
  for (const c of input.capex) {
    requireArg(c.capexUsd >= 0, fn, `capex item '${c.item}': capexUsd must be ≥ 0`);
    parts.push({
      item: c.item,
      usdPerHour: method.usdPerHour(c.capexUsd, c.lifeYears, input.costOfCapital),
      derivation: `${c.derivation ? `${c.derivation}; ` : ''}${fmt(c.capexUsd)} USD over ${fmt(c.lifeYears)} years, ${method.name}${method.name === 'annuity' ? ` at ${fmt(input.costOfCapital * 100)}%` : ''}`,
    });
  }
  if (input.energy) {
    const e = energyUsdPerHour(input.energy);
    parts.push({ item: 'energy', usdPerHour: e.usdPerHour, derivation: e.derivation });
  }
  const maintainedUsd = input.capex.filter((c) => c.maintained).reduce((a, c) => a + c.capexUsd, 0);
  if (input.maintenanceShareOfCapexPerYear !== undefined) {
    const share = input.maintenanceShareOfCapexPerYear;
    requireArg(share >= 0, fn, 'maintenanceShareOfCapexPerYear must be ≥ 0');
    parts.push({
      item: 'maintenance',
      usdPerHour: (share * maintainedUsd) / HOURS_PER_YEAR,
      derivation: `${fmt(share * 100)}% per year × ${fmt(maintainedUsd)} USD of hardware capex ÷ 8760 h`,
    });
  }
  if (input.staffUsdPerYear !== undefined) {
    requireArg(input.staffUsdPerYear >= 0, fn, 'staffUsdPerYear must be ≥ 0');
    parts.push({
      item: 'staff',
      usdPerHour: input.staffUsdPerYear / HOURS_PER_YEAR,
      derivation: `${fmt(input.staffUsdPerYear)} USD per year ÷ 8760 h`,
    });
  }
  if (input.colocation) {
    const { itPowerKw, usdPerKwMonth } = input.colocation;
    requireArg(itPowerKw >= 0 && usdPerKwMonth >= 0, fn, 'colocation kW and price must be ≥ 0');
    parts.push({
      item: 'colocation',
      usdPerHour: (itPowerKw * usdPerKwMonth) / HOURS_PER_MONTH,
      derivation: `${fmt(itPowerKw)} kW contracted IT × ${fmt(usdPerKwMonth)} USD/kW-month ÷ 730 h`,
    });
  }
  if (input.softwareUsdPerGpuYear !== undefined) {
    requireArg(input.softwareUsdPerGpuYear >= 0, fn, 'softwareUsdPerGpuYear must be ≥ 0');
    parts.push({
      item: 'software',
      usdPerHour: (input.softwareUsdPerGpuYear * input.numGpus) / HOURS_PER_YEAR,
      derivation: `${fmt(input.softwareUsdPerGpuYear)} USD per GPU-year × ${input.numGpus} GPUs ÷ 8760 h`,
    });
  }
  if (input.rentUsdPerGpuHour !== undefined) {
    requireArg(input.rentUsdPerGpuHour >= 0, fn, 'rentUsdPerGpuHour must be ≥ 0');
    parts.push({
      item: 'accelerator rent',
      usdPerHour: input.rentUsdPerGpuHour * input.numGpus,
      derivation: `${fmt(input.rentUsdPerGpuHour)} USD per GPU-hour × ${input.numGpus} GPUs`,
    });
  }
  const usdPerHour = parts.reduce((a, p) => a + p.usdPerHour, 0);
  return {
    currencyYear: input.currencyYear,
    numGpus: input.numGpus,
    amortization: method.name,
    amortizationFormula: method.formula,
    usdPerHour,
    usdPerGpuHour: usdPerHour / input.numGpus,
    usdPerYear: usdPerHour * HOURS_PER_YEAR,
    capexUsd: input.capex.reduce((a, c) => a + c.capexUsd, 0),
    waterfall: parts.map((p) => ({ ...p, share: usdPerHour > 0 ? p.usdPerHour / usdPerHour : 0 })),
  };
}
