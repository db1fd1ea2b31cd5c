import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from './program.js';

function io(files: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const cli: CliIo = {
    readFile: (p) => files[p] ?? readFileSync(p, 'utf8'),
    writeFile: () => undefined,
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
  };
  return { io: cli, out: () => out, err: () => err };
}

describe('aifactory plan', () => {
  it('prints the full-envelope capacity and the announced vs procurable timeline', async () => {
    const text = readFileSync('examples/plan-100mw-virginia.yaml', 'utf8').replace(
      'monteCarloSamples: 500',
      'monteCarloSamples: 50',
    );
    const m = io({ 'p.yaml': text });
    expect(await runCli(['plan', 'p.yaml'], m.io), m.err()).toBe(0);
    expect(m.out()).toContain('at the full envelope');
    expect(m.out()).toMatch(/2028-Q1 +100\.0 +100\.0/);
    expect(m.out()).toMatch(/va-1: procurable from 2027-12 as planned/);
  });

  it('refuses a bad field with exit 2, naming it with its line', async () => {
    const text = readFileSync('examples/plan-100mw-virginia.yaml', 'utf8').replace(
      'powerEnvelopeMw: 100',
      'powerEnvelopeMw: -5',
    );
    const m = io({ 'bad.yaml': text });
    expect(await runCli(['plan', 'bad.yaml'], m.io)).toBe(2);
    expect(m.err()).toMatch(/bad\.yaml:\d+:\d+ sites\.0\.powerEnvelopeMw/);
  });
});
