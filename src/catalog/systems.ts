/**
 * Systems: what is bought and racked — accelerators plus host (CPUs, memory, NICs, storage,
 * fans), a share of the network, and a price. Power is split so that
 * system power = accelerators + host + network share.
 *
 * Host power is "sourced system max power − accelerator TDPs" where a system max power is
 * published (DGX H100 10.2 kW, DGX B200 14.3 kW, DGX B300 14.5 kW, NVL72 racks ~120 kW); other
 * systems reuse those residuals as labelled assumptions. Prices come from the `capex` items of
 * reference/public-data.json where present; the rest are built from per-GPU street prices plus
 * the non-GPU content implied by the DGX H100 price, and are low-confidence assumptions.
 */
import { sourced, type Sourced, type SourceRef } from '../core/source.js';
import { kwToWatts } from '../core/units.js';
import type { System } from './types.js';

// ---------------------------------------------------------------------------------------------
// Power sources
// ---------------------------------------------------------------------------------------------

const DGX_H100_POWER: SourceRef = {
  source:
    "SemiAnalysis 'AI Datacenter Energy Dilemma' https://www.semianalysis.com/p/ai-datacenter-energy-dilemma-race (text mirrored in public repos); NVIDIA DGX H100 rated ~10.2 kW max (Epoch AI ChatGPT energy spreadsheet https://docs.google.com/spreadsheets/d/1Xe1WXNaZ0IZuuRAJP62xf_ufmwUhgRhtp446bTHnUOM)",
  date: '2024-03',
  provenance: 'derived',
};
const DGX_H100_MAX_KW = 10.2;
/** SemiAnalysis: 11,112 W per DGX H100 incl. storage, management and network switches. */
const DGX_H100_WITH_NETWORK_W = 11_112;

const DGX_B200_POWER: SourceRef = {
  source: 'NVIDIA DGX B200 docs, as summarised at https://thedailyscout.com/s/mS-qfkbCluI',
  date: '2026',
  provenance: 'derived',
  note: 'secondary summary of docs.nvidia.com; DGX B200 14.3 kW max, DGX B300 14.5 kW.',
};

const GB200_RACK: SourceRef = {
  source:
    'https://introl.com/blog/gb200-nvl72-deployment-72-gpu-liquid-cooled (GB200 NVL72 rack ~120 kW)',
  date: '2025-12',
  provenance: 'derived',
};
const GB300_RACK: SourceRef = {
  source:
    'https://introl.com/blog/why-nvidia-gb300-nvl72-blackwell-ultra-matters (GB300 NVL72 ~120 kW; 9 NVLink switch trays 3.6 kW total; 18 compute trays ~6.5 kW each)',
  date: '2025',
  provenance: 'derived',
};
const NVL72_RACK_KW = 120;
const NVL72_SWITCH_TRAYS_W = 3_600;

/**
 * Scale-out network share per GPU: the DGX H100 figure with network (11,112 W) minus the server
 * (10,200 W), spread over its 8 GPUs. Includes storage and management share.
 */
const NETWORK_SHARE_PER_GPU_W = (DGX_H100_WITH_NETWORK_W - kwToWatts(DGX_H100_MAX_KW)) / 8;
const networkShare = (gpus: number, extraW = 0, extraNote = ''): Sourced =>
  sourced(NETWORK_SHARE_PER_GPU_W * gpus + extraW, {
    ...DGX_H100_POWER,
    provenance: extraNote === '' ? 'derived' : 'assumption',
    note: `(11,112 W − 10,200 W) / 8 = ${NETWORK_SHARE_PER_GPU_W} W per GPU of scale-out switches, storage and management (DGX H100, SemiAnalysis) × ${gpus} GPUs${extraNote}.`,
  });

/**
 * Host idle, built from ExaDigiT RAPS component powers (CPU idle 90 W each, memory 74.26 W per
 * node, NIC 20 W each). Fans, NVSwitch chips and PSU losses at idle are not counted.
 */
