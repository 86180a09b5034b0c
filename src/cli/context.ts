/**
 * Turns global flags, environment and the profiles file into a connection (key, endpoint,
 * workspace) and a client. The key is registered for redaction the moment it is read and
 * is never put on an enumerable property.
 *
 * Precedence, most specific first: `--api-key`/`--api-key-file`/`--endpoint`/
 * `--bucket-utc-offset` flags, then an explicit `--profile`, then `BRAZE_API_KEY`/
 * `BRAZE_REST_ENDPOINT`/`BRAZE_BUCKET_UTC_OFFSET`, then the config's `defaultProfile`.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { INSTANCES } from '../api/instances.js';
import { quoteInput } from '../api/quote.js';
import {
  DEFAULT_HOUR_BUCKETS,
  HOUR_BUCKETS,
  type HourBuckets,
  parseUtcOffset,
} from '../api/time.js';
import { resolveEndpoint } from '../core/endpoint.js';
import type { BrazeClient, ClientNotice } from '../core/types.js';
import { configPath, expandHome, listProfileNames, loadConfig, type Profile } from './config.js';
import { fileSetting, setErrorContext, UsageError } from './errors.js';
import { type CliLogger, createCliLogger } from './output.js';
import { UTC_OFFSET_FORMS } from './parse.js';
import { registerSecret } from './redact.js';

/** Global flags every command sees (`cmd.optsWithGlobals()`). */
export interface GlobalOptions {
  profile?: string;
  endpoint?: string;
  apiKey?: string;
  apiKeyFile?: string;
  debug?: boolean;
  quiet?: boolean;
  maxRetries?: number;
  timeout?: number;
  maxRetryWait?: number;
  allowInsecureHttp?: boolean;
  /** `--bucket-utc-offset`, in minutes east of UTC. */
  bucketUtcOffset?: number;
  /** `--hour-buckets`: hour alignment under an offset that is not whole hours. */
  hourBuckets?: HourBuckets;
}

/** Client settings a command may add to the global flags. */
export interface ClientExtras {
  maxConcurrency?: number;
  /** Share of each hourly rate-limit window this run may use (sync's `--max-share`). */
  maxShareOfLimit?: number;
  /** The command keeps its place across runs (sync): a wait line then says a re-run resumes. */
  resumable?: boolean;
  /** Told about every wait, e.g. for a progress bar (the stderr line is printed regardless). */
  onWait?: (wait: Extract<ClientNotice, { kind: 'wait' }>) => void;
}

/**
 * Waits longer than this (a retry's delay plus the attempt that failed before it) are said
 * on stderr, without a TTY and under CI too; shorter ones only with --debug.
 */
export const WAIT_NOTICE_MS = 5_000;

/**
 * The one line a long wait prints: what it waits for, until when (UTC), and that Ctrl-C is
 * safe. Only `--quiet` silences it: a cron job must not look hung.
 *
 * @example waitLine('waiting 50 min, until 2026-11-29T13:00:00Z, for …', true)
 */
export function waitLine(message: string, resumable: boolean): string {
  return `${message}; Ctrl-C is safe${resumable ? ', a re-run resumes where this one stopped' : ', a re-run starts over'}`;
}

/**
 * Routes the client's notices: long waits as info (quiet-aware), the rest as warnings.
 * Requests running side by side all wait for the same window: its line is printed once.
 * A request retrying for longer than `WAIT_NOTICE_MS` in all (short delays after quick
 * failures, e.g. a refused connection) is said once too, on the wait that crosses it.
 * The first retry said is said in full (how long it has retried, when its last retry
 * starts, that Ctrl-C is safe); later ones in their short form (`brief`): with Braze down,
 * 400-character lines for every retry of every series buried what was happening.
 */
export function noticePrinter(log: CliLogger, extra: ClientExtras): (notice: ClientNotice) => void {
  const resumable = extra.resumable === true;
  let lastWait = '';
  let retryExplained = false;
  const saidCalls = new Set<number>();
  return (notice) => {
    if (notice.kind === 'wait') {
      extra.onWait?.(notice);
      const key = `${notice.cause} ${notice.bucket} ${notice.until.toISOString()}`;
      // A retry after a time-out: the silence is the attempt's wait plus the delay.
      const long = notice.ms + (notice.attemptMs ?? 0) > WAIT_NOTICE_MS;
      const longSequence =
        notice.call !== undefined &&
        (notice.retryingMs ?? 0) > WAIT_NOTICE_MS &&
        !saidCalls.has(notice.call);
      if (!long && !longSequence) log.debug(notice.message);
      else if (key !== lastWait) {
        const brief = retryExplained && notice.cause === 'retry' ? notice.brief : undefined;
        log.info(brief ?? waitLine(notice.message, resumable));
        if (notice.cause === 'retry') retryExplained = true;
      }
      if ((long || longSequence) && notice.call !== undefined) saidCalls.add(notice.call);
      lastWait = key;
    } else log.warn(notice.message);
  };
}

