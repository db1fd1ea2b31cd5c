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

/**
 * The data with every Map as its `[key, value]` entries (recursively): canonical JSON sees no
 * entries in a Map, and the catalog and calibration table are Maps.
 */
const mapsAsEntries = (v: unknown): unknown =>
  v instanceof Map
    ? [...v.entries()].map(([k, x]) => [k, mapsAsEntries(x)])
    : Array.isArray(v)
      ? v.map(mapsAsEntries)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapsAsEntries(x)]))
        : v;

/** `aifactory@<version> catalog:<hash> calibration:<hash>` (hashes: FNV-1a 64 of canonical JSON, first 12 hex). */
export function engineVersion(catalog: Catalog, calibration: CalibrationTable): string {
  const short = (h: string): string => h.replace(/^[^:]*:/, '').slice(0, 12);
  const hash = (v: unknown): string => short(contentHash(mapsAsEntries(v)));
  return `aifactory@${TOOL_VERSION} catalog:${hash(catalog)} calibration:${hash(calibration)}`;
}
