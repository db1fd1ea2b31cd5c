/**
 * `npm run bench`: speed figures of the analytical model (DESIGN §1.6: "an analytical estimate
 * answers in milliseconds") and of the serving twin (DESIGN §5 "Speed": `bench/twin.ts`).
 * Prints figures; asserts nothing (timings belong here, not in tests).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parse as parseCsv } from 'csv-parse/sync';
import { estimateScenario } from '../src/app/estimate.js';
import { defaultCatalog } from '../src/catalog/catalog.js';
import { BUILTIN_CALIBRATION } from '../src/perf/calibration-data.js';
import { resolveCalibration } from '../src/perf/calibration.js';
import { prepareDeployment } from '../src/perf/costs.js';
import { memoryFit } from '../src/perf/memory.js';
import { steadyState } from '../src/perf/steady-state.js';
import { parseScenarioYaml } from '../src/scenario/index.js';
import { validateMlperf } from '../src/validation/mlperf.js';
import { siliconCase, validateSilicon, type SiliconRow } from '../src/validation/silicon.js';
import { benchTwin } from './twin.js';
import { benchApiCachedReads } from './api.js';
import { benchSweep } from './sweep.js';

const catalog = defaultCatalog();

function time(label: string, reps: number, fn: () => unknown, unit = 'call'): void {
  fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  const ms = (performance.now() - t0) / reps;
  console.log(
    `${label.padEnd(52)} ${ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`} per ${unit} (${reps} reps)`,
  );
}

const rows = parseCsv(
  readFileSync('data/reference/aiconfigurator-silicon/measured-ttft-tpot.csv', 'utf8'),
  { columns: true },
) as SiliconRow[];
const items = (
  JSON.parse(readFileSync('data/reference/public-data.json', 'utf8')) as { items: never[] }
).items;

const c = siliconCase(
  rows.find((r) => r.mode === 'agg' && (r.model_path ?? '').includes('Llama-3.1-70B'))!,
  catalog,
);
if ('skipped' in c) throw new Error('bench row skipped');
const prepared = prepareDeployment(c.deployment, catalog.formats);
const memory = memoryFit(prepared);
const cal = resolveCalibration(
  BUILTIN_CALIBRATION,
  c.deployment.accelerator,
  c.deployment.engine.name,
).params;
time('steady state (one operating point)', 20_000, () =>
  steadyState({
    prepared,
    calibration: cal,
    memory,
    request: { inputTokens: 8192, outputTokens: 1024 },
    concurrency: 64,
    arrivals: 'closed-loop',
  }),
);
for (const file of ['examples/llama70b-fp8-h100.yaml', 'examples/deepseek-r1-fp4-gb200.yaml']) {
  const scenario = parseScenarioYaml(readFileSync(file, 'utf8'), file);
  time(
    `estimate ${file}`,
    20,
    () => estimateScenario(scenario, catalog, BUILTIN_CALIBRATION),
    'scenario',
  );
}
time(
  `validate silicon (${rows.length} rows)`,
  3,
  () => validateSilicon(rows, catalog, BUILTIN_CALIBRATION),
  'file',
);
time(
  'validate mlperf (public-data.json)',
  3,
  () => validateMlperf(items, catalog, BUILTIN_CALIBRATION),
  'file',
);
benchTwin(catalog);
await benchApiCachedReads();
await benchSweep();
