import { describe, expect, it } from 'vitest';
import { memoryFit, maxConcurrentSequences } from './memory.js';
import { deployment, prepared } from './test-support.js';

describe('memory fit', () => {
  it('accounts every byte: weights + activations + reserve + KV budget = usable memory', () => {
    const f = memoryFit(prepared(deployment('llama-3.1-70b', 'h100-sxm', 'fp8', { tp: 2 })));
    expect(
      f.weightBytesPerGpu + f.activationBytesPerGpu + f.reserveBytesPerGpu + f.kvBudgetBytesPerGpu,
    ).toBeCloseTo(f.usableBytesPerGpu, 0);
    expect(f.fits).toBe(true);
  });

  it('refuses Llama 3.1 70B in bf16 on one 80 GB GPU', () => {
    const f = memoryFit(prepared(deployment('llama-3.1-70b', 'h100-sxm', 'bf16')));
    expect(f.fits).toBe(false);
    expect(f.reason).toMatch(/no KV room/);
  });

  it('replicates GQA KV heads when TP exceeds the KV-head count', () => {
    const tp8 = prepared(deployment('llama-3.1-70b', 'h100-sxm', 'fp8', { tp: 8 }));
    const tp16 = prepared({
      ...deployment('llama-3.1-70b', 'h100-sxm', 'fp8'),
      parallel: { tp: 16, pp: 1, ep: 1, attnDp: 1 },
    });
    // 8 KV heads: one per GPU at TP 8, still one (replicated) at TP 16.
    expect(tp16.kvBytesPerTokenFullLayers).toBe(tp8.kvBytesPerTokenFullLayers);
  });

  it('keeps the MLA latent whole on every TP rank', () => {
    const tp1 = prepared(deployment('deepseek-r1', 'b200', 'fp8', { tp: 1 }));
    const tp8 = prepared(deployment('deepseek-r1', 'b200', 'fp8', { tp: 8 }));
    expect(tp8.kvBytesPerTokenFullLayers).toBe(tp1.kvBytesPerTokenFullLayers);
  });

  it('fits fewer long sequences than short ones', () => {
    const p = prepared(deployment('llama-3.1-8b', 'h100-sxm', 'bf16'));
    const f = memoryFit(p);
    expect(maxConcurrentSequences(p, f, 32_000)).toBeLessThan(maxConcurrentSequences(p, f, 1000));
  });
});