const RAPS: SourceRef = {
  source: 'ExaDigiT/RAPS config/frontier.yaml (CPU idle 90 W, memory 74.26 W per node, NIC 20 W)',
  date: 'repo snapshot',
  provenance: 'assumption',
};
const rapsHostIdle = (nodes: number, cpusPerNode: number, nicsPerNode: number): Sourced => {
  const perNode = cpusPerNode * 90 + 74.26 + nicsPerNode * 20;
  return sourced(perNode * nodes, {
    ...RAPS,
    note: `Assumption: ${nodes} node(s) × (${cpusPerNode} CPUs × 90 W + 74.26 W memory + ${nicsPerNode} NICs × 20 W) = ${(perNode * nodes).toFixed(2)} W; fans, switch chips and PSU losses at idle not counted.`,
  });
};

/** Host power of a server = its sourced max power − its accelerators' TDP. */
const residualHost = (
  systemMaxW: number,
  gpus: number,
  gpuTdpW: number,
  ref: SourceRef,
  extraW = 0,
): Sourced => {
  const value = systemMaxW - gpus * gpuTdpW - extraW;
  return sourced(value, {
    ...ref,
    note: `${ref.note ? `${ref.note} ` : ''}Host = ${systemMaxW} W system max − ${gpus} × ${gpuTdpW} W GPU TDP${extraW ? ` − ${extraW} W in-rack switches` : ''} = ${value} W (includes CPUs, memory, NICs, fans, PSU losses).`,
  });
};

const HGX_H100_HOST = residualHost(kwToWatts(DGX_H100_MAX_KW), 8, 700, DGX_H100_POWER);
const sameHostAsDgxH100 = (why: string): Sourced =>
  sourced(HGX_H100_HOST.value, {
    ...DGX_H100_POWER,
    provenance: 'assumption',
    note: `Assumption: same non-GPU host power as DGX H100 (10.2 kW − 8 × 700 W = ${HGX_H100_HOST.value} W); ${why}`,
  });

// ---------------------------------------------------------------------------------------------
// Price sources
// ---------------------------------------------------------------------------------------------

const DGX_H100_PRICE: SourceRef = {
  source:
    "epoch-research/training-cost-trends (notebook text citing SemiAnalysis 'AI server cost analysis' and Raymond James)",
  date: '2023-05',
  provenance: 'third-party',
  note: 'DGX H100 server sale price (SemiAnalysis estimate) 270,000 USD; H100 sold for $25,000–30,000 (Raymond James, 2023-08).',
};
const DGX_H100_PRICE_USD = 270_000;
/** Raymond James via Barron's: H100 sold for $25,000–30,000; midpoint. */
const H100_SALE_PRICE_USD = 27_500;
/** Non-GPU content of an 8-GPU server implied by the DGX H100 price. */
const NON_GPU_SERVER_USD = DGX_H100_PRICE_USD - 8 * H100_SALE_PRICE_USD;

const STREET_PRICES: SourceRef = {
  source:
    'https://www.aiinframap.com/tools/chips/h100-vs-h200-vs-b200-tco (GPU street price estimates mid-2026: H100 ~30,000; H200 ~35,000; B200 ~40,000 USD)',
  date: '2026',
  provenance: 'assumption',
  note: 'LOW CONFIDENCE (tool states ±20–40%, not audited).',
};
const INFERENCEX_TCO: SourceRef = {
  source:
    'SemiAnalysisAI/InferenceX-app packages/app/src/lib/constants.ts (GPU_SPECS; commit 77ca49a), TCO costh (hyperscaler owner, USD per GPU-hour)',
  date: '2026-04-03',
  provenance: 'assumption',
};
const MI300X_STREET: SourceRef = {
  source: 'https://awesomeagents.ai/hardware/amd-mi300x ("Street pricing around $10,000-$15,000")',
  date: '2026',
  provenance: 'assumption',
  note: 'LOW CONFIDENCE third-party estimate; midpoint 12,500 USD used.',
};
const GB300_RACK_PRICE: SourceRef = {
  source:
    'https://awesomeagents.ai/hardware/nvidia-gb300-nvl72 (GB300 NVL72 rack price 3–4 million USD)',
  date: '2025',
  provenance: 'assumption',
  note: 'LOW CONFIDENCE third-party estimate; midpoint 3.5 million USD used.',
};
const GB300_RACK_PRICE_USD = 3_500_000;
/** InferenceX code comment: "B300/GB300 pricing temporary = 1.2x B200/GB200". */
const BLACKWELL_ULTRA_PRICE_FACTOR = 1.2;

