import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import { createPowerOfTwoRouter } from './power-of-two.js';
import { createRandomRouter } from './random.js';
import { fixedFleet, makeRequest, TrackingFleet } from './test-support.js';
import type { Router } from '../types.js';

describe('power-of-two-choices router', () => {
  it('takes the lighter of its two uniform draws', () => {
    const tokens = [50, 10, 40, 20, 30, 0, 60, 70];
    const fleet = fixedFleet(tokens.map((t) => ({ numOutstandingTokens: t })));
    const router = createPowerOfTwoRouter();
    const rng = createRng(9, 'router');
    const replay = createRng(9, 'router'); // same stream: every draw is accepted (all up)
    for (let id = 0; id < 200; id++) {
      const a = replay.nextInt(8);
      const b = replay.nextInt(8);
      const lighter = tokens[b]! < tokens[a]! || (tokens[b] === tokens[a] && b < a) ? b : a;
      expect(router.route(makeRequest(id), fleet, { nowSeconds: 0, rng })).toBe(lighter);
    }
  });

  it('keeps the maximum load well below one random choice (Mitzenmacher 2001)', () => {
    // n balls into n bins: one choice gives a maximum near ln n / ln ln n (6–8 for n = 10,000
    // over seeds 0–9 here), two choices ln ln n / ln 2 + O(1) (3–4 here).
    const numReplicas = 10_000;
    const maxLoad = (router: Router) => {
      const fleet = new TrackingFleet(numReplicas);
      const rng = createRng(17, 'router');
      for (let id = 0; id < numReplicas; id++) {
        const request = makeRequest(id);
        fleet.assign(router.route(request, fleet, { nowSeconds: 0, rng }), request);
      }
      let max = 0;
      for (let i = 0; i < numReplicas; i++)
        max = Math.max(max, fleet.load(i).numOutstandingRequests);
      return max;
    };
    const twoChoices = maxLoad(createPowerOfTwoRouter());
    const oneChoice = maxLoad(createRandomRouter());
    expect(twoChoices).toBeLessThanOrEqual(4);
    expect(oneChoice).toBeGreaterThanOrEqual(6);
  });
});
