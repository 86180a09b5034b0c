/**
 * Authentication and permissions, as Braze answers them: `Authorization: Bearer <key>`
 * (any casing of "Bearer"); an unknown or missing key is a 401 that echoes the key back
 * (Braze does: the body seen is `{"message":"Invalid API key: <key>"}`, which is why
 * clients must redact error bodies); a key without the endpoint's permission is a 403.
 */
import { ALL_PERMISSIONS, type Permission } from '../api/constants.js';
import { BrazeOptionRangeError, validateChoice } from '../api/option-errors.js';
import type { EmulatorKey } from './types.js';

export type AuthResult =
  | { ok: true; permissions: ReadonlySet<Permission> }
  | { ok: false; status: 401; message: string };

export interface Authenticator {
  authenticate(header: string | undefined): AuthResult;
}

/**
 * @example
 * createAuthenticator([{ key: 'k' }]).authenticate('bearer k').ok; // true
 */
export function createAuthenticator(keys: readonly EmulatorKey[]): Authenticator {
  const byKey = new Map<string, ReadonlySet<Permission>>();
  for (const k of keys) byKey.set(k.key, new Set(k.permissions ?? ALL_PERMISSIONS));
  return {
    authenticate(header) {
      const match = header === undefined ? null : /^\s*bearer\s+(.*?)\s*$/i.exec(header);
      const key = match?.[1] ?? '';
      const permissions = byKey.get(key);
      if (permissions === undefined) {
        return { ok: false, status: 401, message: `Invalid API key: ${key}` };
      }
      return { ok: true, permissions };
    },
  };
}

/** Body message of a 403 for a missing permission (names the permission). */
export function accessDeniedMessage(permission: Permission): string {
  return `Access Denied: this API key does not have the ${permission} permission`;
}

/**
 * Parses a CLI key spec `KEY[:perm,perm]`.
 *
 * @example
 * parseKeySpec('abc:events.list'); // { key: 'abc', permissions: ['events.list'] }
 */
export function parseKeySpec(spec: string): EmulatorKey {
  const colon = spec.lastIndexOf(':');
  if (colon < 0) return { key: spec };
  const key = spec.slice(0, colon);
  const perms = spec
    .slice(colon + 1)
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const p of perms) validateChoice('key', p, ALL_PERMISSIONS, undefined, 'key permission');
  if (key === '') throw new BrazeOptionRangeError('key', key, 'key must not be empty; got ""');
  return { key, permissions: perms as Permission[] };
}
