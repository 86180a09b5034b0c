/**
 * Braze REST instances and their base URLs (Braze docs `_includes/data_centers.md`).
 * There is no US-09.
 */
export const INSTANCES = {
  'US-01': 'https://rest.iad-01.braze.com',
  'US-02': 'https://rest.iad-02.braze.com',
  'US-03': 'https://rest.iad-03.braze.com',
  'US-04': 'https://rest.iad-04.braze.com',
  'US-05': 'https://rest.iad-05.braze.com',
  'US-06': 'https://rest.iad-06.braze.com',
  'US-07': 'https://rest.iad-07.braze.com',
  'US-08': 'https://rest.iad-08.braze.com',
  'US-10': 'https://rest.us-10.braze.com',
  'EU-01': 'https://rest.fra-01.braze.eu',
  'EU-02': 'https://rest.fra-02.braze.eu',
  'AU-01': 'https://rest.au-01.braze.com',
  'ID-01': 'https://rest.id-01.braze.com',
  'JP-01': 'https://rest.jp-01.braze.com',
  'KR-01': 'https://rest.kr-01.braze.com',
} as const;

export type InstanceId = keyof typeof INSTANCES;

export const INSTANCE_IDS = Object.keys(INSTANCES) as InstanceId[];

/** What a pasted Braze host is: a REST host, or the SDK or dashboard host of an instance. */
export type BrazeHostKind = 'rest' | 'sdk' | 'dashboard';

/** Any REST host of Braze's pattern, known instance or not (`rest.<cluster>.braze.com|eu`). */
export const BRAZE_REST_HOST_RE = /^rest\.[a-z0-9-]+\.braze\.(?:com|eu)$/;

/**
 * Classifies a Braze host by instance: its REST host, its SDK endpoint (the REST host with
 * `sdk.` for `rest.`; Braze docs `_includes/data_centers.md` list both side by side), or
 * its dashboard (`dashboard-NN.braze.com` is US-NN, `dashboard-NN.braze.eu` is EU-NN, as
 * the docs' instance table gives them; `dashboard.<cluster>.braze.com` for the others is
 * **inferred**). Undefined for any other host.
 *
 * @example `brazeHost('sdk.iad-03.braze.com') // { kind: 'sdk', id: 'US-03' }`
 */
export function brazeHost(
  hostname: string,
): { kind: BrazeHostKind; id: InstanceId | undefined } | undefined {
  const host = hostname.toLowerCase();
  const byRestHost = (rest: string) =>
    INSTANCE_IDS.find((id) => INSTANCES[id] === `https://${rest}`);
  if (BRAZE_REST_HOST_RE.test(host)) return { kind: 'rest', id: byRestHost(host) };
  const sdk = /^sdk\.([a-z0-9-]+\.braze\.(?:com|eu))$/.exec(host);
  if (sdk) return { kind: 'sdk', id: byRestHost(`rest.${sdk[1]}`) };
  const numbered = /^dashboard-(\d\d)\.braze\.(com|eu)$/.exec(host);
  if (numbered) {
    const id = `${numbered[2] === 'eu' ? 'EU' : 'US'}-${numbered[1]}`;
    return { kind: 'dashboard', id: Object.hasOwn(INSTANCES, id) ? (id as InstanceId) : undefined };
  }
  const cluster = /^dashboard\.([a-z0-9-]+\.braze\.(?:com|eu))$/.exec(host);
  if (cluster) return { kind: 'dashboard', id: byRestHost(`rest.${cluster[1]}`) };
  return undefined;
}
