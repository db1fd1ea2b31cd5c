/**
 * Sourced failure defaults for the serving twin (DESIGN §5 "Failures"): accelerator MTBF, a
 * host/network/software component per node, the repair-time distribution, the Weibull shape
 * and the spare-swap time. Every value carries a `SourceRef`; values that no source gives are
 * `assumption`s with their reasoning in the note.
 *
 * Main source: Meta's Llama 3 405B pre-training snapshot — 419 unexpected interruptions in
 * 54 days on 16,384 H100 GPUs, by cause ("The Llama 3 Herd of Models", arXiv 2407.21783,
 * Table 5), as reproduced at https://glennklockwood.com/garden/component-reliability.
 *
 * Caveats kept with the numbers: these are interruptions of one synchronous training job, so
 * every fault of any of its GPUs stopped the job — the rate per GPU is what a serving replica
 * of G GPUs sees as well (it also stops when any one GPU fails). The snapshot is 54 days of
 * one fleet early in its life; "software bug" and "NCCL watchdog" causes belong to the
 * training stack and sit in the node component, which a user may drop.
 */
import type { DistributionSpec } from '../../core/distributions.js';
import { sourced, type Sourced, type SourceRef } from '../../core/source.js';

const LLAMA3_TABLE: SourceRef = {
  source:
    'https://glennklockwood.com/garden/component-reliability (table of "The Llama 3 Herd of Models", arXiv 2407.21783, Table 5: root causes of unexpected interruptions, 54-day snapshot, 16,384 H100)',
  date: '2024-07',
  provenance: 'measured',
  note: 'Measured by Meta; read through a secondary page that reproduces the table.',
};

const LLAMA3_PAPER: SourceRef = {
  source: '"The Llama 3 Herd of Models", arXiv 2407.21783, §3.3 (8 H100 GPUs per server)',
  date: '2024-07',
  provenance: 'published-config',
};

const llama3 = (value: number, note?: string): Sourced =>
  sourced(value, note === undefined ? LLAMA3_TABLE : { ...LLAMA3_TABLE, note });

/**
 * The Llama 3 interruption snapshot, copied from the reference data with its source. Cause
 * counts are those the reference lists (they are 411 of the 419); the remaining 8 fall in
 * causes of 2 or fewer each that the reference does not itemise.
 */
export const LLAMA3_INTERRUPTIONS = {
  numGpus: llama3(16384),
  snapshotDays: llama3(54),
  gpusPerNode: sourced(8, LLAMA3_PAPER),
  numUnexpectedInterruptions: llama3(419, '466 interruptions in total, of which 47 planned.'),
  unexpectedByCause: {
    faultyGpu: llama3(
      148,
      'The table prints 30.1% beside 148, but 148/419 = 35.3% and the counts sum to 419; the count is used.',
    ),
    gpuHbm3Memory: llama3(72),
    softwareBug: llama3(54),
    networkSwitchOrCable: llama3(35),
    hostMaintenanceUnplanned: llama3(32),
    gpuSramMemory: llama3(19),
    gpuSystemProcessor: llama3(17),
    nic: llama3(7),
    ncclWatchdogTimeout: llama3(7),
    silentDataCorruption: llama3(6),
    gpuThermalInterfaceOrSensor: llama3(6),
    ssd: llama3(3),
    powerSupply: llama3(3),
    cpu: llama3(2),
  },
} as const;

/** The causes attributed to the accelerator (GPU, HBM, on-die SRAM, GSP, SDC, thermal). */
export const GPU_CAUSES = [
  'faultyGpu',
  'gpuHbm3Memory',
  'gpuSramMemory',
  'gpuSystemProcessor',
  'silentDataCorruption',
  'gpuThermalInterfaceOrSensor',
] as const satisfies readonly (keyof typeof LLAMA3_INTERRUPTIONS.unexpectedByCause)[];

const snapshotGpuHours = (): number =>
  LLAMA3_INTERRUPTIONS.numGpus.value * LLAMA3_INTERRUPTIONS.snapshotDays.value * 24;

/** Interruptions attributed to the accelerator: 148 + 72 + 19 + 17 + 6 + 6 = 268 (64.0%). */
export const gpuAttributedInterruptions = (): number =>
  GPU_CAUSES.reduce((s, k) => s + LLAMA3_INTERRUPTIONS.unexpectedByCause[k].value, 0);

const DERIVED_NOTE =
  'Derived from the Llama 3 snapshot: 16,384 GPUs × 54 days × 24 h = 21,233,664 GPU-hours.';

/**
 * Accelerator MTBF, hours per GPU, from the GPU-attributed interruptions only:
 * 21,233,664 GPU-h / 268 ≈ 79,230 h (≈ 9 years). A replica of G GPUs then fails every
 * MTBF/G hours on average (an 8-GPU replica: ≈ 9,900 h).
 */
