/**
 * Unit helpers. Internally aifactory uses SI base units: seconds, bytes, FLOPs, watts,
 * joules, US dollars. Conversions happen at the edges (catalog data, input parsing, display).
 * Decimal prefixes (GB = 1e9 bytes) as hardware vendors quote them.
 */
export const KILO = 1e3;
export const MEGA = 1e6;
export const GIGA = 1e9;
export const TERA = 1e12;
export const PETA = 1e15;
/** Binary gibibyte, as `nvidia-smi` and engines report memory. */
export const GIB = 1024 ** 3;

export const SECONDS_PER_HOUR = 3600;
export const HOURS_PER_YEAR = 8760;

export const gbToBytes = (gb: number): number => gb * GIGA;
export const tbPerSecondToBytesPerSecond = (tbps: number): number => tbps * TERA;
export const gbPerSecondToBytesPerSecond = (gbps: number): number => gbps * GIGA;
export const tflopsToFlopsPerSecond = (tflops: number): number => tflops * TERA;
export const kwToWatts = (kw: number): number => kw * KILO;
export const msToSeconds = (ms: number): number => ms / KILO;
export const secondsToMs = (s: number): number => s * KILO;

/** Bits per element → bytes per element. */
export const bitsToBytes = (bits: number): number => bits / 8;
