/**
 * Claim validation (POST /api/claims/:id/validate): the model's subject ÷ baseline ratio at
 * each interactivity level, at equal precision and at the claim's pairing, against the claimed
 * value and the claim's own arithmetic.
 */
import type { EChartsOption } from 'echarts';
import type { ClaimValidation } from '../types.js';
import { fmtNum } from '../format.js';
import { asOption, baseOption, logBounds, valueAxis } from './common.js';

const GROUP_LABEL: Record<string, string> = {
  'equal-precision': 'model, equal precision',
  'claim-pairing': "model, the claim's precision pairing",
};

export function claimRatioOption(v: ClaimValidation): EChartsOption {
  const groups = [...new Set(v.rows.filter((r) => r.group !== 'arithmetic').map((r) => r.group))];
  const marks: { name: string; yAxis: number }[] = [
    { name: `claimed ${fmtNum(v.claimedValue)}`, yAxis: v.claimedValue },
  ];
  if (v.arithmetic)
    marks.push({
      name: `claim arithmetic ${fmtNum(v.arithmetic.value)}`,
      yAxis: v.arithmetic.value,
    });
  // The axis spans the model's ratios and the claimed and recomputed values.
  const bounds = logBounds([
    ...v.rows.filter((r) => r.group !== 'arithmetic').map((r) => r.ratio ?? NaN),
    ...marks.map((m) => m.yAxis),
  ]);
  return asOption({
    ...baseOption(
      'Subject ÷ baseline by interactivity',
      v.rows.find((r) => r.group !== 'arithmetic')?.unit ?? v.unit,
    ),
    tooltip: {
      trigger: 'axis',
      confine: true,
      valueFormatter: (x: unknown) => `${fmtNum(Number(x))}×`,
    },
    xAxis: valueAxis('interactivity (tok/s per user)', {
      position: 'bottom',
      formatter: (x) => fmtNum(x),
    }),
    yAxis: valueAxis('ratio (×, log)', { log: true, formatter: (x) => `${fmtNum(x)}×`, ...bounds }),
    series: groups.map((g, i) => ({
      type: 'line',
      name: GROUP_LABEL[g] ?? g,
      symbol: 'circle',
      symbolSize: 6,
      data: v.rows
        .filter((r) => r.group === g && r.interactivityTokensPerSecondPerUser !== undefined)
        .map((r) => [r.interactivityTokensPerSecondPerUser, r.ratio ?? null]),
      ...(i === 0
        ? {
            markLine: {
              symbol: 'none',
              lineStyle: { type: 'dashed', color: '#dc2626' },
              label: {
                position: 'insideEndTop',
                fontSize: 10,
                formatter: (p: { name?: string }) => p.name ?? '',
              },
              data: marks,
            },
          }
        : {}),
    })),
  });
}
