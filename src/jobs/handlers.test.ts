import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { engineVersion } from '../app/engine-version.js';
import { defaultCatalog } from '../catalog/catalog.js';
import { AifError, ERROR_CODES } from '../core/errors.js';
import { DEFAULT_CALIBRATION } from '../perf/calibration.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import type { CalibrationFile } from '../perf/calibration-file.js';
import { TINY_SIM_FIXTURE } from './executor-conformance.js';
import {
  engineVersionFor,
  handlerFor,
  JOB_HANDLERS,
  monotoneProgress,
  runJobToJson,
} from './handlers.js';
import { deserialiseJobError, serialiseJobError, throttleProgress } from './support.js';
import type { JobProgress, JobSpec } from './types.js';

const tinyScenario = (): Record<string, unknown> =>
  parseYaml(readFileSync(TINY_SIM_FIXTURE, 'utf8')) as Record<string, unknown>;

const run = (job: JobSpec): string => runJobToJson(job, { reportProgress: () => {} });

function errorOf(f: () => unknown): AifError {
  try {
    f();
  } catch (e) {
    if (e instanceof AifError) return e;
    throw e;
  }
  throw new Error('expected an AifError');
}

/** A calibration file (as `calibrate bench` writes it) with a lower memory efficiency for H100/vLLM. */
const calibrationFileJson = JSON.stringify({
  kind: 'aifactory.calibration',
  version: 1,
  provenance: { method: 'bench', files: ['run.json'], createdAt: '2025-01-01T00:00:00Z' },
  entries: [
    {
      key: 'h100-sxm/vllm/dense',
      params: { ...DEFAULT_CALIBRATION.params, memoryEfficiency: 0.6 },
      source: 'fit on 4 bench stages',
      fitError: { rows: 4, ttftMapePct: 1, tpotMapePct: 2 },
    },
  ],
} satisfies CalibrationFile);

/** An A100 node, as a user's catalog extension adds it (catalog/catalog-extension.ts). */
const a100Extension = {
  accelerators: [
    {
      id: 'a100-sxm',
      name: 'NVIDIA A100 SXM4 80GB',
      vendor: 'nvidia',
      productLine: 'A100',
      generation: 'ampere',
      formFactor: 'sxm',
      memoryGb: 80,
      memoryBandwidthTbPerSecond: 2.039,
      peakTflops: { bf16: 312 },
      tdpWatts: 400,
      idleWatts: 50,
      scaleUpGbPerSecond: 300,
      scaleUpDomainSize: 8,
      hostLinkGbPerSecond: 32,
      source: 'NVIDIA A100 datasheet https://www.nvidia.com/en-us/data-center/a100/',
    },
  ],
  systems: [
    {
      id: 'hgx-a100-8gpu',
      name: 'NVIDIA HGX A100 8-GPU',
      acceleratorId: 'a100-sxm',
      acceleratorCount: 8,
      scaleUpDomainSize: 8,
      hostPowerWatts: 3300,
      networkPowerWatts: 900,
      hostIdlePowerWatts: 450,
      priceUsd: 200_000,
      source: 'NVIDIA DGX A100 datasheet (6.5 kW max)',
    },
  ],
};

describe('job registry', () => {
  it('files every handler under its own kind', () => {
    for (const [kind, handler] of Object.entries(JOB_HANDLERS)) expect(handler.kind).toBe(kind);
    expect(Object.keys(JOB_HANDLERS).sort()).toEqual(['estimate', 'simulate']);
  });

  it('refuses unknown kinds, including names every object inherits', () => {
    for (const kind of ['simulation', 'toString', '__proto__']) {
      const e = errorOf(() => handlerFor(kind));
      expect(e.code).toBe(ERROR_CODES.INVALID_ARGUMENT);
      expect(e.issues[0]).toMatchObject({ path: 'kind', value: kind });
    }
  });
});

