import { describe, expect, it } from 'vitest';
import { defaultCatalog } from './catalog.js';
import { CONTEXT_WINDOWS, contextWindowTokens } from './context-windows.js';

describe('context windows', () => {
  it('names only catalog models, each with a positive window and a config source', () => {
    const models = defaultCatalog().models;
    for (const [id, w] of Object.entries(CONTEXT_WINDOWS)) {
      expect(models.has(id)).toBe(true);
      expect(w.value).toBeGreaterThan(0);
      expect(w.ref.source).toMatch(/config\.json/);
    }
  });

  it('has no window for a model it does not record rather than a guess', () => {
    expect(contextWindowTokens('glm-5')).toBeUndefined();
    expect(contextWindowTokens('llama-2-70b')?.value).toBe(4096);
  });
});
