// uPlot is loaded by index.html from /vendor as a classic script: a global, typed by its
// package. Type-checking only (tsconfig.assets.json); the build does not copy this file.
import type UPlot from 'uplot';

declare global {
  const uPlot: typeof UPlot;
  type uPlot = UPlot;
}
