import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { AifError, ERROR_CODES } from '../core/errors.js';
import type { Deployment, EngineSettings, ParallelPlan } from '../perf/types.js';
import { parseScenarioObject, parseScenarioYaml } from './parse.js';
import {
  resolveScenario,
  type ResolvedDeploymentSpec,
  type ResolvedEngineSettings,
  type ResolvedParallelPlan,
  type ResolvedScenario,
} from './resolve.js';
import type { ScenarioInput } from './schema.js';
import { testCatalog } from './test-fixtures.js';

type DeploymentInput = ScenarioInput['deployments'][number];

const scenario = (...deployments: Partial<DeploymentInput>[]): ScenarioInput => ({
  name: 'test',
  seed: 1,
  deployments: deployments.map((d, i) => ({
    name: `d${i}`,
    model: 'test-dense',
    system: 'test-node-8',
    precision: 'fp8',
    parallelism: { tp: 4 },
    replicas: 1,
    engine: { name: 'vllm' },
    ...d,
  })) as ScenarioInput['deployments'],
  workload: {
    classes: [
      {
        name: 'chat',
        kind: 'request',
        arrivals: { process: 'closed-loop', concurrency: 8 },
        inputTokens: 1000,
        outputTokens: 100,
        slo: {},
      },
    ],
  },
});

const resolve = (...deployments: Partial<DeploymentInput>[]): ResolvedScenario =>
  resolveScenario(parseScenarioObject(scenario(...deployments), 'test'), testCatalog());

function resolveError(...deployments: Partial<DeploymentInput>[]): AifError {
  try {
    resolve(...deployments);
  } catch (e) {
    if (e instanceof AifError) return e;
    throw e;
  }
  throw new Error('expected resolveScenario to throw');
}

const first = (r: ResolvedScenario) => {
  const d = r.deployments[0];
  if (!d) throw new Error('no deployment resolved');
  return d;
};

