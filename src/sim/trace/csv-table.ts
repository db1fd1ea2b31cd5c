/**
 * A CSV trace as a header plus rows: columns are found by header name (trimmed, case and
 * repeated spaces ignored), so column order and optional columns do not matter, and every row
 * must have as many fields as the header.
 */
import type { CsvRecord } from './csv.js';
import { iterateCsvRecords } from './csv.js';
import { traceLineError } from './fields.js';
import type { TraceFormat } from './types.js';

export interface CsvTableSpec<R extends string, P extends string> {
  format: TraceFormat;
  fileName?: string;
  /** Column key → header name, for columns that must be there. */
  required: Record<R, string>;
  /** Column key → header name, for columns a release may lack. */
  optional: Record<P, string>;
}

export interface CsvTable<R extends string, P extends string> {
  columns: Record<R, number> & Partial<Record<P, number>>;
  /** The data rows; each has exactly the header's number of fields (else it throws). */
  rows: Generator<CsvRecord, void, undefined>;
}

const normalise = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Read the header of a CSV trace and return its column positions and a lazy row iterator.
 * @throws AifError (E_INPUT_FORMAT) for an empty file, a missing required column (naming the
 *   header found), or a row whose field count differs from the header's.
 */
export function openCsvTable<R extends string, P extends string>(
  text: string,
  spec: CsvTableSpec<R, P>,
): CsvTable<R, P> {
  const file = spec.fileName !== undefined ? { fileName: spec.fileName } : {};
  const records = iterateCsvRecords(text, {
    source: `${spec.format} ${spec.fileName ?? 'trace'}`,
  });
  const first = records.next();
  const requiredNames = Object.values<string>(spec.required);
  if (first.done)
    throw traceLineError(
      { format: spec.format, line: 1, ...file },
      `no header; expected columns ${requiredNames.join(', ')}`,
    );
  const header = first.value;
  const positions = new Map(header.fields.map((f, i) => [normalise(f), i] as const));
  const columns: Record<string, number> = {};
  for (const [key, name] of Object.entries<string>(spec.required)) {
    const at = positions.get(normalise(name));
    if (at === undefined)
      throw traceLineError(
        { format: spec.format, line: header.line, ...file },
        `header has no column "${name}" (found: ${header.fields.join(', ')}); expected columns ${requiredNames.join(', ')}`,
      );
    columns[key] = at;
  }
  for (const [key, name] of Object.entries<string>(spec.optional)) {
    const at = positions.get(normalise(name));
    if (at !== undefined) columns[key] = at;
  }
  const width = header.fields.length;
  function* rows(): Generator<CsvRecord, void, undefined> {
    for (const r of records) {
      if (r.fields.length !== width)
        throw traceLineError(
          { format: spec.format, line: r.line, ...file },
          `${r.fields.length} fields; the header (line ${header.line}) has ${width}`,
        );
      yield r;
    }
  }
  return { columns: columns as Record<R, number> & Partial<Record<P, number>>, rows: rows() };
}
