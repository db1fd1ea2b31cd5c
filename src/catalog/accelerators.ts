/**
 * Accelerators: one GPU package each, in SI units (bytes, bytes/s, FLOP/s, watts). Peak rates are
 * dense (no 2:4 sparsity). Most datacenter figures are copied from the InferenceX GPU spec table
 * (reference/public-data.json, category `hardware_spec`); the rest cite the vendor document they
 * come from. Values with no published figure are labelled `assumption` with their reasoning.
 */
import { sourced, type Sourced, type SourceRef } from '../core/source.js';
import {
  gbPerSecondToBytesPerSecond,
  GIB,
  tbPerSecondToBytesPerSecond,
  tflopsToFlopsPerSecond,
} from '../core/units.js';
import type { Accelerator } from './types.js';

// ---------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------

/** The InferenceX GPU spec table, as copied into reference/public-data.json. */
const INFERENCEX: SourceRef = {
  source:
    'SemiAnalysisAI/InferenceX-app packages/app/src/lib/gpu-specs.ts (dense, no sparsity; scale-up BW unidirectional per GPU)',
  date: '2026-04-03',
  provenance: 'third-party',
};

const NVIDIA_H100_DATASHEET: SourceRef = {
  source:
    'NVIDIA H100 Tensor Core GPU datasheet / product page, H100 NVL column https://www.nvidia.com/en-us/data-center/h100/',
  date: '2024',
  provenance: 'vendor-spec',
};

const NVIDIA_H200_DATASHEET: SourceRef = {
  source:
    'NVIDIA H200 Tensor Core GPU datasheet / product page, H200 NVL column https://www.nvidia.com/en-us/data-center/h200/',
  date: '2024-11',
  provenance: 'vendor-spec',
};

const NVIDIA_ADA_WHITEPAPER: SourceRef = {
  source:
    'NVIDIA Ada GPU Architecture whitepaper v2.1, Appendix A table "GeForce RTX 4090" https://images.nvidia.com/aem-dam/Solutions/geforce/ada/nvidia-ada-gpu-architecture.pdf',
  date: '2023',
  provenance: 'vendor-spec',
};

const NVIDIA_RTX_PRO_6000: SourceRef = {
  source:
    'NVIDIA RTX PRO 6000 Blackwell Workstation/Server Edition datasheet https://www.nvidia.com/en-us/products/workstations/professional-desktop-gpus/rtx-pro-6000/ and NVIDIA RTX Blackwell GPU architecture whitepaper; dense tensor rates as tabulated at https://hmc-tech.com/gpu/nvidia-rtx-pro-6000-blackwell-vs-amd-radeon-pro-duo-polaris',
  date: '2025',
  provenance: 'vendor-spec',
};

const AMD_MI300X_DATASHEET: SourceRef = {
  source:
    'AMD Instinct MI300X datasheet https://www.amd.com/en/products/accelerators/instinct/mi300/mi300x.html',
  date: '2023-12',
  provenance: 'vendor-spec',
};

const PCIE_GEN5_X16: SourceRef = {
  source:
    'NVIDIA H100/H200 datasheets "PCIe Gen5: 128GB/s" (x16, both directions) https://www.nvidia.com/en-us/data-center/h100/ ; PCI-SIG PCIe 5.0 base spec (32 GT/s per lane)',
  date: '2024',
  provenance: 'vendor-spec',
  note: 'One direction = 128 / 2 = 64 GB/s (≈63 GB/s after 128b/130b encoding).',
};

const PCIE_GEN4_X16: SourceRef = {
  source:
    'PCI-SIG PCIe 4.0 base spec (16 GT/s per lane, x16); RTX 4090 is a PCIe 4.0 x16 card per NVIDIA product page https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/rtx-4090/',
  date: '2022-10',
  provenance: 'vendor-spec',
  note: '16 GT/s × 16 lanes / 8 ≈ 32 GB/s per direction (≈31.5 GB/s after encoding).',
};

const NVLINK_C2C: SourceRef = {
  source:
    'NVIDIA GB200 NVL72 / GB300 NVL72 product pages ("NVLink-C2C 900 GB/s" Grace↔Blackwell) https://www.nvidia.com/en-us/data-center/gb200-nvl72/',
  date: '2025',
  provenance: 'vendor-spec',
  note: '900 GB/s bidirectional = 450 GB/s per direction, taken per GPU. If the Grace CPU shares it between its two GPUs, a GPU sees as little as 225 GB/s; Grace LPDDR5X (≤512 GB/s per CPU) also caps host-memory traffic.',
};

