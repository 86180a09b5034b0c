/**
 * Options of the anomaly check, their documented defaults and their validation.
 * Every default is a named constant so the CLI help, the README and the code agree.
 */

import type { Unit } from '../api/constants.js';
import { BrazeOptionRangeError, BrazeOptionTypeError } from '../api/option-errors.js';

/** Seasonal periods compared against the checked bucket (`--baseline`). */
export const DEFAULT_CHECK_BASELINE = 4;
/** A drop is flagged when the count falls below (1 − dropFraction) × baseline (`--drop 50` = 0.5). */
export const DEFAULT_CHECK_DROP = 0.5;
/** A spike is flagged when the count rises above spike × baseline (`--spike 3`). */
export const DEFAULT_CHECK_SPIKE = 3;
/** Baselines (drop/silent) or counts (spike/new) below this are too small to judge. */
export const DEFAULT_CHECK_MIN_VOLUME = 20;
/**
 * How many robust standard deviations (1.4826 × MAD, floored at √baseline — the Poisson
 * noise of a count) a bucket must also sit away from the baseline. This keeps a noisy
 * event whose ordinary weeks already vary by half from being flagged every week.
 */
export const DEFAULT_CHECK_TOLERANCE = 3;
/** Unit checked when none is given: Braze's default unit. */
export const DEFAULT_CHECK_UNIT: Unit = 'day';

/** Tunables of the detectors (all optional; see the DEFAULT_CHECK_* constants). */
export interface DetectOptions {
  /** Number of past seasonal periods (weeks for `day`, days or weeks for `hour`). */
  baseline?: number;
  /**
   * Relative drop that counts as a drop, a fraction in (0, 1): 0.5 = half gone (the CLI's
   * `--drop 50`, a percentage). Named for its unit, so a report's `options` cannot be
   * misread next to the flag.
   */
  dropFraction?: number;
  /** Factor above the baseline that counts as a spike (> 1). */
  spike?: number;
  /** Minimum volume worth judging. */
  minVolume?: number;
  /** Robust standard deviations a bucket must also be away from its baseline. */
  tolerance?: number;
}

/** Detect options with every default filled in. */
export type ResolvedDetectOptions = Required<DetectOptions>;

/**
 * Fills in defaults and rejects nonsense with a RangeError naming the option and value.
 *
 * @example
 * resolveDetectOptions({ dropFraction: 0.3 }); // { baseline: 4, dropFraction: 0.3, spike: 3, minVolume: 20, tolerance: 3 }
 */
export function resolveDetectOptions(options: DetectOptions = {}): ResolvedDetectOptions {
  if ('drop' in options && (options as { drop?: unknown }).drop !== undefined) {
    // The former name: ignoring it would check at the default threshold without a word.
    const drop = (options as { drop?: unknown }).drop;
    throw new BrazeOptionTypeError(
      'drop',
      drop,
      `drop is now dropFraction (a fraction: 0.5 = half gone), got drop ${String(drop)}`,
    );
  }
  const resolved: ResolvedDetectOptions = {
    baseline: options.baseline ?? DEFAULT_CHECK_BASELINE,
    dropFraction: options.dropFraction ?? DEFAULT_CHECK_DROP,
    spike: options.spike ?? DEFAULT_CHECK_SPIKE,
    minVolume: options.minVolume ?? DEFAULT_CHECK_MIN_VOLUME,
    tolerance: options.tolerance ?? DEFAULT_CHECK_TOLERANCE,
  };
  const { baseline, dropFraction, spike, minVolume, tolerance } = resolved;
  if (!Number.isInteger(baseline) || baseline < 1 || baseline > 52) {
    throw new BrazeOptionRangeError(
      'baseline',
      baseline,
      `baseline must be an integer in 1..52, got ${String(baseline)}`,
    );
  }
  if (!Number.isFinite(dropFraction) || dropFraction <= 0 || dropFraction >= 1) {
    throw new BrazeOptionRangeError(
      'dropFraction',
      dropFraction,
      `dropFraction must be a fraction between 0 and 1 (exclusive), got ${String(dropFraction)}`,
    );
  }
  if (!Number.isFinite(spike) || spike <= 1) {
    throw new BrazeOptionRangeError(
      'spike',
      spike,
      `spike must be a number greater than 1, got ${String(spike)}`,
    );
  }
  if (!Number.isFinite(minVolume) || minVolume < 0) {
    throw new BrazeOptionRangeError(
      'minVolume',
      minVolume,
      `minVolume must be a number >= 0, got ${String(minVolume)}`,
    );
  }
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new BrazeOptionRangeError(
      'tolerance',
      tolerance,
      `tolerance must be a number >= 0, got ${String(tolerance)}`,
    );
  }
  return resolved;
}
