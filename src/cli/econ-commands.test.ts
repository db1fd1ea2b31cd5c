import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from './program.js';

/** In-memory I/O: files in the map first, then the disk (writes stay in memory). */
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

const example = readFileSync('examples/llama70b-fp8-h100.yaml', 'utf8');

describe('aifactory cost', () => {
  it('prints the waterfall, $/GPU-hour and cost per 1M tokens with the split rule', async () => {
    const m = io();
    expect(await runCli(['cost', 'examples/llama70b-fp8-h100.yaml'], m.io)).toBe(0);
    expect(m.out()).toContain('Cost waterfall');
    expect(m.out()).toMatch(/all-in: [\d.]+ USD per GPU-hour/);
    expect(m.out()).toContain('split rule accelerator-time');
  });

  it('--json gives a cost report whose waterfall sums to its total', async () => {
    const m = io();
    expect(await runCli(['cost', 'examples/llama70b-fp8-h100.yaml', '--json'], m.io)).toBe(0);
    const r = JSON.parse(m.out());
    expect(r.kind).toBe('aifactory.cost');
    const tco = r.deployments[0].points[0].tco;
    const sum = tco.waterfall.reduce((a: number, w: { usdPerHour: number }) => a + w.usdPerHour, 0);
    expect(sum).toBeCloseTo(tco.usdPerHour, 9);
  });

  it('refuses a bad economics field with exit 2, naming it and its line', async () => {
    const bad = example.replace(/\n*$/, '\neconomics: { ownership: lease }\n');
    const m = io({ 'bad.yaml': bad });
    expect(await runCli(['cost', 'bad.yaml'], m.io)).toBe(2);
    expect(m.err()).toMatch(/bad\.yaml:\d+:\d+ economics\.ownership/);
  });
});

describe('aifactory cost --tornado / --monte-carlo', () => {
  it('prints the tornado bars and the Monte Carlo percentiles', async () => {
    const m = io();
    expect(
      await runCli(
        ['cost', 'examples/chat-fleet-h100.yaml', '--tornado', '20', '--monte-carlo', '300'],
        m.io,
      ),
    ).toBe(0);
    expect(m.out()).toMatch(/tornado, each input ±20%/);
    expect(m.out()).toMatch(/USD per 1M output tokens +[\d.]+ +[\d.]+ +[\d.]+/);
  });

  it('refuses --monte-carlo without economics.uncertainty, naming the field', async () => {
    const m = io();
    expect(
      await runCli(['cost', 'examples/llama70b-fp8-h100.yaml', '--monte-carlo', '100'], m.io),
    ).toBe(2);
    expect(m.err()).toContain('economics.uncertainty');
  });
});

describe('aifactory compare', () => {
  it('refuses a verdict between an fp8 and an fp4 result and says why', async () => {
    const fp4 = example
      .replace('precision: fp8', 'precision: nvfp4')
      .replace('hgx-h100-8gpu', 'hgx-b200-8gpu');
    const fp8 = example.replace('hgx-h100-8gpu', 'hgx-b200-8gpu');
    const m = io({ 'a.yaml': fp8, 'b.yaml': fp4 });
    expect(await runCli(['compare', 'a.yaml', 'b.yaml', '--json'], m.io)).toBe(0);
    const r = JSON.parse(m.out()) as {
      pairs: {
        blocking: { field: string; a: unknown; b: unknown }[];
        verdict?: unknown;
        refusal?: string;
      }[];
    };
    expect(r.pairs.length).toBeGreaterThan(5);
    for (const p of r.pairs) {
      expect(p.verdict).toBeUndefined();
      expect(p.blocking.map((d) => d.field)).toContain('precision');
      expect(p.refusal).toMatch(/precision/);
    }
  });

  it('refuses to normalise precision', async () => {
    const m = io();
    const code = await runCli(
      [
        'compare',
        'examples/llama70b-fp8-h100.yaml',
        'examples/llama70b-fp8-h100.yaml',
        '--ignore',
        'precision',
      ],
      m.io,
    );
    expect(code).toBe(2);
    expect(m.err()).toMatch(/precision/);
  });

  it('gives verdicts when both sides are the same scenario (equal bases)', async () => {
    const m = io();
    expect(
      await runCli(
        ['compare', 'examples/llama70b-fp8-h100.yaml', 'examples/llama70b-fp8-h100.yaml'],
        m.io,
      ),
    ).toBe(0);
    expect(m.out()).toMatch(/[1-9]\d* with a verdict/);
  });
});

describe('aifactory claims', () => {
  it('lists the built-in claims', async () => {
    const m = io();
    expect(await runCli(['claims', 'list'], m.io)).toBe(0);
    expect(m.out()).toContain('nvidia-gb300-tokens-per-mw-vs-hopper');
  });

  it('validates the GB300 tokens-per-MW claim: arithmetic ≈ 55× and a status with its table', async () => {
    const m = io();
    expect(
      await runCli(['claims', 'validate', 'nvidia-gb300-tokens-per-mw-vs-hopper', '--json'], m.io),
    ).toBe(0);
    const v = JSON.parse(m.out());
    expect(v.arithmetic.value).toBeCloseTo(6000 / 2.1 / (90 / 1.73), 6);
    expect(['directional', 'contradicted', 'reproduced-by-model']).toContain(v.status);
    expect(
      v.rows.filter((r: { group: string }) => r.group === 'equal-precision').length,
    ).toBeGreaterThan(3);
  });

  it('refuses an unknown claim id with exit 2 and the known ids', async () => {
    const m = io();
    expect(await runCli(['claims', 'show', 'no-such-claim'], m.io)).toBe(2);
    expect(m.err()).toContain('nvidia-gb300-tokens-per-mw-vs-hopper');
  });
});

describe('aifactory build-vs-rent', () => {
  it('answers the example with the cheapest portfolio and break-even utilization', async () => {
    const m = io();
    expect(await runCli(['build-vs-rent', 'examples/build-vs-rent-coding-agents.yaml'], m.io)).toBe(
      0,
    );
    expect(m.out()).toMatch(/Cheapest: .* NPV \$[\d.]+M/);
    expect(m.out()).toMatch(/Break-even utilization .*: [\d.]+%/);
  });

  it('refuses a bad field with exit 2, naming it', async () => {
    const text = readFileSync('examples/build-vs-rent-coding-agents.yaml', 'utf8').replace(
      /horizonYears: *\d+/,
      'horizonYears: -3',
    );
    const m = io({ 'b.yaml': text });
    expect(await runCli(['build-vs-rent', 'b.yaml'], m.io)).toBe(2);
    expect(m.err()).toMatch(/b\.yaml:\d+:\d+ horizonYears/);
  });
});
