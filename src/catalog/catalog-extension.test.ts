import { describe, expect, it } from 'vitest';
import { AifError, isAifError } from '../core/errors.js';
import { defaultCatalog, getAccelerator, getModel, getSystem } from './catalog.js';
import { extendCatalog } from './catalog-extension.js';

const a100 = {
  id: 'a100-sxm',
  name: 'NVIDIA A100 SXM4 80GB',
  vendor: 'nvidia',
  productLine: 'A100',
  generation: 'ampere',
  formFactor: 'sxm',
  memoryGb: 80,
  memoryBandwidthTbPerSecond: 2.039,
  peakTflops: { bf16: 312 },
  tdpWatts: 400,
  idleWatts: 50,
  scaleUpGbPerSecond: 300,
  scaleUpDomainSize: 8,
  hostLinkGbPerSecond: 32,
  source: 'NVIDIA A100 datasheet https://www.nvidia.com/en-us/data-center/a100/',
  date: '2021',
};

const hgxA100 = {
  id: 'hgx-a100-8gpu',
  name: 'NVIDIA HGX A100 8-GPU',
  acceleratorId: 'a100-sxm',
  acceleratorCount: 8,
  scaleUpDomainSize: 8,
  hostPowerWatts: 3300,
  networkPowerWatts: 900,
  hostIdlePowerWatts: 450,
  priceUsd: 200_000,
  source: 'NVIDIA DGX A100 datasheet (6.5 kW max)',
};

const tinyModel = {
  id: 'tiny-llama',
  name: 'Tiny Llama',
  hfIds: ['example/tiny-llama'],
  numLayers: 4,
  hiddenSize: 256,
  vocabSize: 32000,
  attention: { kind: 'gqa', numHeads: 8, numKvHeads: 2, headDim: 32 },
  layers: { full: 4 },
  intermediateSize: 1024,
  gatedMlp: true,
  tieWordEmbeddings: true,
  releasedWeightFormat: 'bf16',
  source: 'example config.json',
};

function catchAif(fn: () => unknown): AifError {
  try {
    fn();
  } catch (e) {
    if (isAifError(e)) return e;
    throw e;
  }
  throw new Error('expected an AifError');
}

