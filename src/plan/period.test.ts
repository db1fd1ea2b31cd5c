import { describe, expect, it } from 'vitest';
import {
  addMonths,
  addQuarters,
  comparePeriods,
  formatMonths,
  monthsBetween,
  parsePeriod,
  periodContaining,
  periodEndMonths,
  periodRange,
  periodStartMonths,
  planDateToMonths,
} from './period.js';

describe('period helpers', () => {
  it('parses a quarter into year and quarter number', () => {
    expect(parsePeriod('2027-Q3')).toEqual({ year: 2027, quarter: 3 });
  });

  it('rejects a malformed quarter with a message naming the function', () => {
    expect(() => parsePeriod('2027-Q5')).toThrow(/parsePeriod/);
    expect(() => parsePeriod('2027Q1')).toThrow(/YYYY-Qn/);
  });

  it('places a quarter on the month axis and ends it three months later', () => {
    expect(periodStartMonths('2027-Q3')).toBe(2027 * 12 + 6);
    expect(periodEndMonths('2027-Q3')).toBe(2027 * 12 + 9);
  });

  it('adds quarters across year boundaries in both directions', () => {
    expect(addQuarters('2026-Q4', 1)).toBe('2027-Q1');
    expect(addQuarters('2027-Q1', -1)).toBe('2026-Q4');
    expect(addQuarters('2026-Q2', 7)).toBe('2028-Q1');
  });

  it('lists a range of quarters inclusively and rejects a reversed one', () => {
    expect(periodRange('2026-Q4', '2027-Q2')).toEqual(['2026-Q4', '2027-Q1', '2027-Q2']);
    expect(periodRange('2026-Q4', '2026-Q4')).toEqual(['2026-Q4']);
    expect(() => periodRange('2027-Q1', '2026-Q4')).toThrow(/must not be before/);
  });

  it('orders quarters with comparePeriods', () => {
    expect(
      ['2027-Q1', '2026-Q3', '2026-Q4'].sort(comparePeriods as (a: string, b: string) => number),
    ).toEqual(['2026-Q3', '2026-Q4', '2027-Q1']);
  });

  it('reads quarters, months and ISO dates (leap years included) onto the month axis', () => {
    expect(planDateToMonths('2027-Q3')).toBe(2027 * 12 + 6);
    expect(planDateToMonths('2027-08')).toBe(2027 * 12 + 7);
    expect(planDateToMonths('2027-08-16')).toBeCloseTo(2027 * 12 + 7 + 15 / 31, 12);
    expect(planDateToMonths('2028-02-29')).toBeCloseTo(2028 * 12 + 1 + 28 / 29, 12);
    expect(() => planDateToMonths('2027-02-29')).toThrow(/bad day/);
    expect(() => planDateToMonths('next year')).toThrow(/planDateToMonths/);
  });

  it('adds and measures months, and formats a month time as YYYY-MM', () => {
    expect(addMonths('2026-Q4', 14)).toBe(2027 * 12 + 11); // 2026-10 + 14 months = 2027-12
    expect(monthsBetween('2025-01', '2027-Q3')).toBe(30);
    expect(formatMonths(addMonths('2026-11', 2.5))).toBe('2027-01');
    expect(periodContaining(planDateToMonths('2027-08-16'))).toBe('2027-Q3');
  });
});
