/**
 * Exit codes, the usage error, and the single place that turns any error into the one
 * readable stderr line the CLI prints. Duck-typed on the fields of the library's errors
 * (`code`, status, brazeMessage, requestId, `option`, …) so that importing this file costs
 * nothing at start-up.
 */
import type { Command } from 'commander';
import { PATHS, PERMISSIONS } from '../api/constants.js';
import { escapeControlChars } from '../api/quote.js';
import { formatUtcOffset } from '../api/time.js';
import { describeSetting } from '../core/validate.js';
import { redact } from './redact.js';

/** Success. */
export const EXIT_OK = 0;
/** A runtime or API failure (network, 4xx/5xx from Braze, I/O). */
export const EXIT_FAILURE = 1;
/** A usage or validation error, detected before any request is sent. */
export const EXIT_USAGE = 2;
/** Reserved for `check`: it ran fine and found anomalies. */
export const EXIT_ANOMALIES = 3;

/** A mistake in flags, arguments or configuration: exit 2, no stack, no request sent. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = EXIT_USAGE;
}

/**
 * The exit code of a command stopped by a signal: 128 + the signal's number, what a shell
 * reports for a process the signal killed (130 after Ctrl-C, 143 after `kill`), so a
 * command that catches the signal to finish its writes exits as if it had not.
 */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** A signal that stops a command (see `SIGNAL_EXIT_CODES`). */
export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

/** The run was stopped by SIGINT or SIGTERM: its exit code is the signal's (`SIGNAL_EXIT_CODES`). */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  readonly exitCode: number;

  constructor(message: string, signal: StopSignal = 'SIGINT') {
    super(message);
    this.exitCode = SIGNAL_EXIT_CODES[signal];
  }
}

/** What the CLI knows when an error surfaces, to make the message actionable. */
export interface ErrorContext {
  /** Base URL the client talked to. */
  endpoint?: string;
  /** Retries the client made in this run (from `client.stats()`). */
  retries?: number;
  /**
   * Where the endpoint in use came from, as the user sets it (`--endpoint`,
   * `BRAZE_REST_ENDPOINT`, `"endpoint" of profile "prod" in <config file>`, a connector's
   * `"endpoint" of <config file>`): the advice of a 401, a 404 or an unreachable host names
   * it, so the reader looks where the value is. Unknown: `--endpoint/BRAZE_REST_ENDPOINT`.
   */
  endpointSetting?: string;
  /**
   * Where the API key came from (`--api-key`, `--api-key-file`, `BRAZE_API_KEY`,
   * `"apiKeyFile" of profile "prod" in <config file>`, `"api_key" of <config file>`), never
   * the key: the advice of a 401 or 403 names it. Unknown: the advice says "the key".
   */
  keySetting?: string;
  /**
   * Whether the advice may suggest the commands' flags (--concurrency, --max-retries);
   * default true. False for the connectors, configured by a file that has neither.
   */
  flagAdvice?: boolean;
}

/**
 * A setting that is a field of a file, for the advice: `"endpoint" of profile "prod" in
 * /home/me/.config/braze-events/config.json`, `"api_key" of /data/config.json`.
 *
 * @example
 * fileSetting('endpoint', '/data/config.json') // '"endpoint" of /data/config.json'
 */
export function fileSetting(field: string, where: string): string {
  return `"${field}" of ${where}`;
}

/**
 * The context of the connectors' errors: configured by a JSON file (`--config`), whose
 * `"endpoint"` and `"api_key"` fields the advice names; no flags to suggest.
 *
 * @example
 * formatError(error, connectorErrorContext(flags.config))
 */
export function connectorErrorContext(configFile: string | undefined): ErrorContext {
  const file = configFile ?? 'the --config file';
  return {
    endpointSetting: fileSetting('endpoint', file),
    keySetting: fileSetting('api_key', file),
    flagAdvice: false,
  };
}

interface HttpErrorLike {
  name: string;
  message: string;
  status: number;
  brazeMessage?: string;
  bodyExcerpt?: string;
  requestId?: string | null;
  method?: string;
  url?: string;
  resetAt?: Date | null;
  rateLimit?: { resetAt?: Date | null; retryAfterMs?: number | null } | null;
}

