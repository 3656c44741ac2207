/**
 * Cleaning of the free-text fields of an alert before they reach Slack: control characters (C0, DEL, C1)
 * and the Unicode bidirectional overrides/isolates (which can make text display reversed) are removed.
 */

// \p{Cc}: U+0000–U+001F, U+007F–U+009F. Bidi: U+202A–U+202E, U+2066–U+2069. Line/paragraph separators too.
const CONTROLS = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u2028\u2029]/gu;
const CONTROLS_EXCEPT_NEWLINE = /[^\P{Cc}\n]|[\u202A-\u202E\u2066-\u2069\u2028\u2029]/gu;

/** One line of text: every control character becomes a space; runs of spaces collapse; trimmed. */
export function cleanLine(text: string): string {
  return text.replace(CONTROLS, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Multi-line text: CRLF/CR become LF, tabs become spaces, other control characters go; trimmed. */
export function cleanBlock(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROLS_EXCEPT_NEWLINE, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Length in characters as a person counts them (code points, not UTF-16 units). */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A value shown inside an error message: JSON-quoted, cleaned, at most ~40 characters. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  text = cleanLine(text);
  const chars = [...text];
  return chars.length > 40 ? `${chars.slice(0, 37).join('')}…` : text;
}
