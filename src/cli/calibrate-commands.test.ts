import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syntheticBenchReport } from '../app/calibrate-bench-synthetic.js';
import { benchDeployment } from '../app/calibrate-bench.js';
import { defaultCatalog } from '../catalog/catalog.js';
import { resolveCalibration } from '../perf/calibration.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parseScenarioYaml } from '../scenario/index.js';
import { runCli, type CliIo } from './program.js';

const SCENARIO = `name: Llama 3.1 8B bf16 on one H100 (bench calibration)
seed: 1
deployments:
  - name: llama8b
    model: llama-3.1-8b
    system: hgx-h100-8gpu
    precision: bf16
    parallelism: { tp: 1 }
    replicas: 1
    engine: { name: vllm, asyncScheduling: false }
workload:
  classes:
    - name: chat
      kind: request
      arrivals: { process: closed-loop, concurrency: 16 }
      inputTokens: 1000
      outputTokens: 200
      slo: { ttftP99Seconds: 10, tpotP99Seconds: 1 }
`;

/** Files from a map, then from disk; writes kept in memory and readable back. */
function io(files: Record<string, string>) {
  const written = new Map<string, string>();
  let out = '';
  let err = '';
  const cli: CliIo = {
    readFile: (path) => written.get(path) ?? files[path] ?? readFileSync(path, 'utf8'),
    writeFile: (path, text) => void written.set(path, text),
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
  };
  return { cli, written, out: () => out, err: () => err };
}

const catalog = defaultCatalog();
const scenario = parseScenarioYaml(SCENARIO, 's.yaml');
const d = benchDeployment(scenario, catalog, BUILTIN_CALIBRATION);
const start = resolveCalibration(BUILTIN_CALIBRATION, d.accelerator, d.engine, d.model);
const report = syntheticBenchReport({
  scenario,
  catalog,
  table: BUILTIN_CALIBRATION,
  params: { ...start.params, memoryEfficiency: 0.6, hostOverheadSeconds: 0.002 },
  concurrencies: [1, 4, 16, 64],
});

describe('aifactory calibrate bench', () => {
  it('writes a calibration file that estimate --calibration then uses', async () => {
    const m = io({ 's.yaml': SCENARIO, 'r.json': JSON.stringify(report) });
    expect(
      await runCli(['calibrate', 'bench', 's.yaml', 'r.json', '--out', 'cal.json'], m.cli),
    ).toBe(0);
    expect(m.out()).toContain('calibrate bench: entry h100-sxm/vllm/dense');
    expect(m.out()).toContain('wrote cal.json');
    const file = JSON.parse(m.written.get('cal.json')!);
    expect(file.kind).toBe('aifactory.calibration');
    expect(file.entries[0].params.memoryEfficiency).toBeCloseTo(0.6, 2);

    const before = io({ 's.yaml': SCENARIO });
    expect(await runCli(['estimate', 's.yaml', '--json'], before.cli)).toBe(0);
    const b = JSON.parse(before.out()).deployments[0];
    expect(await runCli(['estimate', 's.yaml', '--json', '--calibration', 'cal.json'], m.cli)).toBe(
      0,
    );
    const est = JSON.parse(m.out().slice(m.out().indexOf('{'))).deployments[0];
    expect(est.calibration.key).toBe('h100-sxm/vllm/dense');
    expect(est.calibration.source).toContain('calibration file cal.json (bench runs r.json');
    expect(b.calibration.source).not.toContain('calibration file');
    // Memory efficiency 0.6 instead of 0.96: decode is slower.
    expect(est.classes[0].latency.tpotSeconds.value).toBeGreaterThan(
      b.classes[0].latency.tpotSeconds.value * 1.2,
    );
  });

  it('refuses a report of another model with exit 2, naming the file and the field', async () => {
    const other = { ...report, target: { ...report.target, model: 'meta-llama/Llama-3.1-70B' } };
    const m = io({ 's.yaml': SCENARIO, 'r.json': JSON.stringify(other) });
    expect(await runCli(['calibrate', 'bench', 's.yaml', 'r.json', '--out', 'c.json'], m.cli)).toBe(
      2,
    );
    expect(m.err()).toContain('r.json');
    expect(m.err()).toContain('target.model');
    expect(m.written.has('c.json')).toBe(false);
  });
});

describe('aifactory calibrate probe', () => {
  it('writes an entry for the probed GPU with the measured efficiencies', async () => {
    const m = io({});
    const code = await runCli(
      ['calibrate', 'probe', 'test/fixtures/measure/gpu-probe-sample.json', '--out', 'p.json'],
      m.cli,
    );
    expect(code, m.err()).toBe(0);
    const file = JSON.parse(m.written.get('p.json')!);
    expect(file.entries[0].key).toBe('h100-sxm/vllm/dense');
    expect(file.entries[0].params.gemmComputeEfficiency).toBeCloseTo(0.673783, 6);
    expect(m.out()).toContain('measured ÷ catalog peak');
  });
});

describe('--calibration', () => {
  it('refuses an invalid calibration file with exit 2, naming field, value and expectation', async () => {
    const bad = {
      kind: 'aifactory.calibration',
      version: 1,
      provenance: { method: 'bench', files: ['r.json'], createdAt: '2025-01-01T00:00:00Z' },
      entries: [
        {
          key: 'h100-sxm/vllm/dense',
          params: { ...start.params, memoryEfficiency: 1.5 },
          source: 'x',
          fitError: { rows: 1 },
        },
      ],
    };
    const m = io({ 's.yaml': SCENARIO, 'bad.json': JSON.stringify(bad) });
    expect(await runCli(['estimate', 's.yaml', '--calibration', 'bad.json'], m.cli)).toBe(2);
    expect(m.err()).toContain('entries.0.params.memoryEfficiency');
    expect(m.err()).toContain('1.5');
    expect(m.err()).toContain('<= 1');
  });
});
