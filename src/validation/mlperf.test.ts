import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import {
  acceleratorGroups,
  engineOf,
  systemIdOf,
  parseItemTitle,
  parseNotes,
  validateMlperf,
  type MlperfCase,
  type PublicDataItem,
} from './mlperf.js';

const catalog = defaultCatalog();

const item = (title: string, value: number, notes: string): PublicDataItem => ({
  category: 'mlperf_inference_result',
  item: title,
  value,
  unit: 'Tokens/s',
  notes,
});

// Shaped like public-data.json items (v5.1 H200 SXM Offline, ID 5.1-0026).
const h200 = item(
  'MLPerf Inference v5.1 llama2-70b-99 Offline - NVIDIA H200-SXM-141GB x8 (Dell)',
  35316.7,
  'round=v5.1; id=5.1-0026; submitter=Dell; system=Dell PowerEdge XE9680 (8xH200-SXM-141GB, TensorRT); accelerator=NVIDIA H200-SXM-141GB; total_accelerators=8; scenario=Offline; weights=fp8',
);

describe('MLPerf validation', () => {
  it('parses titles, notes, engines and heterogeneous accelerator groups', () => {
    expect(parseItemTitle(h200.item)).toEqual({ benchmark: 'llama2-70b-99', scenario: 'Offline' });
    expect(parseNotes(h200.notes).total_accelerators).toBe('8');
    expect(engineOf('Dell PowerEdge XE9680 (8xH200-SXM-141GB, TensorRT)')).toBe('trtllm');
    expect(engineOf('Supermicro AS-8125GS-TNMR2')).toBe('generic');
    // The result's system id (its directory) names the harness where the description does not.
    const hpe =
      'mlcommons/inference_results_v5.1 summary_results.json (ID 5.1-0049); https://github.com/mlcommons/inference_results_v5.1/tree/main/closed/HPE/results/HPE_Cray_XD670_H200_SXM_141GBx8_TRT';
    expect(systemIdOf(hpe)).toBe('HPE_Cray_XD670_H200_SXM_141GBx8_TRT');
    expect(engineOf('HPE Cray XD670 (8x H200-SXM-141GB)', systemIdOf(hpe))).toBe('trtllm');
    expect(engineOf('x', 'H200-SXM-141GBx8_TRT_Triton')).toBe('trtllm');
    expect(engineOf('x', 'XE8640_4xH100_vLLM')).toBe('vllm');
    expect(engineOf('x', '8xMI300X_2xEPYC_9575F')).toBe('generic');
    expect(engineOf('x', 'Foo_TRTX_8x')).toBe('generic'); // a whole `_`-separated word only
    expect(systemIdOf('no link here')).toBe('');
    expect(
      acceleratorGroups(
        'AMD Instinct MI300X 192GB HBM3 (x32), AMD Instinct MI325X 256GB HBM3e (x16)',
        48,
      ),
    ).toEqual([
      { name: 'AMD Instinct MI300X 192GB HBM3', count: 32 },
      { name: 'AMD Instinct MI325X 256GB HBM3e', count: 16 },
    ]);
  });

  it('predicts a mappable item and skips an unmappable one with its reason, not as a failure', () => {
    const gaudi = item(
      'MLPerf Inference v5.1 llama2-70b-99 Offline - Intel Gaudi 3 x8 (Intel)',
      20000,
      'accelerator=Intel Gaudi 3; total_accelerators=8; scenario=Offline; weights=fp8; system=HLS-Gaudi3',
    );
    const rep = validateMlperf([h200, gaudi], catalog, BUILTIN_CALIBRATION);
    const [a, b] = rep.cases;
    expect(a && 'predicted' in a && a.predicted).toBeGreaterThan(0);
    expect(a && 'errorPct' in a && a.errorPct).toBeCloseTo(
      (100 * ((a as { predicted: number }).predicted - 35316.7)) / 35316.7,
      9,
    );
    expect(b && 'skipped' in b && b.reason).toMatch(/no catalogued accelerator/);
    expect(rep.summary.failures).toBe(0);
  });

  it('flags a result beyond the roofline of its stated precision', () => {
    const absurd = item(h200.item, 35316.7 * 20, h200.notes!);
    const rep = validateMlperf([absurd], catalog, BUILTIN_CALIBRATION);
    const c = rep.cases[0]!;
    expect('flags' in c && c.flags.join(' ')).toMatch(/implausible for weights=fp8/);
  });

  it('reads a label one result of its round and harness proves false as the fastest native format', () => {
    // v4.1 shapes: NVIDIA's harness labelled FP8/FP4 runs fp16. The H200 result is beyond the
    // fp16 roofline; the H100 NVL one is not, but carries the same label from the same harness.
    const v41 = (title: string, value: number, acc: string, n: number, system: string) =>
      item(
        `MLPerf Inference v4.1 llama2-70b-99 Offline - ${title}`,
        value,
        `round=v4.1; accelerator=${acc}; total_accelerators=${n}; scenario=Offline; weights=fp16; system=${system}`,
      );
    const h200x1 = v41('NVIDIA H200 x1', 4488, 'NVIDIA H200-SXM-141GB', 1, 'H200 (TensorRT)');
    const nvl = v41('NVIDIA H100-NVL x4', 8859, 'NVIDIA H100-NVL-94GB', 4, 'DL380a (TensorRT)');
    const b200 = v41('NVIDIA B200 x1', 11264, 'NVIDIA B200-SXM-180GB', 1, 'B200 (TensorRT)');
    const otherHarness = v41('MI300X x8', 22678, 'AMD MI300X-192GB', 8, 'XE9680 (vLLM)');
    const alone = validateMlperf([nvl], catalog, BUILTIN_CALIBRATION).cases[0]!;
    const rep = validateMlperf([h200x1, nvl, b200, otherHarness], catalog, BUILTIN_CALIBRATION);
    const [a, b, c, d] = rep.cases as Extract<(typeof rep.cases)[number], { predicted: number }>[];
    expect(a!.flags.join(' ')).toMatch(
      /implausible for weights=fp16.*predicted at fp8, the fastest format native/,
    );
    expect(a!.basis.precision).toBe('fp8 (label fp16)');
    // Not impossible itself: read as FP8 only because of the H200 and B200 results.
    expect('flags' in alone && alone.flags).toEqual([]);
    expect('basis' in alone && alone.basis.precision).toBe('bf16');
    expect(b!.flags.join(' ')).toMatch(
      /weights=fp16 not taken as evidence: 2 other result\(s\) of round v4.1 on trtllm/,
    );
    expect(b!.basis.precision).toBe('fp8 (label fp16)');
    expect(b!.predicted).toBeGreaterThan((alone as { predicted: number }).predicted * 1.3);
    // Blackwell's native fastest format is NVFP4, not the first format whose bound admits it.
    expect(c!.basis.precision).toBe('nvfp4 (label fp16)');
    // Another harness's label is not disproven by TensorRT-LLM results.
    expect(d!.flags).toEqual([]);
    expect(d!.basis.precision).toBe('bf16');
  });

  it('does not carry a label across results whose round or harness is unknown', () => {
    const row = (title: string, value: number, acc: string, n: number, extra: string) =>
      item(
        `MLPerf Inference v4.1 llama2-70b-99 Offline - ${title}`,
        value,
        `accelerator=${acc}; total_accelerators=${n}; scenario=Offline; weights=fp16; ${extra}`,
      );
    // Impossible at fp16, but no harness named (engine generic) / no round given.
    const genericImpossible = row(
      'H200 x1',
      4488,
      'NVIDIA H200-SXM-141GB',
      1,
      'round=v4.1; system=H200 box',
    );
    const genericOther = row(
      'H100-NVL x4',
      8859,
      'NVIDIA H100-NVL-94GB',
      4,
      'round=v4.1; system=DL380a',
    );
    const noRoundImpossible = row(
      'H200 x1',
      4488,
      'NVIDIA H200-SXM-141GB',
      1,
      'system=H200 (TensorRT)',
    );
    const noRoundOther = row(
      'H100-NVL x4',
      8859,
      'NVIDIA H100-NVL-94GB',
      4,
      'system=DL380a (TensorRT)',
    );
    for (const [impossible, other] of [
      [genericImpossible, genericOther],
      [noRoundImpossible, noRoundOther],
    ] as const) {
      const [a, b] = validateMlperf([impossible, other], catalog, BUILTIN_CALIBRATION)
        .cases as Extract<MlperfCase, { predicted: number }>[];
      expect(a!.flags.join(' ')).toMatch(/implausible for weights=fp16/);
      expect(b!.flags).toEqual([]);
      expect(b!.basis.precision).toBe('bf16');
    }
  });

  it('works for a task the reference file does not contain (gpt-oss-120b on B200)', () => {
    const rep = validateMlperf(
      [
        item(
          'MLPerf Inference v6.0 gpt-oss-120b Offline - NVIDIA B200-SXM-180GB x8 (NVIDIA)',
          100000,
          'accelerator=NVIDIA B200-SXM-180GB; total_accelerators=8; scenario=Offline; weights=mxfp4; system=DGX B200 (TensorRT)',
        ),
      ],
      catalog,
      BUILTIN_CALIBRATION,
    );
    expect('predicted' in rep.cases[0]!).toBe(true);
  });
});
