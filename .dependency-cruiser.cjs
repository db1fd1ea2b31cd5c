// Layering rules: imports point inward only. The table in docs/layers.md is the human view
// of the same rules; test/layering.test.ts runs this config and fails on any violation.
const PURE = ['core', 'catalog', 'perf', 'sim', 'econ', 'plan', 'compare', 'scenario', 'validation', 'app', 'sweep'];

/** Allowed src/ layers per layer (besides itself). */
const ALLOWED = {
  core: [],
  catalog: ['core'],
  perf: ['core', 'catalog'],
  sim: ['core', 'catalog', 'perf'],
  econ: ['core', 'catalog'],
  plan: ['core', 'catalog', 'perf', 'econ'],
  compare: ['core', 'catalog'],
  scenario: ['core', 'catalog'],
  validation: ['core', 'catalog', 'perf', 'sim', 'scenario'],
  app: ['core', 'catalog', 'perf', 'sim', 'econ', 'plan', 'compare', 'scenario', 'validation'],
  sweep: ['core', 'catalog', 'perf', 'sim', 'econ', 'plan', 'compare', 'scenario', 'validation', 'app'],
};

/** npm packages a pure layer may use (pure libraries with no I/O). */
const PURE_PACKAGES = ['zod', 'yaml', 'hdr-histogram-js'];

const forbidden = [];
for (const [layer, allowed] of Object.entries(ALLOWED)) {
  const others = Object.keys(ALLOWED)
    .concat(['measure', 'store', 'jobs', 'server', 'cli', 'solver'])
    .filter((l) => l !== layer && !allowed.includes(l));
  forbidden.push({
    name: `${layer}-imports-inward-only`,
    comment: `${layer} may import only: ${allowed.join(', ') || '(nothing)'}`,
    severity: 'error',
    from: { path: `(^|/)src/${layer}/` },
    to: { path: `(^|/)src/(${others.join("|")})/` },
  });
}
forbidden.push({
  name: 'solver-imports-core-only',
  comment: 'solver/ adapts an LP/MILP library to the core/lp.ts port; it knows no domain layer.',
  severity: 'error',
  from: { path: '(^|/)src/solver/' },
  to: { path: `(^|/)src/(?!core/|solver/)` },
});
forbidden.push({
  name: 'pure-layers-no-node-builtins',
  comment: 'Pure layers do no I/O: no node:* or other core modules.',
  severity: 'error',
  from: { path: `(^|/)src/(${PURE.join("|")})/` },
  to: { dependencyTypes: ['core'] },
});
forbidden.push({
  name: 'pure-layers-only-pure-packages',
  comment: `Pure layers may use only these npm packages: ${PURE_PACKAGES.join(', ')}`,
  severity: 'error',
  from: { path: `(^|/)src/(${PURE.join("|")})/`, pathNot: '\\.test\\.ts$' },
  to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: `node_modules/(${PURE_PACKAGES.join('|')})/` },
});
forbidden.push({
  name: 'no-circular',
  severity: 'error',
  from: {},
  to: { circular: true },
});

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
