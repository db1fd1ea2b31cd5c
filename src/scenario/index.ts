/**
 * The scenario layer's public surface: schema and types, YAML/object parsing with positioned
 * issues, the JSON Schema, resolution against the catalog, and the engine default tables.
 */
export {
  ScenarioSchema,
  DeploymentSchema,
  EngineSchema,
  ParallelPlanSchema,
  WorkloadSchema,
  WorkloadClassSchema,
  SiteSchema,
  SloSchema,
  SimulationSchema,
  FailuresSchema,
  EconomicsSchema,
  EstimateSchema,
  NUMBER_FORMAT_IDS,
  PRECISION_GROUPS,
  ROUTER_NAMES,
  ARRIVAL_PROCESSES,
  DISTRIBUTION_KINDS,
  WORKLOAD_CLASS_KINDS,
  OWNERSHIP_KINDS,
  type ScenarioInput,
  type Scenario,
  type Site,
  type DeploymentConfig,
  type EngineConfig,
  type ParallelismConfig,
  type PrecisionConfig,
  type PrecisionGroup,
  type Workload,
  type WorkloadClass,
  type Distribution,
  type Arrivals,
  type Slo,
} from './schema.js';
export { parseScenarioYaml, parseScenarioObject, formatIssues, locateIssues } from './parse.js';
export { scenarioJsonSchema, SCENARIO_SCHEMA_ID } from './json-schema.js';
export {
  resolveScenario,
  replicasFromSystems,
  type ResolvedScenario,
  type ResolvedDeployment,
  type ResolvedDeploymentSpec,
  type ResolvedEngineSettings,
  type ResolvedParallelPlan,
  type DefaultApplied,
} from './resolve.js';
export {
  ENGINE_DEFAULTS,
  ENGINE_NAMES,
  ENGINE_SETTING_KEYS,
  type EngineName,
  type EngineDefaults,
  type EngineDefaultContext,
  type EngineDefaultTable,
  type EngineDefaultValues,
  type EngineSettingKey,
  type DefaultValue,
  type MemoryFractionBasis,
} from './engine-defaults.js';
