/**
 * Usable IT power of a site and the systems that fit in it (DESIGN §6). Everything is
 * *provisioned* power; simulated power is *drawn* and never enters here.
 *
 * Usable IT power at period P, MW:
 *
 *   byPower   = envelope · sharePower / PUE_dd
 *   byCooling = (coolingCapacityItMw ?? envelope / PUE_dd) · shareCooling
 *   installed = min(byPower, byCooling)
 *   usable    = max(0, installed − installedBase(P))
 *
 * where share = 1 (N), N/(N+1) (N+1), 1/2 (2N) (site-redundancy.ts) and PUE_dd is the
 * design-day PUE (pue.ts): the utility envelope caps the facility's *peak*, IT design power ×
 * PUE_dd. The installed base is provisioned IT MW (site-installed-base.ts). When the installed
 * base exceeds the installed capacity, usable is 0 and `overcommittedItMw` says by how much.
 *
 * Systems that fit, with B the per-system budget (power-chain.ts) and D the rack density limit:
 *
 *   byPower        = ⌊usable / B⌋
 *   systemsPerRack = ⌊D / B⌋                  (0: one system exceeds a rack position)
 *   bySpace        = spaceRacks · systemsPerRack
 *   systems        = min(byPower, bySpace)
 *
 * Reported beside it: racks used ⌈systems / systemsPerRack⌉; headroom = usable − systems·B (IT
 * power left unused); stranded in racks = racksUsed·D − systems·B (rack power positions
 * provisioned but unusable because a whole system does not fit in what is left — the rack
 * granularity loss); facility peak = (systems·B + installed base)·PUE_dd.
 */
import type { Accelerator, System } from '../catalog/types.js';
import type { Sourced } from '../core/source.js';
import type { Period } from './period.js';
import { systemPowerChain, type SystemPowerChain } from './power-chain.js';
import type { ProvisioningPolicy } from './power-chain-policy.js';
import { designDayPue } from './pue.js';
import type { Site } from './site.js';
import { installedBaseItMwAt } from './site-installed-base.js';
import { redundancyUsableShare } from './site-redundancy.js';

/** Tolerance for floor() of ratios that are whole numbers up to rounding. */
const EPS = 1e-9;
const floorCount = (x: number): number => Math.max(0, Math.floor(x + EPS));

export interface UsableItPower {
  period: Period;
  envelopeMw: number;
  designDayPue: Sourced;
  powerShare: number;
  coolingShare: number;
  /** envelope · sharePower / PUE_dd. */
  byPowerItMw: number;
  /** cooling capacity · shareCooling. */
  byCoolingItMw: number;
  /** min(byPower, byCooling). */
  installedItMw: number;
  /** Which plant limits the installed IT capacity. */
  limitedBy: 'power' | 'cooling';
  installedBaseItMw: number;
  /** max(0, installed − installed base). */
  usableItMw: number;
  /** max(0, installed base − installed). */
  overcommittedItMw: number;
  powerKind: 'provisioned';
}

/**
 * Usable IT power of a site at a period, with its breakdown. O(installed-base steps).
 * @throws AifError(E_INVALID_ARGUMENT) for an invalid PUE spec, redundancy or installed base.
 * @example 100 MW, constant PUE 1.3, power N+1 (4+1), cooling N → 100·0.8/1.3 = 61.54 IT MW
 */
export function usableItPower(site: Site, period: Period): UsableItPower {
  const pueDd = designDayPue({ spec: site.pue, cooling: site.cooling, climate: site.climate });
  const powerShare = redundancyUsableShare(site.redundancy.power);
  const coolingShare = redundancyUsableShare(site.redundancy.cooling);
  const byPowerItMw = (site.envelopeMw * powerShare) / pueDd.value;
  const coolingCapacity = site.coolingCapacityItMw ?? site.envelopeMw / pueDd.value;
  const byCoolingItMw = coolingCapacity * coolingShare;
  const installedItMw = Math.min(byPowerItMw, byCoolingItMw);
  const installedBaseItMw = installedBaseItMwAt(site.installedBase, period);
  return {
    period,
    envelopeMw: site.envelopeMw,
    designDayPue: pueDd,
    powerShare,
    coolingShare,
    byPowerItMw,
    byCoolingItMw,
    installedItMw,
    limitedBy: byPowerItMw <= byCoolingItMw ? 'power' : 'cooling',
    installedBaseItMw,
    usableItMw: Math.max(0, installedItMw - installedBaseItMw),
    overcommittedItMw: Math.max(0, installedBaseItMw - installedItMw),
    powerKind: 'provisioned',
  };
}

/** Usable IT power of a site at a period, MW (provisioned). See `usableItPower`. */
export const usableItPowerMw = (site: Site, period: Period): number =>
  usableItPower(site, period).usableItMw;

export interface SystemsThatFitInput {
  site: Site;
  system: System;
  accelerator: Accelerator;
  policy: ProvisioningPolicy;
  period: Period;
}

export interface SystemsFit {
  systems: number;
  accelerators: number;
  /** Which limit sets `systems`: power, rack density (a system exceeds a rack) or space. */
  binding: 'power' | 'density' | 'space';
  byPower: number;
  systemsPerRack: number;
  bySpace: number;
  racksUsed: number;
  /** B, kW. */
  perSystemBudgetKw: number;
  /** systems · B, MW. */
  provisionedItMw: number;
  /** usable − systems·B, MW. */
  headroomItMw: number;
  /** racksUsed · D − systems · B, kW. */
  strandedInRacksKw: number;
  /** (systems·B + installed base) · PUE_dd, MW (≤ envelope · power share). */
  facilityPeakMw: number;
  usable: UsableItPower;
  chain: SystemPowerChain;
  powerKind: 'provisioned';
}

/**
 * How many systems of one type fit a site at a period: min over power, rack density and space,
 * with headroom and power stranded by rack granularity. O(installed-base steps).
 * @throws AifError(E_INVALID_ARGUMENT) from `systemPowerChain`, `usableItPower`.
 * @example GB200 NVL72 (budget 128.208 kW nameplate) on 132 kW racks: 1 per rack, 3.792 kW
 *   stranded in each.
 */
export function systemsThatFit(input: SystemsThatFitInput): SystemsFit {
  const { site, system, accelerator, policy, period } = input;
  const chain = systemPowerChain({ system, accelerator, policy });
  const usable = usableItPower(site, period);
  const budgetKw = chain.budgetW / 1e3;
  const byPower = floorCount((usable.usableItMw * 1e3) / budgetKw);
  const systemsPerRack = floorCount(site.rackDensityLimitKw / budgetKw);
  const bySpace = site.spaceRacks * systemsPerRack;
  const systems = Math.min(byPower, bySpace);
  const binding = systemsPerRack === 0 ? 'density' : byPower <= bySpace ? 'power' : 'space';
  const racksUsed = systemsPerRack === 0 ? 0 : Math.ceil(systems / systemsPerRack);
  const provisionedItMw = (systems * budgetKw) / 1e3;
  return {
    systems,
    accelerators: systems * system.acceleratorCount,
    binding,
    byPower,
    systemsPerRack,
    bySpace,
    racksUsed,
    perSystemBudgetKw: budgetKw,
    provisionedItMw,
    headroomItMw: usable.usableItMw - provisionedItMw,
    strandedInRacksKw: racksUsed * site.rackDensityLimitKw - systems * budgetKw,
    facilityPeakMw: (provisionedItMw + usable.installedBaseItMw) * usable.designDayPue.value,
    usable,
    chain,
    powerKind: 'provisioned',
  };
}