function isHttpErrorLike(err: unknown): err is HttpErrorLike {
  return err instanceof Error && typeof (err as { status?: unknown }).status === 'number';
}

/** The permission a 403 on this URL lacks, from the endpoint path (BRAZE_API.md). */
export function permissionForUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let path: string;
  try {
    path = new URL(url, 'http://x').pathname.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
  if (path.endsWith(PATHS.dataSeries)) return PERMISSIONS.dataSeries;
  if (path.endsWith(PATHS.eventsList)) return PERMISSIONS.eventsList;
  if (path.endsWith(PATHS.events)) return PERMISSIONS.events;
  return undefined;
}

function originOf(url: string | undefined, fallback: string | undefined): string {
  if (url !== undefined) {
    try {
      return new URL(url).origin;
    } catch {
      // fall through to the configured endpoint
    }
  }
  return fallback ?? 'the configured endpoint';
}

/** `1 retry`, `2 retries`: a count with its noun. */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The `<title>` of an HTML error page's excerpt, if it has one. */
function htmlTitle(excerpt: string | undefined): string | undefined {
  const title = /<title>([^<]{1,100})<\/title>/i.exec(excerpt ?? '')?.[1]?.trim();
  return title === '' ? undefined : title;
}

function describeHttpError(err: HttpErrorLike, ctx: ErrorContext): string {
  const parts: string[] = [];
  const page = err.brazeMessage ? undefined : htmlTitle(err.bodyExcerpt);
  // An HTML page comes from the edge in front of Braze (or a proxy): its title says which.
  const what = err.brazeMessage
    ? `: ${err.brazeMessage}`
    : page !== undefined
      ? `: an HTML page "${page}"`
      : '';
  const req =
    err.method && err.url ? ` (${err.method} ${new URL(err.url, 'http://x').pathname})` : '';
  parts.push(`Braze answered ${err.status}${what}${req}`);
  if (err.requestId) parts.push(`request id ${err.requestId}`);
  const host = originOf(err.url, ctx.endpoint);
  const setting = ctx.endpointSetting ?? '--endpoint/BRAZE_REST_ENDPOINT';
  const flags = ctx.flagAdvice !== false;
  // The key itself is never named: only the setting it came from.
  const keyIn = ctx.keySetting !== undefined ? ` in ${ctx.keySetting}` : '';
  if (err.status === 401) {
    parts.push(
      `the API key was rejected by ${host}: check the key${keyIn}, and that ${setting} is the instance the key's workspace lives on`,
    );
  } else if (err.status === 403) {
    const perm = permissionForUrl(err.url);
    parts.push(
      perm
        ? `the API key${keyIn} lacks the "${perm}" permission: add it to the key in Braze (Settings > APIs and Identifiers)`
        : `the API key${keyIn} is not allowed to call this endpoint (or the plan has no API access)`,
    );
  } else if (err.status === 429) {
    const reset = err.resetAt ?? err.rateLimit?.resetAt ?? null;
    const retries =
      ctx.retries !== undefined ? ` after ${plural(ctx.retries, 'retry', 'retries')}` : '';
    parts.push(
      reset
        ? `rate limit still exhausted${retries}; it resets at ${reset.toISOString()}: try again then${flags ? ', or lower --concurrency' : ''}`
        : `rate limit still exhausted${retries}: try again later${flags ? ', or lower --concurrency' : ''}`,
    );
  } else if (err.status >= 500) {
    const retries =
      ctx.retries !== undefined
        ? `gave up after ${plural(ctx.retries, 'retry', 'retries')}`
        : 'gave up';
    parts.push(
      `${retries}: Braze is having trouble, try again later${flags ? ' (or raise --max-retries)' : ''}`,
    );
  } else if (err.status === 404) {
    parts.push(`check ${ctx.endpointSetting ?? '--endpoint'} (${host})`);
  }
  return parts.join('; ');
}

/**
 * Formats any error as one line for stderr (no trailing newline), secrets redacted.
 *
 * @example
 * process.stderr.write(`${formatError(err, { endpoint: client.endpoint })}\n`);
 */
