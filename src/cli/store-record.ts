/**
 * `--db <file>` on the commands that produce something worth keeping — `bench` (the report and
 * its raw event log), `calibrate bench|probe` (the calibration file), `claims validate` (the
 * check): the result is also recorded in the SQLite store (docs/store.md), in one transaction,
 * under an id derived from its content, so recording the same result twice keeps one row.
 */
import { Option } from 'commander';
import { fnv1a64 } from '../core/hash.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/types.js';

export const dbOption = (what: string): Option =>
  new Option('--db <file>', `also keep ${what} in this SQLite store (docs/store.md)`);

/** `<prefix>_` + the first 16 hex of the text's FNV-1a 64: equal content, equal id. */
export const contentId = (prefix: string, text: string): string =>
  `${prefix}_${fnv1a64(text)
    .replace(/^[^:]*:/, '')
    .slice(0, 16)}`;

/**
 * Open the store at `db`, let `write` record into it, close it. Nothing happens without `db`.
 * Timestamps are this machine's wall clock (the store never reads one).
 */
export function recordInStore(
  db: string | undefined,
  write: (store: Store, nowIso: string) => void,
  open: (path: string) => Store = openSqliteStore,
): void {
  if (db === undefined) return;
  const store = open(db);
  try {
    write(store, new Date().toISOString());
  } finally {
    store.close();
  }
}