/**
 * Idle power. Only one GPU type has a published idle draw: H200 SXM at 80.3 W (third-party
 * nvidia-smi measurement; another reports 73.65 W). Others scale with TDP at the same fraction
 * (NVIDIA) or at the MI250X idle/max fraction of ExaDigiT RAPS (AMD). Idle power does not
 * truly scale with TDP; these are labelled assumptions until measured.
 */
const H200_IDLE_MEASURED: SourceRef = {
  source:
    'http://api.serialalice.pt/alice-benchmark (H200 SXM 141 GB "80.3 W idle vs 592.8 W at load", nvidia-smi); corroborated by https://conservemode.com/case-studies.html (RunPod H200 dormant 73.65 W avg, nvidia-smi at 1 s)',
  date: '2026-06',
  provenance: 'third-party',
  note: 'Low-authority pages; no primary idle measurement of H200 was found.',
};
const NVIDIA_IDLE_FRACTION_OF_TDP = 80.3 / 700;
/** ExaDigiT RAPS config/frontier.yaml: MI250X power_gpu_idle 88 W, power_gpu_max 560 W. */
const AMD_IDLE_FRACTION_OF_TDP = 88 / 560;

const nvidiaIdle = (tdpWatts: number): Sourced =>
  sourced(Math.round(tdpWatts * NVIDIA_IDLE_FRACTION_OF_TDP), {
    source: `${H200_IDLE_MEASURED.source}; scaled by TDP`,
    date: H200_IDLE_MEASURED.date,
    provenance: 'assumption',
    note: `Assumption: idle = TDP × 80.3/700 (the H200 SXM measured idle fraction) = ${tdpWatts} × ${NVIDIA_IDLE_FRACTION_OF_TDP.toFixed(4)}. A loaded CUDA context adds 26–66 W over bare idle ("The Model Parking Tax", arXiv:2605.23918); replace with a measurement when one exists.`,
  });

const amdIdle = (tdpWatts: number): Sourced =>
  sourced(Math.round(tdpWatts * AMD_IDLE_FRACTION_OF_TDP), {
    source:
      'ExaDigiT/RAPS config/frontier.yaml (MI250X power_gpu_idle 88 W, power_gpu_max 560 W); scaled by TDP',
    date: 'repo snapshot',
    provenance: 'assumption',
    note: `Assumption: idle = TDP × 88/560 (MI250X idle/max in RAPS) = ${tdpWatts} × ${AMD_IDLE_FRACTION_OF_TDP.toFixed(4)}; no CDNA3/CDNA4 idle measurement found.`,
  });

// ---------------------------------------------------------------------------------------------
// Compact constructors (vendor units in, SI out)
// ---------------------------------------------------------------------------------------------

const withNote = (ref: SourceRef, note: string): SourceRef => ({
  ...ref,
  note: ref.note ? `${ref.note} ${note}` : note,
});
/**
 * Memory capacity: vendors' "GB" of HBM/GDDR is binary (stacks and chips hold 2^n bytes; an
 * H100 "80 GB" reports 81,559 MiB in nvidia-smi), so capacities convert as GiB.
 */
const gib = (v: number, ref: SourceRef): Sourced =>
  sourced(v * GIB, withNote(ref, 'Converted as GiB (binary capacity).'));
const tbps = (v: number, ref: SourceRef): Sourced => sourced(tbPerSecondToBytesPerSecond(v), ref);
const gbps = (v: number, ref: SourceRef): Sourced => sourced(gbPerSecondToBytesPerSecond(v), ref);
const tflops = (v: number, ref: SourceRef): Sourced => sourced(tflopsToFlopsPerSecond(v), ref);
const watts = (v: number, ref: SourceRef): Sourced => sourced(v, ref);
const count = (v: number, ref: SourceRef): Sourced => sourced(v, ref);
/** A vendor "with sparsity" figure halved to dense. */
const sparseTflopsToDense = (sparseTflops: number, ref: SourceRef): Sourced =>
  sourced(
    tflopsToFlopsPerSecond(sparseTflops / 2),
    withNote(ref, `Dense = ${sparseTflops} TFLOPS (with sparsity) / 2.`),
  );

// ---------------------------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------------------------

const HOPPER_INT8: SourceRef = {
  source:
    'NVIDIA H100 / H200 datasheets, SXM column https://www.nvidia.com/en-us/data-center/h100/',
  date: '2024',
  provenance: 'vendor-spec',
  note: 'INT8 Tensor Core 3,958 TOPS (with sparsity) → 1,979 dense; equal to the FP8 rate.',
};