export function formatError(err: unknown, ctx: ErrorContext = {}): string {
  let line: string;
  if (err instanceof UsageError) {
    line = `error: ${err.message}`;
  } else if (err instanceof Error && codeOf(err) === 'response_shape') {
    // A success status with an unusable body: its message names the reason, the request
    // and the request id; "Braze answered 200" alone would hide why.
    const transient = (err as { transient?: boolean }).transient === true;
    const retries =
      transient && ctx.retries ? ` (after ${plural(ctx.retries, 'retry', 'retries')})` : '';
    // A success answer that is not JSON at all is most often not Braze's: a portal's or a
    // web server's page at the configured host. Say which setting put that host there.
    const notBraze =
      transient && ctx.endpointSetting !== undefined
        ? ` (is ${ctx.endpoint ?? 'the endpoint'} Braze's REST endpoint? check ${ctx.endpointSetting})`
        : '';
    line = `error: ${toFlagNames(err)}${retries}${notBraze}`;
  } else if (isHttpErrorLike(err)) {
    line = `error: ${describeHttpError(err, ctx)}`;
  } else if (err instanceof Error) {
    const code = codeOf(err);
    const hint =
      code === 'timeout'
        ? ctx.flagAdvice === false
          ? ' (check the network)'
          : ' (raise --timeout, or check the network)'
        : code === 'network'
          ? ` (is ${ctx.endpoint ?? 'the endpoint'} reachable?${ctx.endpointSetting !== undefined ? ` check ${ctx.endpointSetting}` : ''})`
          : '';
    const retries =
      (code === 'timeout' || code === 'network') && ctx.retries
        ? ` after ${plural(ctx.retries, 'retry', 'retries')}`
        : '';
    // A message whose detail came empty (`…not in the cert's list: `) loses its colon.
    line = `error: ${toFlagNames(err).replace(/[\s:]+$/, '')}${retries}${hint}`;
  } else {
    line = `error: ${String(err)}`;
  }
  // Braze's message and ours can quote an event name: data, never terminal commands.
  return escapeControlChars(redact(line.replace(/\s*\n\s*/g, ' ')));
}

/**
 * The flag that sets each library option a message can name: an option error's `option`
 * (its message starts with it), and the `remedy` a message suggests (`set
 * allowInsecureHttp`, `sync with hourBuckets local`). Options without a flag here are
 * named as they are (`endpoint`, `since`: the flags carry the same words).
 */
const OPTION_FLAGS: Readonly<Record<string, string>> = {
  allowInsecureHttp: '--allow-insecure-http',
  bucketUtcOffsetMinutes: '--bucket-utc-offset',
  // EventSelectionError: sync's and export's flags for `events` and `match`. (The
  // emulator's `events`, a count, is checked by its own --events parser before the library
  // sees it, so it never reaches this table.)
  events: '--event',
  format: '--format',
  hourBuckets: '--hour-buckets',
  match: '--match',
  maxRetries: '--max-retries',
  timeoutMs: '--timeout',
  // check's unknown workspace.
  workspace: '--workspace',
  // The emulator's options (src/emulator/options.ts), its --fault and --key specs and its
  // --data file; `host` and `port` are the dashboard's (serve) too.
  anchor: '--anchor',
  data: '--data',
  fault: '--fault',
  futureEndingAt: '--future-ending-at',
  host: '--host',
  hourFormat: '--hour-format',
  hourMs: '--hour-ms',
  key: '--key',
  linkStyle: '--link-style',
  port: '--port',
  'provisional.days': '--provisional DAYS',
  'provisional.factor': '--provisional FACTOR',
  'rateLimits.dataSeries': '--rate-limit-data-series',
  'rateLimits.listing': '--rate-limit-listing',
  seed: '--seed',
};

interface Setting {
  option: string;
  value: unknown;
}

function isSetting(x: unknown): x is Setting {
  return typeof x === 'object' && x !== null && typeof (x as Setting).option === 'string';
}

/** A suggested setting as a flag: `pass --allow-insecure-http`, `--bucket-utc-offset +05:30`. */
function flagSetting(flag: string, { option, value }: Setting): string {
  if (value === true) return `pass ${flag}`;
  if (option === 'bucketUtcOffsetMinutes' && typeof value === 'number') {
    return `${flag} ${formatUtcOffset(value)}`;
  }
  return `${flag} ${String(value)}`;
}

/**
 * The library's messages name its options (`maxRetries must be …`); a CLI user needs the
 * flag that sets them. Exact text from the error's fields: the option it starts with and
 * the remedy it wrote with `describeSetting`.
 */
