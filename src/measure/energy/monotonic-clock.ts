/**
 * The monotonic clock shared by samplers and the load generator: `performance.now()` in
 * seconds. It never jumps with NTP or wall-clock changes, so differences are durations. Token
 * timestamps must come from the same clock for the energy window to line up with them.
 */
export type MonotonicClock = () => number;

export const monotonicSeconds: MonotonicClock = () => performance.now() / 1000;