/** Price of an 8-GPU server built as 8 × GPU price + the DGX H100-implied non-GPU content. */
const eightGpuServerPrice = (gpuPriceUsd: number, ref: SourceRef, how: string): Sourced => {
  const value = Math.round(8 * gpuPriceUsd + NON_GPU_SERVER_USD);
  return sourced(value, {
    ...ref,
    provenance: 'assumption',
    note: `${ref.note ? `${ref.note} ` : ''}Assumption: 8 × ${Math.round(gpuPriceUsd)} USD per GPU (${how}) + ${NON_GPU_SERVER_USD} USD non-GPU content (DGX H100 270,000 − 8 × 27,500, ${DGX_H100_PRICE.source}) = ${value} USD.`,
  });
};

const MI300X_GPU_USD = 12_500;
/** InferenceX owner TCO rates (USD per GPU-hour) used to scale AMD prices from MI300X. */
const COSTH = { mi300x: 1.12, mi325x: 1.28, mi355x: 1.48 } as const;
const amdGpuPrice = (part: keyof typeof COSTH): number =>
  (MI300X_GPU_USD * COSTH[part]) / COSTH.mi300x;

const WORKSTATION_NETWORK: Sourced = sourced(5, {
  source: 'aifactory assumption (one port of an office 1/10 GbE switch)',
  provenance: 'assumption',
  note: 'A workstation has no scale-out fabric; 5 W stands for its share of an office switch.',
});

// ---------------------------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------------------------

