/**
 * The ECharts build the dashboard and the report use: only the chart types and components the
 * option builders need (tree-shaken), canvas renderer. `echarts` is exposed on `window` so
 * browser tests read what is plotted with `echarts.getInstanceByDom(el).getOption()`.
 */
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  ScatterChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

declare global {
  interface Window {
    echarts?: typeof echarts;
  }
}
if (typeof window !== 'undefined') window.echarts = echarts;

export { echarts };
