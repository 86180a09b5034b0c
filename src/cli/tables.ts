/**
 * Human tables for stdout. On a terminal, aligned columns with a header (like gh); piped,
 * tab-separated values without a header, so `cut -f` and `awk` work.
 */
import { escapeControlChars } from '../api/quote.js';
import { alignColumns } from '../core/columns.js';
import type { CustomEvent } from '../core/types.js';

/** Lines for `list --details`. */
export function formatEventTable(events: readonly CustomEvent[], tty: boolean): string[] {
  const cells = events.map((e) => [
    e.name,
    e.status,
    e.includedInAnalyticsReport ? 'yes' : 'no',
    e.tagNames.join(','),
    e.description,
  ]);
  if (!tty) return cells.map((c) => c.map((v) => v.replace(/[\t\n\r]/g, ' ')).join('\t'));
  return alignColumns([
    ['NAME', 'STATUS', 'ANALYTICS', 'TAGS', 'DESCRIPTION'],
    ...cells.map((c) => c.map(escapeControlChars)),
  ]);
}
