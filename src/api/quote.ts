/**
 * Showing text that came from outside (a flag, a config value, a database URL, an event
 * name an app sent to Braze) to a person. Two concerns, one place:
 *
 * - such text is data, never terminal commands: an event name can hold `ESC [2J` (clear
 *   the screen), an OSC title sequence, a C1 CSI (U+009B) or a bidi override (U+202E) that
 *   reorders what follows. Every human-facing output passes it through
 *   {@link escapeControlChars}; machine outputs (CSV, NDJSON, JSON, `list` into a pipe)
 *   keep it byte-exact.
 * - it can be any length (a pasted file, a runaway shell expansion), so a message quotes
 *   only its start, with its length ({@link quoteInput}).
 *
 * Shared by every layer (it lives in src/api so the emulator, which imports only src/api,
 * quotes its spec errors the same way).
 */

/** Characters of a bad value shown in a message; the rest is summarised by its length. */
export const MAX_QUOTED_CHARS = 80;

/**
 * What a terminal could act on or that hides or reorders text: C0 controls, DEL, C1
 * controls, the bidi marks, embeddings, overrides and isolates (U+061C, U+200E/F,
 * U+202A–U+202E, U+2066–U+2069), the line and paragraph separators (U+2028/9), and
 * surrogates without their other half (half an emoji, which a terminal would show as �).
 * Zero-width joiners stay: emoji sequences need them and they move nothing.
 */
const UNSAFE_CHAR =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const HAS_UNSAFE_CHAR = new RegExp(UNSAFE_CHAR.source);

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeChar(c: string): string {
  const short = SHORT_ESCAPES[c];
  if (short !== undefined) return short;
  const code = c.charCodeAt(0);
  return code < 0x20
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The text with every character a terminal could act on shown as an escape: `\t`, `\n`,
 * `\r`, `\xHH` for the other C0 controls, `\uHHHH` for DEL, C1 controls, bidi controls,
 * line/paragraph separators and lone surrogates. Everything else is unchanged (a
 * backslash too, so ordinary names read as themselves). For people only: CSV, NDJSON and
 * JSON output keep names byte-exact.
 *
 * @example
 * escapeControlChars('Sign up\u001b[2J'); // 'Sign up\\x1b[2J'
 * escapeControlChars('abc\u202edef');     // 'abc\\u202edef'
 * escapeControlChars('Café 🎉');           // 'Café 🎉'
 */
export function escapeControlChars(text: string): string {
  return HAS_UNSAFE_CHAR.test(text) ? text.replace(UNSAFE_CHAR, escapeChar) : text;
}

/**
 * The value in JSON string syntax (line breaks and control characters stay escaped, so the
 * message keeps to one line; C1 and bidi controls too, see {@link escapeControlChars}),
 * cut after {@link MAX_QUOTED_CHARS} characters. A value that is not a string (a library
 * option of the wrong type, JSON from the emulator's control API) shows as itself when a
 * scalar (a bigint with its `n`), a Date by its instant, anything else by kind. The one
 * way a message shows a bad value: the option errors (src/api/option-errors.ts) use it too.
 *
 * @example
 * quoteInput('yesterday'); // '"yesterday"'
 * quoteInput('9'.repeat(20_000)); // '"99…9…" (20000 chars)' with 80 nines
 * quoteInput(new Date(0)); // 'Date(1970-01-01T00:00:00.000Z)'
 * quoteInput({ kind: 1 }); // 'an object'
 */
export function quoteInput(value: unknown, max = MAX_QUOTED_CHARS): string {
  if (typeof value !== 'string') {
    if (value instanceof Date) {
      return Number.isNaN(value.getTime()) ? 'an invalid Date' : `Date(${value.toISOString()})`;
    }
    if (typeof value === 'bigint') return `${value}n`;
    if (value === null || typeof value !== 'object') return String(value);
    return Array.isArray(value) ? 'an array' : 'an object';
  }
  // JSON.stringify already wrote C0 controls and lone surrogates as \uHHHH.
  if (value.length <= max) return escapeControlChars(JSON.stringify(value));
  // Never cut a surrogate pair in half: the excerpt would end in an unpaired escape.
  const code = value.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return `${escapeControlChars(JSON.stringify(`${value.slice(0, end)}…`))} (${value.length} chars)`;
}

/**
 * Names for a one-line summary: the first `shown` quoted, then how many more.
 *
 * @example
 * quoteList(['$Purchase', 'Old']); // '"$Purchase", "Old"'
 * quoteList(['a', 'b', 'c', 'd'], 2); // '"a", "b" and 2 more'
 */
export function quoteList(values: readonly string[], shown = 5): string {
  const head = values
    .slice(0, shown)
    .map((v) => quoteInput(v))
    .join(', ');
  return values.length > shown ? `${head} and ${values.length - shown} more` : head;
}
