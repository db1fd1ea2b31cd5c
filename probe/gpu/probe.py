#!/usr/bin/env python3
"""GPU probe for aifactory (issue 5 item 6).

Measures, on one NVIDIA GPU:
  * matmul ceilings (bf16, fp16, and fp8 e4m3 where the GPU and PyTorch support it),
  * device-to-device memory-copy bandwidth,
  * per-iteration prefill and decode step times of a Llama-shaped layer stack with random
    weights, over batch sizes and context lengths,
  * board power from `nvidia-smi` sampled while each measurement runs in a loop,
and writes one JSON dataset (schema: probe/gpu/README.md; validator:
src/measure/probe-dataset.ts). Timing uses CUDA events around each iteration after warm-up,
with a synchronize before reading them; the reported figure is the median of the repeats.

Runs only where an NVIDIA GPU is present; without one it prints a message and exits 0.
A time budget (default 270 s) keeps it within 5 minutes of GPU time: shapes left when the
budget runs out are listed under `skipped`.

    python3 probe/gpu/probe.py --out data/measurements/gpu-probe-$(hostname).json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from typing import Any, Callable, Optional

SCHEMA = "aifactory.gpu-probe"
SCHEMA_VERSION = 1


# ----------------------------------------------------------------------------------------------
# Power sampling: `nvidia-smi --query-gpu=timestamp,<field> --format=csv,noheader,nounits -lms N`
# ----------------------------------------------------------------------------------------------


class PowerSampler:
    """Reads nvidia-smi's query loop on a thread; each reading is stamped with time.monotonic()
    on arrival. `power.draw` is a 1 s trailing average on Ampere and newer (nvidia-smi
    --help-query-gpu), so each window discards its first `settle_s` seconds."""

    def __init__(self, gpu_index: int, field: str, interval_ms: int) -> None:
        self.field = field
        self.samples: list[tuple[float, float]] = []
        self.error: Optional[str] = None
        self._lock = threading.Lock()
        cmd = [
            "nvidia-smi",
            f"--query-gpu=timestamp,{field}",
            "--format=csv,noheader,nounits",
            "-i",
            str(gpu_index),
            "-lms",
            str(interval_ms),
        ]
        try:
            self._proc: Optional[subprocess.Popen[str]] = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1
            )
        except OSError as e:
            self._proc = None
            self.error = f"nvidia-smi could not start: {e}"
            return
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for line in self._proc.stdout:
            t = time.monotonic()
            cells = [c.strip() for c in line.split(",")]
            if len(cells) != 2:
                continue
            try:
                watts = float(cells[1])
            except ValueError:  # [N/A], [Not Supported]
                continue
            with self._lock:
                self.samples.append((t, watts))

    def window(self, start_s: float, end_s: float) -> list[tuple[float, float]]:
        with self._lock:
            return [(t, w) for (t, w) in self.samples if start_s <= t <= end_s]

    def close(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()


def summarize_power(
    sampler: Optional[PowerSampler],
    start_s: float,
    end_s: float,
    settle_s: float,
    median_s: float,
    min_samples: int = 5,
) -> tuple[Optional[dict[str, Any]], Optional[str]]:
    """Mean/max power and trapezoid energy over [start + settle, end]; None with a reason when
    there are too few samples."""
    if sampler is None or sampler.error is not None:
        return None, (sampler.error if sampler else "power sampling disabled")
    a = start_s + settle_s
    pts = sampler.window(a, end_s)
    if len(pts) < min_samples or end_s <= a:
        return None, f"{len(pts)} samples in the steady window; {min_samples} required"
    energy = 0.0
    for (t0, p0), (t1, p1) in zip(pts, pts[1:]):
        energy += 0.5 * (p0 + p1) * (t1 - t0)
    span = pts[-1][0] - pts[0][0]
    mean = energy / span if span > 0 else pts[0][1]
    return (
        {
            "source": "nvidia-smi",
            "field": sampler.field,
            "samples": len(pts),
            "windowSeconds": round(end_s - a, 6),
            "settleSeconds": settle_s,
            "meanPowerWatts": round(mean, 3),
            "maxPowerWatts": round(max(w for _, w in pts), 3),
            "energyJoules": round(energy, 6),
            "energyPerIterationJoules": round(mean * median_s, 9),
        },
        None,
    )


# ----------------------------------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------------------------------


class Probe:
    def __init__(self, torch: Any, args: argparse.Namespace, sampler: Optional[PowerSampler]):
        self.torch = torch
        self.args = args
        self.sampler = sampler
        self.deadline = time.monotonic() + args.budget_seconds
        self.skipped: list[dict[str, str]] = []

    def out_of_time(self) -> bool:
        return time.monotonic() > self.deadline

    def time_op(self, fn: Callable[[], Any], shape: str, phase: str) -> Optional[dict[str, Any]]:
        """Warm up, time `timed` iterations with CUDA events (median and min), then run the op
        in a loop for the power window. Returns None (and records why) on OOM or budget."""
        torch = self.torch
        if self.out_of_time():
            self.skipped.append(
                {"phase": phase, "shape": shape, "reason": f"time budget of {self.args.budget_seconds} s reached"}
            )
            return None
        try:
            for _ in range(self.args.warmup):
                fn()
            torch.cuda.synchronize()
            starts = [torch.cuda.Event(enable_timing=True) for _ in range(self.args.iterations)]
            ends = [torch.cuda.Event(enable_timing=True) for _ in range(self.args.iterations)]
            for s, e in zip(starts, ends):
                s.record()
                fn()
                e.record()
            torch.cuda.synchronize()
            times = [s.elapsed_time(e) / 1000.0 for s, e in zip(starts, ends)]
            median_s = statistics.median(times)
            power = None
            if self.sampler is not None and self.args.power_window_seconds > 0:
                n = max(1, math.ceil(self.args.power_window_seconds / max(median_s, 1e-6)))
                n = min(n, 1_000_000)
                torch.cuda.synchronize()
                t0 = time.monotonic()
                for _ in range(n):
                    fn()
                torch.cuda.synchronize()
                t1 = time.monotonic()
                power, why = summarize_power(
                    self.sampler, t0, t1, self.args.power_settle_seconds, median_s
                )
                if power is None:
                    self.skipped.append({"phase": "power", "shape": f"{phase} {shape}", "reason": why or "?"})
            return {
                "medianSeconds": median_s,
                "minSeconds": min(times),
                "iterations": len(times),
                "power": power,
            }
        except torch.cuda.OutOfMemoryError as e:
            torch.cuda.empty_cache()
            self.skipped.append({"phase": phase, "shape": shape, "reason": f"out of memory: {str(e).splitlines()[0]}"})
            return None
        except RuntimeError as e:
            torch.cuda.empty_cache()
            self.skipped.append({"phase": phase, "shape": shape, "reason": str(e).splitlines()[0]})
            return None


# ----------------------------------------------------------------------------------------------
# Matmul and memory copy
# ----------------------------------------------------------------------------------------------


def fp8_matmul_fn(torch: Any, m: int, n: int, k: int, device: Any) -> Callable[[], Any]:
    """A (m,k) x (k,n) e4m3 matmul through torch._scaled_mm; b must be column-major."""
    a = torch.randn(m, k, device=device).to(torch.float8_e4m3fn)
    b = torch.randn(n, k, device=device).to(torch.float8_e4m3fn).t()
    one = torch.tensor(1.0, device=device)

    def run() -> Any:
        out = torch._scaled_mm(a, b, scale_a=one, scale_b=one, out_dtype=torch.bfloat16)
        return out[0] if isinstance(out, tuple) else out

    run()  # raises here if this GPU / PyTorch cannot do fp8
    return run


def measure_matmul(probe: Probe, device: Any) -> list[dict[str, Any]]:
    torch = probe.torch
    results = []
    shapes = [tuple(int(x) for x in s.split("x")) for s in probe.args.matmul_shapes.split(",")]
    dtypes = [("bf16", torch.bfloat16), ("fp16", torch.float16), ("fp8-e4m3", None)]
    for name, dtype in dtypes:
        for m, n, k in shapes:
            shape = f"{m}x{n}x{k}"
            if dtype is None:
                if not hasattr(torch, "float8_e4m3fn") or not hasattr(torch, "_scaled_mm"):
                    probe.skipped.append({"phase": "matmul", "shape": f"fp8 {shape}", "reason": "PyTorch has no float8 matmul"})
                    break
                if torch.cuda.get_device_capability(device) < (8, 9):
                    probe.skipped.append({"phase": "matmul", "shape": f"fp8 {shape}", "reason": "fp8 needs compute capability 8.9 or newer"})
                    break
                try:
                    fn = fp8_matmul_fn(torch, m, n, k, device)
                except (RuntimeError, TypeError) as e:
                    probe.skipped.append({"phase": "matmul", "shape": f"fp8 {shape}", "reason": str(e).splitlines()[0]})
                    continue
            else:
                a = torch.randn(m, k, device=device, dtype=dtype)
                b = torch.randn(k, n, device=device, dtype=dtype)
                fn = lambda a=a, b=b: torch.matmul(a, b)  # noqa: E731
            r = probe.time_op(fn, f"{name} {shape}", "matmul")
            if r is not None:
                results.append(
                    {"dtype": name, "m": m, "n": n, "k": k, **r, "achievedTflops": 2 * m * n * k / r["medianSeconds"] / 1e12}
                )
            del fn
            torch.cuda.empty_cache()
    return results


def measure_memory_copy(probe: Probe, device: Any) -> list[dict[str, Any]]:
    torch = probe.torch
    results = []
    for mib in (int(x) for x in probe.args.copy_mib.split(",")):
        nbytes = mib * 1024 * 1024
        try:
            src = torch.empty(nbytes, dtype=torch.uint8, device=device)
            dst = torch.empty_like(src)
        except torch.cuda.OutOfMemoryError:
            probe.skipped.append({"phase": "memory-copy", "shape": f"{mib} MiB", "reason": "out of memory"})
            continue
        r = probe.time_op(lambda: dst.copy_(src), f"{mib} MiB", "memory-copy")
        if r is not None:
            results.append({"bytes": nbytes, **r, "readWriteBytesPerSecond": 2 * nbytes / r["medianSeconds"]})
        del src, dst
        torch.cuda.empty_cache()
    return results


# ----------------------------------------------------------------------------------------------
# Llama-shaped layer stack (random weights)
# ----------------------------------------------------------------------------------------------


class LayerStack:
    """`num_layers` Llama decoder layers: RMSNorm, GQA attention with RoPE, RMSNorm, SwiGLU MLP.
    Weights are random; only the shapes (and so the FLOPs and bytes moved) matter."""

    def __init__(self, torch: Any, args: argparse.Namespace, device: Any, dtype: Any) -> None:
        self.torch = torch
        self.h = args.hidden_size
        self.nh = args.num_heads
        self.nkv = args.num_kv_heads
        self.hd = args.hidden_size // args.num_heads
        self.inter = args.intermediate_size
        self.dtype = dtype
        self.device = device
        std = 0.02

        def w(*shape: int) -> Any:
            return torch.randn(*shape, device=device, dtype=dtype) * std

        self.layers = [
            {
                "qkv": w((self.nh + 2 * self.nkv) * self.hd, self.h),
                "o": w(self.h, self.nh * self.hd),
                "gate_up": w(2 * self.inter, self.h),
                "down": w(self.h, self.inter),
                "ln1": torch.ones(self.h, device=device, dtype=dtype),
                "ln2": torch.ones(self.h, device=device, dtype=dtype),
            }
            for _ in range(args.num_layers)
        ]
        self.weight_bytes = sum(t.numel() * t.element_size() for layer in self.layers for t in layer.values())
        inv = 1.0 / (10000.0 ** (torch.arange(0, self.hd, 2, device=device, dtype=torch.float32) / self.hd))
        self.inv_freq = inv
        self._gqa_kwarg: Optional[bool] = None

    def rms_norm(self, x: Any, weight: Any) -> Any:
        torch = self.torch
        xf = x.float()
        return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + 1e-5)).to(x.dtype) * weight

    def rope(self, x: Any, positions: Any) -> Any:
        """x: (b, heads, s, hd); positions: (s,)."""
        torch = self.torch
        freqs = torch.outer(positions.float(), self.inv_freq)  # (s, hd/2)
        cos, sin = freqs.cos().to(x.dtype), freqs.sin().to(x.dtype)
        x1, x2 = x[..., ::2], x[..., 1::2]
        return torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1).flatten(-2)

    def attention(self, q: Any, k: Any, v: Any, causal: bool) -> Any:
        """q: (b, nh, s, hd); k, v: (b, nkv, t, hd). Grouped-query attention without copying
        the KV heads where PyTorch supports it (enable_gqa, 2.5+), else by repeating them."""
        F = self.torch.nn.functional
        if self._gqa_kwarg is not False:
            try:
                out = F.scaled_dot_product_attention(q, k, v, is_causal=causal, enable_gqa=True)
                self._gqa_kwarg = True
                return out
            except TypeError:
                self._gqa_kwarg = False
        rep = self.nh // self.nkv
        return F.scaled_dot_product_attention(
            q, k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1), is_causal=causal
        )

    def layer(self, x: Any, p: dict[str, Any], positions: Any, cache: Optional[tuple[Any, Any]]) -> Any:
        torch = self.torch
        F = torch.nn.functional
        b, s, _ = x.shape
        hn = self.rms_norm(x, p["ln1"])
        qkv = F.linear(hn, p["qkv"])
        q, k, v = qkv.split([self.nh * self.hd, self.nkv * self.hd, self.nkv * self.hd], dim=-1)
        q = self.rope(q.view(b, s, self.nh, self.hd).transpose(1, 2), positions)
        k = self.rope(k.view(b, s, self.nkv, self.hd).transpose(1, 2), positions)
        v = v.view(b, s, self.nkv, self.hd).transpose(1, 2)
        if cache is None:  # prefill: causal attention over the prompt
            attn = self.attention(q, k, v, causal=True)
        else:  # decode: write the new token into the last cache slot, attend over the cache
            k_cache, v_cache = cache
            k_cache[:, :, -1:] = k
            v_cache[:, :, -1:] = v
            attn = self.attention(q, k_cache, v_cache, causal=False)
        x = x + F.linear(attn.transpose(1, 2).reshape(b, s, self.nh * self.hd), p["o"])
        gate, up = F.linear(self.rms_norm(x, p["ln2"]), p["gate_up"]).chunk(2, dim=-1)
        return x + F.linear(F.silu(gate) * up, p["down"])

    def forward(self, x: Any, positions: Any, caches: Optional[list[tuple[Any, Any]]] = None) -> Any:
        for i, p in enumerate(self.layers):
            x = self.layer(x, p, positions, None if caches is None else caches[i])
        return x


def measure_steps(probe: Probe, device: Any) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    torch = probe.torch
    args = probe.args
    dtype = torch.bfloat16 if args.dtype == "bf16" else torch.float16
    stack = LayerStack(torch, args, device, dtype)
    info = {
        "numLayers": args.num_layers,
        "hiddenSize": stack.h,
        "numHeads": stack.nh,
        "numKvHeads": stack.nkv,
        "headDim": stack.hd,
        "intermediateSize": stack.inter,
        "dtype": args.dtype,
        "weightBytes": stack.weight_bytes,
    }
    prefill, decode = [], []
    with torch.inference_mode():
        for b in (int(x) for x in args.prefill_batches.split(",")):
            for s in (int(x) for x in args.prefill_contexts.split(",")):
                shape = f"batch={b} context={s}"
                try:
                    x = torch.randn(b, s, stack.h, device=device, dtype=dtype)
                    pos = torch.arange(s, device=device)
                except torch.cuda.OutOfMemoryError:
                    probe.skipped.append({"phase": "prefill", "shape": shape, "reason": "out of memory"})
                    continue
                r = probe.time_op(lambda x=x, pos=pos: stack.forward(x, pos), shape, "prefill")
                if r is not None:
                    prefill.append({"batchSize": b, "contextLength": s, **r, "tokensPerSecond": b * s / r["medianSeconds"]})
                del x
                torch.cuda.empty_cache()
        for b in (int(x) for x in args.decode_batches.split(",")):
            for ctx in (int(x) for x in args.decode_contexts.split(",")):
                shape = f"batch={b} context={ctx}"
                try:
                    caches = [
                        (
                            torch.randn(b, stack.nkv, ctx, stack.hd, device=device, dtype=dtype),
                            torch.randn(b, stack.nkv, ctx, stack.hd, device=device, dtype=dtype),
                        )
                        for _ in range(args.num_layers)
                    ]
                    x = torch.randn(b, 1, stack.h, device=device, dtype=dtype)
                    pos = torch.tensor([ctx - 1], device=device)
                except torch.cuda.OutOfMemoryError:
                    probe.skipped.append({"phase": "decode", "shape": shape, "reason": "out of memory (KV cache)"})
                    torch.cuda.empty_cache()
                    continue
                r = probe.time_op(lambda x=x, pos=pos, c=caches: stack.forward(x, pos, c), shape, "decode")
                if r is not None:
                    decode.append({"batchSize": b, "contextLength": ctx, **r, "tokensPerSecond": b / r["medianSeconds"]})
                del caches, x
                torch.cuda.empty_cache()
    return info, prefill, decode


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------


def nvidia_smi_value(gpu_index: int, field: str) -> Optional[str]:
    try:
        out = subprocess.run(
            ["nvidia-smi", f"--query-gpu={field}", "--format=csv,noheader,nounits", "-i", str(gpu_index)],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip()
        return out if out and not out.startswith("[") else None
    except (OSError, subprocess.SubprocessError):
        return None


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default="gpu-probe.json", help="output JSON path")
    p.add_argument("--gpu", type=int, default=0, help="CUDA device index")
    p.add_argument("--budget-seconds", type=float, default=270.0, help="stop starting new shapes after this")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--iterations", type=int, default=20, help="timed repeats per shape (median reported)")
    p.add_argument("--power-field", default="power.draw", choices=["power.draw", "power.draw.average", "power.draw.instant"])
    p.add_argument("--power-interval-ms", type=int, default=100)
    p.add_argument("--power-window-seconds", type=float, default=3.0, help="loop each op this long for power; 0 = off")
    p.add_argument("--power-settle-seconds", type=float, default=1.0, help="discard this much of each power window")
    p.add_argument("--matmul-shapes", default="4096x4096x4096,8192x8192x8192,16384x16384x16384")
    p.add_argument("--copy-mib", default="256,1024")
    p.add_argument("--num-layers", type=int, default=4)
    p.add_argument("--hidden-size", type=int, default=4096)
    p.add_argument("--num-heads", type=int, default=32)
    p.add_argument("--num-kv-heads", type=int, default=8)
    p.add_argument("--intermediate-size", type=int, default=14336)
    p.add_argument("--dtype", default="bf16", choices=["bf16", "fp16"])
    p.add_argument("--prefill-batches", default="1,4")
    p.add_argument("--prefill-contexts", default="512,2048,8192")
    p.add_argument("--decode-batches", default="1,16,64")
    p.add_argument("--decode-contexts", default="1024,4096,16384")
    args = p.parse_args(argv)
    if args.hidden_size % args.num_heads or args.num_heads % args.num_kv_heads:
        p.error("hidden-size must divide by num-heads, and num-heads by num-kv-heads")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        import torch
    except ImportError:
        if shutil.which("nvidia-smi") is None:
            print("probe: no NVIDIA GPU (no nvidia-smi, no PyTorch); nothing measured.")
            return 0
        print("probe: PyTorch is not installed (pip install torch); nothing measured.", file=sys.stderr)
        return 1
    if not torch.cuda.is_available() or torch.version.cuda is None:
        print("probe: no NVIDIA GPU (CUDA) is available; nothing measured.")
        return 0
    if args.gpu >= torch.cuda.device_count():
        print(f"probe: GPU {args.gpu} does not exist ({torch.cuda.device_count()} visible); nothing measured.")
        return 0

    started = time.monotonic()
    created = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    device = torch.device("cuda", args.gpu)
    torch.cuda.set_device(device)
    props = torch.cuda.get_device_properties(device)
    # nvidia-smi numbers GPUs by PCI bus, CUDA by speed unless CUDA_DEVICE_ORDER=PCI_BUS_ID;
    # match on the PCI bus id where PyTorch exposes it.
    smi_index = args.gpu
    bus = getattr(props, "pci_bus_id", None)
    if bus is not None:
        ids = subprocess.run(
            ["nvidia-smi", "--query-gpu=index,pci.bus", "--format=csv,noheader"],
            capture_output=True, text=True, check=False,
        ).stdout if shutil.which("nvidia-smi") else ""
        for line in ids.splitlines():
            cells = [c.strip() for c in line.split(",")]
            if len(cells) == 2 and int(cells[1], 16) == bus:
                smi_index = int(cells[0])

    sampler: Optional[PowerSampler] = None
    power_reason: Optional[str] = None
    if args.power_window_seconds > 0:
        sampler = PowerSampler(smi_index, args.power_field, args.power_interval_ms)
        if sampler.error is not None:
            power_reason = sampler.error
            sampler = None
    else:
        power_reason = "disabled (--power-window-seconds 0)"

    probe = Probe(torch, args, sampler)
    try:
        matmul = measure_matmul(probe, device)
        memcpy = measure_memory_copy(probe, device)
        stack, prefill, decode = measure_steps(probe, device)
    finally:
        if sampler is not None:
            sampler.close()
    if sampler is not None and not sampler.samples:
        power_reason = "nvidia-smi printed no readable power samples"

    limit = nvidia_smi_value(smi_index, "power.limit")
    dataset = {
        "schema": SCHEMA,
        "schemaVersion": SCHEMA_VERSION,
        "synthetic": False,
        "createdAt": created,
        "durationSeconds": round(time.monotonic() - started, 3),
        "machine": {
            "hostname": socket.gethostname(),
            "gpuName": props.name,
            "gpuIndex": args.gpu,
            "gpuCount": torch.cuda.device_count(),
            "gpuMemoryBytes": props.total_memory,
            "computeCapability": f"{props.major}.{props.minor}",
            "driverVersion": nvidia_smi_value(smi_index, "driver_version") or "unknown",
            "cudaVersion": torch.version.cuda,
            "torchVersion": torch.__version__,
            "pythonVersion": platform.python_version(),
            "powerLimitWatts": float(limit) if limit else None,
        },
        "settings": {
            "warmupIterations": args.warmup,
            "timedIterations": args.iterations,
            "powerWindowSeconds": args.power_window_seconds,
            "powerSettleSeconds": args.power_settle_seconds,
            "powerSampleIntervalMs": args.power_interval_ms,
            "budgetSeconds": args.budget_seconds,
        },
        "powerSampling": {"available": power_reason is None, "field": args.power_field,
                          **({"reason": power_reason} if power_reason else {})},
        "matmul": matmul,
        "memoryCopy": memcpy,
        "layerStack": stack,
        "prefill": prefill,
        "decode": decode,
        "skipped": probe.skipped,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(dataset, f, indent=2)
        f.write("\n")
    print(
        f"probe: wrote {args.out}: {len(matmul)} matmul, {len(memcpy)} copy, {len(prefill)} prefill, "
        f"{len(decode)} decode measurements, {len(probe.skipped)} skipped, "
        f"{dataset['durationSeconds']} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
