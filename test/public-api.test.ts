import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { ROUTER_NAMES as SCENARIO_ROUTER_NAMES } from '../src/scenario/index.js';

describe('public API', () => {
  it('estimates a scenario file end to end through the curated exports only', () => {
    const text = readFileSync('examples/llama70b-fp8-h100.yaml', 'utf8');
    const scenario = api.parseScenarioYaml(text, 'examples/llama70b-fp8-h100.yaml');
    const report = api.estimateScenario(scenario, api.defaultCatalog(), api.BUILTIN_CALIBRATION);
    expect(report).toEqual(
      api.estimateScenario(scenario, api.defaultCatalog(), api.BUILTIN_CALIBRATION),
    );
    expect(JSON.stringify(report)).toContain('llama-3.1-70b');
  });

  it('refuses an unknown catalog id with a stable error code', () => {
    try {
      api.getModel(api.defaultCatalog(), 'no-such-model');
      expect.unreachable();
    } catch (e) {
      expect(api.isAifError(e) && e.code).toBe(api.ERROR_CODES.CATALOG_UNKNOWN_ID);
    }
  });

  it('offers in scenario files exactly the routers the serving twin registers', () => {
    expect([...SCENARIO_ROUTER_NAMES].sort()).toEqual([...api.ROUTER_NAMES].sort());
  });

  it('simulates a scenario end to end through the curated exports only, reproducibly', () => {
    const text = readFileSync('examples/llama70b-fp8-h100.yaml', 'utf8');
    const scenario = api.parseScenarioYaml(text, 'examples/llama70b-fp8-h100.yaml');
    const short = { ...scenario, simulation: { durationSeconds: 60, warmupSeconds: 10 } };
    const run = () =>
      api.simulateScenario(short, api.defaultCatalog(), api.BUILTIN_CALIBRATION, {
        toolVersion: 'test',
      });
    const a = run();
    expect(a.deployments[0]!.metrics.total.numCompleted).toBeGreaterThan(0);
    expect(JSON.stringify(a)).toBe(JSON.stringify(run()));
  });
});
