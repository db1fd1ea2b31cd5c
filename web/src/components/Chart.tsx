/**
 * One ECharts chart in a `<div data-chart="<id>">`. The instance lives on the element
 * (`echarts.getInstanceByDom`), is resized with its box and disposed on unmount; a new option
 * replaces the old one (`notMerge`).
 */
import type { EChartsOption } from 'echarts';
import { useEffect, useRef } from 'preact/hooks';
import { echarts } from '../echarts.js';

export interface ChartProps {
  id: string;
  option: EChartsOption;
  height?: number;
  class?: string;
}

export function Chart({ id, option, height = 300, class: cls }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    const ro =
      typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => chart.resize()) : null;
    ro?.observe(el);
    return () => {
      ro?.disconnect();
      chart.dispose();
    };
  }, []);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    echarts.getInstanceByDom(el)?.setOption(option, { notMerge: true });
  }, [option]);
  return (
    <div ref={ref} class={`chart ${cls ?? ''}`} data-chart={id} style={{ height: `${height}px` }} />
  );
}
