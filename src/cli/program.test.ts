import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, TOOL_VERSION } from './program.js';
import { memoryIo } from './test-support.js';

/** Like `memoryIo`, but files not in the map are read from disk (writes stay in memory). */
function diskIo(files: Record<string, string> = {}) {
  const m = memoryIo(files);
  m.io.readFile = (path) => files[path] ?? readFileSync(path, 'utf8');
  return m;
}

const LLAMA = 'examples/llama70b-fp8-h100.yaml';
const DEEPSEEK = 'examples/deepseek-r1-fp4-gb200.yaml';
const examples = {
  [LLAMA]: readFileSync(LLAMA, 'utf8'),
  [DEEPSEEK]: readFileSync(DEEPSEEK, 'utf8'),
};

describe('aifactory estimate', () => {
  it.each([LLAMA, DEEPSEEK])('prints the key sections for %s', async (file) => {
    const m = memoryIo(examples);
    expect(await runCli(['estimate', file], m.io)).toBe(0);
    const out = m.out();
    for (const section of [
      'Deployment ',
      'plan ',
      'Memory per GPU',
      'max KV tokens per replica',
      'Throughput',
      'output tok/s per GPU',
      'Latency (steady-state means)',
      'TPOT',
      'Utilization',
      'MFU',
      'KV-cache occupancy',
      'Power and energy',
      'tokens/J at chip',
      'Throughput–interactivity frontier',
      'Defaults applied',
      'Assumptions',
    ])
      expect(out, section).toContain(section);
    // Every figure line carries its key basis.
    expect(out).toMatch(
      /output tok\/s per GPU +[\d,.]+ tok\/s +\(modeled; [^;]+; [^)]*conc [\d.]+\/replica; calib [^)]+\)/,
    );
    expect(m.err()).toBe('');
  });

  it('prints the facility boundary only with a PUE', async () => {
    const m = memoryIo(examples);
    await runCli(['estimate', LLAMA], m.io);
    expect(m.out()).toContain('tok/s per MW provisioned');
    const n = memoryIo(examples);
    await runCli(['estimate', DEEPSEEK], n.io);
    expect(n.out()).not.toContain('tok/s per MW');
    expect(n.out()).toContain('facility boundary not reported');
  });

  it('prints the report as JSON with --json', async () => {
    const m = memoryIo(examples);
    expect(await runCli(['estimate', LLAMA, '--json'], m.io)).toBe(0);
    const report = JSON.parse(m.out());
    expect(report.kind).toBe('aifactory.estimate');
    expect(
      report.deployments[0].classes[0].throughput.outputTokensPerSecondPerGpu.basis.provenance,
    ).toBe('modeled');
  });

  it('lists each issue of a bad scenario as file:line:col and exits 2', async () => {
    const bad = examples[LLAMA].replace('parallelism: { tp: 4 }', 'parallelism: { tp: four }');
    const m = memoryIo({ 'bad.yaml': bad });
    expect(await runCli(['estimate', 'bad.yaml'], m.io)).toBe(2);
    const line = bad.split('\n').findIndex((l) => l.includes('tp: four')) + 1;
    expect(m.err()).toMatch(
      new RegExp(
        `bad\\.yaml:${line}:\\d+ deployments\\.0\\.parallelism\\.tp: .*\\(got 'four', expected a positive integer\\)`,
      ),
    );
    expect(m.err()).not.toMatch(/\n\s+at /); // no stack trace
    expect(m.out()).toBe('');
  });

  it('positions issues found after parsing (unknown catalog ids) in the file', async () => {
    const bad = examples[LLAMA].replace('model: llama-3.1-70b', 'model: llama-3.1-71b');
    const m = memoryIo({ 'ids.yaml': bad });
    expect(await runCli(['estimate', 'ids.yaml'], m.io)).toBe(2);
    const line = bad.split('\n').findIndex((l) => l.includes('llama-3.1-71b')) + 1;
    expect(m.err()).toContain('E_CATALOG_UNKNOWN_ID');
    expect(m.err()).toMatch(
      new RegExp(`ids\\.yaml:${line}:\\d+ deployments\\.0\\.model: unknown model 'llama-3.1-71b'`),
    );
  });

  it('exits 2 with a one-line message for a file that cannot be read', async () => {
    const m = memoryIo();
    expect(await runCli(['estimate', 'missing.yaml'], m.io)).toBe(2);
    expect(m.err()).toMatch(/cannot read 'missing.yaml' \(ENOENT\)/);
  });

  it('exits 2 on a usage error', async () => {
    const m = memoryIo();
    expect(await runCli(['estimate'], m.io)).toBe(2);
    expect(m.err()).toMatch(/missing required argument/);
  });
});

