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
        if (!flags.details) {
          const names = filter(client.eventNames(), isMatch);
          if (flags.json) await printJson(await toArray(names));
          // On a terminal the names are read by a person: control characters escaped. Into
          // a pipe or a file they are data: byte-exact.
          else await printLines(names, { escape: detectTerminal().stdoutIsTTY });
          return;
        }
        const events = filterBy(client.events(), (e) => isMatch(e.name));
        if (flags.json) {
          await printJson(await toArray(events));
          return;
        }
        const { formatEventTable } = await import('../tables.js');
        const rows = await toArray(events);
        await printLines(formatEventTable(rows, detectTerminal().stdoutIsTTY));
      }),
    );
}

async function* filter(
  source: AsyncIterable<string>,
  keep: (name: string) => boolean,
): AsyncGenerator<string> {
  for await (const item of source) if (keep(item)) yield item;
}

async function* filterBy<T>(source: AsyncIterable<T>, keep: (v: T) => boolean): AsyncGenerator<T> {
  for await (const item of source) if (keep(item)) yield item;
}

async function toArray<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}
