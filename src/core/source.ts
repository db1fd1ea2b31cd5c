/** Where a catalog value comes from. Every catalog value carries one (non-negotiable 1). */
export interface SourceRef {
  /** Citation: a document, repository path or URL. */
  source: string;
  /** Date of the source or of retrieval, as given (`2026-04-03`, `2025-09`). */
  date?: string;
  /** What kind of value this is. */
  provenance?:
    'vendor-spec' | 'published-config' | 'measured' | 'third-party' | 'assumption' | 'derived';
  note?: string;
}

/** A number with its source. */
export interface Sourced<T = number> {
  value: T;
  ref: SourceRef;
}

export const sourced = <T>(value: T, ref: SourceRef): Sourced<T> => ({ value, ref });