export const SYSTEMS: System[] = [
  {
    id: 'hgx-h100-8gpu',
    name: 'NVIDIA HGX H100 8-GPU (DGX H100 class)',
    acceleratorId: 'h100-sxm',
    acceleratorCount: 8,
    scaleUpDomainSize: 8,
    hostPowerWatts: HGX_H100_HOST,
    networkPowerWatts: networkShare(8),
    hostIdlePowerWatts: rapsHostIdle(1, 2, 9),
    priceUsd: sourced(DGX_H100_PRICE_USD, DGX_H100_PRICE),
    ref: {
      source:
        'NVIDIA DGX H100 datasheet https://www.nvidia.com/en-us/data-center/dgx-h100/ (8 × H100 SXM, 4 NVSwitch, 2 × Xeon 8480C, 8 × ConnectX-7 + 2 × BlueField-3)',
      date: '2023',
      provenance: 'vendor-spec',
    },
  },
  {
    id: 'hgx-h200-8gpu',
    name: 'NVIDIA HGX H200 8-GPU',
    acceleratorId: 'h200-sxm',
    acceleratorCount: 8,
    scaleUpDomainSize: 8,
    hostPowerWatts: sameHostAsDgxH100(
      'DGX H200 uses the DGX H100 chassis and host (NVIDIA lists ~10.2 kW max for both).',
    ),
    networkPowerWatts: networkShare(8, 0, ' (assumption: same host and fabric as DGX H100)'),
    hostIdlePowerWatts: rapsHostIdle(1, 2, 9),
    priceUsd: eightGpuServerPrice(35_000, STREET_PRICES, 'H200 street price'),
    ref: {
      source:
        'NVIDIA HGX H200 https://www.nvidia.com/en-us/data-center/h200/ (8 × H200 SXM on an NVSwitch baseboard)',
      date: '2024',
      provenance: 'vendor-spec',
    },
  },
  {
    id: 'hgx-b200-8gpu',
    name: 'NVIDIA HGX B200 8-GPU (DGX B200 class)',
    acceleratorId: 'b200',
    acceleratorCount: 8,
    scaleUpDomainSize: 8,
    hostPowerWatts: residualHost(kwToWatts(14.3), 8, 1000, DGX_B200_POWER),
    networkPowerWatts: networkShare(8, 0, ' (assumption: same per-GPU fabric share as DGX H100)'),
    hostIdlePowerWatts: rapsHostIdle(1, 2, 9),
    priceUsd: eightGpuServerPrice(40_000, STREET_PRICES, 'B200 street price'),
    ref: {
      source:
        'NVIDIA DGX B200 https://www.nvidia.com/en-us/data-center/dgx-b200/ (8 × B200 SXM, NVLink 5 switch baseboard, ~14.3 kW max)',
      date: '2024',
      provenance: 'vendor-spec',
    },
  },
  {
    id: 'hgx-b300-8gpu',
    name: 'NVIDIA HGX B300 8-GPU (DGX B300 class)',
    acceleratorId: 'b300',
    acceleratorCount: 8,
    scaleUpDomainSize: 8,
    hostPowerWatts: residualHost(kwToWatts(14.5), 8, 1100, DGX_B200_POWER),
    networkPowerWatts: networkShare(8, 0, ' (assumption: same per-GPU fabric share as DGX H100)'),
    hostIdlePowerWatts: rapsHostIdle(1, 2, 9),
    priceUsd: eightGpuServerPrice(
      40_000 * BLACKWELL_ULTRA_PRICE_FACTOR,
      {
        ...STREET_PRICES,
        note: `${STREET_PRICES.note} B300 = 1.2 × B200, the InferenceX placeholder rule (${INFERENCEX_TCO.source}).`,
      },
      'B200 street price × 1.2',
    ),
    ref: {
      source:
        'NVIDIA DGX B300 https://www.nvidia.com/en-us/data-center/dgx-b300/ (8 × B300, ~14.5 kW max)',
      date: '2025',
      provenance: 'vendor-spec',
    },
  },
  {
    id: 'gb200-nvl72',
    name: 'NVIDIA GB200 NVL72 rack',
    acceleratorId: 'gb200',
    acceleratorCount: 72,
    scaleUpDomainSize: 72,
    hostPowerWatts: residualHost(
      kwToWatts(NVL72_RACK_KW),
      72,
      1200,
      {
        ...GB200_RACK,
        note: 'Switch-tray power (3.6 kW) taken from the GB300 NVL72 breakdown (same NVLink switch trays). Caution: GB300 NVL72, with the same Grace host content, leaves only 15.6 kW under the same ~120 kW figure, so this residual likely includes rating headroom; replace with a measured tray power when available.',
      },
      NVL72_SWITCH_TRAYS_W,
    ),
    networkPowerWatts: networkShare(
      72,
      NVL72_SWITCH_TRAYS_W,
      ' + 3,600 W for 9 NVLink switch trays (introl GB300 NVL72 breakdown)',
    ),
    hostIdlePowerWatts: rapsHostIdle(18, 2, 5),
    priceUsd: sourced(Math.round(GB300_RACK_PRICE_USD / BLACKWELL_ULTRA_PRICE_FACTOR), {
      ...GB300_RACK_PRICE,
      note: `${GB300_RACK_PRICE.note} Assumption: GB200 NVL72 = GB300 NVL72 price / 1.2, inverting the InferenceX rule "B300/GB300 pricing temporary = 1.2x B200/GB200" (${INFERENCEX_TCO.source}).`,
    }),
    ref: {
      source:
        'NVIDIA GB200 NVL72 https://www.nvidia.com/en-us/data-center/gb200-nvl72/ (18 compute trays × 2 GB200 superchips, 9 NVLink switch trays)',
      date: '2024',
      provenance: 'vendor-spec',
    },
  },
  {
    id: 'gb300-nvl72',
    name: 'NVIDIA GB300 NVL72 rack',
    acceleratorId: 'gb300',
    acceleratorCount: 72,
    scaleUpDomainSize: 72,
    hostPowerWatts: residualHost(
      kwToWatts(NVL72_RACK_KW),
      72,
      1400,
      GB300_RACK,
      NVL72_SWITCH_TRAYS_W,
    ),
    networkPowerWatts: networkShare(
      72,
      NVL72_SWITCH_TRAYS_W,
      ' + 3,600 W for 9 NVLink switch trays (introl GB300 NVL72 breakdown)',
    ),
    hostIdlePowerWatts: rapsHostIdle(18, 2, 5),
    priceUsd: sourced(GB300_RACK_PRICE_USD, GB300_RACK_PRICE),
    ref: {
      source:
        'NVIDIA GB300 NVL72 https://www.nvidia.com/en-us/data-center/gb300-nvl72/ (18 compute trays × 2 GB300 superchips, 9 NVLink switch trays)',
      date: '2025',
      provenance: 'vendor-spec',
    },
  },
  {
    id: 'mi300x-8gpu',
    name: 'AMD Instinct MI300X Platform (8 × OAM)',
    acceleratorId: 'mi300x',
    acceleratorCount: 8,
    scaleUpDomainSize: 8,
    hostPowerWatts: sameHostAsDgxH100(
      'no published max power for MI300X 8-GPU servers; host content (2 CPUs, 8 NICs, fans) is comparable.',
    ),
    networkPowerWatts: networkShare(8, 0, ' (assumption: same per-GPU fabric share as DGX H100)'),
    hostIdlePowerWatts: rapsHostIdle(1, 2, 9),
    priceUsd: eightGpuServerPrice(MI300X_GPU_USD, MI300X_STREET, 'MI300X street price midpoint'),
    ref: {
      source:
        'AMD Instinct MI300X Platform https://www.amd.com/en/products/accelerators/instinct/mi300/platform.html (8 × MI300X OAM, Infinity Fabric mesh)',
      date: '2023-12',
      provenance: 'vendor-spec',
    },
  },
  {
    id: 'mi325x-8gpu',
    name: 'AMD Instinct MI325X Platform (8 × OAM)',
    acceleratorId: 'mi325x',
    acceleratorCount: 8,
    scaleUpDomainSize: 8,
    hostPowerWatts: sameHostAsDgxH100('no published max power for MI325X 8-GPU servers.'),
    networkPowerWatts: networkShare(8, 0, ' (assumption: same per-GPU fabric share as DGX H100)'),
    hostIdlePowerWatts: rapsHostIdle(1, 2, 9),
    priceUsd: eightGpuServerPrice(
      amdGpuPrice('mi325x'),
      {
        ...MI300X_STREET,
        note: `${MI300X_STREET.note} Scaled by InferenceX owner TCO rates MI325X/MI300X = 1.28/1.12 (${INFERENCEX_TCO.source}).`,
      },
      'MI300X price × InferenceX TCO ratio 1.28/1.12',
    ),
    ref: {
      source:
        'AMD Instinct MI325X Platform https://www.amd.com/en/products/accelerators/instinct/mi300/mi325x.html',
      date: '2024-10',
      provenance: 'vendor-spec',
    },
  },
  {
    id: 'mi355x-8gpu',
    name: 'AMD Instinct MI355X Platform (8 × OAM)',
    acceleratorId: 'mi355x',
    acceleratorCount: 8,
    scaleUpDomainSize: 8,
    hostPowerWatts: sameHostAsDgxH100(
      'no published max power for MI355X 8-GPU servers (liquid-cooled, fewer fans).',
    ),
    networkPowerWatts: networkShare(8, 0, ' (assumption: same per-GPU fabric share as DGX H100)'),
    hostIdlePowerWatts: rapsHostIdle(1, 2, 9),
    priceUsd: eightGpuServerPrice(
      amdGpuPrice('mi355x'),
      {
        ...MI300X_STREET,
        note: `${MI300X_STREET.note} Scaled by InferenceX owner TCO rates MI355X/MI300X = 1.48/1.12 (${INFERENCEX_TCO.source}).`,
      },
      'MI300X price × InferenceX TCO ratio 1.48/1.12',
    ),
    ref: {
      source:
        'AMD Instinct MI355X https://www.amd.com/en/products/accelerators/instinct/mi350/mi355x.html (8-GPU UBB platform)',
      date: '2025-06',
      provenance: 'vendor-spec',
    },
  },
  {
    id: 'pcie-h100-nvl-8gpu',
    name: 'PCIe server with 8 × H100 NVL (bridged pairs)',
    acceleratorId: 'h100-nvl',
    acceleratorCount: 8,
    scaleUpDomainSize: 2,
    hostPowerWatts: sourced(3_000, {
      source: 'aifactory assumption (no published max power for 8 × H100 NVL PCIe servers)',
      provenance: 'assumption',
      note: 'Assumption: 3,000 W = the DGX H100 host residual (4,600 W) less its NVSwitch baseboard, BlueField DPUs and part of its fans; PCIe switches added back. Rough.',
    }),
    networkPowerWatts: networkShare(8, 0, ' (assumption: same per-GPU fabric share as DGX H100)'),
    hostIdlePowerWatts: rapsHostIdle(1, 2, 5),
    priceUsd: eightGpuServerPrice(
      H100_SALE_PRICE_USD,
      {
        ...DGX_H100_PRICE,
        note: 'Assumption: an H100 NVL card costs what an H100 SXM did (Raymond James $25,000–30,000).',
      },
      'H100 sale price midpoint',
    ),
    ref: {
      source:
        'ThinkSystem SR675 V3 (8x H100-NVL-94GB, TensorRT), mlcommons/inference_results_v4.1 summary_results.json (commit 4a0c8741) (ID v4.1-0040); https://github.com/gateoverflow/inference_results_v4.1/tree/main/closed/Lenovo/results/SR675_V3_8xH100_NVL_TRT',
      date: '2024-08-28',
      provenance: 'third-party',
      note: 'An example of the configuration; NVLink bridges join cards in pairs, pairs talk over PCIe.',
    },
  },
  {
    id: 'pcie-h200-nvl-8gpu',
    name: 'PCIe server with 8 × H200 NVL (bridged quads)',
    acceleratorId: 'h200-nvl',
    acceleratorCount: 8,
    scaleUpDomainSize: 4,
    hostPowerWatts: sourced(3_000, {
      source: 'aifactory assumption (no published max power for 8 × H200 NVL PCIe servers)',
      provenance: 'assumption',
      note: 'Assumption: as for pcie-h100-nvl-8gpu (DGX H100 host residual less NVSwitch baseboard, DPUs and part of the fans). Rough.',
    }),
    networkPowerWatts: networkShare(8, 0, ' (assumption: same per-GPU fabric share as DGX H100)'),
    hostIdlePowerWatts: rapsHostIdle(1, 2, 5),
    priceUsd: eightGpuServerPrice(
      35_000,
      { ...STREET_PRICES, note: `${STREET_PRICES.note} Assumption: H200 NVL card priced as H200.` },
      'H200 street price',
    ),
    ref: {
      source:
        'Dell PowerEdge XE7745 (8x H200-NVL-141GB, TensorRT), mlcommons/inference_results_v5.1 summary_results.json (ID 5.1-0023); https://github.com/mlcommons/inference_results_v5.1/tree/main/closed/Dell/results/XE7745_H200_NVL_141GBx8_TRT',
      date: '2025-09-09',
      provenance: 'third-party',
      note: 'An example of the configuration; 4-way NVLink bridges, quads talk over PCIe.',
    },
  },
  {
    id: 'workstation-rtx-4090',
    name: 'Workstation with 1 × GeForce RTX 4090',
    acceleratorId: 'rtx-4090',
    acceleratorCount: 1,
    scaleUpDomainSize: 1,
    hostPowerWatts: sourced(222, {
      source:
        'Cloudslab/cloudsim modules/cloudsim/src/main/java/org/cloudbus/cloudsim/power/models/PowerModelSpecPowerIbmX3550XeonX5675.java',
      date: '2011 SPECpower data',
      provenance: 'assumption',
      note: 'Proxy: a 2-socket SPECpower server draws 222 W at 100% utilization; a desktop host is assumed similar.',
    }),
    networkPowerWatts: WORKSTATION_NETWORK,
    hostIdlePowerWatts: sourced(58.4, {
      source:
        'Cloudslab/cloudsim modules/cloudsim/src/main/java/org/cloudbus/cloudsim/power/models/PowerModelSpecPowerIbmX3550XeonX5675.java',
      date: '2011 SPECpower data',
      provenance: 'assumption',
      note: 'Proxy: SPECpower IBM x3550 idle 58.4 W.',
    }),
    priceUsd: sourced(1_599 + 2_500, {
      source:
        'NVIDIA GeForce RTX 4090 launch MSRP 1,599 USD https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/rtx-4090/',
      date: '2022-10',
      provenance: 'assumption',
      note: 'Assumption: 1,599 USD card (MSRP) + 2,500 USD for the rest of the workstation (CPU, 64 GB RAM, board, PSU, storage).',
    }),
    ref: {
      source:
        'casys-kaist/LLMServingSim bench/examples/RTX4090_Llama-3.1-8B simulator-config.json (commit 5daddb21): 1 × RTX 4090, 64 GB host memory',
      date: '2025',
      provenance: 'third-party',
    },
  },
  {
    id: 'workstation-rtx-pro-6000',
    name: 'Workstation with 1 × RTX PRO 6000 Blackwell',
    acceleratorId: 'rtx-pro-6000',
    acceleratorCount: 1,
    scaleUpDomainSize: 1,
    hostPowerWatts: sourced(120 + 154, {
      source:
        'Cloudslab/cloudsimsdn src/org/cloudbus/cloudsim/sdn/monitor/power/PowerUtilizationEnergyModelHostLinear.java',
      date: 'repo snapshot',
      provenance: 'assumption',
      note: 'Proxy: CloudSimSDN linear host model power = 120 + 154·u W, at u = 1 → 274 W (host with 512 GB RAM, as in the trace config).',
    }),
    networkPowerWatts: WORKSTATION_NETWORK,
    hostIdlePowerWatts: sourced(120, {
      source:
        'Cloudslab/cloudsimsdn src/org/cloudbus/cloudsim/sdn/monitor/power/PowerUtilizationEnergyModelHostLinear.java',
      date: 'repo snapshot',
      provenance: 'assumption',
      note: 'Proxy: CloudSimSDN linear host model idle 120 W.',
    }),
    priceUsd: sourced(8_565 + 6_000, {
      source:
        'https://www.newgearhub.com/review/nvidia-gtc-2026-blackwell-gpus-pro-workstations (RTX PRO 6000 Blackwell MSRP 8,565 USD; retail 8,000–9,200 USD, April 2026)',
      date: '2026-04',
      provenance: 'assumption',
      note: 'Assumption: 8,565 USD card + 6,000 USD for a workstation host with 512 GB RAM.',
    }),
    ref: {
      source:
        'casys-kaist/LLMServingSim bench/examples/RTXPRO6000_* simulator-config.json (commit 5daddb21): 1 × RTX PRO 6000, 512 GB host memory',
      date: '2025',
      provenance: 'third-party',
    },
  },
];
