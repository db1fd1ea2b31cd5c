import { describe, expect, it } from 'vitest';
import { isAifError } from '../core/errors.js';
import { ACCELERATORS } from './accelerators.js';
import { NUMBER_FORMATS } from './formats.js';
import { PRECISION_PRESETS, resolvePrecision } from './precisions.js';
import type { Accelerator } from './types.js';

const acc = (id: string): Accelerator => {
  const a = ACCELERATORS.find((x) => x.id === id);
  if (!a) throw new Error(`no accelerator ${id}`);
  return a;
};

/** A hypothetical accelerator with only a bf16 rate (e.g. an A100-class part). */
const bf16Only: Accelerator = (() => {
  const h100 = acc('h100-sxm');
  return { ...h100, id: 'bf16-only', peakFlopsPerSecond: { bf16: h100.peakFlopsPerSecond.bf16 } };
})();

describe('precision presets', () => {
  it('runs fp8 on H100 with fp8 activations, fp8 KV and a bf16 LM head', () => {
    const p = resolvePrecision('fp8', acc('h100-sxm'), false);
    expect(p).toEqual({
      attention: 'fp8',
      denseMlp: 'fp8',
      experts: 'fp8',
      lmHead: 'bf16',
      kvCache: 'fp8',
      activations: 'fp8',
    });
  });

  it('falls back to fp8 activations for nvfp4 on H100 (W4A8), keeping nvfp4 weights', () => {
    const p = resolvePrecision('nvfp4', acc('h100-sxm'), true);
    expect(p.activations).toBe('fp8');
    expect(p.experts).toBe('nvfp4');
    expect(p.denseMlp).toBe('nvfp4');
    expect(p.attention).toBe('fp8');
  });

  it('runs nvfp4 activations on Blackwell', () => {
    for (const id of ['b200', 'b300', 'gb200', 'gb300', 'rtx-pro-6000']) {
      expect(resolvePrecision('nvfp4', acc(id), true).activations, id).toBe('nvfp4');
    }
  });

  it('does not run nvfp4 activations on MI355X, whose fp4 rate is for MX block scales', () => {
    expect(resolvePrecision('nvfp4', acc('mi355x'), true).activations).toBe('fp8');
  });

  it('treats fp4 as an alias of nvfp4', () => {
    expect(resolvePrecision('fp4', acc('b200'), true)).toEqual(
      resolvePrecision('nvfp4', acc('b200'), true),
    );
  });

  it('puts mxfp4 only on experts, with fp8 activations where fp4 exists and bf16 elsewhere', () => {
    const blackwell = resolvePrecision('mxfp4', acc('b200'), true);
    expect(blackwell.experts).toBe('mxfp4');
    expect(blackwell.denseMlp).toBe('bf16');
    expect(blackwell.attention).toBe('bf16');
    expect(blackwell.activations).toBe('fp8');
    expect(resolvePrecision('mxfp4', acc('mi355x'), true).activations).toBe('fp8');
    expect(resolvePrecision('mxfp4', acc('h100-sxm'), true).activations).toBe('bf16');
  });

  it('puts mxfp4 on the dense MLP of a model without experts', () => {
    expect(resolvePrecision('mxfp4', acc('h100-sxm'), false).denseMlp).toBe('mxfp4');
  });

  it('runs int4 weight-only at bf16 and w4a8 at fp8 activations', () => {
    const wo = resolvePrecision('int4-wo', acc('h100-sxm'), false);
    expect(wo.denseMlp).toBe('int4-wo');
    expect(wo.activations).toBe('bf16');
    const w4a8 = resolvePrecision('w4a8', acc('h100-sxm'), false);
    expect(w4a8.denseMlp).toBe('int4-wo');
    expect(w4a8.activations).toBe('fp8');
    expect(resolvePrecision('int4-fp8', acc('h100-sxm'), false)).toEqual(w4a8);
  });

  it('uses fp8-block weights with fp8 activations for fp8-block', () => {
    const p = resolvePrecision('fp8-block', acc('h200-sxm'), true);
    expect(p.experts).toBe('fp8-block');
    expect(p.activations).toBe('fp8');
  });

  it('drops to bf16 activations on an accelerator without an fp8 rate', () => {
    expect(resolvePrecision('fp8', bf16Only, false).activations).toBe('bf16');
    expect(resolvePrecision('nvfp4', bf16Only, false).activations).toBe('bf16');
    expect(resolvePrecision('w4a8', bf16Only, false).activations).toBe('bf16');
  });

  it('keeps bf16 and fp16 uniform', () => {
    expect(new Set(Object.values(resolvePrecision('bf16', acc('mi300x'), true)))).toEqual(
      new Set(['bf16']),
    );
    expect(new Set(Object.values(resolvePrecision('fp16', acc('mi300x'), true)))).toEqual(
      new Set(['fp16']),
    );
  });

  it('yields only catalogued formats from every preset on every accelerator', () => {
    const known = new Set(NUMBER_FORMATS.map((f) => f.id));
    for (const name of Object.keys(PRECISION_PRESETS)) {
      for (const a of [...ACCELERATORS, bf16Only]) {
        for (const hasMoe of [false, true]) {
          for (const f of Object.values(resolvePrecision(name, a, hasMoe))) {
            expect(known.has(f), `${name} on ${a.id}: ${f}`).toBe(true);
          }
        }
      }
    }
  });

  it('rejects an unknown preset with E_PRECISION_UNSUPPORTED naming it and the known ones', () => {
    let caught: unknown;
    try {
      resolvePrecision('fp6', acc('h100-sxm'), false);
    } catch (e) {
      caught = e;
    }
    expect(isAifError(caught)).toBe(true);
    if (!isAifError(caught)) return;
    expect(caught.code).toBe('E_PRECISION_UNSUPPORTED');
    expect(caught.message).toContain("'fp6'");
    expect(caught.message).toContain('nvfp4');
    expect(caught.issues[0]?.value).toBe('fp6');
  });

  it('does not resolve inherited object keys as presets', () => {
    expect(() => resolvePrecision('toString', acc('h100-sxm'), false)).toThrow(
      /unknown precision preset/,
    );
  });
});
