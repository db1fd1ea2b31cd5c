/**
 * Region defaults for sites (DESIGN §6, §8): energy price, grid carbon intensity, jurisdiction
 * and climate class, each with its source and date. A site may start from a region and override
 * any field.
 *
 * - Energy price: not copied here — a region names its key in the economics tables
 *   (econ/defaults.ts `ELECTRICITY_PRICES_USD_PER_KWH` / `ELECTRICITY_PRICES_LOCAL`) and
 *   `regionEnergyPriceUsdPerKwh` delegates to `electricityPriceUsdPerKwh`. Regions with no
 *   sourced price (`de`, `fr`, `se`, `no`, `dk`) have none: the site must state one.
 * - Carbon intensity, g CO2 per kWh generated. Two bases, never mixed silently (`carbonBasis`):
 *   the US average is EIA's *direct* CO2 of utility-scale generation (0.81 lb/kWh × 453.592 g/lb
 *   = 367.4 g/kWh); European countries are Ember's *lifecycle* CO2-equivalent figures (2023) as
 *   tabulated by Our World in Data and Statista. US states have no sourced per-state figure in
 *   the reference data, so they carry none (`undefined`) rather than the national average —
 *   state the site's carbon intensity; `us` (the national average) is there to choose
 *   explicitly.
 * - Jurisdiction: the legal area sovereign demand is tied to (`us`, `eu`, `no`, `sa`, `sg`),
 *   plus the ISO country. Political facts, not estimates.
 * - Climate class (for the PUE curve, pue.ts): `cold`, `temperate` or `hot`. US states follow
 *   the IECC 2021 / ASHRAE 169 climate zone of the state's main data-center market (zones 1–3
 *   except marine 3C → hot; 3C, 4, 5 → temperate; 6–8 → cold); other countries their Köppen
 *   class (Dfb/Dfc → cold, Cfb → temperate, BWh/Af → hot). A labelled aifactory judgement.
 *
 * Unknown ids throw `E_CATALOG_UNKNOWN_ID` listing every known region.
 */
import { AifError, ERROR_CODES } from '../core/errors.js';
import type { Sourced, SourceRef } from '../core/source.js';
import {
  ELECTRICITY_PRICES_LOCAL,
  ELECTRICITY_PRICES_USD_PER_KWH,
  electricityPriceUsdPerKwh,
} from '../econ/defaults.js';

/** Climate classes the PUE curve distinguishes (pue.ts). */
export const CLIMATE_CLASSES = ['cold', 'temperate', 'hot'] as const;
export type ClimateClass = (typeof CLIMATE_CLASSES)[number];

/** Legal area for sovereign demand: served only from sites of the same jurisdiction. */
export type Jurisdiction = 'us' | 'eu' | 'no' | 'sa' | 'sg';

/** What a carbon-intensity figure counts: stack CO2 only, or lifecycle CO2-equivalent. */
export type CarbonBasis = 'direct-co2' | 'lifecycle-co2e';

export interface Region {
  /** `us-va`, `de`, `eu`, … */
  id: string;
  name: string;
  jurisdiction: Jurisdiction;
  /** ISO 3166-1 alpha-2 country (`us`, `de`, …); `eu` for the EU aggregate. */
  country: string;
  /** Key in the econ electricity-price tables; absent where no price is sourced. */
  energyPriceKey?: string;
  /** Grid carbon intensity, g CO2 (or CO2e, see `carbonBasis`) per kWh; absent = not sourced. */
  carbonIntensityGPerKwh?: Sourced;
  carbonBasis?: CarbonBasis;
  climate: Sourced<ClimateClass>;
}

// ---------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------

const GRAMS_PER_POUND = 453.59237;
const EIA_US_CARBON_LB_PER_KWH = 0.81;

const EIA_CARBON: SourceRef = {
  source: 'https://www.eia.gov/tools/faqs/faq.php?id=74&t=3 (EIA FAQ: US utility-scale generation)',
  date: '2024',
  provenance: 'derived',
  note: `0.81 lb CO2/kWh (2023) × ${GRAMS_PER_POUND} g/lb; direct (stack) CO2 only; coal 2.31, gas 0.96 lb/kWh.`,
};

const OWID_EMBER: Omit<SourceRef, 'note'> = {
  source:
    'https://ourworldindata.org/grapher/carbon-intensity-electricity?tab=table (Ember and Energy Institute, lifecycle g CO2e/kWh of generation)',
  date: '2023',
  provenance: 'third-party',
};
const ember = (g: number, country: string): Sourced => ({
  value: g,
  ref: { ...OWID_EMBER, note: `${country} 2023: ${g} g CO2e/kWh (lifecycle, generation-based)` },
});