describe('scenario job payloads', () => {
  it('names an unknown payload field and a scenario that is not an object', () => {
    const extra = errorOf(() =>
      run({ kind: 'estimate', payload: { scenario: tinyScenario(), seeds: 3 } }),
    );
    expect(extra.code).toBe(ERROR_CODES.INVALID_ARGUMENT);
    expect(extra.issues.map((i) => i.path)).toEqual(['seeds']);
    const notObject = errorOf(() => run({ kind: 'estimate', payload: { scenario: 'a.yaml' } }));
    expect(notObject.issues.map((i) => i.path)).toEqual(['scenario']);
  });

  it('applies the seed override, and without it keeps the scenario’s seed', () => {
    const seedOf = (payload: object): number =>
      (JSON.parse(run({ kind: 'simulate', payload })) as { scenario: { seed: number } }).scenario
        .seed;
    expect(seedOf({ scenario: tinyScenario() })).toBe(tinyScenario().seed);
    expect(seedOf({ scenario: tinyScenario(), seed: 123 })).toBe(123);
  });

  it('layers calibration files over the built-in table, as --calibration does', () => {
    const scenario = tinyScenario();
    const base = run({ kind: 'estimate', payload: { scenario } });
    const calibrated = run({
      kind: 'estimate',
      payload: { scenario, calibrationFilesJson: [calibrationFileJson] },
    });
    expect(calibrated).not.toBe(base);
    expect(calibrated).toContain('calibration file calibrationFilesJson.0');
  });

  it('names the calibration file of a malformed one', () => {
    const e = errorOf(() =>
      run({
        kind: 'estimate',
        payload: { scenario: tinyScenario(), calibrationFilesJson: [calibrationFileJson, '{'] },
      }),
    );
    expect(e.code).toBe(ERROR_CODES.INPUT_FORMAT);
    expect(e.issues[0]).toMatchObject({ path: '(root)', file: 'calibrationFilesJson.1' });
  });

  it('extends the catalog with catalogExtension, so a scenario may name its entries', () => {
    const scenario = tinyScenario();
    const [deployment] = scenario.deployments as Record<string, unknown>[];
    Object.assign(deployment!, { system: 'hgx-a100-8gpu', precision: 'bf16' });
    const report = JSON.parse(
      run({ kind: 'estimate', payload: { scenario, catalogExtension: a100Extension } }),
    ) as { deployments: { accelerator: string }[] };
    expect(report.deployments[0]!.accelerator).toBe('a100-sxm');
    const without = errorOf(() => run({ kind: 'estimate', payload: { scenario } }));
    expect(without.code).toBe(ERROR_CODES.CATALOG_UNKNOWN_ID);
  });

  it('names the payload field of an invalid catalog extension', () => {
    const bad = { accelerators: [{ ...a100Extension.accelerators[0], memoryGb: -1 }] };
    const e = errorOf(() =>
      run({ kind: 'simulate', payload: { scenario: tinyScenario(), catalogExtension: bad } }),
    );
    expect(e.code).toBe(ERROR_CODES.CATALOG_INVALID);
    expect(e.issues[0]).toMatchObject({
      path: 'accelerators.0.memoryGb',
      file: 'catalogExtension',
    });
  });
});

describe('engineVersionFor', () => {
  it('is the engine version of the catalog and calibration the payload names', () => {
    const plain = engineVersionFor({ scenario: tinyScenario() });
    expect(plain).toBe(engineVersion(defaultCatalog(), BUILTIN_CALIBRATION));
    const calibrated = engineVersionFor({ calibrationFilesJson: [calibrationFileJson] });
    const extended = engineVersionFor({ catalogExtension: a100Extension });
    expect(new Set([plain, calibrated, extended]).size).toBe(3);
    // Read from its cache by engine inputs only: another scenario, the same engine.
    expect(engineVersionFor({ scenario: { other: true }, seed: 9 })).toBe(plain);
    expect(engineVersionFor({ catalogExtension: a100Extension, seed: 2 })).toBe(extended);
  });
});

describe('progress', () => {
  it('is clamped to [0, 1] and never decreases', () => {
    const seen: JobProgress[] = [];
    const report = monotoneProgress((p) => seen.push(p));
    for (const f of [-0.5, 0.3, 0.2, Number.NaN, 0.7, 1.4]) report(f);
    expect(seen.map((p) => p.fraction)).toEqual([0, 0.3, 0.3, 0.3, 0.7, 1]);
  });

  it('is throttled to the rate given, always passing the first event and completion', () => {
    let nowMs = 0;
    const seen: number[] = [];
    const post = throttleProgress(
      (p) => seen.push(p.fraction),
      () => nowMs,
      10,
    );
    for (const [t, f] of [
      [0, 0],
      [50, 0.1],
      [99, 0.2],
      [100, 0.3],
      [150, 0.4],
      [160, 1],
    ] as const) {
      nowMs = t;
      post({ fraction: f });
    }
    expect(seen).toEqual([0, 0.3, 1]);
  });
});

describe('job errors across a boundary', () => {
  it('rebuild an AifError with code and issues after structured cloning or JSON', () => {
    const original = new AifError(ERROR_CODES.SCENARIO_INVALID, 'bad', [
      { path: 'a.0', message: 'm', value: { x: 1 }, expected: 'e', line: 3 },
    ]);
    for (const carried of [
      structuredClone(serialiseJobError(original)),
      JSON.parse(JSON.stringify(serialiseJobError(original))) as ReturnType<
        typeof serialiseJobError
      >,
    ]) {
      const back = deserialiseJobError(carried);
      expect(back).toBeInstanceOf(AifError);
      expect((back as AifError).toJSON()).toEqual(original.toJSON());
    }
  });

  it('keep the message and name of other errors', () => {
    const back = deserialiseJobError(structuredClone(serialiseJobError(new RangeError('too far'))));
    expect(back).not.toBeInstanceOf(AifError);
    expect([back.name, back.message]).toEqual(['RangeError', 'too far']);
    expect(deserialiseJobError(serialiseJobError('plain')).message).toBe('plain');
  });
});
