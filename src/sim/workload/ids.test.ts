import { describe, expect, it } from 'vitest';
import { IdAllocator } from './ids.js';

describe('IdAllocator', () => {
  it('hands out dense ids from 0, one counter per kind', () => {
    const ids = new IdAllocator();
    expect([ids.nextRequestId(), ids.nextRequestId(), ids.nextRequestId()]).toEqual([0, 1, 2]);
    expect([ids.nextContentId(), ids.nextSessionId(), ids.nextContentId()]).toEqual([0, 0, 1]);
    expect(ids.counts()).toEqual({ requests: 3, contents: 2, sessions: 1 });
  });

  it('keeps its counters on the instance: a second run starts from 0 again', () => {
    const first = new IdAllocator();
    first.nextRequestId();
    first.nextRequestId();
    expect(new IdAllocator().nextRequestId()).toBe(0);
  });
});
