// Golden outputs (DESIGN §1.4: same scenario + same seed = same numbers):
// - every example: `aifactory estimate <example> --json` must equal examples/<name>.golden.json
//   byte for byte;
// - every example that states a `simulation:` section (the serving-twin examples):
//   `aifactory run <example> --json` must equal examples/<name>.run.golden.json byte for byte.
// When the model, the twin or the calibration changes on purpose, regenerate with
// `UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts` and review the diff.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli, type CliIo } from '../src/cli/program.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
/** Scenario examples (other example files, e.g. build-vs-rent inputs, have no deployments). */
const examples = readdirSync('examples')
  .filter(
    (f) =>
      f.endsWith('.yaml') &&
      (parseYaml(readFileSync(`examples/${f}`, 'utf8')) as { deployments?: unknown }).deployments,
  )
  .sort();
/** Examples that say how to simulate them: their run result is a golden too. */
const runExamples = examples.filter(
  (f) => (parseYaml(readFileSync(`examples/${f}`, 'utf8')) as { simulation?: unknown }).simulation,
);

/** Run the CLI in memory; returns stdout and the files it wrote. */
async function cliJson(argv: string[]): Promise<{ out: string; written: Map<string, string> }> {
  let out = '';
  let err = '';
  const written = new Map<string, string>();
  const io: CliIo = {
    readFile: (p) => readFileSync(p, 'utf8'),
    writeFile: (p, text) => void written.set(p, text),
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
  };
  const code = await runCli(argv, io);
  expect(code, err).toBe(0);
  return { out, written };
}

/** Compare with (or, under UPDATE_GOLDEN=1, write) a golden file. */
function expectGolden(golden: string, text: string): void {
  if (UPDATE) writeFileSync(golden, text);
  expect(existsSync(golden), `${golden} missing: run with UPDATE_GOLDEN=1 to create it`).toBe(true);
  expect(text).toBe(readFileSync(golden, 'utf8'));
}

describe('golden estimates of the examples', () => {
  it('has examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples)(
    '%s: estimate --json equals its golden file, and is the same twice',
    async (file) => {
      const first = (await cliJson(['estimate', `examples/${file}`, '--json'])).out;
      const second = (await cliJson(['estimate', `examples/${file}`, '--json'])).out;
      expect(second).toBe(first);
      expectGolden(`examples/${file.replace(/\.yaml$/, '')}.golden.json`, first);
    },
  );
});

describe('golden serving-twin runs of the examples', () => {
  it('has the serving-twin examples to check', () => {
    expect(runExamples).toEqual(
      expect.arrayContaining([
        'chat-fleet-h100.yaml',
        'coding-agents-prefix-cache.yaml',
        'fleet-with-failures.yaml',
      ]),
    );
  });

  it.each(runExamples)(
    '%s: run --json equals its golden file and the result file it writes',
    async (file) => {
      const { out, written } = await cliJson(['run', `examples/${file}`, '--json']);
      expect(JSON.parse(out).kind).toBe('aifactory.sim');
      // The result file holds the same JSON as stdout.
      expect([...written.values()]).toEqual([out]);
      expectGolden(`examples/${file.replace(/\.yaml$/, '')}.run.golden.json`, out);
    },
  );
});