describe('aifactory schema', () => {
  it('prints the JSON Schema of scenarios', async () => {
    const m = memoryIo();
    expect(await runCli(['schema'], m.io)).toBe(0);
    const schema = JSON.parse(m.out());
    expect(schema.properties).toHaveProperty('deployments');
    expect(schema.properties).toHaveProperty('workload');
  });
});

const MLPERF_ITEMS = {
  items: [
    {
      category: 'mlperf_inference_result',
      item: 'MLPerf Inference v5.1 llama2-70b-99 Offline - AMD Instinct MI300X 192GB HBM3 x8 (AMD)',
      value: 27803.9,
      unit: 'Tokens/s',
      source: 'mlcommons/inference_results_v5.1 summary_results.json (ID 5.1-0001)',
      notes:
        'round=v5.1; id=5.1-0001; submitter=AMD; system=Supermicro AS-8125GS-TNMR2; accelerator=AMD Instinct MI300X 192GB HBM3; total_accelerators=8; scenario=Offline; weights=fp8',
    },
    {
      category: 'mlperf_inference_result',
      item: 'MLPerf Inference v5.1 llama2-70b-99 Offline - Acme Zeta 9000 x8 (Acme)',
      value: 12345,
      unit: 'Tokens/s',
      source: 'hand-made test item',
      notes:
        'round=v5.1; system=Acme Box; accelerator=Acme Zeta 9000; total_accelerators=8; scenario=Offline; weights=fp8',
    },
    { category: 'pue', item: 'not an MLPerf item', value: 1.2 },
  ],
};

describe('aifactory validate mlperf', () => {
  it('--json gives the required keys and a skipped case with its reason', async () => {
    const m = memoryIo({ 'items.json': JSON.stringify(MLPERF_ITEMS) });
    expect(await runCli(['validate', 'mlperf', 'items.json', '--json'], m.io)).toBe(0);
    const r = JSON.parse(m.out());
    expect(Object.keys(r)).toEqual(['cases', 'summary']);
    expect(r.cases).toHaveLength(2);
    const [done, skipped] = r.cases;
    for (const key of ['item', 'scenario', 'predicted', 'published', 'errorPct'])
      expect(done).toHaveProperty(key);
    expect(done.published).toBe(27803.9);
    expect(done.predicted).toBeGreaterThan(0);
    expect(skipped).toMatchObject({ item: MLPERF_ITEMS.items[1]!.item, skipped: true });
    expect(skipped.reason).toMatch(/Acme Zeta 9000|accelerator/i);
    expect(r.summary.byScenario.Offline.n).toBe(1);
  });

  it('prints one line per case and the summary by scenario', async () => {
    const m = memoryIo({ 'items.json': JSON.stringify(MLPERF_ITEMS) });
    expect(await runCli(['validate', 'mlperf', 'items.json'], m.io)).toBe(0);
    expect(m.out()).toMatch(/[+-]\d+\.\d%\s+predicted [\d,]+\s+published 27,804 tok\/s/);
    expect(m.out()).toMatch(/SKIP .*Acme Zeta 9000/);
    expect(m.out()).toMatch(/Offline\s+1\s+[\d.]+%/);
  });

  it('exits 2 when the file is not JSON', async () => {
    const m = memoryIo({ 'x.json': '{ nope' });
    expect(await runCli(['validate', 'mlperf', 'x.json'], m.io)).toBe(2);
    expect(m.err()).toMatch(/x.json is not valid JSON/);
  });
});

