/**
 * The one glob over event names (src/core/name-match.ts): `/` and dots are ordinary, sets
 * and alternatives work over code points, and what is not glob syntax is literal.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameMatcher } from '../../src/core/name-match.js';

const CASES: [glob: string | string[], matches: string[], misses: string[]][] = [
  ['signup*', ['signup', 'signup/step 1', 'signup.done', 'signup\nx'], ['Signup', 'my signup']],
  ['*', ['', 'a/b', '.hidden', '$Purchase'], []],
  ['a?c', ['abc', 'a/c', 'aäc', 'a😀c'], ['ac', 'abbc']],
  ['[abä]', ['a', 'ä'], ['c', 'ab']],
  ['[!a]x', ['bx', '/x'], ['ax']],
  ['[a-c]1', ['b1'], ['d1', '-1']],
  ['[a\\-c]1', ['-1', 'a1', 'c1'], ['b1']],
  ['{Signup,Log*}', ['Signup', 'Login', 'Log/out'], ['Sign', 'Signup2']],
  ['x{a,{b,c}d}', ['xa', 'xbd', 'xcd'], ['xb', 'xad']],
  ['\\*literal', ['*literal'], ['xliteral']],
  ['(a|b).+$', ['(a|b).+$'], ['a', 'b']],
  ['unclosed[', ['unclosed['], ['unclosedx']],
  ['{open', ['{open'], ['open']],
  [['Purchase*', 'B'], ['Purchase', 'B'], ['A']],
  [[], ['anything', ''], []],
];

test('nameMatcher: every glob selects exactly its names', () => {
  for (const [glob, matches, misses] of CASES) {
    const isMatch = nameMatcher(glob);
    for (const name of matches) assert.equal(isMatch(name), true, `${glob} ~ ${name}`);
    for (const name of misses) assert.equal(isMatch(name), false, `${glob} !~ ${name}`);
  }
});

test('nameMatcher: a glob that is not a string is a TypeError', () => {
  assert.throws(() => nameMatcher([42 as unknown as string]), TypeError);
});
