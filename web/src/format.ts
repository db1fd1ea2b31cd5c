/**
 * Number formatting shared by tables, tooltips and axes: grouped integers for large values,
 * three significant digits below, SI prefixes where a unit scales (W, FLOP/s), latencies in
 * µs/ms/s, fractions as percentages. Pure; no locale surprises (en-US grouping).
 */

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 3 significant digits below 1000, grouped integers up to 1e12, then exponent notation. */
export function fmtNum(x: number | null | undefined, sig = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1e12) return x.toExponential(2).replace('e+', 'e');
  if (a >= 1000) return GROUPED.format(x);
  if (a < 1e-4) return x.toExponential(2);
  return String(Number(x.toPrecision(sig)));
}

const SI = [
  { p: 1e15, s: 'P' },
  { p: 1e12, s: 'T' },
  { p: 1e9, s: 'G' },
  { p: 1e6, s: 'M' },
  { p: 1e3, s: 'k' },
];

/** Compact SI form: 1234 → `1.23k`, 3.8e18 → `3800P` (axis labels). */
export function fmtSi(x: number | null | undefined, sig = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return fmtNum(x ?? null);
  const a = Math.abs(x);
  for (const { p, s } of SI) if (a >= p) return `${Number((x / p).toPrecision(sig))}${s}`;
  return fmtNum(x, sig);
}

/** Seconds as µs / ms / s. */
export function fmtSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  const a = Math.abs(s);
  if (a === 0) return '0 s';
  if (a < 1e-3) return `${fmtNum(s * 1e6)} µs`;
  if (a < 1) return `${fmtNum(s * 1e3)} ms`;
  if (a < 600) return `${fmtNum(s)} s`;
  return `${fmtNum(s / 60)} min`;
}

export function fmtPercent(f: number | null | undefined, digits = 1): string {
  if (f === null || f === undefined || !Number.isFinite(f)) return '—';
  return `${(f * 100).toFixed(digits)}%`;
}

export function fmtUsd(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 1e9) return `$${Number((x / 1e9).toPrecision(3))}B`;
  if (a >= 1e6) return `$${Number((x / 1e6).toPrecision(3))}M`;
  if (a >= 1000) return `$${GROUPED.format(x)}`;
  if (a >= 1) return `$${x.toFixed(2)}`;
  return `$${Number(x.toPrecision(3))}`;
}

/** Watts as W / kW / MW. */
export function fmtWatts(w: number | null | undefined): string {
  if (w === null || w === undefined || !Number.isFinite(w)) return '—';
  const a = Math.abs(w);
  if (a >= 1e6) return `${fmtNum(w / 1e6)} MW`;
  if (a >= 1e3) return `${fmtNum(w / 1e3)} kW`;
  return `${fmtNum(w)} W`;
}

/**
 * A value with its unit as a person reads it: `s` → ms/µs, `fraction` → %, `W` → kW/MW,
 * `USD…` → $, per-watt FLOP/s with an SI prefix; anything else `<number> <unit>`.
 */
export function fmtValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return '—';
  if (unit === 's') return fmtSeconds(value);
  if (unit === 'fraction') return fmtPercent(value);
  if (unit === 'W') return fmtWatts(value);
  if (/^USD\b/.test(unit)) {
    const rest = unit.replace(/^USD\s*/, '');
    return `${fmtUsd(value)}${rest ? ` ${rest.replace(/^\//, '/ ').trim()}` : ''}`;
  }
  if (/FLOP/.test(unit)) return `${fmtSi(value)} ${unit}`;
  return `${fmtNum(value)} ${unit}`;
}

/** ISO timestamp → `YYYY-MM-DD HH:MM` (UTC). */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}
