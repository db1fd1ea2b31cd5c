import { describe, expect, it } from 'vitest';
import { elapsedNow, fmtElapsed, pointsText, progressLabel } from './sweep-progress.js';
import type { SweepProgress } from './types.js';

const p = (over: Partial<SweepProgress> = {}): SweepProgress => ({
  done: 3,
  total: 8,
  totalIsBound: false,
  feasible: 2,
  failed: 0,
  cached: 0,
  batch: 1,
  elapsedSeconds: 12.4,
  ...over,
});

describe('sweep progress words', () => {
  it('formats elapsed time as m:ss, h:mm:ss from an hour', () => {
    expect(fmtElapsed(0)).toBe('0:00');
    expect(fmtElapsed(12.9)).toBe('0:12');
    expect(fmtElapsed(61)).toBe('1:01');
    expect(fmtElapsed(3723)).toBe('1:02:03');
    expect(fmtElapsed(-5)).toBe('0:00');
  });

  it('says the points done of the total, a bound as "at most"', () => {
    expect(pointsText(p())).toBe('3 of 8 points');
    expect(pointsText(p({ done: 0, total: 1 }))).toBe('0 of 1 point');
    expect(pointsText(p({ total: 18, totalIsBound: true }))).toBe('3 of at most 18 points');
  });

  it('labels the bar with points, feasible so far and the share done', () => {
    expect(progressLabel(p(), 0.4)).toBe('3 of 8 points · 2 feasible · 40%');
    expect(progressLabel(undefined, 0.25)).toBe('25% (points not reported)');
    expect(progressLabel(p(), 1.2)).toBe('3 of 8 points · 2 feasible · 100%');
  });

  it('counts elapsed time on from the last event until the sweep ends', () => {
    expect(elapsedNow(p(), 1_000, 3_500, false)).toBeCloseTo(14.9);
    expect(elapsedNow(p(), 1_000, 3_500, true)).toBe(12.4);
    expect(elapsedNow(p(), 5_000, 3_500, false)).toBe(12.4);
  });
});
