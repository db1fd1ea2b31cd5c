import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysFromCivil, daysInMonth, parseCivilDateTime } from './civil-time.js';

describe('daysFromCivil (Hinnant)', () => {
  // Reference values from Python: (date(y, m, d) - date(1970, 1, 1)).days
  it.each([
    [1970, 1, 1, 0],
    [1969, 12, 31, -1],
    [2000, 3, 1, 11017],
    [2023, 11, 16, 19677],
    [2024, 2, 29, 19782],
    [1, 1, 1, -719162],
  ])('counts %i-%i-%i as day %i', (y, m, d, days) => {
    expect(daysFromCivil(y, m, d)).toBe(days);
  });

  it('advances by exactly one from each day to the next, across months and leap years', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1600, max: 2400 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (y, m, dRaw) => {
          const d = Math.min(dRaw, daysInMonth(y, m));
          const [ny, nm, nd] =
            d < daysInMonth(y, m) ? [y, m, d + 1] : m < 12 ? [y, m + 1, 1] : [y + 1, 1, 1];
          expect(daysFromCivil(ny, nm, nd) - daysFromCivil(y, m, d)).toBe(1);
        },
      ),
    );
  });
});

describe('parseCivilDateTime', () => {
  it('reads the Azure trace form with seven fraction digits', () => {
    expect(parseCivilDateTime('2023-11-16 18:15:46.6805900')).toEqual({
      days: 19677,
      secondsOfDay: 65746.68059,
    });
  });

  it('reads a T separator and UTC offsets (Z, ±hh:mm, ±hhmm)', () => {
    expect(parseCivilDateTime('2024-05-10T00:00:01Z')).toEqual({
      days: 19853,
      secondsOfDay: 1,
      utcOffsetSeconds: 0,
    });
    expect(parseCivilDateTime('2024-05-10 00:00:00.5+00:00')?.utcOffsetSeconds).toBe(0);
    expect(parseCivilDateTime('2024-05-10 02:00:00-0130')?.utcOffsetSeconds).toBe(-5400);
  });

  it.each([
    '2023-13-01 00:00:00',
    '2023-02-29 00:00:00',
    '2023-11-16 24:00:00',
    '2023-11-16 12:60:00',
    '2023-11-16 12:00:60',
    '2023-11-16',
    '16/11/2023 12:00:00',
    '',
  ])('refuses %j', (text) => {
    expect(parseCivilDateTime(text)).toBeUndefined();
  });
});
