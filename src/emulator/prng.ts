/**
 * Seeded randomness. Two tools: a sequential PRNG (mulberry32) for one-off choices made
 * once at start-up, and a stateless hash for values that must be a pure function of their
 * coordinates (seed, event, day, hour), so counts are computed on demand in any order.
 */

/** A function returning floats in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: tiny, fast, good enough for synthetic data (not for cryptography).
 *
 * @example
 * const rand = createRandom(7); rand(); // 0.0008…
 */
export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes one 32-bit word into a hash state (murmur3-style finalizer steps). */
function mix(h: number, k: number): number {
  let x = Math.imul(k | 0, 0xcc9e2d51);
  x = (x << 15) | (x >>> 17);
  x = Math.imul(x, 0x1b873593);
  let y = h ^ x;
  y = (y << 13) | (y >>> 19);
  return (Math.imul(y, 5) + 0xe6546b64) | 0;
}

/**
 * A float in [0, 1) that depends only on its arguments (integers).
 *
 * @example
 * hashUnit(seed, eventIndex, day, 3) === hashUnit(seed, eventIndex, day, 3); // true
 */
export function hashUnit(a: number, b: number, c: number, d: number): number {
  let h = mix(0x9747b28c, a);
  h = mix(h, b);
  h = mix(h, c);
  h = mix(h, d);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Picks one element uniformly. */
export function pick<T>(rand: Random, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

/** A float uniform in [min, max). */
export function between(rand: Random, min: number, max: number): number {
  return min + (max - min) * rand();
}

/** A UUID-shaped id (Braze's app and segment ids look like UUIDs). */
export function fakeUuid(rand: Random): string {
  let hex = '';
  for (let i = 0; i < 32; i++) hex += Math.floor(rand() * 16).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
