/**
 * Workload sources by class kind (a typed registry) and the assembly of a run's workload: one
 * source per class, one shared id allocator, named random streams per class, merged into the
 * single `WorkloadSource` the simulation pulls from.
 */
import { createRng } from '../../core/rng.js';
import { IdAllocator } from './ids.js';
import { mergeSources } from './merge-sources.js';
import { createRequestSource } from './request-source.js';
import { createAgentSessionSource } from './session-source.js';
import type {
  CountingWorkloadSource,
  SourceOptions,
  WorkloadClassSpec,
  WorkloadRngs,
} from './spec.js';

type SourceFactory<K extends WorkloadClassSpec['kind']> = (
  spec: Extract<WorkloadClassSpec, { kind: K }>,
  options: SourceOptions,
) => CountingWorkloadSource;

/** Source implementations by class `kind`. */
export const WORKLOAD_SOURCES: { [K in WorkloadClassSpec['kind']]: SourceFactory<K> } = {
  request: createRequestSource,
  'agent-session': createAgentSessionSource,
};

/** The source a class spec describes. */
export function createWorkloadSource(
  spec: WorkloadClassSpec,
  options: SourceOptions,
): CountingWorkloadSource {
  return (WORKLOAD_SOURCES[spec.kind] as SourceFactory<typeof spec.kind>)(spec, options);
}

/**
 * The named streams of one class: `workload/${className}/arrivals` and
 * `workload/${className}/requests` of the run seed (core/rng: one stream per component).
 */
export function workloadRngs(seed: number, className: string): WorkloadRngs {
  return {
    arrivals: createRng(seed, `workload/${className}/arrivals`),
    requests: createRng(seed, `workload/${className}/requests`),
  };
}

/** One class of a run's workload: its name (stream names, reports) and spec. */
export interface NamedClassSpec {
  name: string;
  spec: WorkloadClassSpec;
}

/** A run's workload: the merged source and each class's own source (for its counters). */
export interface Workload {
  source: CountingWorkloadSource;
  classSources: readonly CountingWorkloadSource[];
  ids: IdAllocator;
}

/**
 * Build a run's workload: class i gets classIndex i, streams `workload/${name}/…` of `seed`,
 * and the shared `ids` (a fresh allocator unless given). Same classes + seed ⇒ same requests.
 */
export function createWorkload(
  classes: readonly NamedClassSpec[],
  seed: number,
  ids: IdAllocator = new IdAllocator(),
): Workload {
  const classSources = classes.map((c, classIndex) =>
    createWorkloadSource(c.spec, {
      classIndex,
      ids,
      rng: workloadRngs(seed, c.name),
      name: c.name,
    }),
  );
  return { source: mergeSources(classSources), classSources, ids };
}
