/**
 * The engine version a stored result is keyed by: the tool's version plus content hashes of the
 * catalog and the calibration table it ran with. Two processes with equal engine versions give
 * byte-identical results for the same scenario and seed, so a stored result may be reused and a
 * worker with another engine version refuses a job (sweeps).
 */
import type { Catalog } from '../catalog/catalog.js';
import { contentHash } from '../core/hash.js';
import type { CalibrationTable } from '../perf/calibration.js';

/** Version recorded in results (kept equal to package.json by test/public-api). */
export const TOOL_VERSION = '0.2.0';

/** `aifactory@<version> catalog:<hash> calibration:<hash>` (hashes: FNV-1a 64 of canonical JSON, first 12 hex). */
export function engineVersion(catalog: Catalog, calibration: CalibrationTable): string {
  const short = (h: string): string => h.replace(/^[^:]*:/, '').slice(0, 12);
  return `aifactory@${TOOL_VERSION} catalog:${short(contentHash(catalog))} calibration:${short(contentHash(calibration))}`;
}