describe('aifactory validate silicon', () => {
  const header =
    'id,system,backend,version,model_path,precision,gemm_quant_mode,moe_quant_mode,mode,isl,osl,batch_size,tp_size,pp_size,moe_ep_size,attention_dp_size,silicon_ttft_ms,silicon_tpot_ms';
  const csv = [
    header,
    'r1,h100_sxm,vllm,0.10,meta-llama/Llama-3.1-70B-Instruct,fp8,fp8,,agg,1024,128,8,4,1,1,1,120,15',
    'r2,h100_sxm,vllm,0.10,meta-llama/Llama-3.1-70B-Instruct,fp8,fp8,,disagg,1024,128,8,4,1,1,1,120,15',
  ].join('\n');

  it('--json strips rows to exactly the documented keys', async () => {
    const m = memoryIo({ 's.csv': csv });
    expect(await runCli(['validate', 'silicon', 's.csv', '--json'], m.io)).toBe(0);
    const r = JSON.parse(m.out());
    expect(Object.keys(r.rows[0]).sort()).toEqual(
      ['id', 'measuredTpotMs', 'measuredTtftMs', 'predictedTpotMs', 'predictedTtftMs'].sort(),
    );
    expect(Object.keys(r.rows[1]).sort()).toEqual(['id', 'reason', 'skipped']);
    expect(r.summary.overall.rows).toBe(1);
  });

  it('prints overall MAPE, group tables and skipped reasons', async () => {
    const m = memoryIo({ 's.csv': csv });
    expect(await runCli(['validate', 'silicon', 's.csv'], m.io)).toBe(0);
    expect(m.out()).toMatch(
      /overall \(aggregated rows, analytical model, in-sample\): TTFT MAPE [\d.]+%/,
    );
    expect(m.out()).toContain('by system');
    expect(m.out()).toContain('skipped by reason');
  });
});

describe('aifactory catalog list', () => {
  it('lists ids with key figures and sources', async () => {
    const m = memoryIo();
    expect(await runCli(['catalog', 'list', 'accelerators'], m.io)).toBe(0);
    expect(m.out()).toMatch(/h100-sxm\s+[\d.]+ GB\s+[\d.]+ TB\/s/);
    expect(m.out()).not.toContain('systems');
  });

  it('refuses an unknown kind with exit 2', async () => {
    const m = memoryIo();
    expect(await runCli(['catalog', 'list', 'gpus'], m.io)).toBe(2);
    expect(m.err()).toMatch(/unknown kind 'gpus'.*expected one of: accelerators, systems, models/);
  });
});

describe('aifactory calibrate silicon', () => {
  it('fits the table, writes the calibration module to --out and prints the fit errors', async () => {
    const lines = readFileSync(
      'data/reference/aiconfigurator-silicon/measured-ttft-tpot.csv',
      'utf8',
    ).split('\n');
    const rows = lines
      .slice(1)
      .filter((l) => l.includes(',h100_sxm,') && l.includes(',agg,'))
      .slice(0, 40);
    const m = memoryIo({ 'small.csv': [lines[0], ...rows].join('\n') });
    const code = await runCli(
      [
        'calibrate',
        'silicon',
        'small.csv',
        '--out',
        'out/calibration-data.ts',
        '--max-evaluations',
        '5',
        '--no-held-out',
      ],
      m.io,
    );
    expect(code, m.err()).toBe(0);
    const module = m.written.get('out/calibration-data.ts')!;
    expect(module).toContain('export const BUILTIN_CALIBRATION');
    expect(module).toContain('--max-evaluations 5 --no-held-out');
    expect(m.out()).toMatch(/in-sample fit error per key/);
    expect(m.out()).toMatch(/default\s+\d+\s+[\d.]+%\s+[\d.]+%/);
    expect(m.out()).toContain('held-out errors not computed');
  });

  it('refuses a non-numeric --max-evaluations with exit 2', async () => {
    const m = memoryIo({ 'small.csv': 'id\n' });
    expect(
      await runCli(['calibrate', 'silicon', 'small.csv', '--max-evaluations', 'many'], m.io),
    ).toBe(2);
    expect(m.err()).toMatch(/--max-evaluations must be a positive integer/);
    expect(m.written.size).toBe(0);
  });
});

