/**
 * The constants the page shares with the server (page size, units, default and preset
 * ranges, sort directions, anomaly kinds), written into index.html as JSON when the server
 * loads it: the browser code reads them (util.js `CONFIG`) instead of writing them twice,
 * and the page needs no extra request before its first one.
 */
import { DEFAULT_UNIT, UNITS } from '../api/constants.js';
import { ANOMALY_KINDS } from '../check/detect.js';
import type { DashboardConfig } from './api-types.js';
import { DEFAULT_OVERVIEW_LIMIT, OVERVIEW_SORT_DIRS } from './overview-page.js';
import { DEFAULT_RANGE_DAYS, RANGE_PRESET_DAYS } from './range.js';

/** What the page is told. */
export const DASHBOARD_CONFIG: DashboardConfig = {
  units: UNITS,
  defaultUnit: DEFAULT_UNIT,
  defaultRangeDays: DEFAULT_RANGE_DAYS,
  rangePresetDays: RANGE_PRESET_DAYS,
  overviewLimit: DEFAULT_OVERVIEW_LIMIT,
  overviewSortDirs: OVERVIEW_SORT_DIRS,
  anomalyKinds: ANOMALY_KINDS,
};

/** The empty element of index.html the config is written into. */
const SLOT = '<script type="application/json" id="dashboard-config"></script>';

/**
 * index.html with the config in its slot. `<` is escaped so that no value can close the
 * element. Throws when the page has no slot (the page and the server disagree).
 *
 * @example embedConfig(readFileSync('index.html', 'utf8'));
 */
export function embedConfig(html: string, config: DashboardConfig = DASHBOARD_CONFIG): string {
  if (!html.includes(SLOT)) throw new Error(`index.html has no ${SLOT}`);
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return html.replace(SLOT, () => SLOT.replace('></', `>${json}</`));
}
