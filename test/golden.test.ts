// Golden outputs: `aifactory estimate <example> --json` must equal examples/<name>.golden.json
// byte for byte (DESIGN §1.4: same scenario + same seed = same numbers). When the model or the
// calibration changes on purpose, regenerate with `UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts`
// and review the diff.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../src/cli/program.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const examples = readdirSync('examples')
  .filter((f) => f.endsWith('.yaml'))
  .sort();

async function estimateJson(file: string): Promise<string> {
  let out = '';
  let err = '';
  const io: CliIo = {
    readFile: (p) => readFileSync(p, 'utf8'),
    writeFile: () => {
      throw new Error('estimate writes no files');
    },
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
  };
  const code = await runCli(['estimate', `examples/${file}`, '--json'], io);
  expect(code, err).toBe(0);
  return out;
}

describe('golden estimates of the examples', () => {
  it('has examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples)(
    '%s: estimate --json equals its golden file, and is the same twice',
    async (file) => {
      const golden = `examples/${file.replace(/\.yaml$/, '')}.golden.json`;
      const first = await estimateJson(file);
      const second = await estimateJson(file);
      expect(second).toBe(first);
      if (UPDATE) writeFileSync(golden, first);
      expect(existsSync(golden), `${golden} missing: run with UPDATE_GOLDEN=1 to create it`).toBe(
        true,
      );
      expect(first).toBe(readFileSync(golden, 'utf8'));
    },
  );
});
