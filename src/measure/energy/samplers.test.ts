import { describe, expect, it } from 'vitest';
import { amdSmiArgs, createAmdSmiSampler } from './amd-smi-sampler.js';
import { anchorToolTimestamps } from './anchor-tool-clock.js';
import { dcgmiDmonArgs } from './dcgmi-dmon.js';
import type { SpawnLines } from './line-process.js';
import type { PowerTrace } from './power-sample.js';
import { createNvidiaSmiSampler } from './nvidia-smi-sampler.js';

describe('anchorToolTimestamps', () => {
  it('keeps tool spacing and removes delivery delay using the smallest observed delay', () => {
    expect(anchorToolTimestamps([100, 100.5, 101], [5.03, 5.5, 6.2])).toEqual([5, 5.5, 6]);
  });
});

describe('createNvidiaSmiSampler', () => {
  it('runs the query loop with the chosen field and keeps unparseable lines as warnings', async () => {
    let seen: { cmd: string; args: readonly string[] } | undefined;
    const spawnLines: SpawnLines = (cmd, args, onLine) => {
      seen = { cmd, args };
      onLine('0, 2024/05/01 12:00:00.000, 100.00');
      onLine('garbage');
      onLine('0, 2024/05/01 12:00:00.100, 110.00');
      return { exited: Promise.resolve({ exitCode: 0 }), stop: async () => {} };
    };
    const sampler = createNvidiaSmiSampler({
      powerField: 'power.draw.instant',
      intervalMs: 50,
      spawnLines,
      clock: () => 7,
    });
    await sampler.start();
    const t = await sampler.stop();
    expect(seen?.args).toContain('--query-gpu=index,timestamp,power.draw.instant');
    expect(seen?.args).toContain('50');
    expect(t.fields).toEqual(['power.draw.instant']);
    expect(t.scope).toBe('chip');
    expect(t.samples.map((s) => s.powerWatts)).toEqual([100, 110]);
    expect(t.samples[1]!.timestampSeconds - t.samples[0]!.timestampSeconds).toBeCloseTo(0.1, 6);
    expect(t.warnings).toHaveLength(1);
  });

  it('reports a tool that fails to start as a warning and an empty trace', async () => {
    const spawnLines: SpawnLines = () => ({
      exited: Promise.resolve({ exitCode: null, error: 'nvidia-smi: spawn nvidia-smi ENOENT' }),
      stop: async () => {},
    });
    const sampler = createNvidiaSmiSampler({ spawnLines });
    await sampler.start();
    await new Promise((r) => setImmediate(r));
    const t = await sampler.stop();
    expect(t.samples).toEqual([]);
    expect(t.warnings[0]).toMatch(/ENOENT/);
  });
});

describe('createAmdSmiSampler', () => {
  it('polls amd-smi metric --power --energy --json and stamps each poll at its midpoint', async () => {
    let now = 10;
    let polls = 0;
    let finish!: (t: PowerTrace) => void;
    const finished = new Promise<PowerTrace>((resolve) => (finish = resolve));
    const sampler = createAmdSmiSampler({
      deviceIds: ['0'],
      clock: () => now,
      runText: async (cmd, args) => {
        expect([cmd, ...args]).toEqual(['amd-smi', ...amdSmiArgs(['0'])]);
        now += 0.2;
        polls++;
        return `[{"gpu":0,"power":{"socket_power":{"value":${100 + polls},"unit":"W"}},"energy":{"total_energy_consumption":{"value":${polls * 10},"unit":"J"}}}]`;
      },
      sleep: async () => {
        now += 0.1;
        if (polls >= 3) void sampler.stop().then(finish);
      },
    });
    await sampler.start();
    const t = await finished;
    expect(t.samples).toEqual([
      { deviceId: '0', timestampSeconds: 10.1, powerWatts: 101, energyCounterJoules: 10 },
      {
        deviceId: '0',
        timestampSeconds: expect.closeTo(10.4, 9),
        powerWatts: 102,
        energyCounterJoules: 20,
      },
      {
        deviceId: '0',
        timestampSeconds: expect.closeTo(10.7, 9),
        powerWatts: 103,
        energyCounterJoules: 30,
      },
    ]);
  });

  it('keeps a failed poll as a warning and goes on', async () => {
    let polls = 0;
    let finish!: (t: PowerTrace) => void;
    const finished = new Promise<PowerTrace>((resolve) => (finish = resolve));
    const sampler = createAmdSmiSampler({
      clock: () => polls,
      runText: async () => {
        polls++;
        if (polls === 1) throw new Error('amd-smi: timeout');
        return '[{"gpu":0,"power":{"socket_power":50}}]';
      },
      sleep: async () => {
        if (polls >= 2) void sampler.stop().then(finish);
      },
    });
    await sampler.start();
    const t = await finished;
    expect(t.warnings).toEqual(['amd-smi poll failed: amd-smi: timeout']);
    expect(t.samples.map((s) => s.powerWatts)).toEqual([50]);
  });
});

describe('dcgmiDmonArgs', () => {
  it('asks for fields 155 and 156 at the given period', () => {
    expect(dcgmiDmonArgs({ intervalMs: 100, deviceIds: ['0'] })).toEqual([
      'dmon',
      '-e',
      '155,156',
      '-d',
      '100',
      '-i',
      '0',
    ]);
  });
});
