// Minimal typings for asciichart@1 (it ships none).
declare module 'asciichart' {
  export interface PlotConfig {
    height?: number;
    offset?: number;
    padding?: string;
    format?: (x: number, i: number) => string;
    colors?: string[];
    min?: number;
    max?: number;
  }
  export function plot(series: number[] | number[][], config?: PlotConfig): string;
  const asciichart: { plot: typeof plot };
  export default asciichart;
}
