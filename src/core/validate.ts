/**
 * Input validation at the boundary: every option is checked before any request is sent,
 * and the error names the option and the bad value: a BrazeOptionTypeError (a TypeError) for
 * a wrong type, a BrazeOptionRangeError (a RangeError) for a value out of range, each with
 * `option` and `value`.
 */
import { MAX_SERIES_LENGTH, UNITS, type Unit } from '../api/constants.js';
import {
  BrazeOptionRangeError,
  BrazeOptionTypeError,
  type Setting,
  validateChoice,
} from '../api/option-errors.js';
import { quoteInput } from '../api/quote.js';
import { formatUtcOffset, isIsoYearInstant, parseIsoInstant } from '../api/time.js';

/**
 * A suggested setting as messages write it; the CLI replaces exactly this text with the
 * flag (src/cli/errors.ts), so every message that suggests a setting writes it here.
 *
 * @example describeSetting({ option: 'allowInsecureHttp', value: true }) // 'set allowInsecureHttp'
 * @example describeSetting({ option: 'bucketUtcOffsetMinutes', value: 330 }) // 'bucketUtcOffsetMinutes 330 (UTC+05:30)'
 */
export function describeSetting({ option, value }: Setting): string {
  if (value === true) return `set ${option}`;
  if (option === 'bucketUtcOffsetMinutes' && typeof value === 'number') {
    return `${option} ${value} (UTC${formatUtcOffset(value)})`;
  }
  return `${option} ${String(value)}`;
}

/**
 * Why an event name cannot be sent to Braze, or `undefined` when it can. A name holding a
 * surrogate without its other half (half an emoji: Braze's listing is JSON, where `"\ud83d"`
 * is valid) has no UTF-8 form, so it cannot be URL-encoded; sending U+FFFD in its place
 * would ask for another event's counts.
 *
 * @example
 * eventNameProblem('Purchase'); // undefined
 * eventNameProblem('Party \ud83c'); // 'holds half an emoji (a lone surrogate, U+D83C) …'
 */
export function eventNameProblem(event: string): string | undefined {
  const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(event);
  if (lone === null) return undefined;
  const code = lone[0].charCodeAt(0).toString(16).toUpperCase();
  return `holds half an emoji (a lone surrogate, U+${code}), which has no UTF-8 form and cannot be URL-encoded; Braze cannot be asked for it`;
}

/**
 * A custom event name: a non-empty string that can be URL-encoded (see
 * {@link eventNameProblem}).
 *
 * @example `validateEventName('event', 'Purchase')`
 */
export function validateEventName(name: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new BrazeOptionTypeError(
      name,
      value,
      `${name} must be a non-empty string, got ${quoteInput(value)}`,
    );
  }
  if (value.length === 0)
    throw new BrazeOptionRangeError(name, value, `${name} must be a non-empty string, got ""`);
  const problem = eventNameProblem(value);
  if (problem !== undefined) {
    throw new BrazeOptionRangeError(name, value, `${name} ${problem}, got ${quoteInput(value)}`);
  }
  return value;
}

/** An optional non-empty string (`appId`, `segmentId`). */
export function validateOptionalId(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return validateEventName(name, value);
}

/**
 * A number option: a TypeError when `value` is not a number, a RangeError when `accepts`
 * refuses it; both messages say `${name} must be ${what}` and quote the value.
 */
function validateNumber(
  name: string,
  value: unknown,
  what: string,
  accepts: (n: number) => boolean,
): number {
  if (typeof value !== 'number') {
    throw new BrazeOptionTypeError(
      name,
      value,
      `${name} must be ${what}, got ${quoteInput(value)}`,
    );
  }
  if (!accepts(value)) {
    throw new BrazeOptionRangeError(
      name,
      value,
      `${name} must be ${what}, got ${quoteInput(value)}`,
    );
  }
  return value;
}

/** The series `length`: an integer in 1..100. */
export function validateLength(name: string, value: unknown): number {
  return validateNumber(
    name,
    value,
    `an integer from 1 to ${MAX_SERIES_LENGTH}`,
    (n) => Number.isInteger(n) && n >= 1 && n <= MAX_SERIES_LENGTH,
  );
}

