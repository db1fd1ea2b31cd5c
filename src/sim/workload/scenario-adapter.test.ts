import { describe, expect, it } from 'vitest';
import { WorkloadClassSchema } from '../../scenario/schema.js';
import { arrivalSpecFromScenario, classSpecFromScenario } from './scenario-adapter.js';
import { createWorkload } from './sources.js';

describe('scenario adapter', () => {
  it('turns a validated request class into a source spec with a per-second rate', () => {
    const parsed = WorkloadClassSchema.parse({
      name: 'chat',
      kind: 'request',
      arrivals: { process: 'gamma', requestsPerSecond: 20, cv: 2 },
      inputTokens: { dist: 'lognormal', median: 1020, p90: 2734 },
      outputTokens: 129,
      cachedPrefixFraction: 0.2,
      slo: {},
    });
    expect(classSpecFromScenario(parsed)).toEqual({
      name: 'chat',
      spec: {
        kind: 'request',
        arrivals: { process: 'gamma', ratePerSecond: 20, cv: 2 },
        inputTokens: { dist: 'lognormal', median: 1020, p90: 2734 },
        outputTokens: { dist: 'fixed', value: 129 },
        cachedPrefixFraction: 0.2,
      },
    });
  });

  it('turns a validated agent-session class into a runnable source spec', () => {
    const parsed = WorkloadClassSchema.parse({
      name: 'coding-agent',
      kind: 'agent-session',
      arrivals: { process: 'poisson', sessionsPerSecond: 2 },
      session: {
        calls: { dist: 'lognormal', median: 44, p90: 145 },
        firstPromptTokens: { dist: 'lognormal', median: 25000, p90: 60000 },
        appendTokens: { dist: 'lognormal', median: 1500, p90: 8000 },
        outputTokens: { dist: 'lognormal', median: 216, p90: 879 },
        thinkSeconds: { dist: 'lognormal', median: 10, p90: 168 },
      },
      slo: { ttftP99Seconds: 5 },
    });
    const named = classSpecFromScenario(parsed);
    expect(named.spec.arrivals).toEqual({ process: 'poisson', ratePerSecond: 2 });
    const w = createWorkload([named], 42);
    const first = w.source.next()!;
    expect(first.sessionId).toBe(0);
    expect(first.arrivalSeconds).toBeGreaterThan(0);
  });

  it('passes closed-loop, diurnal and trace arrivals through unchanged', () => {
    const closed = { process: 'closed-loop', concurrency: 64 } as const;
    const trace = { process: 'trace', arrivalSeconds: [0, 1], timeScale: 2 } as const;
    expect(arrivalSpecFromScenario(closed)).toBe(closed);
    expect(arrivalSpecFromScenario(trace)).toBe(trace);
  });

  it('refuses rate-based arrivals without a rate', () => {
    expect(() => arrivalSpecFromScenario({ process: 'poisson' })).toThrow(/need a rate/);
  });
});
