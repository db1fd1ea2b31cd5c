/**
 * Provisioning policies (DESIGN §6): how many watts the planner reserves per system.
 *
 * - `gpuProvisionFraction` f: provisioned watts per accelerator ÷ its TDP (1 = nameplate; 0.8 =
 *   Meta's GB200 deployment, 960 W of 1,200 W). Below 1 the accelerators run power-capped at
 *   f·TDP when fully busy; the cap's throughput loss follows `capCurve`.
 * - `oversubscriptionRatio` r ≥ 1: systems placed ÷ systems the provisioned power would allow.
 *   Each system is counted at provisioned ÷ r against the envelope; when every system runs
 *   flat out at once the capping policy (uniform: every accelerator capped alike, host and
 *   network not cappable) holds the total to the budget, at the throughput the curve gives.
 * - `conversionStages`: in-rack conversion (rectifier / power shelf, voltage regulators)
 *   applied as component power ÷ Π efficiency. Default none: catalog system powers are system
 *   max power at the server's or rack's AC input, so PSU and power-shelf losses are already in
 *   them; upstream UPS/transformer/PDU losses are inside PUE. Use `RAPS_CONVERSION_STAGES` for
 *   a system whose power is stated at DC.
 *
 * Policies are plain objects in a typed registry, chosen by key.
 */
import { sourced, type Sourced } from '../core/source.js';
import { CAP_CURVES, type CapCurve } from './power-chain-cap.js';

export interface ConversionStage {
  name: string;
  /** Output ÷ input power, (0, 1]. */
  efficiency: Sourced;
}

export interface ProvisioningPolicy {
  readonly name: string;
  readonly gpuProvisionFraction: Sourced;
  readonly oversubscriptionRatio: Sourced;
  readonly capCurve: CapCurve;
  readonly conversionStages: readonly ConversionStage[];
}

const RAPS = {
  source: 'ExaDigiT/RAPS config/frontier.yaml',
  date: 'repo snapshot',
  provenance: 'third-party',
} as const;

/** Frontier's rectifier (0.96) and SIVOC voltage-converter (0.98) efficiencies. */
export const RAPS_CONVERSION_STAGES: readonly ConversionStage[] = [
  {
    name: 'rectifier',
    efficiency: sourced(0.96, {
      ...RAPS,
      note: 'rectifier_loss_constant 17 W; peak threshold 13,670 W',
    }),
  },
  {
    name: 'sivoc',
    efficiency: sourced(0.98, { ...RAPS, note: 'SIVOC (voltage converter); loss constant 13 W' }),
  },
];

/** Meta's GB200 cluster: 960 W provisioned per GPU = 80% of the 1,200 W TDP. */
export const META_GB200_PROVISION_FRACTION: Sourced = sourced(960 / 1200, {
  source:
    'https://www.supercomputing.news/ai/meta-100mw-ai-supercomputer-gb200-power-management (summary of arXiv 2605.24461)',
  date: '2026-05',
  provenance: 'third-party',
  note: '960 W provisioned per GPU = 80% of 1,200 W TDP; perf/W optimum near 1,000 W; ~83K GB200 in ~150 MW',
});

/** POLCA: 30% more servers in the same GPU cluster for inference, minimal performance loss. */
export const POLCA_OVERSUBSCRIPTION: Sourced = sourced(1.3, {
  source: "http://arxiv.org/abs/2308.12908v1 (POLCA, Microsoft Azure; ASPLOS'24 Patel et al.)",
  date: '2023-08',
  provenance: 'third-party',
  note: '"30% additional servers deployable in the same GPU cluster for inference" → r = 1.3',
});

const NAMEPLATE: Sourced = sourced(1, {
  source: 'aifactory convention: provision every accelerator at its TDP',
  provenance: 'assumption',
});
const NO_OVERSUBSCRIPTION: Sourced = sourced(1, {
  source: 'aifactory convention: no oversubscription',
  provenance: 'assumption',
});

export const PROVISIONING_POLICIES = {
  /** Every accelerator at TDP, no oversubscription: the conservative default. */
  nameplate: {
    name: 'nameplate',
    gpuProvisionFraction: NAMEPLATE,
    oversubscriptionRatio: NO_OVERSUBSCRIPTION,
    capCurve: CAP_CURVES['llm-inference'],
    conversionStages: [],
  },
  /** 80% of TDP per accelerator, as Meta provisions GB200. */
  'meta-gb200-80pct': {
    name: 'meta-gb200-80pct',
    gpuProvisionFraction: META_GB200_PROVISION_FRACTION,
    oversubscriptionRatio: NO_OVERSUBSCRIPTION,
    capCurve: CAP_CURVES['llm-inference'],
    conversionStages: [],
  },
  /** Nameplate per accelerator, 30% oversubscribed with uniform capping (POLCA). */
  'polca-oversubscribed': {
    name: 'polca-oversubscribed',
    gpuProvisionFraction: NAMEPLATE,
    oversubscriptionRatio: POLCA_OVERSUBSCRIPTION,
    capCurve: CAP_CURVES['llm-inference'],
    conversionStages: [],
  },
} as const satisfies Record<string, ProvisioningPolicy>;

export type ProvisioningPolicyName = keyof typeof PROVISIONING_POLICIES;
export const DEFAULT_PROVISIONING_POLICY: ProvisioningPolicy = PROVISIONING_POLICIES.nameplate;
