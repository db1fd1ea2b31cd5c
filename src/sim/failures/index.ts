/** Failures, availability, autoscaling and spares of the serving twin (DESIGN §5). */
export {
  ACCELERATOR_MTBF_HOURS,
  ALL_CAUSE_MTBF_HOURS_PER_GPU,
  DEFAULT_REPAIR_HOURS,
  DEFAULT_SPARE_SWAP_SECONDS,
  DEFAULT_WEIBULL_SHAPE,
  GPU_CAUSES,
  gpuAttributedInterruptions,
  HPC_WEIBULL_SHAPE,
  LLAMA3_INTERRUPTIONS,
  NODE_MTBF_HOURS,
} from './defaults.js';
export {
  createFailureProcess,
  type FailureCause,
  type FailureDraw,
  type FailureProcess,
  type FailureProcessOptions,
} from './process.js';
export {
  gammaFunction,
  minOfIidWeibullScale,
  weibullFromUniform,
  weibullScaleForMean,
} from './weibull.js';
export {
  createAvailabilityTracker,
  type AvailabilityReport,
  type AvailabilityTracker,
  type AvailabilityTrackerOptions,
  type CapacityStep,
  type ReplicaAvailability,
} from './availability.js';
export {
  AUTOSCALER_POLICIES,
  createAutoscaler,
  createNoAutoscaler,
  createTargetUtilizationAutoscaler,
  desiredReplicas,
  type AutoscalerAction,
  type AutoscalerConfig,
  type AutoscalerObservation,
  type AutoscalerPolicy,
  type AutoscalerPolicyName,
  type AutoscalerReplica,
  type ReplicaServingState,
  type TargetUtilizationConfig,
} from './autoscaler.js';
export {
  createSparePool,
  type FailureOutcome,
  type Restoration,
  type SparePool,
  type SparePoolOptions,
} from './spares.js';
