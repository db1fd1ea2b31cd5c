import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { mapAccelerator, mapModelByHfId, parseAcceleratorParts } from './mapping.js';

const catalog = defaultCatalog();
const id = (text: string) => {
  const r = mapAccelerator(text, catalog);
  return r.ok ? r.value.id : `skip: ${r.reason}`;
};

describe('accelerator mapping by parts', () => {
  it('reads vendor, product line, form factor and memory from submitters’ names', () => {
    expect(parseAcceleratorParts('NVIDIA H200-NVL-141GB', catalog)).toEqual({
      vendor: 'nvidia',
      productLine: 'H200',
      formFactor: 'nvl',
      memoryGb: 141,
    });
    expect(parseAcceleratorParts('AMD Instinct MI300X-NPS1-SPX-192GB-750W', catalog)).toMatchObject(
      { vendor: 'amd', productLine: 'MI300X', memoryGb: 192 },
    );
  });

  it('maps names it has never seen by their parts', () => {
    expect(id('NVIDIA H100-SXM-80GB')).toBe('h100-sxm');
    expect(id('Virtualized NVIDIA H200-SXM-141GB')).toBe('h200-sxm');
    expect(id('NVIDIA H100-NVL-94GB')).toBe('h100-nvl');
    expect(id('h200_sxm')).toBe('h200-sxm');
    expect(id('NVIDIA GB200')).toBe('gb200');
    expect(id('gb300')).toBe('gb300');
    expect(id('AMD Instinct MI325X 256GB HBM3e')).toBe('mi325x');
  });

  it('does not read GB200 as B200', () => {
    expect(id('NVIDIA GB200 (4x GB200-186GB_aarch64)')).toBe('gb200');
  });

  it('refuses a memory size that is a different SKU instead of guessing', () => {
    expect(id('NVIDIA H100-PCIe-40GB')).toMatch(/^skip: /);
  });

  it('refuses an unknown product line with a reason', () => {
    expect(id('Intel Gaudi 3')).toMatch(/no catalogued accelerator product line/);
  });
});

describe('model mapping by Hugging Face id', () => {
  it('maps quantized variants to their architecture', () => {
    const r = mapModelByHfId('nvidia/DeepSeek-R1-NVFP4', catalog);
    expect(r.ok && r.value.id).toBe('deepseek-r1');
  });

  it('says why an unknown model is skipped', () => {
    const r = mapModelByHfId('acme/NotAModel-7B', catalog);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/not in the catalog/);
  });
});