function toFlagNames(err: Error & { option?: unknown; remedy?: unknown }): string {
  let text = err.message;
  const option = err.option;
  if (
    typeof option === 'string' &&
    Object.hasOwn(OPTION_FLAGS, option) &&
    text.startsWith(`${option} `)
  ) {
    text = `${OPTION_FLAGS[option]}${text.slice(option.length)}`;
  }
  const remedy = err.remedy;
  if (isSetting(remedy) && Object.hasOwn(OPTION_FLAGS, remedy.option)) {
    text = text.replace(describeSetting(remedy), flagSetting(OPTION_FLAGS[remedy.option]!, remedy));
  }
  return text;
}

/** The `code` of a library error (duck-typed, so this file loads none of their classes). */
function codeOf(err: unknown): unknown {
  return err instanceof Error ? (err as { code?: unknown }).code : undefined;
}

/** Codes refused before any request or write: the flags, the profile or the install must change. */
const USAGE_CODES: ReadonlySet<unknown> = new Set([
  'option',
  'sync_offset_mismatch',
  'sync_hour_buckets_mismatch',
  'database_driver_missing',
]);

/**
 * A server's listen error as the user's mistake when it is one: a port in use or not
 * permitted is a UsageError naming `--port`; anything else is returned unchanged.
 *
 * @example
 * try { await startDashboard({ port }); } catch (e) { throw listenError(e, port); }
 */
export function listenError(err: unknown, port: number | string): unknown {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === 'EADDRINUSE') return new UsageError(`--port ${port}: already in use`);
  if (code === 'EACCES') return new UsageError(`--port ${port}: not permitted (EACCES)`);
  if (code === 'EADDRNOTAVAIL') return new UsageError(`--port ${port}: address not available`);
  return err;
}

/** The exit code an error maps to. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return EXIT_USAGE;
  if (err instanceof InterruptedError) return err.exitCode;
  if (USAGE_CODES.has(codeOf(err))) return EXIT_USAGE;
  // A validator without an option error's code that still refuses with a TypeError or
  // RangeError naming the option (team contract) is a usage error too.
  if (
    (err instanceof TypeError || err instanceof RangeError) &&
    !(err as { status?: unknown }).status
  ) {
    return EXIT_USAGE;
  }
  return EXIT_FAILURE;
}

/** A stack for `--debug`: redacted, its lines kept, control characters in them escaped. */
function showStack(stack: string): string {
  return redact(stack).split('\n').map(escapeControlChars).join('\n');
}

/** Context shared between `context.ts` (which creates the client) and `runAction`. */
const activeContext: { current: (() => ErrorContext) | undefined } = { current: undefined };

/** Lets the command's client contribute endpoint/retries to the error line. */
export function setErrorContext(fn: (() => ErrorContext) | undefined): void {
  activeContext.current = fn;
}

function findCommand(args: readonly unknown[]): Command | undefined {
  for (let i = args.length - 1; i >= 0; i--) {
    const a = args[i] as { optsWithGlobals?: unknown } | undefined;
    if (a && typeof a === 'object' && typeof a.optsWithGlobals === 'function') {
      return a as unknown as Command;
    }
  }
  return undefined;
}

/**
 * Wraps a commander action: any error becomes one stderr line and `process.exitCode`
 * (never `process.exit()`, so buffered stdout is flushed). `--debug` adds the stack.
 *
 * @example
 * cmd.action(runAction(async (opts, cmd) => { … }));
 */
export function runAction<A extends unknown[]>(
  fn: (...args: A) => Promise<unknown> | unknown,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const result = await fn(...args);
      if (typeof result === 'number') process.exitCode = result;
    } catch (err) {
      const cmd = findCommand(args);
      const debug = Boolean(cmd?.optsWithGlobals().debug);
      const ctx = activeContext.current?.() ?? {};
      process.stderr.write(`${formatError(err, ctx)}\n`);
      if (debug && err instanceof Error && err.stack) {
        process.stderr.write(`${showStack(err.stack)}\n`);
        if (err.cause instanceof Error && err.cause.stack) {
          process.stderr.write(`caused by: ${showStack(err.cause.stack)}\n`);
        }
      }
      process.exitCode = exitCodeFor(err);
    }
  };
}
