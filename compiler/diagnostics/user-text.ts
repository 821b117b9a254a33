/**
 * User text on an output channel. Names, strings and paths come from files pipec does not control; printed raw,
 * a line break in a quoted name starts a new line that a terminal or GitHub Actions would take at face value
 * (`::error …` is a workflow command), an ESC drives the terminal, a 1 MiB name floods the log. Pure.
 */

/** C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional overrides. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control characters as escapes (`\n`, `\x1b`, `\u2028`): the text stays on one line and drives nothing. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Control characters as one visible character each (`␛` for ESC, `␊` for a line feed), for a source line shown
 * under an underline: the columns stay where they are.
 */
export function pictureControls(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? '\u2421' : '\ufffd';
  });
}

/** Longer names are shortened in messages. */
export const MAX_SHOWN_LENGTH = 120;
const SHOWN_HEAD = 60;

/** A long name as its first characters and its length: `aaaa… (1048576 characters)`. */
export function shorten(text: string): string {
  if (text.length <= MAX_SHOWN_LENGTH) return text;
  // Never cut a surrogate pair in half.
  const head = /[\ud800-\udbff]/.test(text.charAt(SHOWN_HEAD - 1)) ? SHOWN_HEAD - 1 : SHOWN_HEAD;
  return `${text.slice(0, head)}… (${text.length} characters)`;
}
