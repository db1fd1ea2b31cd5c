import { describe, expect, it } from 'vitest';
import { CompensatedSum } from './compensated-sum.js';

// Reference: Neumaier (1974); the expected values are the exact real sums.
describe('CompensatedSum', () => {
  it('sums ten 0.1s to exactly 1, where plain += gives 0.9999999999999999', () => {
    const s = new CompensatedSum();
    let plain = 0;
    for (let i = 0; i < 10; i++) {
      s.add(0.1);
      plain += 0.1;
    }
    expect(plain).not.toBe(1);
    expect(s.value).toBe(1);
  });

  it('keeps a small term that a large one would swallow (1e16 + 1 − 1e16 = 1)', () => {
    expect(new CompensatedSum().add(1e16).add(1).add(-1e16).value).toBe(1);
  });

  it('adds another sum with its compensation', () => {
    const a = new CompensatedSum().add(1e16).add(1);
    const b = new CompensatedSum().add(-1e16).add(1);
    expect(a.addSum(b).value).toBe(2);
  });

  it('starts at zero', () => {
    expect(new CompensatedSum().value).toBe(0);
  });
});
