/**
 * Calendar date-times to seconds by arithmetic alone (pure layers may not construct `Date`
 * from wall time, and `Date.parse` is implementation-defined for non-ISO strings such as
 * Azure's `2023-11-16 18:15:46.6805900`).
 */

/**
 * Days from 1970-01-01 to the proleptic Gregorian date `year-month-day` (negative before).
 * Howard Hinnant's `days_from_civil` ("chrono-Compatible Low-Level Date Algorithms",
 * http://howardhinnant.github.io/date_algorithms.html#days_from_civil): shift the year to
 * start in March so the leap day is last, count 400-year eras of 146 097 days, then
 * years-of-era × 365 + leap days + day-of-year (153·m′ + 2) / 5 + d − 1. O(1).
 * @example daysFromCivil(1970, 1, 1) === 0; daysFromCivil(2000, 3, 1) === 11017
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400; // [0, 399]
  const monthFromMarch = month > 2 ? month - 3 : month + 9; // [0, 11]
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1; // [0, 365]
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days in `month` (1–12) of `year`, proleptic Gregorian. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A date-time split so that nearby instants subtract without rounding away sub-microseconds. */
export interface CivilDateTime {
  /** Days since 1970-01-01 (`daysFromCivil`). */
  days: number;
  /** Seconds since midnight, fraction kept as written. */
  secondsOfDay: number;
  /** The written UTC offset (`Z` = 0, `+01:00` = 3600), absent when the text has none. */
  utcOffsetSeconds?: number;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/;

/** What `parseCivilDateTime` accepts, in words (for error messages). */
export const CIVIL_DATE_TIME_FORMAT =
  'a date-time YYYY-MM-DD hh:mm:ss[.fraction][Z|±hh:mm] (space or T between date and time)';

/**
 * Parse `YYYY-MM-DD hh:mm:ss[.fraction]` with an optional `T` separator and UTC offset.
 * Returns undefined for text that does not match or names an impossible date or time
 * (month 13, 30 February, 24:00:00, seconds ≥ 60). The caller reports the field.
 * @example parseCivilDateTime('2023-11-16 18:15:46.6805900')
 *   → { days: 19677, secondsOfDay: 65746.68059 }
 */
export function parseCivilDateTime(text: string): CivilDateTime | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, ys, mos, ds, hs, mis, ss, z, sign, ohs, oms] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = Number(ss);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second >= 60) return undefined;
  const out: CivilDateTime = {
    days: daysFromCivil(year, month, day),
    secondsOfDay: hour * 3600 + minute * 60 + second,
  };
  if (z) out.utcOffsetSeconds = 0;
  else if (sign) {
    const oh = Number(ohs);
    const om = Number(oms);
    if (oh > 23 || om > 59) return undefined;
    out.utcOffsetSeconds = (sign === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  return out;
}
