import { describe, expect, it } from 'vitest';
import type { Sourced } from '../core/source.js';
import { ACCELERATORS } from './accelerators.js';
import { SYSTEMS } from './systems.js';
import type { System } from './types.js';

const sourcedFieldsOf = (s: System): [string, Sourced][] => [
  ['hostPowerWatts', s.hostPowerWatts],
  ['networkPowerWatts', s.networkPowerWatts],
  ['hostIdlePowerWatts', s.hostIdlePowerWatts],
  ['priceUsd', s.priceUsd],
];

const byId = (id: string): System => {
  const s = SYSTEMS.find((x) => x.id === id);
  if (!s) throw new Error(`no system ${id}`);
  return s;
};

describe('system catalog', () => {
  it('lists exactly the systems the product promises', () => {
    expect(SYSTEMS.map((s) => s.id).sort()).toEqual(
      [
        'hgx-h100-8gpu',
        'hgx-h200-8gpu',
        'hgx-b200-8gpu',
        'hgx-b300-8gpu',
        'gb200-nvl72',
        'gb300-nvl72',
        'mi300x-8gpu',
        'mi325x-8gpu',
        'mi355x-8gpu',
        'pcie-h100-nvl-8gpu',
        'pcie-h200-nvl-8gpu',
        'workstation-rtx-4090',
        'workstation-rtx-pro-6000',
      ].sort(),
    );
  });

  it('has unique ids', () => {
    const ids = SYSTEMS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refers only to accelerators that exist', () => {
    const accelerators = new Set(ACCELERATORS.map((a) => a.id));
    for (const s of SYSTEMS)
      expect(accelerators.has(s.acceleratorId), `${s.id} → ${s.acceleratorId}`).toBe(true);
  });

  it('keeps each scale-up domain within the system and within what its accelerator supports', () => {
    for (const s of SYSTEMS) {
      const a = ACCELERATORS.find((x) => x.id === s.acceleratorId)!;
      expect(s.scaleUpDomainSize, s.id).toBeLessThanOrEqual(s.acceleratorCount);
      expect(s.scaleUpDomainSize, s.id).toBeLessThanOrEqual(a.scaleUpDomainSize.value);
      expect(s.acceleratorCount % s.scaleUpDomainSize, s.id).toBe(0);
    }
  });

  it('gives every sourced field a positive finite value and a non-empty source', () => {
    for (const s of SYSTEMS) {
      expect(s.ref.source.length, s.id).toBeGreaterThan(0);
      for (const [name, f] of sourcedFieldsOf(s)) {
        expect(Number.isFinite(f.value) && f.value > 0, `${s.id}.${name} = ${f.value}`).toBe(true);
        expect(f.ref.source.trim().length, `${s.id}.${name} source`).toBeGreaterThan(0);
      }
    }
  });

  it('keeps host idle power below host full-load power', () => {
    for (const s of SYSTEMS)
      expect(s.hostIdlePowerWatts.value, s.id).toBeLessThan(s.hostPowerWatts.value);
  });

  it('derives HGX H100 host power as DGX H100 10.2 kW minus 8 × 700 W', () => {
    expect(byId('hgx-h100-8gpu').hostPowerWatts.value).toBe(4600);
  });

  it('derives HGX B200 and B300 host power from the DGX 14.3 kW and 14.5 kW ratings', () => {
    expect(byId('hgx-b200-8gpu').hostPowerWatts.value).toBe(14_300 - 8 * 1000);
    expect(byId('hgx-b300-8gpu').hostPowerWatts.value).toBe(14_500 - 8 * 1100);
  });

  it('adds up an NVL72 rack to its ~120 kW rating (GPUs + host + NVLink switch trays)', () => {
    for (const [id, tdp] of [
      ['gb200-nvl72', 1200],
      ['gb300-nvl72', 1400],
    ] as const) {
      const s = byId(id);
      const switchTrays = 3600;
      expect(72 * tdp + s.hostPowerWatts.value + switchTrays).toBe(120_000);
      expect(s.networkPowerWatts.value).toBeGreaterThan(switchTrays);
    }
  });

  it('prices the DGX H100 at the SemiAnalysis estimate', () => {
    const p = byId('hgx-h100-8gpu').priceUsd;
    expect(p.value).toBe(270_000);
    expect(p.ref.date).toBe('2023-05');
  });

  it('labels every price without a direct capex item as an assumption', () => {
    for (const s of SYSTEMS.filter((x) => x.id !== 'hgx-h100-8gpu')) {
      expect(s.priceUsd.ref.provenance, s.id).toBe('assumption');
    }
  });

  it('prices systems in a plausible order (newer NVIDIA generations cost more)', () => {
    const price = (id: string): number => byId(id).priceUsd.value;
    expect(price('hgx-h200-8gpu')).toBeGreaterThan(price('hgx-h100-8gpu'));
    expect(price('hgx-b200-8gpu')).toBeGreaterThan(price('hgx-h200-8gpu'));
    expect(price('hgx-b300-8gpu')).toBeGreaterThan(price('hgx-b200-8gpu'));
    expect(price('gb300-nvl72')).toBeGreaterThan(price('gb200-nvl72'));
    expect(price('workstation-rtx-pro-6000')).toBeGreaterThan(price('workstation-rtx-4090'));
  });
});
