/** Robust statistics used by the detectors. Pure functions, no IO. */

/**
 * Median of a list of numbers (mean of the two middle values for an even length).
 * Returns NaN for an empty list.
 *
 * @example
 * median([3, 1, 2]); // 2
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[mid]!;
  return (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Median absolute deviation around the median. Unlike a standard deviation, one past
 * anomaly among the baseline samples cannot inflate it.
 *
 * @example
 * medianAbsoluteDeviation([10, 11, 9, 100]); // 1
 */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/** Scale that turns a MAD into an estimate of the standard deviation of normal noise. */
export const MAD_TO_SIGMA = 1.4826;
