/**
 * Mapping names in published result files to catalog entries *by their parts* (vendor, product
 * line, form factor, memory size) — never by whole strings seen in one file — so the
 * validators work unchanged on rounds, systems and models they have not seen.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Accelerator, ModelArch } from '../catalog/types.js';

export type MapResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface AcceleratorParts {
  vendor?: 'nvidia' | 'amd';
  productLine?: string;
  formFactor?: Accelerator['formFactor'];
  memoryGb?: number;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Word-ish boundary that treats `-`, `_`, space, `(` and `x` multipliers as separators. */
const tokenRe = (token: string): RegExp =>
  new RegExp(
    `(^|[^a-z0-9])${escapeRe(token.toLowerCase()).replace(/\\? /g, '[ _-]?')}($|[^a-z0-9])`,
  );

/**
 * Parse the parts of an accelerator description such as `NVIDIA H200-NVL-141GB`,
 * `AMD Instinct MI300X-NPS1-SPX-192GB-750W`, `h100_sxm`, `NVIDIA GB200`. Product lines are the
 * catalog's own tokens; the longest one found wins (so `GB200` is not read as `B200`).
 */
export function parseAcceleratorParts(text: string, catalog: Catalog): AcceleratorParts {
  const t = text.toLowerCase();
  const parts: AcceleratorParts = {};
  if (/nvidia|geforce|\brtx\b/.test(t)) parts.vendor = 'nvidia';
  else if (/\bamd\b|instinct|\bmi\d{3}/.test(t)) parts.vendor = 'amd';
  const lines = [...new Set([...catalog.accelerators.values()].map((a) => a.productLine))].sort(
    (a, b) => b.length - a.length,
  );
  const line = lines.find((l) => tokenRe(l).test(t));
  if (line) parts.productLine = line;
  if (/(^|[^a-z])sxm/.test(t)) parts.formFactor = 'sxm';
  else if (/(^|[^a-z])nvl(?![a-z]*\d{2})/.test(t) && !/nvl\d/.test(t)) parts.formFactor = 'nvl';
  else if (/pcie/.test(t)) parts.formFactor = 'pcie';
  const mem = /(\d{2,3})\s?gb/.exec(t);
  if (mem) parts.memoryGb = Number(mem[1]);
  return parts;
}

/** Find the one catalog accelerator matching the parts; ambiguity or mismatch is a reason, not a guess. */
export function mapAccelerator(text: string, catalog: Catalog): MapResult<Accelerator> {
  const parts = parseAcceleratorParts(text, catalog);
  if (!parts.productLine)
    return { ok: false, reason: `no catalogued accelerator product line in '${text}'` };
  let candidates = [...catalog.accelerators.values()].filter(
    (a) => a.productLine === parts.productLine && (!parts.vendor || a.vendor === parts.vendor),
  );
  if (parts.formFactor) candidates = candidates.filter((a) => a.formFactor === parts.formFactor);
  if (candidates.length > 1 && !parts.formFactor) {
    // Without a stated form factor, the flagship SXM/OAM/superchip part is the product line's default.
    const main = candidates.filter((a) => a.formFactor !== 'nvl' && a.formFactor !== 'pcie');
    if (main.length === 1) candidates = main;
  }
  if (candidates.length !== 1) {
    return {
      ok: false,
      reason: `'${text}' matches ${candidates.length} catalog accelerators (${parts.productLine}${parts.formFactor ? ' ' + parts.formFactor : ''})`,
    };
  }
  const acc = candidates[0]!;
  if (parts.memoryGb !== undefined) {
    const catalogGb = acc.memoryBytes.value / 1e9;
    // Vendors print GiB or GB, rounded; a larger gap is a different SKU.
    if (Math.abs(parts.memoryGb - catalogGb) / catalogGb > 0.1) {
      return {
        ok: false,
        reason: `'${text}' states ${parts.memoryGb} GB but catalog ${acc.id} has ${catalogGb.toFixed(0)} GB`,
      };
    }
  }
  return { ok: true, value: acc };
}

/** Map a Hugging Face repository id (e.g. `nvidia/DeepSeek-R1-NVFP4`) to a catalog model by its hfIds. */
export function mapModelByHfId(hfId: string, catalog: Catalog): MapResult<ModelArch> {
  const want = hfId.trim().toLowerCase();
  for (const m of catalog.models.values()) {
    if (m.hfIds.some((h) => h.toLowerCase() === want)) return { ok: true, value: m };
  }
  return {
    ok: false,
    reason: `model '${hfId}' is not in the catalog (no entry lists it in hfIds)`,
  };
}
