import { describe, expect, it } from 'vitest';
import { fmtNum, fmtPercent, fmtSeconds, fmtSi, fmtUsd, fmtValue, fmtWatts } from './format.js';

describe('number formatting', () => {
  it('groups large numbers and keeps three significant digits below 1000', () => {
    expect(fmtNum(2151.7166)).toBe('2,152');
    expect(fmtNum(372775)).toBe('372,775');
    expect(fmtNum(0.3438443)).toBe('0.344');
    expect(fmtNum(12.345)).toBe('12.3');
    expect(fmtNum(0)).toBe('0');
    expect(fmtNum(null)).toBe('—');
    expect(fmtNum(Number.NaN)).toBe('—');
  });

  it('uses SI prefixes and unit-aware forms', () => {
    expect(fmtSi(1234)).toBe('1.23k');
    expect(fmtSi(3.8e12)).toBe('3.8T');
    expect(fmtSeconds(0.1378)).toBe('138 ms');
    expect(fmtSeconds(0.00042)).toBe('420 µs');
    expect(fmtSeconds(7.64)).toBe('7.64 s');
    expect(fmtPercent(0.539)).toBe('53.9%');
    expect(fmtWatts(4196.9)).toBe('4.2 kW');
    expect(fmtWatts(66.5e6)).toBe('66.5 MW');
    expect(fmtUsd(14.906)).toBe('$14.91');
    expect(fmtUsd(0.0364)).toBe('$0.0364');
    expect(fmtUsd(13_783_728)).toBe('$13.8M');
  });

  it('formats a metric by its unit', () => {
    expect(fmtValue(0.544255, 's')).toBe('544 ms');
    expect(fmtValue(0.9997, 'fraction')).toBe('100.0%');
    expect(fmtValue(3666.46, 'tok/s')).toBe('3,666 tok/s');
    expect(fmtValue(5.14e11, 'FLOP/s per W')).toBe('514G FLOP/s per W');
    expect(fmtValue(1.4567, 'USD/1M tokens')).toBe('$1.46 / 1M tokens');
  });
});