export const ACCELERATOR_MTBF_HOURS: Sourced = sourced(
  snapshotGpuHours() / gpuAttributedInterruptions(),
  {
    source: LLAMA3_TABLE.source,
    date: LLAMA3_TABLE.date,
    provenance: 'derived',
    note: `${DERIVED_NOTE} GPU-attributed causes (faulty GPU 148, HBM3 72, SRAM 19, GPU system processor 17, silent data corruption 6, thermal interface/sensor 6) = 268 of 419 (64.0%; the often-quoted 58.7% sums the table's percentages, which misprint faulty GPU as 30.1%).`,
  },
);

/**
 * All-cause MTBF expressed per GPU: 21,233,664 GPU-h / 419 ≈ 50,677 h. The single-component
 * alternative to `ACCELERATOR_MTBF_HOURS` + `NODE_MTBF_HOURS` (DESIGN's example uses 50,000 h).
 */
export const ALL_CAUSE_MTBF_HOURS_PER_GPU: Sourced = sourced(
  snapshotGpuHours() / LLAMA3_INTERRUPTIONS.numUnexpectedInterruptions.value,
  {
    source: LLAMA3_TABLE.source,
    date: LLAMA3_TABLE.date,
    provenance: 'derived',
    note: `${DERIVED_NOTE} All 419 unexpected interruptions.`,
  },
);

/**
 * Non-accelerator MTBF per node (host, network, NIC, storage, power, software), hours:
 * 2,048 nodes × 1,296 h / 151 ≈ 17,577 h. A replica spanning n nodes adds a rate n/this.
 */
export const NODE_MTBF_HOURS: Sourced = sourced(
  snapshotGpuHours() /
    LLAMA3_INTERRUPTIONS.gpusPerNode.value /
    (LLAMA3_INTERRUPTIONS.numUnexpectedInterruptions.value - gpuAttributedInterruptions()),
  {
    source: `${LLAMA3_TABLE.source}; ${LLAMA3_PAPER.source}`,
    date: LLAMA3_TABLE.date,
    provenance: 'derived',
    note: `${DERIVED_NOTE} 8 GPUs per node ⇒ 2,654,208 node-hours; 419 − 268 = 151 non-GPU interruptions (software bug 54, network switch/cable 35, unplanned host maintenance 32, NIC 7, NCCL watchdog 7, SSD 3, PSU 3, CPU 2, 8 others). Includes training-stack software causes (61); drop them for hardware-only modelling.`,
  },
);

/**
 * Weibull shape of the time to failure. 1 = exponential (memoryless), the default: the Llama 3
 * snapshot gives a count, not a distribution of gaps.
 */
export const DEFAULT_WEIBULL_SHAPE: Sourced = sourced(1, {
  source: 'aifactory assumption',
  provenance: 'assumption',
  note: 'Exponential times to failure (constant hazard); the Llama 3 snapshot reports counts only.',
});

/**
 * A decreasing-hazard alternative: field studies of HPC systems fit times between failures
 * with Weibull shapes below 1.
 */
export const HPC_WEIBULL_SHAPE: Sourced = sourced(0.75, {
  source:
    'B. Schroeder, G. A. Gibson, "A large-scale study of failures in high-performance computing systems", DSN 2006',
  date: '2006-06',
  provenance: 'third-party',
  note: 'The paper reports Weibull shapes of about 0.7–0.8 for times between node failures (decreasing hazard); 0.75 is the middle. Not in the reference data; check the paper before relying on it.',
});

/**
 * Time a failed replica's hardware needs to return to service, hours. No source in the
 * reference data gives repair times, so this is an assumption (the DESIGN example's values).
 */
export const DEFAULT_REPAIR_HOURS: Sourced<DistributionSpec> = sourced(
  { dist: 'lognormal', median: 4, p90: 24 },
  {
    source: 'aifactory assumption (the DESIGN §11 example scenario)',
    provenance: 'assumption',
    note: 'Median 4 h: most faults are cleared by a GPU reset, node reboot/reimage or a hot swap by on-site staff within a shift. p90 24 h: a share needs a replacement part (GPU baseboard, HBM-failed GPU, NIC, PSU) delivered next day. Mean ≈ 10.6 h. Replace with a fleet measurement when one exists.',
  },
);

/**
 * Time to bring a spare replica into service after a failure, seconds: drain, reschedule onto
 * the spare, load weights, start the engine. An assumption.
 */
export const DEFAULT_SPARE_SWAP_SECONDS: Sourced = sourced(300, {
  source: 'aifactory assumption',
  provenance: 'assumption',
  note: 'Rescheduling onto a warm spare plus loading weights from local NVMe (≈ 70 GB at a few GB/s ≈ 30 s) plus engine start and CUDA-graph capture (1–3 min) ≈ 5 min.',
});
