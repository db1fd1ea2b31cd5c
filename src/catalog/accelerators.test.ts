import { describe, expect, it } from 'vitest';
import type { Sourced } from '../core/source.js';
import { ACCELERATORS } from './accelerators.js';
import type { Accelerator } from './types.js';

/** Every `Sourced` inside an object, with its dotted path. */
function sourcedFields(obj: unknown, path = ''): { path: string; field: Sourced }[] {
  if (obj === null || typeof obj !== 'object') return [];
  const o = obj as Record<string, unknown>;
  if ('value' in o && 'ref' in o) return [{ path, field: o as unknown as Sourced }];
  return Object.entries(o).flatMap(([k, v]) => sourcedFields(v, path ? `${path}.${k}` : k));
}

const byId = (id: string): Accelerator => {
  const a = ACCELERATORS.find((x) => x.id === id);
  if (!a) throw new Error(`no accelerator ${id}`);
  return a;
};

const expectRelClose = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected) / expected).toBeLessThan(1e-9);
};

describe('accelerator catalog', () => {
  it('lists exactly the accelerators the product promises', () => {
    expect(ACCELERATORS.map((a) => a.id).sort()).toEqual(
      [
        'b200',
        'b300',
        'cpu-host',
        'gb200',
        'gb300',
        'h100-nvl',
        'h100-sxm',
        'h200-nvl',
        'h200-sxm',
        'mi300x',
        'mi325x',
        'mi355x',
        'rtx-4090',
        'rtx-pro-6000',
      ].sort(),
    );
  });

  it('has unique ids', () => {
    const ids = ACCELERATORS.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every sourced field a positive finite value and a non-empty source', () => {
    for (const a of ACCELERATORS) {
      const fields = sourcedFields(a);
      // memory, bandwidth, bf16 peak, tdp, idle, scale-up bw, domain, host link at least.
      expect(fields.length, a.id).toBeGreaterThanOrEqual(8);
      for (const { path, field } of fields) {
        expect(
          Number.isFinite(field.value) && field.value > 0,
          `${a.id}.${path} = ${field.value}`,
        ).toBe(true);
        expect(field.ref.source.trim().length, `${a.id}.${path} source`).toBeGreaterThan(0);
      }
    }
  });

  it('keeps idle power below TDP', () => {
    for (const a of ACCELERATORS) expect(a.idleWatts.value, a.id).toBeLessThan(a.tdpWatts.value);
  });

  it('orders peak rates bf16 < fp8 < fp4 where they exist', () => {
    for (const a of ACCELERATORS) {
      const { bf16, fp8, fp4 } = a.peakFlopsPerSecond;
      if (fp8) expect(fp8.value, a.id).toBeGreaterThan(bf16.value);
      if (fp4) expect(fp4.value, a.id).toBeGreaterThan(fp8?.value ?? bf16.value);
    }
  });

  it('publishes an fp4 rate only on Blackwell-class parts and MI355X', () => {
    const fp4Generations = new Set(['blackwell', 'blackwell-ultra', 'blackwell-gb202', 'cdna4']);
    for (const a of ACCELERATORS) {
      expect(a.peakFlopsPerSecond.fp4 !== undefined, a.id).toBe(fp4Generations.has(a.generation));
    }
    expect(
      ACCELERATORS.filter((a) => a.peakFlopsPerSecond.fp4)
        .map((a) => a.id)
        .sort(),
    ).toEqual(['b200', 'b300', 'gb200', 'gb300', 'mi355x', 'rtx-pro-6000'].sort());
  });

  // Pinned against reference/public-data.json (InferenceX gpu-specs.ts, 2026-04-03).
  it('converts H100 SXM dense bf16 989 TFLOPS to 989e12 FLOP/s', () => {
    expect(byId('h100-sxm').peakFlopsPerSecond.bf16.value).toBe(989e12);
  });

  it('converts B200 dense fp4 9000 TFLOPS to 9e15 FLOP/s', () => {
    expect(byId('b200').peakFlopsPerSecond.fp4?.value).toBe(9e15);
  });

  it('converts MI355X HBM bandwidth 8 TB/s to 8e12 bytes/s', () => {
    expect(byId('mi355x').memoryBandwidthBytesPerSecond.value).toBe(8e12);
  });

  it('converts H100 SXM 3.35 TB/s and 80 GB to SI', () => {
    expectRelClose(byId('h100-sxm').memoryBandwidthBytesPerSecond.value, 3.35e12);
    expect(byId('h100-sxm').memoryBytes.value).toBe(80 * 2 ** 30);
  });

  it('uses the usable 186 GB for GB200 and explains the 192 GB alternative', () => {
    const m = byId('gb200').memoryBytes;
    expect(m.value).toBe(186 * 2 ** 30);
    expect(m.ref.note).toMatch(/192/);
  });

  it('takes the datasheet figures for the NVL cards (H100 NVL 94 GB / 3.9 TB/s / 400 W, H200 NVL 141 GB / 4.8 TB/s / 600 W)', () => {
    const h100nvl = byId('h100-nvl');
    expect(h100nvl.memoryBytes.value).toBe(94 * 2 ** 30);
    expectRelClose(h100nvl.memoryBandwidthBytesPerSecond.value, 3.9e12);
    expect(h100nvl.tdpWatts.value).toBe(400);
    const h200nvl = byId('h200-nvl');
    expect(h200nvl.memoryBytes.value).toBe(141 * 2 ** 30);
    expectRelClose(h200nvl.memoryBandwidthBytesPerSecond.value, 4.8e12);
    expect(h200nvl.tdpWatts.value).toBe(600);
  });

  it('gives NVL72 parts a 72-GPU domain and NVLink-C2C host links', () => {
    for (const id of ['gb200', 'gb300']) {
      expect(byId(id).scaleUpDomainSize.value).toBe(72);
      expect(byId(id).hostLinkBytesPerSecond.value).toBe(450e9);
    }
  });

  it('gives PCIe cards PCIe-speed scale-up links (Gen4 for RTX 4090, Gen5 for RTX PRO 6000)', () => {
    expect(byId('rtx-4090').scaleUpBandwidthBytesPerSecond.value).toBe(32e9);
    expect(byId('rtx-pro-6000').scaleUpBandwidthBytesPerSecond.value).toBe(64e9);
  });

  it('labels derived idle powers as assumptions', () => {
    for (const a of ACCELERATORS.filter((x) => x.id !== 'h200-sxm')) {
      expect(a.idleWatts.ref.provenance, a.id).toBe('assumption');
    }
  });
});
