export * from './units.js';
export * from './errors.js';
export * from './rng.js';
export * from './basis.js';
export * from './source.js';
export * from './stats.js';
export * from './roots.js';
