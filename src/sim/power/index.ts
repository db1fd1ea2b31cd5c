/** Power of the serving twin: power caps and per-replica power at named boundaries (DESIGN §5, §6). */
export {
  capFractionForThroughput,
  DEFAULT_POWER_CAP_CURVE,
  exponentFromCapMeasurement,
  FIT_IDLE_FRACTION,
  META_GB200_PROVISIONED_CAP_FRACTION,
  POWER_CAP_CURVES,
  powerCapSlowdown,
  SAMSI_POWER_CAP_POINT,
  type CapMeasurement,
  type PowerCapCurve,
  type PowerCapCurveName,
  type PowerCapInput,
  type PowerCapResult,
} from './power-cap.js';
export {
  energyAtBoundaries,
  replicaIdlePower,
  replicaIterationPower,
  type EnergyAtBoundaries,
  type ReplicaIdlePowerInput,
  type ReplicaIterationPower,
  type ReplicaIterationPowerInput,
} from './replica-power.js';
