import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { simulateScenario } from '../app/simulate.js';
import { defaultCatalog } from '../catalog/catalog.js';
import type { Basis } from '../core/basis.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { fleetBasis, incomparableReason, summarizeBases } from './basis.js';
import { basisOf } from './metrics.js';
import { prepareSweep } from './points.js';
import { runSweep, type EvaluatePoints, type SweepResult } from './run.js';
import { parseSweepSpecYaml } from './spec.js';

const B: Basis = {
  model: 'llama-3.1-70b',
  precision: 'fp8',
  workload: 'chat',
  slo: { ttftP99Seconds: 0.45 },
  utilization: 'busy 50%',
  boundary: 'facility',
  currencyYear: 'USD-2026',
  provenance: 'modeled',
  source: 's',
};

describe('bases over sweep points', () => {
  it('states what every point shares and names every field that varies', () => {
    const s = summarizeBases([
      B,
      { ...B, precision: 'bf16' },
      { ...B, utilization: 'busy 80%', slo: { ttftP99Seconds: 1 } },
    ]);
    expect(s).toEqual({
      points: 3,
      common: {
        model: 'llama-3.1-70b',
        workload: 'chat',
        boundary: 'facility',
        currencyYear: 'USD-2026',
        provenance: 'modeled',
        source: 's',
      },
      varies: ['precision', 'slo.ttftP99Seconds', 'utilization'],
      incomparable: [],
    });
    expect(summarizeBases([B, B]).varies).toEqual([]);
    expect(summarizeBases([])).toEqual({ points: 0, common: {}, varies: [], incomparable: [] });
  });

  it('refuses to rank values at different currency-years or boundaries, naming the values', () => {
    const bases = [B, { ...B, currencyYear: 'USD-2024', boundary: 'chip' as const }];
    expect(summarizeBases(bases).incomparable).toEqual(['boundary', 'currencyYear']);
    expect(incomparableReason('usdPerHour', bases)).toBe(
      'usdPerHour values are not comparable: their bases differ in boundary (chip vs facility), currencyYear (USD-2024 vs USD-2026)',
    );
    expect(incomparableReason('usdPerHour', [B, { ...B, precision: 'bf16' }])).toBeUndefined();
  });

  it('combines deployments: shared fields kept, differing text listed per deployment', () => {
    expect(fleetBasis([{ name: 'a', basis: B }])).toBe(B);
    const f = fleetBasis([
      { name: 'a', basis: B },
      { name: 'b', basis: { ...B, model: 'llama-3.1-8b', slo: { ttftP99Seconds: 1 } } },
    ]);
    expect(f).toEqual({ ...B, model: 'a: llama-3.1-70b; b: llama-3.1-8b', slo: 'none' });
    expect(() =>
      fleetBasis([
        { name: 'a', basis: B },
        { name: 'b', basis: { ...B, currencyYear: 'USD-2024' } },
      ]),
    ).toThrow(/differ in currencyYear/);
  });
});

// --- Real sweeps: 2 points each, 10 simulated seconds a point. ---

const catalog = defaultCatalog();
const BASE = {
  ...(parseYaml(readFileSync('examples/chat-fleet-h100.yaml', 'utf8')) as Record<string, unknown>),
  simulation: { durationSeconds: 10, warmupSeconds: 2 },
};
const inThread: EvaluatePoints = async (ps) =>
  ps.map((p) => ({
    resultJson: JSON.stringify(
      simulateScenario(p.scenario, catalog, BUILTIN_CALIBRATION, { toolVersion: 't' }),
    ),
  }));
const sweep = (axis: string): Promise<SweepResult> =>
  runSweep(
    prepareSweep(
      parseSweepSpecYaml(
        `name: s
baseFile: b.yaml
seed: 3
axes: [${axis}]
strategy: { kind: grid }
objective: { maximize: goodputTokensPerUsd }
`,
        's.yaml',
      ),
      BASE,
      { engineVersion: 'e', catalog },
    ),
    inThread,
    { catalog },
  );

describe('a sweep’s basis', () => {
  it('reports the precision as varying when an axis changes it, and what the points share', async () => {
    const r = await sweep('{ path: deployments.0.precision, values: [fp8, bf16] }');
    expect(r.points).toHaveLength(2);
    for (const id of ['goodputTokensPerSecond', 'ttftP99Seconds', 'usdPerHour']) {
      const b = r.basis[id]!;
      expect(b.points, id).toBe(2);
      expect(b.varies, id).toContain('precision');
      expect(b.common.precision, id).toBeUndefined();
      expect(b.common.model).toBe('llama-3.1-70b');
      expect(b.common.workload).toBe('chat');
      expect(b.common.provenance).toBe('modeled');
      expect(b.incomparable).toEqual([]);
    }
    expect(r.basis.usdPerHour!.common.currencyYear).toBe('USD-2026');
    expect(r.basis.usdPerHour!.common.boundary).toBe('facility');
    expect(r.basis.goodputTokensPerSecond!.common.currencyYear).toBe('n/a');
    // The summary is the points' own bases.
    const precisions = r.points.map((p) => basisOf(p.metrics, 'goodputTokensPerSecond')!.precision);
    expect(precisions.sort()).toEqual(['bf16', 'fp8']);
    expect(r.chosen).not.toBeNull();
    expect(r.pareto.refused).toBeUndefined();
    // Deterministic JSON: the same sweep gives the same bytes.
    expect(
      JSON.stringify(await sweep('{ path: deployments.0.precision, values: [fp8, bf16] }')),
    ).toBe(JSON.stringify(r));
  }, 60_000);

  it('refuses to choose or form a Pareto set across currency-years', async () => {
    const r = await sweep('{ path: economics.currencyYear, values: [USD-2025, USD-2026] }');
    expect(r.basis.usdPerHour!.varies).toContain('currencyYear');
    expect(r.basis.usdPerHour!.incomparable).toEqual(['currencyYear']);
    expect(r.basis.goodputTokensPerSecond!.incomparable).toEqual([]);
    expect(r.counts.feasible).toBe(2);
    expect(r.chosen).toBeNull();
    expect(r.chosenReason).toBe(
      "refused: the feasible points' goodputTokensPerUsd values are not comparable: their bases differ in currencyYear (USD-2025 vs USD-2026)",
    );
    expect(r.pareto.keys).toEqual([]);
    expect(r.pareto.refused).toContain('costUsdPerMillionOutputTokens values are not comparable');
  }, 60_000);
});
