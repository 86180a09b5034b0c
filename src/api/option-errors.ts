/**
 * Option errors: a bad option value, refused before any request or write. They subclass
 * TypeError (wrong type) and RangeError (right type, out of range) so that `instanceof
 * TypeError`/`RangeError` checks and `name` checks in existing code keep working, and add
 * what a program needs to act on them without reading the message: `code` ('option'), the
 * `option` as the library names it (`timeoutMs`, `bucketUtcOffsetMinutes`) and the `value`.
 *
 * They live in the api layer, the bottom one, because its time validators throw them too;
 * the library exports them beside its other errors.
 */

import { quoteInput } from './quote.js';

/**
 * A setting a message suggests as the way out (`set allowInsecureHttp`, `sync with
 * hourBuckets local`), so that the CLI can name its flag instead without reading the
 * message: the message writes it with `describeSetting` (src/core/validate.ts).
 */
export interface Setting {
  readonly option: string;
  readonly value: unknown;
}

/** The fields every option error carries. */
export interface BrazeOptionErrorFields {
  /** Always `'option'`: see the error-code table in README.md. */
  readonly code: 'option';
  /** The option as the library names it, e.g. `timeoutMs`, `event`, `bucketUtcOffsetMinutes`. */
  readonly option: string;
  /** The value refused; `undefined` for `apiKey`, whose value is never kept. */
  readonly value: unknown;
  /** The setting the message suggests instead, if it suggests one. */
  readonly remedy?: Setting | undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: TypeScript's mixin pattern requires any[] constructor arguments
type ErrorClass = new (...args: any[]) => Error;

/** The constructor an option error class has. */
type OptionErrorClass<Base extends ErrorClass> = new (
  option: string,
  value: unknown,
  message: string,
  remedy?: Setting,
) => InstanceType<Base> & BrazeOptionErrorFields;

/**
 * The option fields on top of a built-in error class: JavaScript has one base per class,
 * and an option error must be a TypeError or a RangeError, so both are made by this mixin.
 */
function withOptionFields<Base extends ErrorClass>(base: Base): OptionErrorClass<Base> {
  // The cast: TypeScript types a mixin's constructor as `any[]`; this is its real signature.
  return class extends base implements BrazeOptionErrorFields {
    declare readonly code: 'option';
    readonly option: string;
    readonly value: unknown;
    readonly remedy?: Setting | undefined;

    // biome-ignore lint/suspicious/noExplicitAny: the mixin pattern's constructor signature
    constructor(...args: any[]) {
      const [option, value, message, remedy] = args as [string, unknown, string, Setting?];
      super(message);
      this.option = option;
      this.value = value;
      if (remedy !== undefined) this.remedy = remedy;
    }
  } as unknown as OptionErrorClass<Base>;
}

/**
 * An option of the wrong type (`timeoutMs: '30'`).
 *
 * @example
 * try { createBrazeClient({ apiKey, endpoint, timeoutMs: '30' as never }); }
 * catch (e) { if (isBrazeOptionError(e)) console.error(e.option, e.value); }
 */
export class BrazeOptionTypeError extends withOptionFields(TypeError) {}

/** An option of the right type out of its range (`length: 101`, `maxShareOfLimit: 2`). */
export class BrazeOptionRangeError extends withOptionFields(RangeError) {}

// `name` stays the built-in one ('TypeError', 'RangeError'): code that checks it keeps
// working; `code` and the guard tell an option error apart. On the prototype, `code` is not
// an own field, like `name`.
for (const [cls, name] of [
  [BrazeOptionTypeError, 'TypeError'],
  [BrazeOptionRangeError, 'RangeError'],
] as const) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
  Object.defineProperty(cls.prototype, 'code', { value: 'option', configurable: true });
}

/** Either option error. */
export type BrazeOptionError = BrazeOptionTypeError | BrazeOptionRangeError;

/** @example `if (isBrazeOptionError(e)) console.error(\`bad ${e.option}\`)` */
export const isBrazeOptionError = (e: unknown): e is BrazeOptionError =>
  e instanceof BrazeOptionTypeError || e instanceof BrazeOptionRangeError;

/**
 * One of a fixed set of strings (`unit`, `hourBuckets`, `seriesCompleteness`, the
 * emulator's `linkStyle`, a fault's kind, a key's permission, the export format, …);
 * `undefined` gives the fallback, or is refused when there is none (a required choice).
 * Here, in the bottom layer, so that the client, the emulator and the export check choices
 * alike. Another string is a RangeError, anything else a TypeError; `option` is `name`, and
 * the message starts with `label` (default `name`) when the value is part of an option
 * (`fault kind must be one of …` for option `fault`).
 *
 * @example validateChoice('hourBuckets', 'utc', HOUR_BUCKETS, 'local') // 'utc'
 * @example validateChoice('fault', rule.kind, FAULT_KINDS, undefined, 'fault kind')
 */
export function validateChoice<T extends string>(
  name: string,
  value: unknown,
  choices: readonly T[],
  fallback: T | undefined,
  label = name,
): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value))
    return value as T;
  const message = `${label} must be one of ${choices.join(', ')}, got ${quoteInput(value)}`;
  throw typeof value === 'string'
    ? new BrazeOptionRangeError(name, value, message)
    : new BrazeOptionTypeError(name, value, message);
}