/** Where the credentials came from (for messages; never the key itself). */
export type ConnectionSource = 'flags' | 'profile' | 'env' | 'demo';

/** A resolved connection. The key is only reachable through `apiKey()`. */
export interface Connection {
  /** Instance id or URL, as configured. */
  endpoint: string;
  /** Workspace name for stored data: the profile name, `default`, or `demo`. */
  workspace: string;
  source: ConnectionSource;
  /** Minutes east of UTC of Braze's day buckets (flag, profile or env; default 0). */
  bucketUtcOffsetMinutes: number;
  /** Hour alignment under an offset that is not whole hours (flag, profile or env; default local). */
  hourBuckets: HourBuckets;
  /**
   * Where the key came from, as the user sets it: `BRAZE_API_KEY`, `--api-key`,
   * `--api-key-file`, `"apiKeyFile" of profile "prod" in <config file>`.
   */
  keySetting: string;
  /**
   * Where the endpoint came from: `BRAZE_REST_ENDPOINT`, `--endpoint`, `"endpoint" of
   * profile "prod" in <config file>`.
   */
  endpointSetting: string;
  /**
   * Where the day-bucket offset came from (`--bucket-utc-offset`, `BRAZE_BUCKET_UTC_OFFSET`,
   * `"bucketUtcOffset" of profile "prod" in <config file>`); `undefined` when none was
   * given (the default, UTC).
   */
  bucketUtcOffsetSetting?: string;
  /** Returns the key; a function so `JSON.stringify`/`inspect` of the object never show it. */
  apiKey(): string;
}

/** Where each setting of a connection came from (for messages; never a value). */
interface Settings {
  key: string;
  endpoint: string;
  bucketUtcOffset?: string | undefined;
}

/** One line saying exactly what to set (the "nothing configured" error). */
export function missingConfigMessage(env: NodeJS.ProcessEnv = process.env): string {
  return (
    'no Braze API key configured: set BRAZE_API_KEY and BRAZE_REST_ENDPOINT (e.g. US-03), ' +
    'or pass --api-key-file FILE --endpoint US-03, ' +
    `or add a profile to ${configPath(env)} and pass --profile NAME`
  );
}

