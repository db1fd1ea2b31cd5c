/**
 * Why an energy figure (and so tokens per joule) was refused. Refusals are data, not thrown
 * errors: a benchmark run still completes and its report says why no tokens/J is given.
 */
export type EnergyRefusalCode =
  /** The window is shorter than `10 × max(source period, sample gap)` (see source-resolution). */
  | 'window-too-short'
  /** Fewer power samples inside the window than `MIN_POWER_SAMPLES_IN_WINDOW`. */
  | 'too-few-samples'
  /** Two consecutive samples around the window are further apart than `MAX_SAMPLE_GAP_SECONDS`. */
  | 'sample-gap'
  /** No sample at or before the window start, or none at or after its end. */
  | 'window-not-covered'
  /** The counter went down and no wrap modulus is known: a driver reload, not a wrap. */
  | 'counter-reset'
  /** The counter did not advance over the window (reads 0 J). */
  | 'counter-not-advanced'
  /** No samples for a device, or for the quantity the method needs. */
  | 'no-samples'
  /** The window ends before it starts. */
  | 'invalid-window'
  /** Energy above idle was asked for but no idle baseline could be measured. */
  | 'idle-unavailable';

export interface EnergyRefusal {
  code: EnergyRefusalCode;
  /** One sentence naming the requirement and the observed value. */
  reason: string;
  deviceId?: string;
  /** Numbers behind the reason, e.g. `{ windowSeconds: 4, minWindowSeconds: 10 }`. */
  details: Record<string, number | string>;
}

/** A value, or the reason there is none. */
export type EnergyOutcome<T> = { ok: true; value: T } | { ok: false; refusal: EnergyRefusal };

export const refuse = (
  code: EnergyRefusalCode,
  reason: string,
  details: Record<string, number | string> = {},
  deviceId?: string,
): { ok: false; refusal: EnergyRefusal } => ({
  ok: false,
  refusal: deviceId === undefined ? { code, reason, details } : { code, reason, deviceId, details },
});
