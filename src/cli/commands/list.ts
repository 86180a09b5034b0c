/**
 * `braze-events list`: every custom event name (all pages of GET /events/list), one per
 * line, streamed as pages arrive; `--details` reads GET /events instead.
 */
import { type Command, Option } from 'commander';
import { runAction } from '../errors.js';
import { matchOption } from '../parse.js';

interface ListFlags {
  details?: boolean;
  json?: boolean;
  match?: string[];
}

/** Registers `list` on the program. */
export function register(program: Command): void {
  program
    .command('list')
    .description('list custom event names (all pages), one per line')
    .addOption(
      new Option('-d, --details', 'description, status, tags (GET /events; needs events.get)'),
    )
    .addOption(new Option('--json', 'print a JSON array'))
    .addOption(matchOption())
    .addHelpText(
      'after',
      `
A --match that matches none of the workspace's events is a usage error (exit 2), as in
export, sync and check.

Exit codes: 0 listed, 1 Braze or network failure, 2 bad flags or a --match matching nothing.

Examples:
  $ braze-events list
  $ braze-events list --match 'Purchase*'
  $ braze-events list --details --json > events.json`,
    )
    .action(
      runAction(async (flags: ListFlags, cmd: Command) => {
        const [{ openSession }, { printJson, printLines, detectTerminal }, { nameMatcher }] =
          await Promise.all([
            import('../context.js'),
            import('../output.js'),
            import('../../core/name-match.js'),
          ]);
        const isMatch = nameMatcher(flags.match ?? []);
        const { client } = await openSession(cmd);
        const seen = { listed: 0, kept: 0 };
        // The rule of export, sync and check: a --match selecting nothing is a mistake to
        // say (exit 2), not an empty success. Checked before anything is printed (a lone
        // `[]` would read as an answer); when streaming, nothing matched means nothing printed.
        const refuseEmpty = async () => {
          if (!flags.match?.length || seen.kept > 0) return;
          const { EventSelectionError } = await import('../../core/selection.js');
          throw new EventSelectionError('match', flags.match, seen.listed);
        };
        if (!flags.details) {
          const names = filterBy(client.eventNames(), isMatch, seen);
          if (flags.json) {
            const all = await toArray(names);
            await refuseEmpty();
            await printJson(all);
          } else {
            // On a terminal the names are read by a person: control characters escaped.
            // Into a pipe or a file they are data: byte-exact.
            await printLines(names, { escape: detectTerminal().stdoutIsTTY });
            await refuseEmpty();
          }
          return;
        }
        const rows = await toArray(filterBy(client.events(), (e) => isMatch(e.name), seen));
        await refuseEmpty();
        if (flags.json) await printJson(rows);
        else {
          const { formatEventTable } = await import('../tables.js');
          await printLines(formatEventTable(rows, detectTerminal().stdoutIsTTY));
        }
      }),
    );
}

/** Yields what `keep` accepts, counting what was read and what was kept. */
async function* filterBy<T>(
  source: AsyncIterable<T>,
  keep: (v: T) => boolean,
  seen: { listed: number; kept: number },
): AsyncGenerator<T> {
  for await (const item of source) {
    seen.listed += 1;
    if (!keep(item)) continue;
    seen.kept += 1;
    yield item;
  }
}

async function toArray<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}
