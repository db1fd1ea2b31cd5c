/**
 * Shared driver of the importers. Each format has a row reader that yields records with times
 * on the trace's *own* clock (Mooncake milliseconds → seconds, vLLM monotonic seconds, …) and
 * returns its format notes. This file turns a row reader into the two public forms:
 * - streaming (`iterate…`): records in file order, times relative to the first row; a row
 *   earlier than the one before it is an error (a stream cannot re-sort);
 * - array (`parse…`): all rows, stably sorted by arrival, times relative to the earliest.
 */
import type { FieldContext } from './fields.js';
import { fileOf, traceFieldError } from './fields.js';
import type {
  SkippedLine,
  TraceFormat,
  TraceParseResult,
  TraceReadOptions,
  TraceRecord,
} from './types.js';

/** A record with times on the trace's own clock, and the line it came from. */
export interface RawTraceRecord {
  line: number;
  record: TraceRecord;
}

/** A format's row reader: yields rows in file order, reports skips, returns format notes. */
export type RowReader<O extends TraceReadOptions> = (
  text: string,
  options: O,
  onSkip: (skip: SkippedLine) => void,
) => Generator<RawTraceRecord, string[], undefined>;

/**
 * Move a record's arrival and measured times to start at `originSeconds`, in place: the row
 * readers hand over fresh objects, and a million-row trace should not be copied twice.
 */
function shiftInPlace(record: TraceRecord, originSeconds: number): TraceRecord {
  record.arrivalSeconds -= originSeconds;
  const m = record.measured;
  if (m) {
    if (m.queuedSeconds !== undefined) m.queuedSeconds -= originSeconds;
    if (m.scheduledSeconds !== undefined) m.scheduledSeconds -= originSeconds;
    if (m.firstTokenSeconds !== undefined) m.firstTokenSeconds -= originSeconds;
    if (m.lastTokenSeconds !== undefined) m.lastTokenSeconds -= originSeconds;
  }
  return record;
}

/**
 * Streaming form: records in file order, relative to the first row (first = 0).
 * @throws AifError when a row arrives before the row above it (use the `parse…` form, which
 *   sorts), and whatever the row reader throws.
 */
export function* inFileOrder<O extends TraceReadOptions>(
  format: TraceFormat,
  read: RowReader<O>,
  text: string,
  options: O,
): Generator<TraceRecord, void, undefined> {
  let originSeconds: number | undefined;
  let previousSeconds = Number.NEGATIVE_INFINITY;
  let previousLine = 0;
  const onSkip = options.onSkip ?? ((): void => undefined);
  for (const { line, record } of read(text, options, onSkip)) {
    if (record.arrivalSeconds < previousSeconds) {
      const ctx: FieldContext = { format, line, ...fileOf(options) };
      const origin = originSeconds ?? 0;
      throw traceFieldError(
        ctx,
        'arrival',
        record.arrivalSeconds - origin,
        `a time ≥ ${previousSeconds - origin} s after the first row (line ${previousLine}'s): the streaming reader needs rows in time order; the parse form sorts`,
      );
    }
    previousSeconds = record.arrivalSeconds;
    previousLine = line;
    originSeconds ??= record.arrivalSeconds;
    yield shiftInPlace(record, originSeconds);
  }
}

/** "3 rows skipped: 2 × zero output tokens; 1 × …" (reasons grouped without their details). */
function skipSummary(skipped: readonly SkippedLine[]): string | undefined {
  if (skipped.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const s of skipped) {
    const key = s.reason.replace(/\s*\(.*\)$/, '');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].map(([reason, n]) => `${n} × ${reason}`);
  return `${skipped.length} row${skipped.length === 1 ? '' : 's'} skipped: ${parts.join('; ')}`;
}

/**
 * Array form: every row, stably sorted by arrival (equal times keep file order), relative to
 * the earliest (first = 0). Notes: the format's own, the skip counts, and any re-sorting.
 */
export function collectTrace<O extends TraceReadOptions>(
  format: TraceFormat,
  read: RowReader<O>,
  text: string,
  options: O,
): TraceParseResult {
  const skipped: SkippedLine[] = [];
  const onSkip = (s: SkippedLine): void => {
    skipped.push(s);
    options.onSkip?.(s);
  };
  const rows = read(text, options, onSkip);
  const raw: TraceRecord[] = [];
  let outOfOrder = 0;
  let step = rows.next();
  while (!step.done) {
    const r = step.value.record;
    if (raw.length > 0 && r.arrivalSeconds < raw[raw.length - 1]!.arrivalSeconds) outOfOrder++;
    raw.push(r);
    step = rows.next();
  }
  const notes = [...step.value];
  if (outOfOrder > 0) {
    raw.sort((a, b) => a.arrivalSeconds - b.arrivalSeconds); // stable (ES2019)
    notes.push(
      `${outOfOrder} row${outOfOrder === 1 ? '' : 's'} arrived before the row above; records sorted by arrival (stable)`,
    );
  }
  const summary = skipSummary(skipped);
  if (summary) notes.push(summary);
  const originSeconds = raw.length > 0 ? raw[0]!.arrivalSeconds : 0;
  for (const r of raw) shiftInPlace(r, originSeconds);
  return { records: raw, skipped, format, notes };
}
