/**
 * Sourced defaults for build vs rent, per GPU (a replica of n GPUs costs n times these).
 * H100-class figures from /work/shared/reference (public-data.json, facility-data.json); each
 * carries its source, date and provenance. Low-authority sources are marked in `note`.
 */
import { sourced, type Sourced } from '../core/source.js';

const H100 = 'H100 SXM';

export const BUILD_VS_RENT_DEFAULTS = {
  currencyYear: sourced('USD-2026', {
    source: 'prices below are 2025–2026 quotes',
    provenance: 'assumption',
  }),
  capexUsdPerGpu: sourced(47_000, {
    source:
      'https://substack.tech-talk-cto.com/p/h100-freakonomics-the-economical (reference/facility-data.json)',
    date: '2024',
    provenance: 'third-party',
    note: `${H100} all-in capex per GPU incl. cluster networking, range $47k–$52k; blog, low authority`,
  }),
  usefulLifeYears: sourced(5, {
    source:
      'Amazon 10-K via https://deepquarry.substack.com/p/amazon-revises-server-lifespan-amid (reference/public-data.json)',
    date: '2025-02-07',
    provenance: 'third-party',
    note: 'servers/networking useful life from 2025-01-01 (Microsoft, Alphabet: 6; InferenceX TCO: 4)',
  }),
  fixedOpexUsdPerGpuHour: sourced(0.19, {
    source:
      'derived: InferenceX costh H100 $1.30/GPU-h × 20 % hosting share (SemiAnalysis 80/20 capital/hosting) − energy below',
    date: '2026-04',
    provenance: 'derived',
  }),
  energyUsdPerBusyGpuHour: sourced(0.073, {
    source:
      'derived: 0.7 kW H100 TDP × PUE 1.25 × $0.083/kWh (SemiAnalysis US average tariff, 2024-03)',
    provenance: 'derived',
  }),
  leadTimeMonths: sourced(6, {
    source:
      'assumption: systems into existing colocation space; new facilities take longer (switchgear alone 46–48 weeks, Cushman & Wakefield 2025)',
    provenance: 'assumption',
  }),
  residualValueShare: sourced(0.5, {
    source: 'assumption: half of straight-line book value recovered at the horizon',
    provenance: 'assumption',
  }),
  costOfCapitalPerYear: sourced(0.08, {
    source: 'assumption (DESIGN §11 example)',
    provenance: 'assumption',
  }),
  onDemandUsdPerGpuHour: sourced(2.79, {
    source: 'https://techplained.aptechsolutions.io/runpod-vs-vast-ai (reference/public-data.json)',
    date: '2026-04',
    provenance: 'third-party',
    note: 'RunPod Secure 8×H100; hyperscalers $3.50–5.00 (mercatus-ai 2026-05)',
  }),
  reserved1yUsdPerGpuHour: sourced(2.35, {
    source:
      'SemiAnalysis H100 1-year contract index via https://compux.net/docs/guides/gpu-pricing-trends-2026',
    date: '2026-03',
    provenance: 'third-party',
  }),
  reserved3yUsdPerGpuHour: sourced(1.3, {
    source: 'SemiAnalysisAI/InferenceX-app constants.ts costr H100: 3-year contract, 25 % upfront',
    date: '2026-04-03',
    provenance: 'third-party',
  }),
  reserved3yUpfrontShare: sourced(0.25, {
    source: 'SemiAnalysisAI/InferenceX-app constants.ts (costr: 25 % upfront)',
    date: '2026-04-03',
    provenance: 'third-party',
  }),
  spotUsdPerGpuHour: sourced(1.52, {
    source: 'Vast.ai H100 spot floor via https://techplained.aptechsolutions.io/runpod-vs-vast-ai',
    date: '2026-04',
    provenance: 'third-party',
  }),
  spotAvailability: sourced(0.85, {
    source: 'assumption: share of spot hours not lost to interruption and restart',
    provenance: 'assumption',
  }),
  rentPriceChangePerYear: sourced(-0.1, {
    source:
      'assumption between H100 rental −22 % in 2025 (RBC via FT) and +40 % Oct 2025 → Mar 2026 (SemiAnalysis index)',
    provenance: 'assumption',
  }),
  apiUsdPerMillionInputTokens: sourced(1.35, {
    source: 'Crusoe DeepSeek-R1 price on OpenRouter, quoted in InferenceX v2 article',
    date: '2026-02-16',
    provenance: 'third-party',
  }),
  apiUsdPerMillionCachedInputTokens: sourced(0.3375, {
    source: 'assumption: cached input at 25 % of the input price',
    provenance: 'assumption',
  }),
  apiUsdPerMillionOutputTokens: sourced(5.4, {
    source: 'Crusoe DeepSeek-R1 price on OpenRouter, quoted in InferenceX v2 article',
    date: '2026-02-16',
    provenance: 'third-party',
  }),
} satisfies Record<string, Sourced<number | string>>;
