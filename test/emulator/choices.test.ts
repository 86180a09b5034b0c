/**
 * The emulator's choice options are written once: the constants it exports are what it
 * accepts, what its defaults are, and what the CLI's `emulator` flags offer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { register } from '../../src/cli/commands/emulator.js';
import * as emulator from '../../src/emulator/index.js';
import { resolveOptions } from '../../src/emulator/options.js';

const cases = [
  ['futureEndingAt', '--future-ending-at', emulator.FUTURE_ENDING_AT],
  ['hourFormat', '--hour-format', emulator.HOUR_FORMATS],
  ['linkStyle', '--link-style', emulator.LINK_STYLES],
] as const;

test('each choice list is exported, accepted in full, and is what the CLI flag offers', () => {
  const program = new Command();
  register(program);
  const command = program.commands.find((c) => c.name() === 'emulator')!;
  for (const [option, flag, choices] of cases) {
    assert.ok(Array.isArray(choices) && choices.length > 1, option);
    for (const choice of choices) {
      assert.equal(resolveOptions({ [option]: choice })[option], choice);
    }
    assert.throws(() => resolveOptions({ [option]: 'other' }), RangeError);
    const cliOption = command.options.find((o) => o.long === flag)!;
    assert.deepEqual(cliOption.argChoices, [...choices], flag);
  }
});

test('the defaults are exported and are what an option left out gives', () => {
  const resolved = resolveOptions({});
  assert.equal(resolved.linkStyle, emulator.DEFAULT_LINK_STYLE);
  assert.equal(resolved.futureEndingAt, emulator.DEFAULT_FUTURE_ENDING_AT);
  assert.equal(resolved.hourFormat, emulator.DEFAULT_HOUR_FORMAT);
});
