/**
 * The profiles file: named workspaces, each with an endpoint and the path of a file that
 * holds its API key (keys themselves are never stored in the config).
 *
 * Location: `$BRAZE_EVENTS_CONFIG`, else `$XDG_CONFIG_HOME/braze-events/config.json`,
 * else `~/.config/braze-events/config.json`. Format:
 *
 * ```json
 * { "defaultProfile": "prod",
 *   "profiles": { "prod": { "endpoint": "US-03", "apiKeyFile": "~/.braze/prod.key",
 *                           "bucketUtcOffset": "-05:00" } } }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { quoteInput } from '../api/quote.js';
import { HOUR_BUCKETS, type HourBuckets, parseUtcOffset } from '../api/time.js';
import { UsageError } from './errors.js';
import { UTC_OFFSET_FORMS } from './parse.js';

/** Profile names listed in a message before the rest are only counted. */
const MAX_LISTED_PROFILES = 10;

/** One profile: where the workspace lives and where its key is kept. */
export interface Profile {
  /** Instance id (`US-03`) or REST base URL. */
  endpoint?: string;
  /** Path of a file whose content is the REST API key (`~` expands to the home folder). */
  apiKeyFile?: string;
  /** Minutes east of UTC of the workspace's day buckets, from `"bucketUtcOffset": "-05:00"`. */
  bucketUtcOffsetMinutes?: number;
  /** Hour alignment under an offset that is not whole hours, from `"hourBuckets": "utc"`. */
  hourBuckets?: HourBuckets;
  /** Webhooks `check` notifies (its `--notify` default). Secrets: keep the file private. */
  notify?: string[];
  /** Dashboard base URL that `check`'s Slack messages link to (`--dashboard-url` default). */
  dashboardUrl?: string;
}

/** The parsed config file. */
export interface ConfigFile {
  defaultProfile?: string;
  profiles: Record<string, Profile>;
}

/**
 * Path of the config file for this environment.
 *
 * @example
 * configPath({ XDG_CONFIG_HOME: '/x' }) // '/x/braze-events/config.json'
 */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BRAZE_EVENTS_CONFIG) return resolve(expandHome(env.BRAZE_EVENTS_CONFIG, env));
  const base =
    env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : join(homeOf(env), '.config');
  return join(base, 'braze-events', 'config.json');
}

function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || homedir();
}

/** Expands a leading `~/` (or a lone `~`) to the home folder. */
export function expandHome(path: string, env: NodeJS.ProcessEnv = process.env): string {
  if (path === '~') return homeOf(env);
  if (path.startsWith('~/')) return join(homeOf(env), path.slice(2));
  return path;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates the parsed JSON of a config file; throws a UsageError naming the file and
 * the bad field.
 */
export function parseConfig(json: unknown, file: string): ConfigFile {
  const bad = (what: string) => new UsageError(`invalid config file ${file}: ${what}`);
  if (!isRecord(json)) throw bad('expected a JSON object');
  const profilesRaw = json.profiles ?? {};
  if (!isRecord(profilesRaw)) throw bad('"profiles" must be an object of named profiles');
  // No prototype: a profile named "__proto__" or "constructor" is just a name.
  const profiles: Record<string, Profile> = Object.create(null);
  for (const [name, p] of Object.entries(profilesRaw)) {
    const quoted = quoteInput(name);
    if (!isRecord(p)) throw bad(`profile ${quoted} must be an object`);
    if ('apiKey' in p) {
      throw bad(`profile ${quoted} holds "apiKey": store the key in a file and set "apiKeyFile"`);
    }
    const profile: Profile = {};
    if (p.notify !== undefined) {
      const list = typeof p.notify === 'string' ? [p.notify] : p.notify;
      if (!Array.isArray(list) || list.some((u) => typeof u !== 'string' || u === '')) {
        throw bad(`profile ${quoted}: "notify" must be a webhook URL or a list of them`);
      }
      profile.notify = list as string[];
    }
    for (const key of ['endpoint', 'apiKeyFile', 'dashboardUrl'] as const) {
      const v = p[key];
      if (v === undefined) continue;
      if (typeof v !== 'string' || v === '') {
        throw bad(`profile ${quoted}: "${key}" must be a non-empty string`);
      }
      profile[key] = v;
    }
    if (p.bucketUtcOffset !== undefined) {
      const minutes =
        typeof p.bucketUtcOffset === 'string' ? parseUtcOffset(p.bucketUtcOffset) : null;
      if (minutes === null) {
        throw bad(
          `profile ${quoted}: "bucketUtcOffset" must be ${UTC_OFFSET_FORMS}, got ${quoteInput(String(p.bucketUtcOffset))}`,
        );
      }
      profile.bucketUtcOffsetMinutes = minutes;
    }
    if (p.hourBuckets !== undefined) {
      if (!(HOUR_BUCKETS as readonly unknown[]).includes(p.hourBuckets)) {
        throw bad(
          `profile ${quoted}: "hourBuckets" must be "local" or "utc", got ${quoteInput(String(p.hourBuckets))}`,
        );
      }
      profile.hourBuckets = p.hourBuckets as HourBuckets;
    }
    profiles[name] = profile;
  }
  const config: ConfigFile = { profiles };
  if (json.defaultProfile !== undefined) {
    if (typeof json.defaultProfile !== 'string' || !Object.hasOwn(profiles, json.defaultProfile)) {
      throw bad(
        `"defaultProfile" must name one of the profiles (${listProfileNames(Object.keys(profiles))})`,
      );
    }
    config.defaultProfile = json.defaultProfile;
  }
  return config;
}

/**
 * Profile names for a message (`prod, eu`): at most a few, each shown as is when short and
 * printable, else quoted in bounded form; `fallback` when there are none.
 *
 * @example
 * listProfileNames(['prod', 'eu']) // 'prod, eu'
 */
export function listProfileNames(names: readonly string[], fallback = 'none defined'): string {
  if (names.length === 0) return fallback;
  const shown = names
    .slice(0, MAX_LISTED_PROFILES)
    .map((n) => (/^[\x21-\x7e]{1,80}$/.test(n) && !n.includes(',') ? n : quoteInput(n)));
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/**
 * Reads the config file; `undefined` when it does not exist.
 *
 * @example
 * const cfg = await loadConfig(configPath());
 */
export async function loadConfig(file: string): Promise<ConfigFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`invalid config file ${file}: ${(err as Error).message}`);
  }
  return parseConfig(json, file);
}

/**
 * The profile a command uses for its own settings (not the key): `--profile NAME` (which
 * must exist), else the config's `defaultProfile`, else none.
 *
 * @example
 * const profile = await selectedProfile(opts.profile); // e.g. its notify URLs
 */
export async function selectedProfile(
  name: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Profile | undefined> {
  const file = configPath(env);
  const config = await loadConfig(file);
  if (name === undefined) {
    return config?.defaultProfile ? config.profiles[config.defaultProfile] : undefined;
  }
  if (config && Object.hasOwn(config.profiles, name)) return config.profiles[name];
  throw new UsageError(
    config
      ? `no profile ${quoteInput(name)} in ${file} (profiles: ${listProfileNames(Object.keys(config.profiles), 'none')})`
      : `no profile ${quoteInput(name)}: config file ${file} does not exist`,
  );
}