describe('extendCatalog', () => {
  it('adds a valid accelerator that getAccelerator can find, converted to SI', () => {
    const c = extendCatalog(defaultCatalog(), { accelerators: [a100] });
    const a = getAccelerator(c, 'a100-sxm');
    expect(a.memoryBytes.value).toBe(80 * 2 ** 30);
    expect(a.memoryBandwidthBytesPerSecond.value).toBeCloseTo(2.039e12, -3);
    expect(a.peakFlopsPerSecond.bf16.value).toBe(312e12);
    expect(a.peakFlopsPerSecond.fp8).toBeUndefined();
    expect(a.scaleUpBandwidthBytesPerSecond.value).toBe(300e9);
    expect(a.hostLinkBytesPerSecond.value).toBe(32e9);
    expect(a.tdpWatts.ref).toEqual({ source: a100.source, date: '2021' });
  });

  it('adds a system for an accelerator added in the same extension', () => {
    const c = extendCatalog(defaultCatalog(), { accelerators: [a100], systems: [hgxA100] });
    const s = getSystem(c, 'hgx-a100-8gpu');
    expect(s.acceleratorId).toBe('a100-sxm');
    expect(s.priceUsd.value).toBe(200_000);
    expect(s.ref.source).toBe(hgxA100.source);
  });

  it('adds a model whose layer mix sums to its layer count', () => {
    const c = extendCatalog(defaultCatalog(), { models: [tinyModel] });
    const m = getModel(c, 'tiny-llama');
    expect(m.attention).toEqual(tinyModel.attention);
    expect(m.ref.source).toBe('example config.json');
    expect('source' in m).toBe(false);
  });

  it('leaves the base catalog untouched', () => {
    const base = defaultCatalog();
    const before = base.accelerators.size;
    extendCatalog(base, { accelerators: [a100] });
    expect(base.accelerators.size).toBe(before);
    expect(base.accelerators.has('a100-sxm')).toBe(false);
  });

  it('marks the version of an extended catalog with a stable hash of the extension', () => {
    const base = defaultCatalog();
    const v1 = extendCatalog(base, { accelerators: [a100] }).version;
    const v2 = extendCatalog(base, { accelerators: [{ ...a100 }] }).version;
    const v3 = extendCatalog(base, { accelerators: [{ ...a100, tdpWatts: 500 }] }).version;
    expect(v1).toMatch(new RegExp(`^${base.version.replace(/\./g, '\\.')}\\+ext\\.[0-9a-f]{8}$`));
    expect(v2).toBe(v1);
    expect(v3).not.toBe(v1);
    expect(extendCatalog(base, {}).version).toBe(base.version);
  });

  it('rejects an invalid field with E_CATALOG_INVALID naming its path, value and expectation', () => {
    const err = catchAif(() =>
      extendCatalog(defaultCatalog(), { accelerators: [{ ...a100, memoryGb: -80 }] }),
    );
    expect(err.code).toBe('E_CATALOG_INVALID');
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({
      path: 'accelerators.0.memoryGb',
      value: -80,
      expected: '> 0',
    });
    expect(err.message).toContain('accelerators.0.memoryGb');
  });

  it('rejects a misspelt field name instead of ignoring it', () => {
    const { memoryGb: _m, ...rest } = a100;
    const err = catchAif(() =>
      extendCatalog(defaultCatalog(), { accelerators: [{ ...rest, memoryGB: 80 }] }),
    );
    expect(err.code).toBe('E_CATALOG_INVALID');
    const paths = err.issues.map((i) => i.path);
    expect(paths).toContain('accelerators.0.memoryGb');
    expect(paths).toContain('accelerators.0.memoryGB');
  });

  it('rejects an entry without a source', () => {
    const { source: _s, ...noSource } = a100;
    const err = catchAif(() => extendCatalog(defaultCatalog(), { accelerators: [noSource] }));
    expect(err.issues.map((i) => i.path)).toEqual(['accelerators.0.source']);
  });

  it('rejects an unknown enum value listing the allowed ones', () => {
    const err = catchAif(() =>
      extendCatalog(defaultCatalog(), { accelerators: [{ ...a100, formFactor: 'mxm' }] }),
    );
    expect(err.issues[0]?.path).toBe('accelerators.0.formFactor');
    expect(err.issues[0]?.expected).toContain('"sxm"');
  });

  it('refuses an id that already exists in the catalog', () => {
    const err = catchAif(() =>
      extendCatalog(defaultCatalog(), { accelerators: [{ ...a100, id: 'h100-sxm' }] }),
    );
    expect(err.code).toBe('E_CATALOG_INVALID');
    expect(err.issues[0]).toMatchObject({ path: 'accelerators.0.id', value: 'h100-sxm' });
    expect(err.issues[0]?.message).toContain('replace: true');
  });

  it('replaces an existing entry when the entry says replace: true', () => {
    const c = extendCatalog(defaultCatalog(), {
      accelerators: [{ ...a100, id: 'h100-sxm', tdpWatts: 500, replace: true }],
    });
    expect(getAccelerator(c, 'h100-sxm').tdpWatts.value).toBe(500);
  });

  it('refuses an id repeated inside the extension', () => {
    const err = catchAif(() => extendCatalog(defaultCatalog(), { accelerators: [a100, a100] }));
    expect(err.issues[0]).toMatchObject({ path: 'accelerators.1.id', value: 'a100-sxm' });
  });

  it('refuses a system whose accelerator exists nowhere', () => {
    const err = catchAif(() => extendCatalog(defaultCatalog(), { systems: [hgxA100] }));
    expect(err.issues[0]).toMatchObject({ path: 'systems.0.acceleratorId', value: 'a100-sxm' });
    expect(err.issues[0]?.expected).toContain('h100-sxm');
  });

  it('refuses a model whose layer mix does not add up to numLayers', () => {
    const err = catchAif(() =>
      extendCatalog(defaultCatalog(), { models: [{ ...tinyModel, layers: { full: 3 } }] }),
    );
    expect(err.issues[0]?.path).toBe('models.0.layers');
  });

  it('refuses an attention kind it does not know', () => {
    const err = catchAif(() =>
      extendCatalog(defaultCatalog(), {
        models: [{ ...tinyModel, attention: { kind: 'mqa', numHeads: 8 } }],
      }),
    );
    expect(err.issues[0]?.path).toBe('models.0.attention.kind');
    expect(err.issues[0]?.expected).toContain('"gqa"');
  });

  it('rejects an extension that is not an object', () => {
    const err = catchAif(() => extendCatalog(defaultCatalog(), ['a100-sxm']));
    expect(err.code).toBe('E_CATALOG_INVALID');
    expect(err.issues[0]?.path).toBe('');
  });
});