const STATISTA_EMBER_EU: SourceRef = {
  source:
    'Statista, "Carbon intensity of the power sector in the European Union in 2023, by country" (Ember data)',
  date: '2023',
  provenance: 'third-party',
  note: 'Sweden 40.7 g CO2e/kWh, least carbon-intensive in the EU (lifecycle)',
};
const STATISTA_EMBER_WORLD: SourceRef = {
  source:
    'https://statista.com/statistics/943137/global-emissions-intensity-power-sector-by-country (Ember, 2024-07-03)',
  date: '2023',
  provenance: 'third-party',
  note: 'Norway 30 g CO2e/kWh (about 90% hydropower)',
};

const IECC: Omit<SourceRef, 'note'> = {
  source:
    'IECC 2021 / ASHRAE 169 climate zone map (US DOE Building America climate zones); class rule in plan/regions.ts',
  provenance: 'assumption',
};
const KOPPEN: Omit<SourceRef, 'note'> = {
  source: 'Köppen–Geiger climate classification (Beck et al. 2018, Scientific Data 5:180214)',
  provenance: 'assumption',
};
const climate = (value: ClimateClass, how: string, base = IECC): Sourced<ClimateClass> => ({
  value,
  ref: { ...base, note: `aifactory judgement: ${how} → ${value}` },
});

// ---------------------------------------------------------------------------------------------
// Table
// ---------------------------------------------------------------------------------------------

const US_STATES: readonly [string, string, ClimateClass, string][] = [
  ['az', 'Arizona', 'hot', 'Phoenix, zone 2B'],
  ['ca', 'California', 'temperate', 'Santa Clara, zone 3C (marine)'],
  ['ga', 'Georgia', 'hot', 'Atlanta, zone 3A'],
  ['ia', 'Iowa', 'temperate', 'Des Moines, zone 5A'],
  ['il', 'Illinois', 'temperate', 'Chicago, zone 5A'],
  ['la', 'Louisiana', 'hot', 'zone 2A'],
  ['nc', 'North Carolina', 'temperate', 'Raleigh–Durham, zone 4A'],
  ['nd', 'North Dakota', 'cold', 'zones 6A–7'],
  ['nj', 'New Jersey', 'temperate', 'zone 4A'],
  ['nv', 'Nevada', 'hot', 'Las Vegas, zone 3B'],
  ['ny', 'New York', 'temperate', 'zones 4A–5A'],
  ['oh', 'Ohio', 'temperate', 'Columbus, zone 5A'],
  ['ok', 'Oklahoma', 'hot', 'zone 3A'],
  ['or', 'Oregon', 'temperate', 'Hillsboro, zone 4C'],
  ['pa', 'Pennsylvania', 'temperate', 'zones 4A–5A'],
  ['tn', 'Tennessee', 'temperate', 'Nashville, zone 4A'],
  ['tx', 'Texas', 'hot', 'Dallas–Fort Worth, zone 3A'],
  ['ut', 'Utah', 'temperate', 'Salt Lake City, zone 5B'],
  ['va', 'Virginia', 'temperate', 'Northern Virginia (Loudoun), zone 4A'],
  ['wa', 'Washington', 'temperate', 'Quincy, zone 5B'],
];

const usState = ([code, name, cls, how]: (typeof US_STATES)[number]): Region => ({
  id: `us-${code}`,
  name,
  jurisdiction: 'us',
  country: 'us',
  energyPriceKey: `us-${code}`,
  climate: climate(cls, how),
});

