/**
 * Sourced default tables for the economics layer (DESIGN §7): electricity prices by region, PUE,
 * useful lives, maintenance, colocation and facility-build rates, cloud GPU-hour prices and the
 * InferenceX TCO constants. Every entry is a `Sourced` value with its source and date, copied
 * from public reference data (users do not have that file, so the values live here).
 *
 * Money values are nominal US dollars of their source date (2023–2026) — no inflation
 * adjustment is applied; results label their currency-year (`DEFAULT_CURRENCY_YEAR`).
 *
 * Lookups never fall back silently: an unknown key throws `E_CATALOG_UNKNOWN_ID` naming the
 * table, the key and every known key.
 */
import { AifError, ERROR_CODES } from '../core/errors.js';
import type { SourceRef, Sourced } from '../core/source.js';

/** Currency-year label results carry when the scenario states none. */
export const DEFAULT_CURRENCY_YEAR = 'USD-2026';

const s = (value: number, ref: SourceRef): Sourced => ({ value, ref });

function lookup<T>(table: string, entries: Readonly<Record<string, T>>, key: string, hint = ''): T {
  if (Object.prototype.hasOwnProperty.call(entries, key)) return entries[key]!;
  const known = Object.keys(entries).sort();
  throw new AifError(
    ERROR_CODES.CATALOG_UNKNOWN_ID,
    `${table}: no entry '${key}' (known: ${known.join(', ')})${hint ? `; ${hint}` : ''}`,
    [
      {
        path: table,
        message: `no entry '${key}'`,
        value: key,
        expected: `one of: ${known.join(', ')}`,
      },
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// Electricity prices
// ---------------------------------------------------------------------------------------------

const EIA_2023: Omit<SourceRef, 'note'> = {
  source:
    'EIA Electric Power Annual 2023, average revenue per kWh by state (industrial sector) https://www.eia.gov/electricity/annual/secrev-map.php',
  date: '2023',
  provenance: 'third-party',
};
const eia = (centsPerKwh: number, commercialCents: number): Sourced =>
  s(centsPerKwh / 100, {
    ...EIA_2023,
    note: `industrial ${centsPerKwh} US cents/kWh (commercial ${commercialCents})`,
  });

/**
 * Electricity price, USD per kWh, by region id (`us-<state>`; `us` = the US average SemiAnalysis
 * uses; `sa` = Saudi Arabia at the fixed 3.75 SAR/USD peg). Industrial tariffs, energy only.
 */
export const ELECTRICITY_PRICES_USD_PER_KWH: Readonly<Record<string, Sourced>> = {
  us: s(0.083, {
    source:
      "SemiAnalysis 'AI Datacenter Energy Dilemma' https://www.semianalysis.com/p/ai-datacenter-energy-dilemma-race",
    date: '2024-03',
    provenance: 'third-party',
    note: 'US average power tariff used by SemiAnalysis: 8.3 US cents/kWh',
  }),
  'us-az': eia(8.11, 11.79),
  'us-ca': eia(18.64, 23.91),
  'us-ga': eia(6.88, 10.7),
  'us-ia': eia(6.91, 10.33),
  'us-il': eia(8.2, 11.24),
  'us-la': eia(5.88, 10.45),
  'us-nc': eia(7.15, 9.67),
  'us-nd': eia(7.37, 7.38),
  'us-nj': eia(11.68, 14.0),
  'us-nv': eia(10.36, 11.91),
  'us-ny': eia(6.87, 18.01),
  'us-oh': eia(7.03, 10.75),
  'us-ok': eia(6.26, 9.34),
  'us-or': eia(7.52, 9.92),
  'us-pa': eia(7.75, 11.26),
  'us-tn': eia(6.23, 11.8),
  'us-tx': eia(6.6, 8.82),
  'us-ut': eia(6.99, 8.51),
  'us-va': eia(8.92, 8.95),
  'us-wa': eia(6.35, 9.92),
  sa: s(0.048, {
    source: 'https://argaam.com/en/article/articledetail/id/519195 (ECRA tariff announcement)',
    date: '2017-12',
    provenance: 'third-party',
    note: 'industrial tariff 0.18 SAR/kWh ≈ 4.8 US cents at the 3.75 SAR/USD peg; current-year confirmation not found',
  }),
};

/** A price in a currency other than USD: converting needs an exchange rate the user states. */
export interface LocalElectricityPrice {
  pricePerKwh: number;
  currency: 'EUR' | 'SGD';
  ref: SourceRef;
}

const EUROSTAT_2024: SourceRef = {
  source: "Eurostat Statistics Explained 'Electricity price statistics' (Oct 2024 version)",
  date: '2024-H1',
  provenance: 'third-party',
};

/** Electricity prices sourced in local currency, by region id (`eu`, EU country codes, `sg`). */
export const ELECTRICITY_PRICES_LOCAL: Readonly<Record<string, LocalElectricityPrice>> = {
  eu: {
    pricePerKwh: 0.1902,
    currency: 'EUR',
    ref: {
      source:
        'https://www.eubusiness.com/energy/germany-electricity-prices-highest-in-eu/ (Eurostat release 2025-10-29)',
      date: '2025-H1',
      provenance: 'third-party',
      note: 'EU average non-household price excl. VAT and recoverable taxes; H2 2024: 0.1941',
    },
  },
  fi: {
    pricePerKwh: 0.0939,
    currency: 'EUR',
    ref: { ...EUROSTAT_2024, note: 'Finland non-household price, lowest in the EU' },
  },
  ie: {
    pricePerKwh: 0.256,
    currency: 'EUR',
    ref: { ...EUROSTAT_2024, note: 'Ireland non-household price, highest in the EU' },
  },
  sg: {
    pricePerKwh: 0.281,
    currency: 'SGD',
    ref: {
      source: 'https://ema.gov.sg/resources/singapore-energy-statistics/chapter5',
      date: '2025-06',
      provenance: 'third-party',
      note: 'regulated tariff average Jul 2024–Jun 2025: 28.1 Singapore cents/kWh',
    },
  },
};

/**
 * Electricity price of a region, USD per kWh. Regions priced in another currency need
 * `usdPerLocalUnit` (USD per EUR/SGD), stated by the caller — no exchange rate is assumed.
 * @throws AifError E_CATALOG_UNKNOWN_ID for an unknown region; E_INVALID_ARGUMENT for a
 *   local-currency region without an exchange rate.
 */
export function electricityPriceUsdPerKwh(region: string, usdPerLocalUnit?: number): Sourced {
  if (Object.prototype.hasOwnProperty.call(ELECTRICITY_PRICES_USD_PER_KWH, region))
    return ELECTRICITY_PRICES_USD_PER_KWH[region]!;
  if (Object.prototype.hasOwnProperty.call(ELECTRICITY_PRICES_LOCAL, region)) {
    const local = ELECTRICITY_PRICES_LOCAL[region]!;
    if (usdPerLocalUnit === undefined || !(usdPerLocalUnit > 0))
      throw new AifError(
        ERROR_CODES.INVALID_ARGUMENT,
        `electricityPriceUsdPerKwh: region '${region}' is priced in ${local.currency} (${local.pricePerKwh} ${local.currency}/kWh, ${local.ref.source}); state the price in USD (economics.energyPriceUsdPerKwh) — no exchange rate is assumed`,
        [
          {
            path: 'economics.energyPriceUsdPerKwh',
            message: `region '${region}' has a ${local.currency} price only`,
            value: region,
            expected: 'an energy price in USD per kWh',
          },
        ],
      );
    return s(local.pricePerKwh * usdPerLocalUnit, {
      ...local.ref,
      provenance: 'derived',
      note: `${local.ref.note ?? ''} ${local.pricePerKwh} ${local.currency}/kWh × ${usdPerLocalUnit} USD/${local.currency} (exchange rate stated by the user)`.trim(),
    });
  }
  return lookup(
    'electricity prices',
    { ...ELECTRICITY_PRICES_USD_PER_KWH, ...ELECTRICITY_PRICES_LOCAL },
    region,
  ) as never;
}

// ---------------------------------------------------------------------------------------------
// PUE, useful lives, maintenance
// ---------------------------------------------------------------------------------------------

const SEMIANALYSIS_ENERGY: SourceRef = {
  source:
    "SemiAnalysis 'AI Datacenter Energy Dilemma' https://www.semianalysis.com/p/ai-datacenter-energy-dilemma-race",
  date: '2024-03',
  provenance: 'third-party',
};

/** Power usage effectiveness (facility ÷ IT power), by key. */
export const PUE_VALUES: Readonly<Record<string, Sourced>> = {
  'uptime-2025-global-average': s(1.54, {
    source:
      'Uptime Institute Global Data Center Survey 2025, via https://thefreesheet.com/2026/01/19/data-centre-efficiency-flatlines-for-sixth-year-as-ai-power-demands-soar',
    date: '2025',
    provenance: 'third-party',
    note: 'global weighted average annual PUE; flat since ~2018',
  }),
  'semianalysis-ai-example': s(1.25, {
    ...SEMIANALYSIS_ENERGY,
    note: 'example AI datacenter PUE in the SemiAnalysis worked example (20,480 H100)',
  }),
  'google-fleet-2021': s(1.1, {
    source:
      'https://www.cnbc.com/2022/04/13/google-data-center-goal-100percent-green-energy-by-2030.html',
    date: '2021',
    provenance: 'third-party',
  }),
  'meta-2022': s(1.09, {
    source: 'https://sustainability.fb.com/data-centers/',
    date: '2022',
    provenance: 'third-party',
  }),
};
export const DEFAULT_PUE_KEY = 'uptime-2025-global-average';

/** PUE by key (default: the Uptime 2025 global average). @throws AifError for an unknown key. */
export const pueValue = (key: string = DEFAULT_PUE_KEY): Sourced =>
  lookup('PUE values', PUE_VALUES, key);

/** Useful life of servers and accelerators, years, by key. */
export const USEFUL_LIFE_YEARS: Readonly<Record<string, Sourced>> = {
  'inferencex-tco': s(4, {
    source:
      'SemiAnalysisAI/InferenceX-app packages/app/content/blog/inferencemax-open-source-inference-benchmarking.mdx (InferenceMAX v1 article)',
    date: '2025-10',
    provenance: 'third-party',
    note: 'economic useful life in the hyperscaler/neocloud TCO tiers',
  }),
  'amazon-2025': s(5, {
    source:
      'https://deepquarry.substack.com/p/amazon-revises-server-lifespan-amid (quoting Amazon 10-K)',
    date: '2025-02-07',
    provenance: 'third-party',
    note: 'subset of servers/networking, effective 2025-01-01 (from 6 years)',
  }),
  'meta-2025': s(5.5, {
    source:
      'https://taxacct.com.au/metas-accounting-move-to-boost-profit (citing Accounting Today)',
    date: '2025-01',
    provenance: 'third-party',
  }),
  'microsoft-2022': s(6, {
    source:
      'https://shaulkoral.com/useful-life-of-servers-and-network-assets-at-tech-companies/ (quoting Microsoft 10-Q)',
    date: '2022-07',
    provenance: 'third-party',
  }),
  'alphabet-2023': s(6, {
    source:
      'https://shaulkoral.com/useful-life-of-servers-and-network-assets-at-tech-companies/ (quoting Google 10-K)',
    date: '2023-01',
    provenance: 'third-party',
  }),
};
export const DEFAULT_USEFUL_LIFE_KEY = 'inferencex-tco';

/** Useful life by key (default: InferenceX's 4-year economic life). @throws AifError. */
export const usefulLifeYears = (key: string = DEFAULT_USEFUL_LIFE_KEY): Sourced =>
  lookup('useful lives', USEFUL_LIFE_YEARS, key);

/**
 * Life of a facility build (power and cooling plant, shell). NOT sourced: the reference data
 * holds no facility life; this is a stated assumption, overridable per scenario.
 */
export const FACILITY_LIFE_YEARS: Readonly<Record<string, Sourced>> = {
  'aifactory-assumption': s(20, {
    source: 'aifactory assumption (no facility life in the public reference data)',
    provenance: 'assumption',
    note: 'long-lived electrical/mechanical plant and shell; state economics.facilityLifeYears',
  }),
};
export const DEFAULT_FACILITY_LIFE_KEY = 'aifactory-assumption';
export const facilityLifeYears = (key: string = DEFAULT_FACILITY_LIFE_KEY): Sourced =>
  lookup('facility lives', FACILITY_LIFE_YEARS, key);

/** Annual maintenance as a share of hardware purchase price, by key. */
export const MAINTENANCE_SHARE_OF_CAPEX_PER_YEAR: Readonly<Record<string, Sourced>> = {
  'hpc-ctwatch-2006': s(0.06, {
    source:
      'https://icl.utk.edu/ctwatch/quarterly/articles/2006/05/designing-and-supporting-high-end-computational-facilities/2/index.html',
    date: '2006',
    provenance: 'third-party',
    note: 'HPC annual maintenance after year 1: 4–8% of purchase price per year; midpoint 6% used. DATED (2006).',
  }),
};
export const DEFAULT_MAINTENANCE_KEY = 'hpc-ctwatch-2006';
export const maintenanceShareOfCapexPerYear = (key: string = DEFAULT_MAINTENANCE_KEY): Sourced =>
  lookup('maintenance shares', MAINTENANCE_SHARE_OF_CAPEX_PER_YEAR, key);

// ---------------------------------------------------------------------------------------------
// Space: colocation and facility build
// ---------------------------------------------------------------------------------------------

/** Wholesale colocation, USD per kW of contracted IT power per month, by key. */
export const COLOCATION_USD_PER_KW_MONTH: Readonly<Record<string, Sourced>> = {
  'cbre-na-primary-h2-2024': s(184.06, {
    source: 'https://www.cbre.com/insights/reports/north-america-data-center-trends-h2-2024',
    date: '2025-02-26',
    provenance: 'third-party',
    note: 'average asking wholesale rate, 250–500 kW, North America primary markets; +12.6% y/y',
  }),
  'cbre-na-primary-h1-2024': s(174.06, {
    source: 'CBRE North America Data Center Trends H1 2024',
    date: '2024-08-19',
    provenance: 'third-party',
    note: 'average asking rate 250–500 kW',
  }),
  'cbre-na-primary-2025': s(194.95, {
    source: 'https://homes-expo.com/?p=553 (reproduction of CBRE 2025 release)',
    date: '2026',
    provenance: 'third-party',
    note: 'secondary source; +6.5% y/y',
  }),
  'cbre-global-2025-q1': s(217.3, {
    source: 'https://dataxconnect.com/insights-cbre-data-centre-trends-2025',
    date: '2025',
    provenance: 'third-party',
    note: 'secondary source; global data centre pricing',
  }),
};
export const DEFAULT_COLOCATION_KEY = 'cbre-na-primary-h2-2024';
export const colocationUsdPerKwMonth = (key: string = DEFAULT_COLOCATION_KEY): Sourced =>
  lookup('colocation rates', COLOCATION_USD_PER_KW_MONTH, key);

const CUSHWAKE_2025: SourceRef = {
  source:
    'Cushman & Wakefield Data Center Development Cost Guide 2025 https://cushwake.cld.bz/Data-Center-Development-Cost-Guide-2025/8-9',
  date: '2025',
  provenance: 'third-party',
  note: 'per MW of critical load; excludes OFCI equipment, tenant costs, land, design/soft costs, owner contingency',
};

/** Data-center construction cost, USD per MW of critical (IT) load, by key. */
export const FACILITY_CAPEX_USD_PER_MW: Readonly<Record<string, Sourced>> = {
  'cushwake-us-2025-average': s(11.7e6, {
    ...CUSHWAKE_2025,
    note: `19-market average; ${CUSHWAKE_2025.note}`,
  }),
  'cushwake-us-2025-low': s(9.3e6, {
    ...CUSHWAKE_2025,
    note: `San Antonio; ${CUSHWAKE_2025.note}`,
  }),
  'cushwake-us-2025-high': s(15e6, { ...CUSHWAKE_2025, note: `Reno; ${CUSHWAKE_2025.note}` }),
  'jll-global-2026': s(11.3e6, {
    source:
      'https://www.theagenttimes.com/articles/data-center-construction-costs-reach-113m-per-megawatt-as-labor-shortage-intensi (citing JLL 2026 Global Data Center Outlook)',
    date: '2026',
    provenance: 'third-party',
    note: 'secondary source; global average forecast',
  }),
};
export const DEFAULT_FACILITY_CAPEX_KEY = 'cushwake-us-2025-average';
export const facilityCapexUsdPerMw = (key: string = DEFAULT_FACILITY_CAPEX_KEY): Sourced =>
  lookup('facility build costs', FACILITY_CAPEX_USD_PER_MW, key);

// ---------------------------------------------------------------------------------------------
// Cloud GPU-hour prices
// ---------------------------------------------------------------------------------------------

export const CLOUD_PRICE_TIERS = ['on-demand', 'reserved-1y', 'reserved-3y', 'spot'] as const;
export type CloudPriceTier = (typeof CLOUD_PRICE_TIERS)[number];

const MERCATUS: SourceRef = {
  source: 'https://www.mercatus-ai.com/blog/cloud-gpu-pricing',
  date: '2026-05',
  provenance: 'third-party',
};
const INFERENCEX_CONSTANTS: SourceRef = {
  source:
    'SemiAnalysisAI/InferenceX-app packages/app/src/lib/constants.ts (GPU_SPECS; commit 77ca49a)',
  date: '2026-04-03',
  provenance: 'third-party',
};
const costr = (usd: number): Sourced =>
  s(usd, {
    ...INFERENCEX_CONSTANTS,
    note: 'InferenceX costr: renting from neoclouds on a 3-year contract with 25% upfront payment (SemiAnalysis GPU Cloud Market Rental Price Report)',
  });

/** Cloud price, USD per GPU-hour, by catalog accelerator id and tier. */
export const CLOUD_PRICES_USD_PER_GPU_HOUR: Readonly<
  Record<string, Partial<Record<CloudPriceTier, Sourced>>>
> = {
  'h100-sxm': {
    'on-demand': s(4.25, {
      ...MERCATUS,
      note: 'hyperscaler on-demand range 3.50–5.00; midpoint used',
    }),
    'reserved-1y': s(2.35, {
      source:
        'https://compux.net/docs/guides/gpu-pricing-trends-2026 (citing the SemiAnalysis H100 rental index)',
      date: '2026-03',
      provenance: 'third-party',
      note: 'H100 1-year contract price, March 2026 (secondary)',
    }),
    'reserved-3y': costr(1.3),
    spot: s(1.52, {
      source: 'https://techplained.aptechsolutions.io/runpod-vs-vast-ai',
      date: '2026-04',
      provenance: 'third-party',
      note: 'Vast.ai spot floor',
    }),
  },
  'h200-sxm': {
    'on-demand': s(5.75, {
      ...MERCATUS,
      note: 'hyperscaler on-demand range 4.50–7.00; midpoint used',
    }),
    'reserved-3y': costr(1.6),
  },
  b200: {
    'on-demand': s(5.25, {
      source: 'https://lyceum.technology/magazine/nvidia-b200-gpu-cloud-pricing-2026/',
      date: '2026-03',
      provenance: 'third-party',
      note: 'specialized clouds 4.50–6.00; midpoint used',
    }),
    'reserved-3y': costr(2.9),
    spot: s(2.25, {
      source: 'https://lyceum.technology/magazine/nvidia-b200-gpu-cloud-pricing-2026/',
      date: '2026-03',
      provenance: 'third-party',
      note: 'spot "as low as"',
    }),
  },
  b300: { 'reserved-3y': costr(3.48) },
  gb200: {
    'on-demand': s(4.54, {
      source: 'https://www.spheron.network/blog/nvidia-h200-vs-b200-vs-gb200',
      date: '2026-03-17',
      provenance: 'third-party',
      note: 'Spheron on-demand GB200 Superchip 9.08 USD/hour for 2 GPUs',
    }),
    'reserved-3y': costr(3.3),
  },
  gb300: { 'reserved-3y': costr(3.96) },
  mi300x: { 'reserved-3y': costr(1.55) },
  mi325x: { 'reserved-3y': costr(1.8) },
  mi355x: { 'reserved-3y': costr(2.1) },
};

/** Cloud price of an accelerator for a tier. @throws AifError naming what is known. */
export function cloudPriceUsdPerGpuHour(acceleratorId: string, tier: CloudPriceTier): Sourced {
  const tiers = lookup('cloud prices', CLOUD_PRICES_USD_PER_GPU_HOUR, acceleratorId);
  return lookup(
    `cloud prices for ${acceleratorId}`,
    tiers as Record<string, Sourced>,
    tier,
    'state economics.rentUsdPerGpuHour',
  );
}

// ---------------------------------------------------------------------------------------------
// InferenceX constants
// ---------------------------------------------------------------------------------------------

export const INFERENCEX_TIERS = ['costh', 'costn', 'costr'] as const;
/** `costh` hyperscaler owning chips; `costn` neocloud giant owning chips; `costr` 3-year rental. */
export type InferencexTier = (typeof INFERENCEX_TIERS)[number];

export interface InferencexGpuSpec {
  /** InferenceX's GPU key (`H100`, `GB200`, …) and the matching catalog accelerator id. */
  gpu: string;
  acceleratorId: string;
  /** All-in provisioned utility power per GPU (GPU, CPU, network, other IT, facility overhead). */
  allInKwPerGpu: Sourced;
  usdPerGpuHour: Record<InferencexTier, Sourced>;
}

const INFERENCEX_TIER_NOTES: Record<InferencexTier, string> = {
  costh:
    'hyperscaler / Tier-1 lab owning chips, 4-year economic useful life (SemiAnalysis AI Cloud TCO Model)',
  costn: 'neocloud giant owning chips, 4-year economic useful life',
  costr: 'renting from neoclouds on a 3-year contract with 25% upfront payment',
};
const BLACKWELL_ULTRA_NOTE = 'code comment: B300/GB300 pricing temporary = 1.2x B200/GB200';

function ix(
  gpu: string,
  acceleratorId: string,
  kw: number,
  [h, n, r]: [number, number, number],
  note?: string,
): InferencexGpuSpec {
  const tier = (t: InferencexTier, v: number): Sourced =>
    s(v, {
      ...INFERENCEX_CONSTANTS,
      note: `${gpu} ${t}: ${INFERENCEX_TIER_NOTES[t]}${note ? `; ${note}` : ''}`,
    });
  return {
    gpu,
    acceleratorId,
    allInKwPerGpu: s(kw, {
      ...INFERENCEX_CONSTANTS,
      note: `${gpu}: all-in provisioned utility power per GPU, built from component TDPs (SemiAnalysis Datacenter Industry Model)`,
    }),
    usdPerGpuHour: { costh: tier('costh', h), costn: tier('costn', n), costr: tier('costr', r) },
  };
}

/** InferenceX GPU_SPECS: all-in kW per GPU and the three TCO tiers, USD per GPU-hour. */
export const INFERENCEX_GPU_SPECS: Readonly<Record<string, InferencexGpuSpec>> = {
  H100: ix('H100', 'h100-sxm', 1.73, [1.3, 1.69, 1.3]),
  H200: ix('H200', 'h200-sxm', 1.73, [1.41, 1.74, 1.6]),
  B200: ix('B200', 'b200', 2.17, [1.95, 2.34, 2.9]),
  B300: ix('B300', 'b300', 2.17, [2.34, 2.808, 3.48], BLACKWELL_ULTRA_NOTE),
  GB200: ix('GB200', 'gb200', 2.1, [2.21, 2.75, 3.3]),
  GB300: ix('GB300', 'gb300', 2.1, [2.652, 3.3, 3.96], BLACKWELL_ULTRA_NOTE),
  MI300X: ix('MI300X', 'mi300x', 1.79, [1.12, 1.4, 1.55]),
  MI325X: ix('MI325X', 'mi325x', 2.18, [1.28, 1.59, 1.8]),
  MI355X: ix('MI355X', 'mi355x', 2.65, [1.48, 1.9, 2.1]),
};

/** InferenceX spec of a GPU by InferenceX key (`H100`) or catalog id (`h100-sxm`). @throws AifError. */
export function inferencexGpuSpec(gpu: string): InferencexGpuSpec {
  const byCatalogId = Object.values(INFERENCEX_GPU_SPECS).find((g) => g.acceleratorId === gpu);
  return byCatalogId ?? lookup('InferenceX GPU specs', INFERENCEX_GPU_SPECS, gpu);
}
