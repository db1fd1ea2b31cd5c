import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LineProcess, SpawnLines } from './line-process.js';
import { createNvidiaSmiSampler } from './nvidia-smi-sampler.js';
import { createDcgmiSampler } from './dcgmi-sampler.js';
import type { PowerSample, PowerTrace } from './power-sample.js';
import { measureWindowEnergy } from './window-energy.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../test/fixtures/measure/${name}`, import.meta.url), 'utf8');

const trace = (samples: PowerSample[], fields = ['power.draw']): PowerTrace => ({
  source: 'fixture',
  scope: 'chip',
  quantities: ['power'],
  fields,
  samples,
  warnings: [],
});

/** Replays recorded lines; `arrival(i)` is the monotonic time line i reaches us. */
const replay = (text: string, arrival: (i: number) => number) => {
  let now = 0;
  const spawnLines: SpawnLines = (_cmd, _args, onLine) => {
    text.split('\n').forEach((line, i) => {
      now = arrival(i);
      onLine(line);
    });
    const proc: LineProcess = { exited: Promise.resolve({ exitCode: 0 }), stop: async () => {} };
    return proc;
  };
  return { spawnLines, clock: () => now };
};

describe('measureWindowEnergy over a recorded nvidia-smi capture (two GPUs, 0.5 s loop)', () => {
  // Fixture: GPU 0 idles at 60 W to 12 s, ramps to 300 W at 13 s, holds to 27 s, back to 60 W at
  // 28 s; GPU 1 holds 80 W. Lines arrive 1000 s + tool time on our clock, most 5 ms late.
  const capture = fixture('nvidia-smi-power-draw.csv');
  const record = async (): Promise<PowerTrace> => {
    const { spawnLines, clock } = replay(
      capture,
      (i) => 1000 + Math.floor(i / 2) * 0.5 + (i === 7 ? 0 : 0.005),
    );
    const sampler = createNvidiaSmiSampler({ spawnLines, clock });
    await sampler.start();
    return sampler.stop();
  };

  it('aligns the energy window with the token window and sums the devices (hand-computed 5320 J)', async () => {
    const r = measureWindowEnergy({
      trace: await record(),
      tokens: { firstTokenSeconds: 1013, lastTokenSeconds: 1027 },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // GPU 0: 300 W × 14 s = 4200 J; GPU 1: 80 W × 14 s = 1120 J.
    expect(r.value.perDevice.map((d) => d.energyJoules)).toEqual([
      expect.closeTo(4200, 6),
      expect.closeTo(1120, 6),
    ]);
    expect(r.value.energyJoules).toBeCloseTo(5320, 6);
    expect(r.value).toMatchObject({
      scope: 'chip',
      source: 'nvidia-smi',
      method: 'power-trapezoid',
      deviceIds: ['0', '1'],
      minWindowSeconds: 10,
    });
  });

  it('reports the idle baseline before and after apart, and energy above idle', async () => {
    const r = measureWindowEnergy({
      trace: await record(),
      tokens: { firstTokenSeconds: 1013, lastTokenSeconds: 1027 },
      idleBefore: { startSeconds: 1000, endSeconds: 1012 },
      idleAfter: { startSeconds: 1028, endSeconds: 1040 },
    });
    expect(r.ok).toBe(true);
    if (!r.ok || !r.value.idle?.ok) throw new Error('expected an idle baseline');
    // Idle: 60 W + 80 W = 140 W before and after; over 14 s = 1960 J; above idle 3360 J.
    expect(r.value.idle.value.before?.meanPowerWatts).toBeCloseTo(140, 9);
    expect(r.value.idle.value.after?.meanPowerWatts).toBeCloseTo(140, 9);
    expect(r.value.idleEnergyJoules).toBeCloseTo(1960, 6);
    expect(r.value.energyAboveIdleJoules).toBeCloseTo(3360, 6);
  });

  it('counts only energy inside the token window: a window that includes the ramps is larger', async () => {
    const r = measureWindowEnergy({
      trace: await record(),
      tokens: { firstTokenSeconds: 1012, lastTokenSeconds: 1028 },
    });
    // Adds two ramps of ½ (60 + 300) × 1 s = 180 J each on GPU 0 and 2 × 80 J on GPU 1.
    expect(r.ok && r.value.energyJoules).toBeCloseTo(5320 + 360 + 160, 6);
  });

  it('refuses a token window shorter than the 10 s minimum for power.draw', async () => {
    const r = measureWindowEnergy({
      trace: await record(),
      tokens: { firstTokenSeconds: 1015, lastTokenSeconds: 1024 },
    });
    expect(r).toMatchObject({ ok: false, refusal: { code: 'window-too-short', deviceId: '0' } });
  });

  it('reports an idle window too short to measure without refusing the run', async () => {
    const r = measureWindowEnergy({
      trace: await record(),
      tokens: { firstTokenSeconds: 1013, lastTokenSeconds: 1027 },
      idleBefore: { startSeconds: 1009, endSeconds: 1012 },
    });
    expect(r.ok).toBe(true);
    expect(r.ok && r.value.idle).toMatchObject({
      ok: false,
      refusal: { code: 'idle-unavailable' },
    });
    expect(r.ok && r.value.energyAboveIdleJoules).toBeUndefined();
  });
});

describe('measureWindowEnergy with energy counters (dcgmi dmon capture)', () => {
  it('uses the counter when every device has one (hand-computed 399 J over 1.05 s)', async () => {
    const { spawnLines, clock } = replay(fixture('dcgmi-dmon-power-energy.txt'), (i) => {
      // Two header lines, then pairs of rows every 0.1 s; the header repeats after 10 loops.
      const dataIndex = i < 2 ? 0 : i < 22 ? i - 2 : i - 4;
      return 50 + Math.floor(dataIndex / 2) * 0.1;
    });
    const sampler = createDcgmiSampler({ spawnLines, clock });
    await sampler.start();
    const t = await sampler.stop();
    expect(t.warnings).toEqual([]);
    const r = measureWindowEnergy({
      trace: t,
      tokens: { firstTokenSeconds: 50, lastTokenSeconds: 51.05 },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.method).toBe('counter-difference');
    // 10.5 intervals of 0.1 s — GPU 0: 30 J each = 315 J; GPU 1: 8 J each = 84 J.
    expect(r.value.energyJoules).toBeCloseTo(399, 6);
  });

  it('falls back to power integration when a device has no counter', () => {
    const samples: PowerSample[] = [];
    for (let i = 0; i <= 200; i++) {
      samples.push({
        deviceId: '0',
        timestampSeconds: i * 0.1,
        powerWatts: 100,
        energyCounterJoules: 10 * i,
      });
      samples.push({ deviceId: '1', timestampSeconds: i * 0.1, powerWatts: 50 });
    }
    const r = measureWindowEnergy({
      trace: trace(samples),
      tokens: { firstTokenSeconds: 2, lastTokenSeconds: 18 },
    });
    expect(r.ok && r.value.method).toBe('power-trapezoid');
    expect(r.ok && r.value.energyJoules).toBeCloseTo(2400, 6);
  });
});
