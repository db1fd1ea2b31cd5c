import { describe, expect, it } from 'vitest';
import type { SimRequest, WorkloadSource } from '../types.js';
import { driveAtZeroLoad } from './zero-load-driver.js';

const request = (id: number, t: number): SimRequest => ({
  id,
  classIndex: 0,
  arrivalSeconds: t,
  promptTokens: 1,
  outputTokens: 1,
  segments: [{ contentId: id, tokens: 1 }],
  priority: 0,
});

/** Open-loop arrivals at the given times; each completion releases one request `delay` later. */
function chain(times: number[], delaySeconds: number, maxReleases: number): WorkloadSource {
  let i = 0;
  let nextId = 100;
  let released = 0;
  return {
    peekSeconds: () => times[i],
    next: () => (i < times.length ? request(i, times[i++]!) : undefined),
    onComplete: (_r, now) =>
      released++ < maxReleases
        ? [{ atSeconds: now + delaySeconds, request: request(nextId++, now + delaySeconds) }]
        : [],
  };
}

describe('driveAtZeroLoad', () => {
  it('delivers open-loop and released requests in time order and completes each once', () => {
    const arrivals: [number, number][] = [];
    const result = driveAtZeroLoad(chain([0, 10], 3, 2), {
      serviceSeconds: () => 1,
      onArrival: (r) => arrivals.push([r.id, r.arrivalSeconds]),
    });
    expect(arrivals).toEqual([
      [0, 0],
      [100, 4],
      [101, 8],
      [1, 10],
    ]);
    expect(result).toEqual({ numArrived: 4, numCompleted: 4, numDropped: 0, endSeconds: 11 });
  });

  it('stops at the time or request limit', () => {
    expect(
      driveAtZeroLoad(chain([0, 10], 3, 99), { untilSeconds: 9 }).endSeconds,
    ).toBeLessThanOrEqual(9);
    expect(driveAtZeroLoad(chain([0, 10], 3, 99), { maxRequests: 3 }).numArrived).toBe(3);
  });

  it('rejects a source that releases a request in the past', () => {
    expect(() => driveAtZeroLoad(chain([5], -1, 1), { serviceSeconds: () => 1 })).toThrow(
      /released at 5 .* by a completion at 6/,
    );
  });
});
