/**
 * A site (DESIGN §6, §8): where systems are placed, and what limits them — the utility's
 * contracted envelope, cooling, rack density, space, redundancy, and the installed base already
 * drawing on the envelope — plus what its energy costs and emits and which jurisdiction it is in.
 *
 * Units: MW for the envelope and IT loads, kW per rack for density, racks for space, USD per
 * kWh for energy, g CO2 (or CO2e) per kWh for carbon. The envelope is *facility* power (the
 * utility caps the facility's peak); everything the planner derives from it is *provisioned*
 * IT power (power-chain-fit.ts).
 *
 * `siteFromRegion` fills price, carbon, jurisdiction and climate from a region's defaults
 * (regions.ts); any field stated on the input wins.
 */
import { AifError, ERROR_CODES, requireArg, type ErrorIssue } from '../core/errors.js';
import type { Sourced, SourceRef } from '../core/source.js';
import type { CoolingType, PueSpec } from './pue.js';
import type { CarbonBasis, ClimateClass, Jurisdiction, Region } from './regions.js';
import { regionEnergyPriceUsdPerKwh } from './regions.js';
import type { InstalledBaseStep } from './site-installed-base.js';
import type { Redundancy } from './site-redundancy.js';

/** One time-of-use window: `hoursPerDay` hours at `usdPerKwh`. */
export interface TimeOfUseWindow {
  label: string;
  hoursPerDay: number;
  usdPerKwh: number;
}

/** Energy price: a flat tariff, or time-of-use windows covering the 24 hours of a day. */
export type EnergyPrice =
  | { kind: 'flat'; usdPerKwh: Sourced }
  | { kind: 'time-of-use'; windows: TimeOfUseWindow[]; ref: SourceRef };

/**
 * Reliability of the utility supply, as the user states it (the reference data holds no
 * per-region grid reliability). Informational for now: the envelope does not depend on it.
 */
export interface GridReliability {
  /** Share of hours the grid supply is available, 0–1. */
  availability?: number;
  /** Mean outage hours per year (SAIDI-like). */
  outageHoursPerYear?: number;
  ref?: SourceRef;
}

export interface Site {
  id: string;
  name?: string;
  /** Region the defaults came from, if any. */
  regionId?: string;
  /** Utility contracted power envelope, MW at the facility boundary (caps the facility peak). */
  envelopeMw: number;
  gridReliability?: GridReliability;
  energyPrice: EnergyPrice;
  /** Grid carbon intensity, g per kWh; basis as the source states it. */
  carbonIntensityGPerKwh: Sourced;
  carbonBasis?: CarbonBasis;
  jurisdiction: Jurisdiction;
  climate: ClimateClass;
  cooling: CoolingType;
  /** PUE: the documented curve (`{ kind: 'model' }`), stated curve parameters, or a constant. */
  pue: PueSpec;
  /** Power a rack position can take, kW (rack PDUs/busway and cooling per rack). */
  rackDensityLimitKw: number;
  /** Rack positions available. */
  spaceRacks: number;
  redundancy: { power: Redundancy; cooling: Redundancy };
  /**
   * Installed cooling (heat-rejection) capacity, in IT MW it can cool on the design day before
   * redundancy. Absent: the cooling plant is sized for the envelope (envelope ÷ design-day PUE).
   */
  coolingCapacityItMw?: number;
  /** Installed base already drawing (provisioned IT MW), with retirements. */
  installedBase: InstalledBaseStep[];
}

/**
 * Mean energy price, USD per kWh: the flat price, or Σ hoursᵢ·priceᵢ / 24 for time-of-use
 * (a flat-load average; a load profile would weight the windows differently).
 * @throws AifError(E_INVALID_ARGUMENT) when windows do not cover exactly 24 hours.
 * @example averageEnergyPriceUsdPerKwh({ kind: 'time-of-use', ref, windows: [
 *   { label: 'peak', hoursPerDay: 8, usdPerKwh: 0.12 }, { label: 'off', hoursPerDay: 16,
 *   usdPerKwh: 0.06 }] }) === 0.08
 */
export function averageEnergyPriceUsdPerKwh(price: EnergyPrice): number {
  if (price.kind === 'flat') return price.usdPerKwh.value;
  const hours = price.windows.reduce((s, w) => s + w.hoursPerDay, 0);
  requireArg(
    Math.abs(hours - 24) < 1e-9 &&
      price.windows.every((w) => w.hoursPerDay >= 0 && w.usdPerKwh >= 0),
    'averageEnergyPriceUsdPerKwh',
    `time-of-use windows must cover 24 hours with non-negative hours and prices, got ${hours} h`,
  );
  return price.windows.reduce((s, w) => s + w.hoursPerDay * w.usdPerKwh, 0) / 24;
}

