/**
 * Planning time: calendar quarters (`YYYY-Qn`) as the reporting period, and a continuous month
 * axis for milestone dates and delays.
 *
 * - A `Period` is a calendar quarter, e.g. `2027-Q3` (July–September 2027).
 * - A `PlanDate` is what users write for a milestone: a quarter (`2027-Q3`), a month
 *   (`2027-08`) or an ISO date (`2027-08-15`).
 * - `MonthTime` is the continuous axis all arithmetic uses: months since 0000-01-01, so
 *   2027-08-01 is 2027·12 + 7 = 24331 and 2027-08-16 is 24331 + 15/31. Delays are in months.
 *
 * Conventions (used by `procurable.ts` and `gate-delays.ts`):
 * - A quarter written as a date means its first day (`2027-Q3` → 2027-07-01); a month means
 *   its first day.
 * - Capacity "at period P" is the capacity as at the end of P: an event at time t counts in P
 *   when t < `periodEndMonths(P)` (the first instant of the next quarter).
 *
 * Pure: no clock, no I/O. Leap years are honoured for ISO dates (Gregorian calendar).
 */
import { requireArg } from '../core/errors.js';

/** A calendar quarter, `YYYY-Qn` with n ∈ 1…4. */
export type Period = `${number}-Q${1 | 2 | 3 | 4}`;

/** A milestone date as written: `YYYY-Qn`, `YYYY-MM` or `YYYY-MM-DD`. */
export type PlanDate = string;

/** Months since 0000-01-01 (fractional: days within a month are day-1 over its length). */
export type MonthTime = number;

const PERIOD_RE = /^(\d{4})-Q([1-4])$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `text` is a well-formed quarter `YYYY-Qn`. */
export const isPeriod = (text: string): text is Period => PERIOD_RE.test(text);

/**
 * Split a quarter into year and quarter number.
 * @throws AifError(E_INVALID_ARGUMENT) when `period` is not `YYYY-Qn`.
 * @example parsePeriod('2027-Q3') → { year: 2027, quarter: 3 }
 */
export function parsePeriod(period: string): { year: number; quarter: 1 | 2 | 3 | 4 } {
  const m = PERIOD_RE.exec(period);
  requireArg(m !== null, 'parsePeriod', `period must be 'YYYY-Qn' (n 1–4), got '${period}'`);
  return { year: Number(m[1]), quarter: Number(m[2]) as 1 | 2 | 3 | 4 };
}

/** The quarter `YYYY-Qn` for a year and quarter number (1–4). */
export function formatPeriod(year: number, quarter: number): Period {
  requireArg(
    Number.isInteger(year) && year >= 0 && year <= 9999 && [1, 2, 3, 4].includes(quarter),
    'formatPeriod',
    `needs an integer year 0–9999 and quarter 1–4, got ${year}, ${quarter}`,
  );
  return `${String(year).padStart(4, '0')}-Q${quarter}` as Period;
}

/** First instant of the quarter on the month axis: year·12 + 3·(quarter − 1). */
export function periodStartMonths(period: Period): MonthTime {
  const { year, quarter } = parsePeriod(period);
  return year * 12 + 3 * (quarter - 1);
}

/** End of the quarter (exclusive): the first instant of the next quarter, start + 3. */
export const periodEndMonths = (period: Period): MonthTime => periodStartMonths(period) + 3;

/** Negative, zero or positive as `a` is before, equal to or after `b` (a sort comparator). */
export const comparePeriods = (a: Period, b: Period): number =>
  periodStartMonths(a) - periodStartMonths(b);

/** The quarter `n` quarters after `period` (n may be negative). */
export function addQuarters(period: Period, n: number): Period {
  requireArg(Number.isInteger(n), 'addQuarters', `n must be an integer, got ${n}`);
  const index = periodStartMonths(period) / 3 + n;
  return formatPeriod(Math.floor(index / 4), (index % 4) + 1);
}

/** The quarter containing month time `t` (t ≥ 0). */
export function periodContaining(t: MonthTime): Period {
  requireArg(Number.isFinite(t) && t >= 0, 'periodContaining', `t must be ≥ 0, got ${t}`);
  const month = Math.floor(t);
  return formatPeriod(Math.floor(month / 12), Math.floor((month % 12) / 3) + 1);
}

/**
 * Every quarter from `from` to `to`, both included, in order.
 * @throws AifError(E_INVALID_ARGUMENT) when `to` is before `from` or either is malformed.
 * @example periodRange('2026-Q4', '2027-Q2') → ['2026-Q4', '2027-Q1', '2027-Q2']
 */
export function periodRange(from: Period, to: Period): Period[] {
  const n = comparePeriods(to, from) / 3;
  requireArg(n >= 0, 'periodRange', `'to' (${to}) must not be before 'from' (${from})`);
  return Array.from({ length: n + 1 }, (_, i) => addQuarters(from, i));
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (y: number, m: number): number =>
  m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/**
 * A plan date on the month axis: quarter → its first month; `YYYY-MM` → that month;
 * `YYYY-MM-DD` → month + (day − 1)/days-in-month.
 * @throws AifError(E_INVALID_ARGUMENT) naming the malformed date.
 * @example planDateToMonths('2027-Q3') === 2027 * 12 + 6
 */
export function planDateToMonths(date: PlanDate): MonthTime {
  if (PERIOD_RE.test(date)) return periodStartMonths(date as Period);
  const ym = MONTH_RE.exec(date);
  if (ym !== null) {
    const month = Number(ym[2]);
    requireArg(month >= 1 && month <= 12, 'planDateToMonths', `bad month in '${date}'`);
    return Number(ym[1]) * 12 + month - 1;
  }
  const d = DATE_RE.exec(date);
  requireArg(
    d !== null,
    'planDateToMonths',
    `date must be 'YYYY-Qn', 'YYYY-MM' or 'YYYY-MM-DD', got '${date}'`,
  );
  const year = Number(d[1]);
  const month = Number(d[2]);
  const day = Number(d[3]);
  requireArg(month >= 1 && month <= 12, 'planDateToMonths', `bad month in '${date}'`);
  const days = daysInMonth(year, month);
  requireArg(day >= 1 && day <= days, 'planDateToMonths', `bad day in '${date}'`);
  return year * 12 + month - 1 + (day - 1) / days;
}

/** `date` shifted by `months` (fractional allowed), on the month axis. */
export function addMonths(date: PlanDate | MonthTime, months: number): MonthTime {
  requireArg(Number.isFinite(months), 'addMonths', `months must be finite, got ${months}`);
  return (typeof date === 'number' ? date : planDateToMonths(date)) + months;
}

/** Months from `a` to `b` (positive when b is later). */
export const monthsBetween = (a: PlanDate | MonthTime, b: PlanDate | MonthTime): number =>
  (typeof b === 'number' ? b : planDateToMonths(b)) -
  (typeof a === 'number' ? a : planDateToMonths(a));

/** The calendar month `YYYY-MM` containing month time `t` (for reports). */
export function formatMonths(t: MonthTime): string {
  requireArg(Number.isFinite(t) && t >= 0, 'formatMonths', `t must be ≥ 0, got ${t}`);
  const month = Math.floor(t);
  return `${String(Math.floor(month / 12)).padStart(4, '0')}-${String((month % 12) + 1).padStart(2, '0')}`;
}