const REGION_LIST: Region[] = [
  {
    id: 'us',
    name: 'United States (average)',
    jurisdiction: 'us',
    country: 'us',
    energyPriceKey: 'us',
    carbonIntensityGPerKwh: {
      value: EIA_US_CARBON_LB_PER_KWH * GRAMS_PER_POUND,
      ref: EIA_CARBON,
    },
    carbonBasis: 'direct-co2',
    climate: climate('temperate', 'national aggregate, taken as temperate'),
  },
  ...US_STATES.map(usState),
  {
    id: 'eu',
    name: 'European Union (average)',
    jurisdiction: 'eu',
    country: 'eu',
    energyPriceKey: 'eu',
    climate: climate('temperate', 'EU aggregate, mostly Cfb', KOPPEN),
  },
  {
    id: 'de',
    name: 'Germany',
    jurisdiction: 'eu',
    country: 'de',
    carbonIntensityGPerKwh: ember(381, 'Germany'),
    carbonBasis: 'lifecycle-co2e',
    climate: climate('temperate', 'Frankfurt, Cfb', KOPPEN),
  },
  {
    id: 'fr',
    name: 'France',
    jurisdiction: 'eu',
    country: 'fr',
    carbonIntensityGPerKwh: ember(56, 'France'),
    carbonBasis: 'lifecycle-co2e',
    climate: climate('temperate', 'Paris, Cfb', KOPPEN),
  },
  {
    id: 'ie',
    name: 'Ireland',
    jurisdiction: 'eu',
    country: 'ie',
    energyPriceKey: 'ie',
    carbonIntensityGPerKwh: ember(291, 'Ireland'),
    carbonBasis: 'lifecycle-co2e',
    climate: climate('temperate', 'Dublin, Cfb', KOPPEN),
  },
  {
    id: 'dk',
    name: 'Denmark',
    jurisdiction: 'eu',
    country: 'dk',
    carbonIntensityGPerKwh: ember(152, 'Denmark'),
    carbonBasis: 'lifecycle-co2e',
    climate: climate('temperate', 'Copenhagen, Cfb', KOPPEN),
  },
  {
    id: 'fi',
    name: 'Finland',
    jurisdiction: 'eu',
    country: 'fi',
    energyPriceKey: 'fi',
    carbonIntensityGPerKwh: ember(79, 'Finland'),
    carbonBasis: 'lifecycle-co2e',
    climate: climate('cold', 'Helsinki, Dfb', KOPPEN),
  },
  {
    id: 'se',
    name: 'Sweden',
    jurisdiction: 'eu',
    country: 'se',
    carbonIntensityGPerKwh: { value: 40.7, ref: STATISTA_EMBER_EU },
    carbonBasis: 'lifecycle-co2e',
    climate: climate('cold', 'Luleå/Stockholm, Dfc/Dfb', KOPPEN),
  },
  {
    id: 'no',
    name: 'Norway',
    jurisdiction: 'no',
    country: 'no',
    carbonIntensityGPerKwh: { value: 30, ref: STATISTA_EMBER_WORLD },
    carbonBasis: 'lifecycle-co2e',
    climate: climate('cold', 'Oslo, Dfb', KOPPEN),
  },
  {
    id: 'sa',
    name: 'Saudi Arabia',
    jurisdiction: 'sa',
    country: 'sa',
    energyPriceKey: 'sa',
    climate: climate('hot', 'Riyadh, BWh', KOPPEN),
  },
  {
    id: 'sg',
    name: 'Singapore',
    jurisdiction: 'sg',
    country: 'sg',
    energyPriceKey: 'sg',
    climate: climate('hot', 'Af (tropical rainforest)', KOPPEN),
  },
];

/** Every region with defaults, by id. */
export const REGIONS: Readonly<Record<string, Region>> = Object.fromEntries(
  REGION_LIST.map((r) => [r.id, r]),
);

/** Ids of every region with defaults, sorted. */
export const regionIds = (): string[] => Object.keys(REGIONS).sort();

/**
 * The defaults of a region.
 * @throws AifError(E_CATALOG_UNKNOWN_ID) for an unknown id, listing the known ones.
 * @example getRegion('us-va').climate.value === 'temperate'
 */
export function getRegion(id: string): Region {
  if (Object.prototype.hasOwnProperty.call(REGIONS, id)) return REGIONS[id]!;
  const known = regionIds();
  throw new AifError(
    ERROR_CODES.CATALOG_UNKNOWN_ID,
    `getRegion: no region '${id}' (known: ${known.join(', ')})`,
    [
      {
        path: 'region',
        message: `no region '${id}'`,
        value: id,
        expected: `one of: ${known.join(', ')}`,
      },
    ],
  );
}

/**
 * Energy price of a region, USD per kWh, from the economics tables. `usdPerLocalUnit` converts
 * EUR/SGD prices (no exchange rate is assumed).
 * @throws AifError(E_INVALID_ARGUMENT) when the region has no sourced price, or its price is in
 *   another currency and no rate is given; E_CATALOG_UNKNOWN_ID for an unknown region.
 * @example regionEnergyPriceUsdPerKwh(getRegion('us-va')).value === 0.0892
 */
export function regionEnergyPriceUsdPerKwh(region: Region, usdPerLocalUnit?: number): Sourced {
  if (region.energyPriceKey === undefined) {
    const priced = [
      ...Object.keys(ELECTRICITY_PRICES_USD_PER_KWH),
      ...Object.keys(ELECTRICITY_PRICES_LOCAL),
    ].sort();
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      `regionEnergyPriceUsdPerKwh: region '${region.id}' has no sourced energy price (priced regions: ${priced.join(', ')}); state site.energyPrice`,
      [
        {
          path: 'site.energyPrice',
          message: `region '${region.id}' has no sourced energy price`,
          value: region.id,
          expected: 'an energy price in USD per kWh',
        },
      ],
    );
  }
  return electricityPriceUsdPerKwh(region.energyPriceKey, usdPerLocalUnit);
}
