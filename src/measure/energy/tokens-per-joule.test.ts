import { describe, expect, it } from 'vitest';
import type { EnergyOutcome } from './energy-refusal.js';
import { tokensPerJoule, type TokensPerJouleBasisInput } from './tokens-per-joule.js';
import type { WindowEnergy } from './window-energy.js';

const basis: TokensPerJouleBasisInput = {
  model: 'llama-3.1-8b',
  precision: 'bf16',
  workload: 'isl=1024 osl=256 concurrency=32',
  slo: 'none',
  utilization: 'concurrency 32',
  currencyYear: 'n/a',
  source: 'bench run 2024-05-01',
};

const energy = (over: Partial<WindowEnergy> = {}): EnergyOutcome<WindowEnergy> => ({
  ok: true,
  value: {
    scope: 'chip',
    source: 'nvidia-smi',
    fields: ['power.draw'],
    method: 'power-trapezoid',
    deviceIds: ['0', '1'],
    window: { startSeconds: 13, endSeconds: 27, durationSeconds: 14 },
    energyJoules: 5320,
    meanPowerWatts: 380,
    minWindowSeconds: 10,
    minWindowRule: 'window ≥ 10 × max(period, gap)',
    perDevice: [],
    ...over,
  },
});

describe('tokensPerJoule', () => {
  it('divides output tokens by chip energy and labels the basis chip / measured / drawn', () => {
    const r = tokensPerJoule({ outputTokens: 6720, energy: energy(), basis });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.value).toBeCloseTo(6720 / 5320, 12);
    expect(r.value.unit).toBe('tok/J');
    expect(r.value.basis).toMatchObject({
      boundary: 'chip',
      provenance: 'measured',
      powerKind: 'drawn',
    });
    expect(r.value.basis.source).toContain('nvidia-smi power.draw (power-trapezoid), devices 0,1');
  });

  it('uses energy above idle when asked (6720 tok / 3360 J = 2 tok/J)', () => {
    const r = tokensPerJoule({
      outputTokens: 6720,
      energy: energy({ idleEnergyJoules: 1960, energyAboveIdleJoules: 3360 }),
      basis,
      energyBasis: 'above-idle',
    });
    expect(r.ok && r.value).toMatchObject({ name: 'tokens per joule above idle', value: 2 });
  });

  it('refuses above-idle without an idle baseline', () => {
    const r = tokensPerJoule({
      outputTokens: 10,
      energy: energy(),
      basis,
      energyBasis: 'above-idle',
    });
    expect(r).toMatchObject({ ok: false, refusal: { code: 'idle-unavailable' } });
  });

  it('passes a refused energy through as the refusal', () => {
    const refused: EnergyOutcome<WindowEnergy> = {
      ok: false,
      refusal: {
        code: 'window-too-short',
        reason: 'window of 4 s is shorter than 10 s',
        details: {},
      },
    };
    expect(tokensPerJoule({ outputTokens: 10, energy: refused, basis })).toBe(refused);
  });

  it('rejects a negative token count', () => {
    expect(() => tokensPerJoule({ outputTokens: -1, energy: energy(), basis })).toThrow(
      /tokensPerJoule/,
    );
  });
});
