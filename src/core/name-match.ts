/**
 * The one glob over event names, used by every command's `--match`, the connectors'
 * `event_glob` and the dashboard's filter. Event names are not paths, so `/` and a leading
 * `.` are ordinary characters: `signup*` selects `signup/step 1`. Pure, zero-dependency.
 */

/**
 * A predicate true for names matching any of `globs` (none: every name). Syntax, compared
 * case-sensitively over code points:
 * - `*` any run of characters (`/` included), `?` exactly one character;
 * - `[abc]`, `[a-z]`, `[!abc]` / `[^abc]` one character of (or not of) a set;
 * - `{a,b}` one of the alternatives (nestable, each itself a glob);
 * - `\x` the character `x` itself (`\*` a literal star).
 * An unclosed `[` or `{` is literal. Throws a TypeError for a glob that is not a string.
 *
 * @example
 * const isMatch = nameMatcher(['Purchase*', '{Signup,Login}']);
 * isMatch('Purchase/Completed'); // true
 * isMatch('Login'); // true
 */
export function nameMatcher(globs: string | readonly string[]): (name: string) => boolean {
  const list = typeof globs === 'string' ? [globs] : globs;
  if (list.length === 0) return () => true;
  const sources = list.map((glob) => {
    if (typeof glob !== 'string') {
      throw new TypeError(`match must be a string glob, got ${typeof glob}`);
    }
    return globSource([...glob], 0, false).source;
  });
  const re = new RegExp(`^(?:${sources.join('|')})$`, 'su');
  return (name) => re.test(name);
}

/** Regex metacharacters escaped so a literal character stays literal. */
const escapeRe = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/**
 * Translates `chars` from `start` into a regex source; inside braces (`inBrace`) it stops
 * at the closing `}` or a top-level `,`, returning where it stopped.
 */
function globSource(
  chars: readonly string[],
  start: number,
  inBrace: boolean,
): { source: string; end: number } {
  let out = '';
  let i = start;
  while (i < chars.length) {
    const c = chars[i]!;
    if (inBrace && (c === ',' || c === '}')) return { source: out, end: i };
    if (c === '\\' && i + 1 < chars.length) {
      out += escapeRe(chars[i + 1]!);
      i += 2;
    } else if (c === '*') {
      out += '.*';
      i++;
    } else if (c === '?') {
      out += '.';
      i++;
    } else if (c === '[') {
      const set = charSet(chars, i);
      out += set?.source ?? '\\[';
      i = set?.end ?? i + 1;
    } else if (c === '{') {
      const alt = alternatives(chars, i);
      out += alt?.source ?? '\\{';
      i = alt?.end ?? i + 1;
    } else {
      out += escapeRe(c);
      i++;
    }
  }
  return { source: out, end: i };
}

/** `[…]` at `start` as a regex class, or undefined when it never closes. */
function charSet(
  chars: readonly string[],
  start: number,
): { source: string; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (chars[i] === '!' || chars[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  // A `]` right after the opening is a member, as in POSIX.
  for (let first = true; i < chars.length; first = false) {
    const c = chars[i]!;
    if (c === ']' && !first) return { source: `[${negate ? '^' : ''}${body}]`, end: i + 1 };
    if (c === '\\' && i + 1 < chars.length) {
      body += chars[i + 1] === '-' ? '\\-' : escapeRe(chars[i + 1]!);
      i += 2;
    } else {
      body += c === '-' ? '-' : escapeRe(c);
      i++;
    }
  }
  return undefined;
}

/** `{a,b}` at `start` as a regex group, or undefined when it never closes. */
function alternatives(
  chars: readonly string[],
  start: number,
): { source: string; end: number } | undefined {
  const options: string[] = [];
  let i = start + 1;
  for (;;) {
    const part = globSource(chars, i, true);
    options.push(part.source);
    if (part.end >= chars.length) return undefined;
    if (chars[part.end] === '}') return { source: `(?:${options.join('|')})`, end: part.end + 1 };
    i = part.end + 1;
  }
}
