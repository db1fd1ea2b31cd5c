/**
 * KV-cache transfer between the prefill and decode replicas of a disaggregated deployment
 * (DESIGN §5): after prefill, the prompt's KV moves over the link that joins the two replicas.
 */
import { sourced, type Sourced } from '../core/source.js';
import type { PreparedDeployment } from './costs.js';

/**
 * Scale-out bandwidth per GPU, one direction, when prefill and decode replicas sit in different
 * scale-up domains: one 400 Gb/s NIC per GPU = 50 GB/s.
 */
export const DEFAULT_SCALE_OUT_BYTES_PER_SECOND_PER_GPU: Sourced = sourced(50e9, {
  source:
    'NVIDIA DGX H100 and DGX B200 user guides: eight ConnectX-7 400 Gb/s InfiniBand/Ethernet ports, one per GPU (400 Gb/s = 50 GB/s)',
  date: '2024',
});

/** Fixed cost of one transfer (connection setup, descriptor exchange, completion notice). */
export const DEFAULT_KV_TRANSFER_LATENCY_SECONDS: Sourced = sourced(1e-3, {
  source:
    'aifactory assumption: about 1 ms per request for RDMA setup and completion in KV-transfer libraries (NIXL, Mooncake transfer engine); small beside prefill times',
  date: '2026',
});

export interface KvTransferLink {
  /** Link bandwidth per sending GPU, one direction. */
  bytesPerSecondPerGpu: number;
  latencySeconds: number;
  /** `scale-up` when both replicas fit one NVLink/Infinity Fabric domain, else `scale-out`. */
  kind: 'scale-up' | 'scale-out';
}

/**
 * The link between a prefill and a decode replica: the scale-up fabric when both fit one
 * scale-up domain (e.g. a GB200 NVL72 rack, or two TP4 replicas in one HGX node), else the
 * scale-out network; `override` replaces the bandwidth (bytes/s per GPU) and latency.
 */
export function kvTransferLink(
  prefill: PreparedDeployment,
  decode: PreparedDeployment,
  override: { bytesPerSecondPerGpu?: number; latencySeconds?: number } = {},
): KvTransferLink {
  const acc = prefill.deployment.accelerator;
  const together = prefill.gpusPerReplica + decode.gpusPerReplica <= acc.scaleUpDomainSize.value;
  return {
    kind: together ? 'scale-up' : 'scale-out',
    bytesPerSecondPerGpu:
      override.bytesPerSecondPerGpu ??
      (together
        ? acc.scaleUpBandwidthBytesPerSecond.value
        : DEFAULT_SCALE_OUT_BYTES_PER_SECOND_PER_GPU.value),
    latencySeconds: override.latencySeconds ?? DEFAULT_KV_TRANSFER_LATENCY_SECONDS.value,
  };
}

/**
 * Seconds to move a prompt's KV from a prefill replica: latency + bytes on one GPU / link
 * bandwidth per GPU. Every GPU of the replica sends its own shard (TP heads, PP stages) at the
 * same time, so the time is that of one GPU's share: (full-attention + window-layer KV bytes
 * per token per GPU) × prompt tokens. Window layers send at most their window.
 */
export function kvTransferSeconds(
  prefill: PreparedDeployment,
  promptTokens: number,
  link: KvTransferLink,
): number {
  const bytes =
    prefill.kvBytesPerTokenFullLayers * promptTokens +
    prefill.kvBytesPerTokenWindowLayers * Math.min(promptTokens, prefill.windowTokens) +
    prefill.stateBytesPerSeq;
  return link.latencySeconds + bytes / link.bytesPerSecondPerGpu;
}