/**
 * Streaming-read bandwidth of the `cpu-host` machine, measured by
 * `src/measure/engine/membw-probe.ts` (read kernel: memcmp of two 256 MiB buffers per worker,
 * one worker thread per core, median of 5 repetitions) on 2026-11-27 at 10:14 UTC, the least
 * loaded of the probe runs that day (1-minute load average 3.4 on 2 cores). The machine is
 * shared: the same probe gave 35 GB/s at load 4.3 and 9–21 GB/s while other processes used
 * 80% of the CPU (recorded with each run in data/measurements/cpu-llamacpp-2026-11-27*.json).
 * Varies by machine and by what else runs: override with `--catalog`.
 */
const CPU_HOST_READ_BYTES_PER_SECOND = 64.2e9;
const CPU_HOST_MEMBW: SourceRef = {
  source:
    'src/measure/engine/membw-probe.ts read kernel (2 worker_threads × Buffer.compare of two equal 256 MiB buffers, median of 5 repetitions), run by bench/llamacpp-decode.ts',
  date: '2026-11-27',
  provenance: 'measured',
  note: 'Probe runs on the shared 2-core machine gave 9–64 GB/s depending on the other load; the least-loaded run is taken.',
};

export const ACCELERATORS: Accelerator[] = [
  {
    id: 'h100-sxm',
    name: 'NVIDIA H100 SXM5 80GB',
    vendor: 'nvidia',
    productLine: 'H100',
    generation: 'hopper',
    formFactor: 'sxm',
    memoryBytes: gib(80, INFERENCEX),
    memoryBandwidthBytesPerSecond: tbps(3.35, INFERENCEX),
    peakFlopsPerSecond: {
      bf16: tflops(989, INFERENCEX),
      fp8: tflops(1979, INFERENCEX),
      int8: tflops(1979, HOPPER_INT8),
    },
    tdpWatts: watts(700, {
      source:
        "https://glennklockwood.com/garden/processors/h100 ('700 W maximum'); NVIDIA H100 datasheet 'up to 700W (configurable)'",
      date: '2024-2026',
      provenance: 'vendor-spec',
    }),
    idleWatts: nvidiaIdle(700),
    scaleUpBandwidthBytesPerSecond: gbps(
      450,
      withNote(INFERENCEX, 'NVLink 4, 18 links × 25 GB/s per direction.'),
    ),
    scaleUpDomainSize: count(8, INFERENCEX),
    hostLinkBytesPerSecond: gbps(64, PCIE_GEN5_X16),
  },
  {
    id: 'h100-nvl',
    name: 'NVIDIA H100 NVL 94GB (PCIe)',
    vendor: 'nvidia',
    productLine: 'H100',
    generation: 'hopper',
    formFactor: 'nvl',
    memoryBytes: gib(94, NVIDIA_H100_DATASHEET),
    memoryBandwidthBytesPerSecond: tbps(3.9, NVIDIA_H100_DATASHEET),
    peakFlopsPerSecond: {
      bf16: sparseTflopsToDense(1671, NVIDIA_H100_DATASHEET),
      fp8: sparseTflopsToDense(3341, NVIDIA_H100_DATASHEET),
      int8: sparseTflopsToDense(3341, NVIDIA_H100_DATASHEET),
    },
    tdpWatts: watts(
      400,
      withNote(NVIDIA_H100_DATASHEET, 'Max TDP 350–400 W (configurable); the upper bound is used.'),
    ),
    idleWatts: nvidiaIdle(400),
    scaleUpBandwidthBytesPerSecond: gbps(
      300,
      withNote(
        NVIDIA_H100_DATASHEET,
        'NVLink bridge 600 GB/s bidirectional = 300 GB/s per direction, between the two cards of a bridged pair only.',
      ),
    ),
    scaleUpDomainSize: count(
      2,
      withNote(
        NVIDIA_H100_DATASHEET,
        'NVLink bridges join cards in pairs; traffic between pairs crosses PCIe (not modelled here).',
      ),
    ),
    hostLinkBytesPerSecond: gbps(64, PCIE_GEN5_X16),
  },
  {
    id: 'h200-sxm',
    name: 'NVIDIA H200 SXM 141GB',
    vendor: 'nvidia',
    productLine: 'H200',
    generation: 'hopper',
    formFactor: 'sxm',
    memoryBytes: gib(141, INFERENCEX),
    memoryBandwidthBytesPerSecond: tbps(4.8, INFERENCEX),
    peakFlopsPerSecond: {
      bf16: tflops(989, INFERENCEX),
      fp8: tflops(1979, INFERENCEX),
      int8: tflops(1979, HOPPER_INT8),
    },
    tdpWatts: watts(700, {
      source:
        'https://itkb.uw.cz/2026/06/nvidia-h200-vs-b300-precisions-cores.html (table); https://www.saulelectric.com/nvidia-h200.html',
      date: '2024-2026',
      provenance: 'third-party',
      note: 'third-party summaries of NVIDIA spec',
    }),
    idleWatts: watts(80.3, H200_IDLE_MEASURED),
    scaleUpBandwidthBytesPerSecond: gbps(450, INFERENCEX),
    scaleUpDomainSize: count(8, INFERENCEX),
    hostLinkBytesPerSecond: gbps(64, PCIE_GEN5_X16),
  },
  {
    id: 'h200-nvl',
    name: 'NVIDIA H200 NVL 141GB (PCIe)',
    vendor: 'nvidia',
    productLine: 'H200',
    generation: 'hopper',
    formFactor: 'nvl',
    memoryBytes: gib(141, NVIDIA_H200_DATASHEET),
    memoryBandwidthBytesPerSecond: tbps(4.8, NVIDIA_H200_DATASHEET),
    peakFlopsPerSecond: {
      bf16: sparseTflopsToDense(1671, NVIDIA_H200_DATASHEET),
      fp8: sparseTflopsToDense(3341, NVIDIA_H200_DATASHEET),
      int8: sparseTflopsToDense(3341, NVIDIA_H200_DATASHEET),
    },
    tdpWatts: watts(600, withNote(NVIDIA_H200_DATASHEET, 'Max TDP up to 600 W (configurable).')),
    idleWatts: nvidiaIdle(600),
    scaleUpBandwidthBytesPerSecond: gbps(
      450,
      withNote(
        NVIDIA_H200_DATASHEET,
        '2- or 4-way NVLink bridge, 900 GB/s per GPU bidirectional = 450 GB/s per direction.',
      ),
    ),
    scaleUpDomainSize: count(
      4,
      withNote(
        NVIDIA_H200_DATASHEET,
        'Up to 4-way NVLink bridge; an 8-card server is two bridged quads joined over PCIe (not modelled here).',
      ),
    ),
    hostLinkBytesPerSecond: gbps(64, PCIE_GEN5_X16),
  },
  {
    id: 'b200',
    name: 'NVIDIA B200 SXM 180GB',
    vendor: 'nvidia',
    productLine: 'B200',
    generation: 'blackwell',
    formFactor: 'sxm',
    memoryBytes: gib(180, INFERENCEX),
    memoryBandwidthBytesPerSecond: tbps(8, INFERENCEX),
    peakFlopsPerSecond: {
      bf16: tflops(2250, INFERENCEX),
      fp8: tflops(4500, INFERENCEX),
      fp4: tflops(9000, INFERENCEX),
      int8: tflops(4500, {
        source:
          'NVIDIA HGX B200 spec table https://www.nvidia.com/en-us/data-center/hgx/ (INT8 Tensor Core 72 POPS with sparsity per 8 GPUs)',
        date: '2025',
        provenance: 'vendor-spec',
        note: 'Dense per GPU = 72 / 8 / 2 = 4.5 POPS, equal to the FP8 rate.',
      }),
    },
    tdpWatts: watts(1000, {
      source:
        'https://verda.com/blog/gb300-nvl72-architecture (table: B200 1 kW); NVIDIA docs: HGX B200 configurable up to 1 kW per GPU (via https://thedailyscout.com/s/mS-qfkbCluI)',
      date: '2024-2026',
      provenance: 'third-party',
      note: 'secondary',
    }),
    idleWatts: nvidiaIdle(1000),
    scaleUpBandwidthBytesPerSecond: gbps(900, withNote(INFERENCEX, 'NVLink 5.')),
    scaleUpDomainSize: count(8, INFERENCEX),
    hostLinkBytesPerSecond: gbps(64, PCIE_GEN5_X16),
  },
  {
    id: 'b300',
    name: 'NVIDIA B300 SXM (Blackwell Ultra)',
    vendor: 'nvidia',
    productLine: 'B300',
    generation: 'blackwell-ultra',
    formFactor: 'sxm',
    memoryBytes: gib(
      268,
      withNote(
        INFERENCEX,
        'NVIDIA quotes 288 GB HBM3E per Blackwell Ultra GPU; MLPerf system names say 270GB; InferenceX lists 268 GB, used here.',
      ),
    ),
    memoryBandwidthBytesPerSecond: tbps(8, INFERENCEX),
    peakFlopsPerSecond: {
      bf16: tflops(2250, INFERENCEX),
      fp8: tflops(4500, INFERENCEX),
      fp4: tflops(13500, INFERENCEX),
      // No int8 entry: Blackwell Ultra cut dense INT8 to a small fraction of FP8; engines do not run int8 GEMMs on it.
    },
    tdpWatts: watts(1100, {
      source:
        "mlcommons/inference_results_v6.1 summary.json notes 'B300 TGP 1100W' (NVIDIA DGX B300 entries); verda.com blog (1.1 kW)",
      date: '2024-2026',
      provenance: 'vendor-spec',
      note: 'submitter-stated',
    }),
    idleWatts: nvidiaIdle(1100),
    scaleUpBandwidthBytesPerSecond: gbps(900, INFERENCEX),
    scaleUpDomainSize: count(8, INFERENCEX),
    hostLinkBytesPerSecond: gbps(
      64,
      withNote(
        PCIE_GEN5_X16,
        'HGX B300 routes GPUs through ConnectX-8 PCIe Gen6 switches, but host CPUs are Gen5, so Gen5 x16 bounds host transfers.',
      ),
    ),
  },
  {
    id: 'gb200',
    name: 'NVIDIA GB200 (one Blackwell GPU of a GB200 superchip, NVL72)',
    vendor: 'nvidia',
    productLine: 'GB200',
    generation: 'blackwell',
    formFactor: 'superchip',
    memoryBytes: gib(186, {
      source:
        'mlcommons/inference_results_v5.1 summary_results.json (ID 5.1-0070); https://github.com/mlcommons/inference_results_v5.1/tree/main/closed/NVIDIA/results/GB200-NVL72_GB200-186GB_aarch64x4_TRT',
      date: '2025-09-09',
      provenance: 'vendor-spec',
      note: "NVIDIA names the part GB200-186GB in its MLPerf systems, matching NVIDIA's 13.4 TB HBM3e per 72 GPUs; InferenceX lists 192 GB (the raw 8 × 24 GB stacks). The usable 186 GB is what an engine can allocate, so it is used for capacity.",
    }),
    memoryBandwidthBytesPerSecond: tbps(8, INFERENCEX),
    peakFlopsPerSecond: {
      bf16: tflops(2500, INFERENCEX),
      fp8: tflops(5000, INFERENCEX),
      fp4: tflops(10000, INFERENCEX),
      int8: tflops(5000, {
        source:
          'NVIDIA GB200 NVL72 spec table https://www.nvidia.com/en-us/data-center/gb200-nvl72/ (INT8 Tensor Core 720 POPS with sparsity per 72 GPUs)',
        date: '2025',
        provenance: 'vendor-spec',
        note: 'Dense per GPU = 720 / 72 / 2 = 5 POPS, equal to the FP8 rate.',
      }),
    },
    tdpWatts: watts(1200, {
      source:
        "mlcommons/inference_results_v6.1 summary.json notes 'NVIDIA GB200 NVL72, 1200W TGP Per GPU'",
      date: '2024-2026',
      provenance: 'vendor-spec',
      note: 'submitter-stated',
    }),
    idleWatts: nvidiaIdle(1200),
    scaleUpBandwidthBytesPerSecond: gbps(900, INFERENCEX),
    scaleUpDomainSize: count(72, INFERENCEX),
    hostLinkBytesPerSecond: gbps(450, NVLINK_C2C),
  },
  {
    id: 'gb300',
    name: 'NVIDIA GB300 (one Blackwell Ultra GPU of a GB300 superchip, NVL72)',
    vendor: 'nvidia',
    productLine: 'GB300',
    generation: 'blackwell-ultra',
    formFactor: 'superchip',
    memoryBytes: gib(288, INFERENCEX),
    memoryBandwidthBytesPerSecond: tbps(8, INFERENCEX),
    peakFlopsPerSecond: {
      bf16: tflops(2500, INFERENCEX),
      fp8: tflops(5000, INFERENCEX),
      fp4: tflops(15000, INFERENCEX),
    },
    tdpWatts: watts(1400, {
      source:
        "mlcommons/inference_results_v6.1 summary.json notes 'NVIDIA GB300 NVL72, 1400W TGP Per GPU'; epium.com (Morgan Stanley model: 1,400 W)",
      date: '2024-2026',
      provenance: 'vendor-spec',
      note: 'submitter-stated',
    }),
    idleWatts: nvidiaIdle(1400),
    scaleUpBandwidthBytesPerSecond: gbps(900, INFERENCEX),
    scaleUpDomainSize: count(72, INFERENCEX),
    hostLinkBytesPerSecond: gbps(450, NVLINK_C2C),
  },
  {
    id: 'mi300x',
    name: 'AMD Instinct MI300X 192GB',
    vendor: 'amd',
    productLine: 'MI300X',
    generation: 'cdna3',
    formFactor: 'oam',
    memoryBytes: gib(192, INFERENCEX),
    memoryBandwidthBytesPerSecond: tbps(5.3, INFERENCEX),
    peakFlopsPerSecond: {
      bf16: tflops(1307, INFERENCEX),
      fp8: tflops(2615, INFERENCEX),
      int8: tflops(2615, withNote(AMD_MI300X_DATASHEET, 'INT8 2,614.9 TOPS dense, equal to FP8.')),
    },
    tdpWatts: watts(750, {
      source:
        "mlcommons/inference_results_v4.1 summary (accelerator name 'MI300X-NPS1-SPX-192GB-750W')",
      date: '2024-2026',
      provenance: 'vendor-spec',
      note: 'submitter-stated',
    }),
    idleWatts: amdIdle(750),
    scaleUpBandwidthBytesPerSecond: gbps(
      448,
      withNote(INFERENCEX, 'Infinity Fabric: 7 links × 64 GB/s per direction, full mesh of 8.'),
    ),
    scaleUpDomainSize: count(8, INFERENCEX),
    hostLinkBytesPerSecond: gbps(
      64,
      withNote(
        PCIE_GEN5_X16,
        'MI300X OAM host interface is PCIe Gen5 x16 (AMD datasheet: 128 GB/s).',
      ),
    ),
  },
  {
    id: 'mi325x',
    name: 'AMD Instinct MI325X 256GB',
    vendor: 'amd',
    productLine: 'MI325X',
    generation: 'cdna3',
    formFactor: 'oam',
    memoryBytes: gib(256, INFERENCEX),
    memoryBandwidthBytesPerSecond: tbps(6, INFERENCEX),
    peakFlopsPerSecond: {
      bf16: tflops(1307, INFERENCEX),
      fp8: tflops(2615, INFERENCEX),
      int8: tflops(
        2615,
        withNote(
          AMD_MI300X_DATASHEET,
          'MI325X keeps the MI300X compute die; INT8 equals FP8 (2,614.9 TOPS dense).',
        ),
      ),
    },
    tdpWatts: watts(1000, {
      source:
        'https://www.svethardware.cz/amd-predstavilo-instinct-mi325x-s-256gb-pameti-hbm3e-slibuje-i-vykonnejsi-mi355x/61224 (TBP 750 W -> 1000 W)',
      date: '2024-2026',
      provenance: 'third-party',
      note: 'press',
    }),
    idleWatts: amdIdle(1000),
    scaleUpBandwidthBytesPerSecond: gbps(448, INFERENCEX),
    scaleUpDomainSize: count(8, INFERENCEX),
    hostLinkBytesPerSecond: gbps(64, PCIE_GEN5_X16),
  },
  {
    id: 'mi355x',
    name: 'AMD Instinct MI355X 288GB',
    vendor: 'amd',
    productLine: 'MI355X',
    generation: 'cdna4',
    formFactor: 'oam',
    memoryBytes: gib(288, INFERENCEX),
    memoryBandwidthBytesPerSecond: tbps(8, INFERENCEX),
    peakFlopsPerSecond: {
      bf16: tflops(2516, INFERENCEX),
      fp8: tflops(5033, INFERENCEX),
      fp4: tflops(
        10066,
        withNote(
          INFERENCEX,
          'MXFP4/MXFP6 (OCP MX block scales); CDNA4 has no NVFP4 (E4M3-scaled) mode.',
        ),
      ),
      int8: tflops(5033, {
        source:
          'AMD Instinct MI355X product page https://www.amd.com/en/products/accelerators/instinct/mi350/mi355x.html',
        date: '2025-06',
        provenance: 'vendor-spec',
        note: 'INT8 dense equals the FP8 rate on CDNA4.',
      }),
    },
    tdpWatts: watts(1400, {
      source:
        'https://www.tomshardware.com/pc-components/gpus/amds-instinct-mi355x-accelerator-will-consume-1-400-watts ; https://www.theregister.com/2025/06/12/amd_mi355x/',
      date: '2024-2026',
      provenance: 'third-party',
      note: 'press (AMD ISC 2025 / launch)',
    }),
    idleWatts: amdIdle(1400),
    scaleUpBandwidthBytesPerSecond: gbps(
      576,
      withNote(INFERENCEX, 'Infinity Fabric mesh 7 × 76.8 GB/s (rounded by InferenceX to 576).'),
    ),
    scaleUpDomainSize: count(8, INFERENCEX),
    hostLinkBytesPerSecond: gbps(64, PCIE_GEN5_X16),
  },
  {
    id: 'rtx-4090',
    name: 'NVIDIA GeForce RTX 4090 24GB',
    vendor: 'nvidia',
    productLine: 'RTX 4090',
    generation: 'ada',
    formFactor: 'pcie',
    memoryBytes: gib(24, NVIDIA_ADA_WHITEPAPER),
    memoryBandwidthBytesPerSecond: gbps(
      1008,
      withNote(
        NVIDIA_ADA_WHITEPAPER,
        '1,008 GB/s GDDR6X; LLMServingSim bench config for the vLLM trace uses the same 1008 GB/s.',
      ),
    ),
    peakFlopsPerSecond: {
      bf16: tflops(
        165.2,
        withNote(
          NVIDIA_ADA_WHITEPAPER,
          'BF16 with FP32 accumulate, dense (GeForce runs FP32-accumulate at half the FP16-accumulate rate).',
        ),
      ),
      fp8: tflops(330.3, withNote(NVIDIA_ADA_WHITEPAPER, 'FP8 with FP32 accumulate, dense.')),
      int8: tflops(660.6, withNote(NVIDIA_ADA_WHITEPAPER, 'INT8 dense TOPS.')),
    },
    tdpWatts: watts(450, withNote(NVIDIA_ADA_WHITEPAPER, 'Total graphics power 450 W.')),
    idleWatts: nvidiaIdle(450),
    scaleUpBandwidthBytesPerSecond: gbps(
      32,
      withNote(
        PCIE_GEN4_X16,
        'No NVLink: GPU-to-GPU traffic crosses PCIe (GeForce drivers disable peer-to-peer, so it is staged through host memory).',
      ),
    ),
    scaleUpDomainSize: count(8, {
      source: 'aifactory assumption (no vendor figure for a GeForce multi-GPU domain)',
      provenance: 'assumption',
      note: 'PCIe "domain": up to 8 cards under one host (8-GPU RTX 4090 servers exist); collectives run over PCIe at the scale-up bandwidth above.',
    }),
    hostLinkBytesPerSecond: gbps(32, PCIE_GEN4_X16),
  },
  {
    id: 'rtx-pro-6000',
    name: 'NVIDIA RTX PRO 6000 Blackwell 96GB (Workstation / Server Edition)',
    vendor: 'nvidia',
    productLine: 'RTX PRO 6000',
    generation: 'blackwell-gb202',
    formFactor: 'pcie',
    memoryBytes: gib(96, NVIDIA_RTX_PRO_6000),
    memoryBandwidthBytesPerSecond: gbps(
      1792,
      withNote(
        NVIDIA_RTX_PRO_6000,
        '512-bit GDDR7 at 28 Gbps = 1,792 GB/s. The LLMServingSim config beside the vLLM traces uses 1,597 GB/s (a measured-looking figure); the vendor peak is kept here and efficiency belongs to calibration.',
      ),
    ),
    peakFlopsPerSecond: {
      bf16: tflops(
        503.8,
        withNote(NVIDIA_RTX_PRO_6000, 'BF16 dense with FP32 accumulate (full rate on RTX PRO).'),
      ),
      fp8: tflops(1007.6, withNote(NVIDIA_RTX_PRO_6000, 'FP8 dense with FP32 accumulate.')),
      fp4: tflops(
        2015.2,
        withNote(
          NVIDIA_RTX_PRO_6000,
          'FP4 dense; NVIDIA markets 4,000 "AI TOPS" = FP4 with sparsity.',
        ),
      ),
      int8: tflops(1007.6, withNote(NVIDIA_RTX_PRO_6000, 'INT8 dense TOPS.')),
    },
    tdpWatts: watts(
      600,
      withNote(
        NVIDIA_RTX_PRO_6000,
        'Workstation and Server Editions: up to 600 W (Max-Q Edition: 300 W).',
      ),
    ),
    idleWatts: nvidiaIdle(600),
    scaleUpBandwidthBytesPerSecond: gbps(
      64,
      withNote(
        PCIE_GEN5_X16,
        'No NVLink on RTX PRO 6000 Blackwell: GPU-to-GPU traffic crosses PCIe Gen5 x16.',
      ),
    ),
    scaleUpDomainSize: count(8, {
      source:
        'NVIDIA RTX PRO Server (8 × RTX PRO 6000 Blackwell Server Edition) https://www.nvidia.com/en-us/data-center/rtx-pro-server/',
      date: '2025',
      provenance: 'vendor-spec',
      note: 'PCIe "domain": up to 8 cards per server; collectives run over PCIe.',
    }),
    hostLinkBytesPerSecond: gbps(64, PCIE_GEN5_X16),
  },
  /**
   * The CPU that runs the project's own llama.cpp measurements (issue 5 item 4): a 2-vCPU AMD
   * EPYC (family 26 = Zen 5) VM slice with 24 GB of memory. Its bandwidth is *measured* by
   * `src/measure/engine/membw-probe.ts` on this machine, not a datasheet peak; its FLOP/s is a
   * stated assumption. Another machine has other figures: override this entry with
   * `--catalog ext.yaml` (`accelerators: [{ id: cpu-host, replace: true, … }]`) using your own
   * probe result (`npx tsx bench/llamacpp-decode.ts` prints and records it).
   */
  {
    id: 'cpu-host',
    name: 'Host CPU: AMD EPYC (Zen 5) VM, 2 vCPUs, measured',
    vendor: 'amd',
    productLine: 'EPYC',
    generation: 'cpu',
    formFactor: 'pcie',
    memoryBytes: sourced(24105 * 2 ** 20, {
      source: '/proc/meminfo MemTotal on the measurement machine (24,105 MiB)',
      date: '2026-11-27',
      provenance: 'measured',
    }),
    memoryBandwidthBytesPerSecond: sourced(CPU_HOST_READ_BYTES_PER_SECOND, CPU_HOST_MEMBW),
    peakFlopsPerSecond: {
      bf16: sourced(2 * 64 * 2.096e9, {
        source:
          '2 cores × 64 FP32 FLOP/cycle (two 512-bit FMA pipes per Zen 5 core: 2 × 16 lanes × 2) × 2.096 GHz (/proc/cpuinfo cpu MHz)',
        date: '2026-11-27',
        provenance: 'assumption',
        note: 'llama.cpp computes F16-weight GEMMs by converting to FP32 and using FP32 FMAs, so the FP32 FMA rate stands in the bf16 slot. The VM may boost above 2.096 GHz (higher) or share cores (lower). A nominal ceiling: what llama.cpp achieves is measured as the GEMM efficiency `aifactory validate bench` fits to the prefill runs of a result (F16 prompts of 64–256 tokens: 110–116 GFLOP/s, η ≈ 0.44, data/measurements/cpu-llamacpp-2026-11-27-f16-batched.json).',
      }),
      int8: sourced(2 * 256 * 2.096e9, {
        source:
          '2 cores × 256 int8 OP/cycle (two 512-bit VPDPBUSD per cycle: 2 × 64 u8·s8 multiply-adds × 2) × 2.096 GHz (/proc/cpuinfo cpu MHz); AVX-512 VNNI is in /proc/cpuinfo flags (avx512_vnni) and in the loaded ggml-cpu backend (llama_print_system_info: AVX512_VNNI = 1)',
        date: '2026-11-27',
        provenance: 'assumption',
        note: 'The rate of llama.cpp Q8_0 GEMMs (weights and activations in Q8_0 blocks, int8 dot products). A nominal ceiling: the issue rate of VPDPBUSD on Zen 5 is assumed, not measured. What llama.cpp achieves on this machine is measured instead, as the GEMM compute efficiency `aifactory validate bench` fits to the prefill runs recorded with each measurement (Q8_0 prompts of 64–256 tokens: 169–189 GFLOP/s, η ≈ 0.17, data/measurements/cpu-llamacpp-2026-11-27-q8_0.json).',
      }),
    },
    tdpWatts: sourced(8, {
      source:
        'AMD EPYC 9005 (Zen 5) series: 500 W default TDP for 128 cores ≈ 3.9 W per core, × 2 vCPUs',
      date: '2024-10',
      provenance: 'assumption',
      note: 'A VM slice has no TDP of its own; this is the per-core share of a socket, rounded up.',
    }),
    idleWatts: sourced(2, {
      source: 'assumption: a quarter of the per-core TDP share',
      date: '2026-11-27',
      provenance: 'assumption',
    }),
    scaleUpBandwidthBytesPerSecond: sourced(CPU_HOST_READ_BYTES_PER_SECOND, {
      ...CPU_HOST_MEMBW,
      note: 'No scale-up link: threads of one process share memory, so the memory bandwidth stands in. Unused at tp = 1.',
    }),
    scaleUpDomainSize: sourced(1, {
      source: 'one CPU process; no scale-up domain',
      provenance: 'assumption',
    }),
    hostLinkBytesPerSecond: sourced(CPU_HOST_READ_BYTES_PER_SECOND, {
      ...CPU_HOST_MEMBW,
      note: 'The host memory is the memory: no PCIe hop.',
    }),
  },
];