async function readKeyFile(file: string, env: NodeJS.ProcessEnv): Promise<string> {
  const path = expandHome(file, env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read API key file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const key = text.trim();
  if (key === '') throw new UsageError(`API key file ${path} is empty`);
  return key;
}

function connection(
  key: string,
  endpoint: string,
  workspace: string,
  source: ConnectionSource,
  settings: Settings,
  bucketUtcOffsetMinutes = 0,
  hourBuckets: HourBuckets = DEFAULT_HOUR_BUCKETS,
): Connection {
  registerSecret(key);
  return {
    endpoint,
    workspace,
    source,
    bucketUtcOffsetMinutes,
    hourBuckets,
    keySetting: settings.key,
    endpointSetting: settings.endpoint,
    ...(settings.bucketUtcOffset !== undefined
      ? { bucketUtcOffsetSetting: settings.bucketUtcOffset }
      : {}),
    apiKey: () => key,
  };
}

/**
 * Refuses a key and an endpoint set the wrong way round (`BRAZE_API_KEY=US-03
 * BRAZE_REST_ENDPOINT=<the key>`): the endpoint is no instance id or URL while the "key" is
 * one. Said before any client exists, so the real key is never echoed as an endpoint.
 */
function refuseSwapped(key: string, endpoint: string, settings: Settings): void {
  const keyIsEndpoint = Object.hasOwn(INSTANCES, key.toUpperCase()) || /^https?:\/\//i.test(key);
  if (!keyIsEndpoint) return;
  try {
    resolveEndpoint(endpoint, { allowInsecureHttp: true });
  } catch {
    throw new UsageError(
      `${settings.endpoint} (a value of ${endpoint.length} characters, not shown: it may be the API key) is not a Braze instance id or URL, while ${settings.key} holds an endpoint: did you swap ${settings.key} and ${settings.endpoint}?`,
    );
  }
}

/** `BRAZE_HOUR_BUCKETS` (`local` or `utc`), `undefined` when unset; a bad value is a usage error. */
export function envHourBuckets(env: NodeJS.ProcessEnv): HourBuckets | undefined {
  const text = env.BRAZE_HOUR_BUCKETS?.trim();
  if (!text) return undefined;
  if (!(HOUR_BUCKETS as readonly string[]).includes(text)) {
    throw new UsageError(`BRAZE_HOUR_BUCKETS must be local or utc, got ${quoteInput(text)}`);
  }
  return text as HourBuckets;
}

/**
 * The hour alignment the flags, environment and profile ask for, `undefined` when none
 * does: `--hour-buckets`, then an explicitly chosen profile's before `BRAZE_HOUR_BUCKETS`,
 * else the environment's before the default profile's (the endpoint's precedence).
 */
export function chosenHourBuckets(
  flag: HourBuckets | undefined,
  profile: Pick<Profile, 'hourBuckets'> | undefined,
  explicitProfile: boolean,
  envHours: HourBuckets | undefined,
): HourBuckets | undefined {
  return (
    flag ??
    (explicitProfile ? (profile?.hourBuckets ?? envHours) : (envHours ?? profile?.hourBuckets))
  );
}

/** `BRAZE_BUCKET_UTC_OFFSET` in minutes, `undefined` when unset; a bad value is a usage error. */
export function envBucketOffset(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.BRAZE_BUCKET_UTC_OFFSET?.trim();
  if (!text) return undefined;
  const minutes = parseUtcOffset(text);
  if (minutes === null) {
    throw new UsageError(
      `BRAZE_BUCKET_UTC_OFFSET must be ${UTC_OFFSET_FORMS}, got ${quoteInput(text)}`,
    );
  }
  return minutes;
}

/**
 * Resolves the connection, or `undefined` when nothing at all is configured (the demo
 * falls back to the emulator then). Throws UsageError for half or broken configuration.
 *
 * @example
 * const conn = await tryResolveConnection(cmd.optsWithGlobals());
 */
export async function tryResolveConnection(
  opts: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Connection | undefined> {
  const envKey = env.BRAZE_API_KEY?.trim() || undefined;
  if (envKey) registerSecret(envKey);
  const envOffset = envBucketOffset(env);
  const envHours = envHourBuckets(env);
  if (opts.apiKey) registerSecret(opts.apiKey);

  let profileName = opts.profile;
  let profile: Profile | undefined;
  const explicitProfile = profileName !== undefined;
  const needsConfig = explicitProfile || !(opts.apiKey || opts.apiKeyFile || envKey);
  if (needsConfig) {
    const file = configPath(env);
    const config = await loadConfig(file);
    if (explicitProfile) {
      profile =
        config && Object.hasOwn(config.profiles, profileName!)
          ? config.profiles[profileName!]
          : undefined;
      if (!profile) {
        const name = quoteInput(profileName!);
        throw new UsageError(
          config
            ? `no profile ${name} in ${file} (profiles: ${listProfileNames(Object.keys(config.profiles), 'none')})`
            : `no profile ${name}: config file ${file} does not exist`,
        );
      }
    } else if (config?.defaultProfile) {
      profileName = config.defaultProfile;
      profile = config.profiles[profileName];
    }
  }

  // Key: flags > explicit profile > env > default profile.
  let key: string | undefined;
  let source: ConnectionSource = 'flags';
  // A profile's field with the file it is in: the advice sends the reader to that line.
  const profileField = (field: string) =>
    fileSetting(field, `profile ${quoteInput(profileName ?? '')} in ${configPath(env)}`);
  let keySetting = '--api-key';
  if (opts.apiKey) key = opts.apiKey.trim();
  else if (opts.apiKeyFile) {
    key = await readKeyFile(opts.apiKeyFile, env);
    keySetting = '--api-key-file';
  } else if (explicitProfile && profile?.apiKeyFile) {
    key = await readKeyFile(profile.apiKeyFile, env);
    source = 'profile';
    keySetting = profileField('apiKeyFile');
  } else if (envKey) {
    key = envKey;
    source = 'env';
    keySetting = 'BRAZE_API_KEY';
  } else if (profile?.apiKeyFile) {
    key = await readKeyFile(profile.apiKeyFile, env);
    source = 'profile';
    keySetting = profileField('apiKeyFile');
  }

  const envEndpoint = env.BRAZE_REST_ENDPOINT?.trim() || undefined;
  const fromEnv = { value: envEndpoint, setting: 'BRAZE_REST_ENDPOINT' };
  const fromProfile = { value: profile?.endpoint, setting: profileField('endpoint') };
  const [first, second] = explicitProfile ? [fromProfile, fromEnv] : [fromEnv, fromProfile];
  const chosen =
    opts.endpoint !== undefined
      ? { value: opts.endpoint, setting: '--endpoint' }
      : first.value !== undefined
        ? first
        : second;
  const endpoint = chosen.value;

  if (key === undefined) {
    if (profile) {
      throw new UsageError(
        `profile ${quoteInput(profileName ?? '')} has no "apiKeyFile": add one to ${configPath(env)}, or set BRAZE_API_KEY`,
      );
    }
    if (endpoint === undefined) return undefined;
    throw new UsageError(missingConfigMessage(env));
  }
  if (endpoint === undefined) {
    throw new UsageError(
      'no Braze endpoint configured: set BRAZE_REST_ENDPOINT or pass --endpoint ' +
        '(an instance id such as US-03 or EU-01, or the REST base URL)',
    );
  }
  const settings: Settings = { key: keySetting, endpoint: chosen.setting };
  refuseSwapped(key, endpoint, settings);
  const workspace = profile && profileName ? profileName : 'default';
  // Same precedence as the endpoint's.
  const offsetFromEnv = { value: envOffset, setting: 'BRAZE_BUCKET_UTC_OFFSET' };
  const offsetFromProfile = {
    value: profile?.bucketUtcOffsetMinutes,
    setting: profileField('bucketUtcOffset'),
  };
  const [firstOffset, secondOffset] = explicitProfile
    ? [offsetFromProfile, offsetFromEnv]
    : [offsetFromEnv, offsetFromProfile];
  const offset =
    opts.bucketUtcOffset !== undefined
      ? { value: opts.bucketUtcOffset, setting: '--bucket-utc-offset' }
      : firstOffset.value !== undefined
        ? firstOffset
        : secondOffset.value !== undefined
          ? secondOffset
          : undefined;
  settings.bucketUtcOffset = offset?.setting;
  const hourBuckets = chosenHourBuckets(opts.hourBuckets, profile, explicitProfile, envHours);
  return connection(key, endpoint, workspace, source, settings, offset?.value ?? 0, hourBuckets);
}

/**
 * Like `tryResolveConnection`, but nothing configured is a usage error with guidance.
 */
export async function resolveConnection(
  opts: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Connection> {
  const conn = await tryResolveConnection(opts, env);
  if (!conn) throw new UsageError(missingConfigMessage(env));
  return conn;
}

/** The in-process emulator the demo falls back to when nothing is configured. */
export interface DemoSession {
  connection: Connection;
  /** Base URL of the in-process emulator. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the built-in emulator in-process and returns a `demo` connection to it.
 */
export async function startDemoEmulator(): Promise<DemoSession> {
  const { startEmulator, EMULATOR_DEFAULT_KEY } = await import('../emulator/index.js');
  const emulator = await startEmulator({ port: 0 });
  return {
    connection: connection(EMULATOR_DEFAULT_KEY, emulator.url, 'demo', 'demo', {
      key: 'the built-in emulator',
      endpoint: 'the built-in emulator',
    }),
    url: emulator.url,
    close: () => emulator.close(),
  };
}

/** A client plus what the CLI needs around it. */
export interface CliSession {
  client: BrazeClient;
  connection: Connection;
  log: CliLogger;
}

/**
 * Builds a client for a connection with the global retry/timeout flags, and wires it
 * into error reporting (endpoint and retries appear in the error line).
 *
 * @example
 * const { client } = await createCliClient(await resolveConnection(opts), opts);
 */
export async function createCliClient(
  conn: Connection,
  opts: GlobalOptions,
  extra: ClientExtras = {},
): Promise<CliSession> {
  const log = createCliLogger({ debug: opts.debug === true, quiet: opts.quiet === true });
  const { createBrazeClient } = await import('../core/client.js');
  const client = createBrazeClient({
    apiKey: conn.apiKey(),
    endpoint: conn.endpoint,
    ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout } : {}),
    ...(opts.maxRetries !== undefined ? { maxRetries: opts.maxRetries } : {}),
    ...(opts.maxRetryWait !== undefined ? { maxRetryWaitMs: opts.maxRetryWait } : {}),
    ...(opts.allowInsecureHttp === true ? { allowInsecureHttp: true } : {}),
    bucketUtcOffsetMinutes: conn.bucketUtcOffsetMinutes,
    hourBuckets: conn.hourBuckets,
    ...(extra.maxConcurrency !== undefined ? { maxConcurrency: extra.maxConcurrency } : {}),
    ...(extra.maxShareOfLimit !== undefined ? { maxShareOfLimit: extra.maxShareOfLimit } : {}),
    onNotice: noticePrinter(log, extra),
    logger: {
      debug: (m, f) => log.debug(m, f),
      info: (m, f) => log.debug(m, f),
      warn: (m, f) => log.debug(`warn: ${m}`, f),
      error: (m, f) => log.debug(`error: ${m}`, f),
    },
  });
  setErrorContext(() => ({
    endpoint: client.endpoint,
    retries: client.stats().retries,
    endpointSetting: conn.endpointSetting,
    keySetting: conn.keySetting,
  }));
  return { client, connection: conn, log };
}

/**
 * The usual start of a command's action: resolve flags/env/profile, build the client.
 *
 * @example
 * cmd.action(runAction(async (opts, cmd) => { const { client } = await openSession(cmd); }));
 */
export async function openSession(cmd: Command, extra: ClientExtras = {}): Promise<CliSession> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  return createCliClient(await resolveConnection(opts), opts, extra);
}