describe('aifactory version', () => {
  it('records the version of package.json in results', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(TOOL_VERSION).toBe(pkg.version);
  });
});

/** The smallest serving-twin example: one HGX H100 node, 5 simulated minutes. */
const CHAT_FLEET = 'examples/chat-fleet-h100.yaml';
/** A 20-second single-replica scenario, for the option tests. */
const TINY_RUN = `name: Tiny Run!
seed: 4
deployments:
  - name: d
    model: llama-3.1-8b
    system: hgx-h100-8gpu
    precision: bf16
    parallelism: { tp: 1 }
    replicas: 1
    engine: { name: vllm }
workload:
  classes:
    - name: chat
      kind: request
      arrivals: { process: poisson, requestsPerSecond: 2 }
      inputTokens: 200
      outputTokens: 50
      slo: { ttftP99Seconds: 1 }
simulation: { durationSeconds: 20, warmupSeconds: 2 }
`;

describe('aifactory run', () => {
  it('prints the scorecard and writes the JSON result under .aifactory/runs', async () => {
    const m = diskIo();
    expect(await runCli(['run', CHAT_FLEET], m.io)).toBe(0);
    expect(m.err()).toBe('');
    const out = m.out();
    for (const heading of [
      'serving twin, seed 11',
      'chat-tp4: llama-3.1-70b fp8 on 2 × 4 h100-sxm',
      'scorecard',
      'token goodput',
      'output throughput',
      'tokens per joule (facility)',
      'tokens per joule (chip)',
      'SLO attainment',
      'availability (capacity)',
      'class chat: SLO TTFT p99 ≤',
      'latency',
      'TTFT',
      'TPOT',
      'E2E',
      'power drawn (mean over the window)',
      'prefix cache hit rate',
      'assumptions:',
    ])
      expect(out, heading).toContain(heading);
    expect(m.written.size).toBe(1);
    const [path, text] = [...m.written][0]!;
    expect(path).toMatch(
      /^\.aifactory\/runs\/chat-fleet-on-one-hgx-h100-llama-3-1-70b-fp8-[0-9a-f]{12}-seed11\.json$/,
    );
    expect(out).toContain(`result written to ${path}`);
    const result = JSON.parse(text);
    expect(result.kind).toBe('aifactory.sim');
    expect(result.toolVersion).toBe(TOOL_VERSION);
    expect(path).toContain(result.scenario.hash.split(':')[1].slice(0, 12));
  });

  it('writes the result to --out instead', async () => {
    const m = memoryIo({ 'tiny.yaml': TINY_RUN });
    expect(await runCli(['run', 'tiny.yaml', '--out', 'results/tiny.json'], m.io)).toBe(0);
    expect([...m.written.keys()]).toEqual(['results/tiny.json']);
    expect(JSON.parse(m.written.get('results/tiny.json')!).scenario.name).toBe('Tiny Run!');
    expect(m.out()).toContain('result written to results/tiny.json');
  });

  it('prints the result as JSON with --json, the same JSON it writes', async () => {
    const m = memoryIo({ 'tiny.yaml': TINY_RUN });
    expect(await runCli(['run', 'tiny.yaml', '--json'], m.io)).toBe(0);
    const result = JSON.parse(m.out());
    expect(result.kind).toBe('aifactory.sim');
    expect(result.scenario).toMatchObject({ name: 'Tiny Run!', seed: 4 });
    expect(result.deployments[0].metrics.total.numCompleted).toBeGreaterThan(0);
    expect([...m.written.keys()]).toEqual([
      expect.stringMatching(/^\.aifactory\/runs\/tiny-run-[0-9a-f]{12}-seed4\.json$/),
    ]);
    expect([...m.written.values()]).toEqual([m.out()]);
  });

  it('lists a bad field as file:line:col and exits 2', async () => {
    const bad = TINY_RUN.replace('durationSeconds: 20', 'durationSeconds: -20');
    const m = memoryIo({ 'bad.yaml': bad });
    expect(await runCli(['run', 'bad.yaml'], m.io)).toBe(2);
    const line = bad.split('\n').findIndex((l) => l.includes('durationSeconds: -20')) + 1;
    expect(m.err()).toMatch(new RegExp(`bad\\.yaml:${line}:\\d+ simulation\\.durationSeconds: `));
    expect(m.err()).not.toMatch(/\n\s+at /); // no stack trace
    expect(m.out()).toBe('');
    expect(m.written.size).toBe(0);
  });

  it('positions a class without a deployment (found while simulating) in the file', async () => {
    const second = TINY_RUN.replace(
      'workload:',
      `  - name: e
    model: llama-3.1-8b
    system: hgx-h100-8gpu
    precision: bf16
    parallelism: { tp: 1 }
    replicas: 1
    engine: { name: vllm }
workload:`,
    );
    const m = memoryIo({ 'two.yaml': second });
    expect(await runCli(['run', 'two.yaml'], m.io)).toBe(2);
    const line = second.split('\n').findIndex((l) => l.includes('- name: chat')) + 1;
    expect(m.err()).toContain('E_SCENARIO_INVALID');
    expect(m.err()).toMatch(
      new RegExp(
        `two\\.yaml:${line}:\\d+ workload\\.classes\\.0\\.deployment: .*expected one of: d, e`,
      ),
    );
    expect(m.written.size).toBe(0);
  });
});

