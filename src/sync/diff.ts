/**
 * What a fetched window changes in the stored counts. Pure, so "unchanged" is decided
 * once and counted honestly: a row is updated only when its count (or Braze's `time`
 * text) actually differs.
 */

/** One bucket as stored: `bucketStart` is ISO-8601 UTC. */
export interface StoredBucket {
  bucketStart: string;
  time: string;
  count: number;
}

export interface BucketDiff {
  inserts: StoredBucket[];
  updates: StoredBucket[];
  unchanged: number;
}

/**
 * Compares fetched buckets with the stored ones of the same series.
 *
 * @example
 * diffBuckets(new Map([['2026-11-01T00:00:00.000Z', { time: '2026-11-01', count: 3 }]]), [
 *   { bucketStart: '2026-11-01T00:00:00.000Z', time: '2026-11-01', count: 4 },
 * ]); // { inserts: [], updates: [that bucket], unchanged: 0 }
 */
export function diffBuckets(
  stored: ReadonlyMap<string, { time: string; count: number }>,
  fetched: readonly StoredBucket[],
): BucketDiff {
  const result: BucketDiff = { inserts: [], updates: [], unchanged: 0 };
  const seen = new Set<string>();
  for (const bucket of fetched) {
    // A bucket sent twice in one answer counts once: the last value wins.
    if (seen.has(bucket.bucketStart)) {
      for (const list of [result.inserts, result.updates]) {
        const i = list.findIndex((b) => b.bucketStart === bucket.bucketStart);
        if (i >= 0) list[i] = bucket;
      }
      continue;
    }
    seen.add(bucket.bucketStart);
    const old = stored.get(bucket.bucketStart);
    if (!old) result.inserts.push(bucket);
    else if (old.count !== bucket.count || old.time !== bucket.time) result.updates.push(bucket);
    else result.unchanged += 1;
  }
  return result;
}
