/**
 * The catalog: built-in data plus user extensions, with lookups that fail loudly.
 */
import { AifError, ERROR_CODES } from '../core/errors.js';
import { ACCELERATORS } from './accelerators.js';
import { NUMBER_FORMATS } from './formats.js';
import { MODELS } from './models.js';
import { SPECULATIVE_ASSUMPTIONS } from './speculative.js';
import { SYSTEMS } from './systems.js';
import type {
  Accelerator,
  ModelArch,
  NumberFormat,
  NumberFormatId,
  SpeculativeAssumption,
  System,
} from './types.js';

export interface Catalog {
  /** Version string recorded with every result; bump when built-in data changes. */
  version: string;
  formats: ReadonlyMap<NumberFormatId, NumberFormat>;
  accelerators: ReadonlyMap<string, Accelerator>;
  systems: ReadonlyMap<string, System>;
  models: ReadonlyMap<string, ModelArch>;
  speculative: readonly SpeculativeAssumption[];
}

export const CATALOG_VERSION = '2026.11.0';

const byId = <T extends { id: string }>(xs: readonly T[]): Map<string, T> => {
  const m = new Map<string, T>();
  for (const x of xs) {
    if (m.has(x.id))
      throw new AifError(ERROR_CODES.CATALOG_INVALID, `duplicate catalog id '${x.id}'`);
    m.set(x.id, x);
  }
  return m;
};

export function defaultCatalog(): Catalog {
  return {
    version: CATALOG_VERSION,
    formats: byId(NUMBER_FORMATS) as Map<NumberFormatId, NumberFormat>,
    accelerators: byId(ACCELERATORS),
    systems: byId(SYSTEMS),
    models: byId(MODELS),
    speculative: SPECULATIVE_ASSUMPTIONS,
  };
}

function lookup<T>(kind: string, map: ReadonlyMap<string, T>, id: string): T {
  const found = map.get(id);
  if (found) return found;
  const known = [...map.keys()].sort();
  throw new AifError(ERROR_CODES.CATALOG_UNKNOWN_ID, `unknown ${kind} '${id}'`, [
    {
      path: kind,
      message: `unknown ${kind} '${id}'`,
      value: id,
      expected: `one of: ${known.join(', ')}`,
    },
  ]);
}

export const getAccelerator = (c: Catalog, id: string): Accelerator =>
  lookup('accelerator', c.accelerators, id);
export const getSystem = (c: Catalog, id: string): System => lookup('system', c.systems, id);
export const getModel = (c: Catalog, id: string): ModelArch => lookup('model', c.models, id);
export const getFormat = (c: Catalog, id: NumberFormatId): NumberFormat =>
  lookup('number format', c.formats, id);