describe('aifactory validate vllm-trace', () => {
  const DIR = 'data/reference/vllm-traces/RTX4090_Llama-3.1-8B';

  it('--json on one run directory gives every request with simulated and real latencies', async () => {
    const m = diskIo();
    expect(await runCli(['validate', 'vllm-trace', DIR, '--json'], m.io)).toBe(0);
    const r = JSON.parse(m.out());
    expect(Object.keys(r)).toEqual(['requests', 'summary']);
    expect(r.requests).toHaveLength(300);
    for (const q of r.requests) {
      expect(Object.keys(q).sort()).toEqual(
        [
          'realE2eMs',
          'realTpotMs',
          'realTtftMs',
          'request_id',
          'simE2eMs',
          'simTpotMs',
          'simTtftMs',
        ].sort(),
      );
      for (const k of ['simTtftMs', 'simTpotMs', 'simE2eMs'])
        expect(q[k], `${q.request_id} ${k}`).toBeGreaterThan(0);
    }
    // The real latencies follow the reference README's definitions on the trace's own clock.
    const rows = readFileSync(`${DIR}/requests.jsonl`, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map(
        (l) =>
          JSON.parse(l) as {
            request_id: string;
            output_toks: number;
            queued_ts: number;
            first_token_ts: number;
            last_token_ts: number;
          },
      );
    expect(r.requests.map((q: { request_id: string }) => q.request_id)).toEqual(
      rows.map((row) => row.request_id),
    );
    rows.forEach((row, i) => {
      const q = r.requests[i];
      expect(q.realTtftMs).toBeCloseTo((row.first_token_ts - row.queued_ts) * 1e3, 6);
      expect(q.realE2eMs).toBeCloseTo((row.last_token_ts - row.queued_ts) * 1e3, 6);
      expect(q.realTpotMs).toBeCloseTo(
        ((row.last_token_ts - row.first_token_ts) / (row.output_toks - 1)) * 1e3,
        6,
      );
    });
    expect(r.summary).toMatchObject({ requests: 300 });
    expect(r.summary).toHaveProperty('ttftMs');
    expect(r.summary).toHaveProperty('tpotMs');
    expect(r.summary).toHaveProperty('analytical');
  });
});
