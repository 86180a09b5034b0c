/**
 * The package version, sent in the `User-Agent` header.
 *
 * A constant rather than a runtime `import` of package.json: that import would break once
 * `dist/` is installed elsewhere or bundled. `test/core/version.test.ts` keeps the two equal.
 *
 * @example
 * ```ts
 * import { VERSION } from 'braze-events';
 * console.log(`braze-events ${VERSION}`);
 * ```
 */
export const VERSION = '0.1.0';

/** Product token this library adds to every `User-Agent` header. */
export const USER_AGENT = `braze-events/${VERSION}`;
