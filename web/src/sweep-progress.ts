/**
 * A running sweep's progress as words (the Sweeps view): points done of the total, feasible so
 * far, elapsed time. Pure: the view passes the time.
 */
import type { SweepProgress } from './types.js';

/** Elapsed seconds as m:ss (h:mm:ss from an hour). */
export function fmtElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "3 of 8 points" — "of at most 18" while a capacity search's total is a bound. */
export function pointsText(p: SweepProgress): string {
  return `${p.done} of ${p.totalIsBound ? 'at most ' : ''}${p.total} point${p.total === 1 ? '' : 's'}`;
}

/** The progress bar's label: points, feasible so far, share of the work. */
export function progressLabel(p: SweepProgress | undefined, fraction: number): string {
  const pct = `${(Math.max(0, Math.min(1, fraction)) * 100).toFixed(0)}%`;
  if (!p) return `${pct} (points not reported)`;
  return `${pointsText(p)} · ${p.feasible} feasible · ${pct}`;
}

/**
 * Elapsed seconds now: the server's figure when the event came (`at`, ms), plus the time since —
 * frozen at the server's figure once the sweep has ended.
 */
export function elapsedNow(p: SweepProgress, at: number, now: number, ended: boolean): number {
  return ended ? p.elapsedSeconds : p.elapsedSeconds + Math.max(0, now - at) / 1000;
}