describe('resolveScenario', () => {
  it('turns catalog ids into the model, system and its accelerator', () => {
    const d = first(resolve({}));
    expect([d.deployment.model.id, d.deployment.system.id, d.deployment.accelerator.id]).toEqual([
      'test-dense',
      'test-node-8',
      'test-big',
    ]);
  });

  it('reports an unknown model id as E_CATALOG_UNKNOWN_ID at deployments.0.model', () => {
    const e = resolveError({ model: 'test-dense-70b' });
    expect(e.code).toBe(ERROR_CODES.CATALOG_UNKNOWN_ID);
    expect(e.issues).toEqual([
      {
        path: 'deployments.0.model',
        message: "unknown model 'test-dense-70b' (did you mean 'test-dense'?)",
        value: 'test-dense-70b',
        expected: 'one of: test-dense, test-moe',
      },
    ]);
  });

  it('reports unknown ids of every deployment at once', () => {
    const e = resolveError({ system: 'nope' }, { model: 'nope' });
    expect(e.issues.map((i) => i.path)).toEqual(['deployments.0.system', 'deployments.1.model']);
  });

  it('lists every default it applies, with a source, and nothing the scenario states', () => {
    const r = resolve({
      engine: { name: 'vllm', maxNumSeqs: 64, blockSize: 32 },
      parallelism: { tp: 4, pp: 1 },
    });
    expect(r.defaultsApplied.map((d) => d.path)).toEqual([
      'deployments.0.parallelism.ep',
      'deployments.0.parallelism.attnDp',
      'deployments.0.engine.maxNumBatchedTokens',
      'deployments.0.engine.gpuMemoryUtilization',
      'deployments.0.engine.chunkedPrefill',
      'deployments.0.engine.prefixCaching',
      'deployments.0.engine.asyncScheduling',
    ]);
    expect(r.defaultsApplied.every((d) => d.source.length > 10)).toBe(true);
  });

  it('keeps stated engine settings and fills the rest from the engine table', () => {
    const e = first(resolve({ engine: { name: 'vllm', maxNumSeqs: 64, blockSize: 32 } })).deployment
      .engine;
    expect(e).toEqual({
      name: 'vllm',
      maxNumSeqs: 64,
      maxNumBatchedTokens: 8192,
      blockSizeTokens: 32,
      gpuMemoryUtilization: 0.92,
      chunkedPrefill: true,
      prefixCaching: true,
      asyncScheduling: true,
      gpuMemoryUtilizationOf: 'total',
      kvAdmission: 'prompt',
    });
  });

  it('resolves a precision preset through the catalog presets and labels it', () => {
    const d = first(resolve({ precision: 'fp8' })).deployment;
    expect(d.precisionLabel).toBe('fp8');
    expect(d.precision.activations).toBe('fp8');
  });

  it('applies per-group overrides on top of a preset and says so in the label', () => {
    const d = first(resolve({ precision: { preset: 'fp8', kvCache: 'bf16' } })).deployment;
    expect(d.precision.kvCache).toBe('bf16');
    expect(d.precision.attention).toBe('fp8');
    expect(d.precisionLabel).toBe('fp8 (kvCache=bf16)');
  });

  it('reports an unknown preset as E_PRECISION_UNSUPPORTED at the precision field', () => {
    const e = resolveError({ precision: 'fp6' });
    expect(e.code).toBe(ERROR_CODES.PRECISION_UNSUPPORTED);
    expect(e.issues[0]).toMatchObject({ path: 'deployments.0.precision', value: 'fp6' });
  });

  it('refuses activations in a format the accelerator has no rate for', () => {
    const e = resolveError({
      system: 'test-small-node-8',
      precision: { preset: 'bf16', activations: 'fp8' },
    });
    expect(e.code).toBe(ERROR_CODES.PRECISION_UNSUPPORTED);
    expect(e.issues[0]?.path).toBe('deployments.0.precision.activations');
  });

  it('refuses tp beyond the scale-up domain of the system', () => {
    const e = resolveError({ parallelism: { tp: 16 } });
    expect(e.code).toBe(ERROR_CODES.SCENARIO_INVALID);
    expect(e.issues[0]).toMatchObject({ path: 'deployments.0.parallelism.tp', expected: 'tp ≤ 8' });
  });

  it('refuses tp that does not divide the attention heads', () => {
    const e = resolveError({ parallelism: { tp: 3 } });
    expect(e.issues.map((i) => i.expected)).toContain('a divisor of 64');
  });

  it('refuses expert parallelism on a dense model', () => {
    const e = resolveError({ parallelism: { tp: 4, ep: 4 } });
    expect(e.issues).toEqual([
      expect.objectContaining({ path: 'deployments.0.parallelism.ep', value: 4 }),
    ]);
  });

  it('accepts expert and attention-DP parallelism on an MoE model', () => {
    const d = first(
      resolve({
        model: 'test-moe',
        system: 'test-rack-72',
        precision: 'nvfp4',
        parallelism: { tp: 1, ep: 8, attnDp: 8 },
      }),
    );
    expect(d.deployment.parallel).toEqual({ tp: 1, pp: 1, ep: 8, attnDp: 8 });
  });

  it('refuses replicas whose GPUs do not divide the accelerators of a system', () => {
    const e = resolveError({
      model: 'test-moe',
      system: 'test-rack-72',
      parallelism: { tp: 1, ep: 5, attnDp: 5 },
    });
    expect(e.issues).toEqual([expect.objectContaining({ path: 'deployments.0.parallelism' })]);
  });

  it('derives replicas from systems for a stated plan', () => {
    const d = first(resolve({ replicas: undefined, systems: 3, parallelism: { tp: 4 } }));
    expect([d.replicas, d.systems]).toEqual([6, 3]);
  });

  it("leaves replicas 'auto' when sized by systems with parallelism auto", () => {
    const d = first(resolve({ replicas: undefined, systems: 1, parallelism: 'auto' }));
    expect(d.replicas).toBe('auto');
    expect(d.deployment.parallel).toBe('auto');
  });

  it('refuses a system count that cannot hold whole multi-system replicas', () => {
    const e = resolveError({ replicas: undefined, systems: 3, parallelism: { tp: 8, pp: 2 } });
    expect(e.issues).toEqual([
      expect.objectContaining({
        path: 'deployments.0.systems',
        expected: 'a multiple of 2 systems',
      }),
    ]);
  });

  it('resolves speculative decoding to the catalog assumption, by short drafter name', () => {
    const d = first(
      resolve({
        model: 'test-moe',
        system: 'test-rack-72',
        parallelism: { tp: 8 },
        speculative: { drafter: 'eagle3', draftTokens: 3 },
      }),
    );
    expect(d.deployment.speculative?.meanAcceptanceLength).toBe(2.4);
  });

  it('lists the drafters the catalog has for the model when the drafter is unknown', () => {
    const e = resolveError({
      model: 'test-moe',
      system: 'test-rack-72',
      parallelism: { tp: 8 },
      speculative: { drafter: 'medusa', draftTokens: 3 },
    });
    expect(e.code).toBe(ERROR_CODES.CATALOG_UNKNOWN_ID);
    expect(e.issues[0]).toMatchObject({
      path: 'deployments.0.speculative.drafter',
      expected: 'one of: eagle3 (org/test-drafter), mtp',
    });
  });

  it('resolves the two examples against the built-in catalog', () => {
    const catalog = defaultCatalog();
    for (const file of ['examples/llama70b-fp8-h100.yaml', 'examples/deepseek-r1-fp4-gb200.yaml']) {
      const r = resolveScenario(parseScenarioYaml(readFileSync(file, 'utf8'), file), catalog);
      expect(r.deployments).toHaveLength(1);
      expect(r.defaultsApplied.length).toBeGreaterThan(0);
    }
  });

  it('produces deployments with the shape of the perf layer types', () => {
    expectTypeOf<ResolvedParallelPlan>().toEqualTypeOf<ParallelPlan>();
    expectTypeOf<ResolvedEngineSettings>().toExtend<EngineSettings>();
    expectTypeOf<
      ResolvedDeploymentSpec & { parallel: ResolvedParallelPlan }
    >().toExtend<Deployment>();
  });
});
