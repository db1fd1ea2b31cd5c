import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import {
  createLeastOutstandingRequestsRouter,
  createLeastOutstandingTokensRouter,
} from './least-outstanding.js';
import { fixedFleet, makeRequest } from './test-support.js';

const ctx = { nowSeconds: 0, rng: createRng(1, 'router') };

// Replica 1 has the fewest requests, replica 2 the fewest tokens.
const fleet = fixedFleet([
  { numOutstandingRequests: 5, numOutstandingTokens: 9000 },
  { numOutstandingRequests: 1, numOutstandingTokens: 20_000 },
  { numOutstandingRequests: 3, numOutstandingTokens: 4000 },
  { numOutstandingRequests: 0, numOutstandingTokens: 0, up: false },
]);

describe('least-outstanding routers', () => {
  it('least-outstanding-requests picks the up replica with the fewest requests', () => {
    expect(createLeastOutstandingRequestsRouter().route(makeRequest(0), fleet, ctx)).toBe(1);
  });

  it('least-outstanding-tokens picks the up replica with the fewest tokens', () => {
    expect(createLeastOutstandingTokensRouter().route(makeRequest(0), fleet, ctx)).toBe(2);
  });

  it('breaks ties by the lowest index', () => {
    const tied = fixedFleet([
      { numOutstandingTokens: 10, numOutstandingRequests: 2 },
      { numOutstandingTokens: 5, numOutstandingRequests: 1 },
      { numOutstandingTokens: 5, numOutstandingRequests: 1 },
    ]);
    expect(createLeastOutstandingTokensRouter().route(makeRequest(0), tied, ctx)).toBe(1);
    expect(createLeastOutstandingRequestsRouter().route(makeRequest(0), tied, ctx)).toBe(1);
  });

  it('sends every request to the same replica while the loads it reads do not change (herding)', () => {
    const router = createLeastOutstandingTokensRouter();
    const frozen = fixedFleet([
      { numOutstandingTokens: 3 },
      { numOutstandingTokens: 1 },
      {
        numOutstandingTokens: 2,
      },
    ]);
    const choices = Array.from({ length: 10 }, (_, id) =>
      router.route(makeRequest(id), frozen, ctx),
    );
    expect(choices).toEqual(new Array<number>(10).fill(1));
  });
});
