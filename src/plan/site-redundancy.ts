/**
 * Redundancy of a site's power and cooling plant (DESIGN §6), as the share of installed plant
 * capacity that may carry IT load.
 *
 * - `N`: no spare; all installed capacity is usable (share 1).
 * - `N+1`: `activeUnits` = N units carry the load and one more is installed as a spare, so
 *   usable = N/(N+1) of installed (e.g. 4 active of 5 → 0.8). Larger blocks (small N) cost more.
 * - `2N`: a second, complete, independent path; usable = 1/2 of installed.
 *
 * Installed plant capacity is taken to equal the site's contracted envelope (power) and the
 * cooling needed for it (cooling) unless the site states otherwise (site.ts
 * `coolingCapacityItMw`). Shares only shrink as redundancy gets stricter:
 * N (1) ≥ N+1 (N/(N+1)) ≥ 2N (1/2) for N ≥ 1.
 */
import { requireArg } from '../core/errors.js';

export type Redundancy =
  { scheme: 'N' } | { scheme: 'N+1'; activeUnits: number } | { scheme: '2N' };

/**
 * Share of installed capacity usable for load: 1, N/(N+1) or 1/2.
 * @throws AifError(E_INVALID_ARGUMENT) unless N+1 has an integer `activeUnits` ≥ 1.
 * @example redundancyUsableShare({ scheme: 'N+1', activeUnits: 4 }) === 0.8
 */
export function redundancyUsableShare(r: Redundancy): number {
  switch (r.scheme) {
    case 'N':
      return 1;
    case 'N+1':
      requireArg(
        Number.isInteger(r.activeUnits) && r.activeUnits >= 1,
        'redundancyUsableShare',
        `N+1 needs an integer activeUnits ≥ 1, got ${r.activeUnits}`,
      );
      return r.activeUnits / (r.activeUnits + 1);
    case '2N':
      return 0.5;
  }
}

/** Human label: `N`, `N+1 (4+1)`, `2N`. */
export const redundancyLabel = (r: Redundancy): string =>
  r.scheme === 'N+1' ? `N+1 (${r.activeUnits}+1)` : r.scheme;