/** `day` or `hour`; `undefined` gives the fallback. */
export function validateUnit(name: string, value: unknown, fallback: Unit): Unit {
  return validateChoice(name, value, UNITS, fallback);
}

/**
 * A `Date` or an ISO 8601 date/datetime string, as epoch milliseconds. Zone-less strings
 * are read at `offsetMinutes` east of UTC. A Date outside years 0000–9999 is a RangeError:
 * it cannot be sent as `ending_at`, and planning the buckets back to it would never end.
 */
export function validateInstant(name: string, value: unknown, offsetMinutes = 0): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms))
      throw new BrazeOptionRangeError(
        name,
        value,
        `${name} must be a valid Date, got an invalid Date`,
      );
    if (!isIsoYearInstant(ms)) {
      throw new BrazeOptionRangeError(
        name,
        value,
        `${name} must be within years 0000–9999, got ${value.toISOString()}`,
      );
    }
    return ms;
  }
  if (typeof value !== 'string') {
    throw new BrazeOptionTypeError(
      name,
      value,
      `${name} must be a Date or an ISO 8601 string, got ${quoteInput(value)}`,
    );
  }
  const ms = parseIsoInstant(value, offsetMinutes);
  if (ms === null) {
    throw new BrazeOptionRangeError(
      name,
      value,
      `${name} must be an ISO 8601 date or datetime, got ${quoteInput(value)}`,
    );
  }
  return ms;
}

/** A non-negative integer (`page`, `startPage`). */
export function validateNonNegativeInteger(name: string, value: unknown): number {
  return validateNumber(
    name,
    value,
    'a non-negative integer',
    (n) => Number.isSafeInteger(n) && n >= 0,
  );
}

/** `maxItems`: a non-negative integer or `Infinity`; `undefined` means no cap. */
export function validateMaxItems(name: string, value: unknown): number {
  if (value === undefined || value === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return validateNonNegativeInteger(name, value);
}

/** A positive integer or `Infinity` with a lower bound (`maxConcurrency` ≥ 1, `timeoutMs` ≥ 1). */
export function validatePositiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  return validateNumber(
    name,
    value,
    'a positive integer',
    (n) => n === Number.POSITIVE_INFINITY || (Number.isSafeInteger(n) && n >= 1),
  );
}

/** A non-negative integer with a fallback (`maxRetries`, `rateLimitReserve`, `maxRetryWaitMs`). */
export function validateCount(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Number.POSITIVE_INFINITY) return value;
  return validateNonNegativeInteger(name, value);
}

/** A share in (0, 1] (`maxShareOfLimit`). */
export function validateShare(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  return validateNumber(name, value, 'a number in (0, 1]', (n) => n > 0 && n <= 1);
}

/** An optional function option (`fetch`, `sleep`, `now`). */
export function validateFunction<T>(name: string, value: unknown, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'function')
    throw new BrazeOptionTypeError(
      name,
      value,
      `${name} must be a function, got ${quoteInput(value)}`,
    );
  return value as T;
}

/**
 * The API key. Its value is never part of the message: only what is wrong with it.
 */
export function validateApiKey(value: unknown): string {
  if (typeof value !== 'string') {
    throw new BrazeOptionTypeError(
      'apiKey',
      undefined,
      `apiKey must be a non-empty string, got ${value === undefined ? 'undefined' : typeof value}`,
    );
  }
  if (value.trim() === '')
    throw new BrazeOptionTypeError(
      'apiKey',
      undefined,
      'apiKey must be a non-empty string, got an empty string',
    );
  if (!/^[\x21-\x7e]+$/.test(value.trim())) {
    throw new BrazeOptionTypeError(
      'apiKey',
      undefined,
      'apiKey must be printable ASCII without spaces (value not shown)',
    );
  }
  if (/^(["']).*\1$/.test(value.trim())) {
    // Braze answers a quoted key with 401; say why before sending it.
    throw new BrazeOptionTypeError(
      'apiKey',
      undefined,
      'apiKey must not be wrapped in quotes (value not shown)',
    );
  }
  return value.trim();
}