/**
 * Check a site; list every problem at once.
 * @throws AifError(E_INVALID_ARGUMENT) with one issue per bad field.
 */
export function validateSite(site: Site): Site {
  const issues: ErrorIssue[] = [];
  const need = (ok: boolean, path: string, expected: string, value: unknown): void => {
    if (!ok)
      issues.push({
        path: `site.${path}`,
        message: `${path} must be ${expected}`,
        value,
        expected,
      });
  };
  need(
    Number.isFinite(site.envelopeMw) && site.envelopeMw >= 0,
    'envelopeMw',
    '≥ 0 MW',
    site.envelopeMw,
  );
  need(
    Number.isFinite(site.rackDensityLimitKw) && site.rackDensityLimitKw > 0,
    'rackDensityLimitKw',
    '> 0 kW',
    site.rackDensityLimitKw,
  );
  need(
    Number.isInteger(site.spaceRacks) && site.spaceRacks >= 0,
    'spaceRacks',
    'an integer ≥ 0',
    site.spaceRacks,
  );
  need(
    site.carbonIntensityGPerKwh.value >= 0,
    'carbonIntensityGPerKwh',
    '≥ 0',
    site.carbonIntensityGPerKwh.value,
  );
  need(
    site.coolingCapacityItMw === undefined || site.coolingCapacityItMw >= 0,
    'coolingCapacityItMw',
    '≥ 0 MW',
    site.coolingCapacityItMw,
  );
  for (const [k, r] of Object.entries(site.redundancy))
    if (r.scheme === 'N+1')
      need(
        Number.isInteger(r.activeUnits) && r.activeUnits >= 1,
        `redundancy.${k}.activeUnits`,
        'an integer ≥ 1',
        r.activeUnits,
      );
  site.installedBase.forEach((s, i) =>
    need(Number.isFinite(s.itMw) && s.itMw >= 0, `installedBase.${i}.itMw`, '≥ 0 MW', s.itMw),
  );
  if (issues.length > 0)
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      `validateSite: site '${site.id}': ${issues.map((i) => i.message).join('; ')}`,
      issues,
    );
  return site;
}

/** What a user states for a site; region defaults fill the rest. */
export type SiteInput = Omit<
  Site,
  'energyPrice' | 'carbonIntensityGPerKwh' | 'jurisdiction' | 'climate' | 'installedBase' | 'pue'
> &
  Partial<
    Pick<
      Site,
      | 'energyPrice'
      | 'carbonIntensityGPerKwh'
      | 'jurisdiction'
      | 'climate'
      | 'installedBase'
      | 'pue'
    >
  > & {
    /** USD per EUR/SGD for regions priced in another currency (no rate is assumed). */
    usdPerLocalUnit?: number;
  };

/**
 * A site from a region's defaults and the user's fields (stated fields win). PUE defaults to
 * the documented curve; the installed base to none.
 * @throws AifError(E_INVALID_ARGUMENT) when a default the site needs is not sourced for the
 *   region (energy price, carbon intensity) and the input does not state it; or from
 *   `validateSite`.
 */
export function siteFromRegion(region: Region, input: SiteInput): Site {
  const { usdPerLocalUnit, ...rest } = input;
  const carbon = input.carbonIntensityGPerKwh ?? region.carbonIntensityGPerKwh;
  if (carbon === undefined)
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      `siteFromRegion: region '${region.id}' has no sourced carbon intensity; state site.carbonIntensityGPerKwh (or use region 'us' for the US average)`,
      [
        {
          path: 'site.carbonIntensityGPerKwh',
          message: `region '${region.id}' has no sourced carbon intensity`,
          value: region.id,
          expected: 'g CO2 per kWh with its source',
        },
      ],
    );
  return validateSite({
    ...rest,
    regionId: region.id,
    energyPrice: input.energyPrice ?? {
      kind: 'flat',
      usdPerKwh: regionEnergyPriceUsdPerKwh(region, usdPerLocalUnit),
    },
    carbonIntensityGPerKwh: carbon,
    carbonBasis:
      input.carbonIntensityGPerKwh !== undefined ? input.carbonBasis : region.carbonBasis,
    jurisdiction: input.jurisdiction ?? region.jurisdiction,
    climate: input.climate ?? region.climate.value,
    pue: input.pue ?? { kind: 'model' },
    installedBase: input.installedBase ?? [],
  });
}
