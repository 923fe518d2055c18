/** Fitting free text into Security Hub's length limits. */

export const ELLIPSIS = '\u2026';

/** How far back from the cut we look for a space, so words are not split in half. */
const WORD_BOUNDARY_WINDOW = 40;

/**
 * `text` unchanged when it fits in `max` characters, else cut (at a word boundary when one is near) and ended
 * with an ellipsis. The result never exceeds `max` UTF-16 code units, which also bounds it in code points, and
 * never ends in half a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (max < 1) throw new RangeError(`truncate: max must be at least 1, got ${max}`);
  if (text.length <= max) return text;
  let cut = max - ELLIPSIS.length;
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  let head = text.slice(0, cut);
  const space = head.lastIndexOf(' ');
  if (space > 0 && cut - space <= WORD_BOUNDARY_WINDOW) head = head.slice(0, space);
  return `${head.replace(/[\s,;:.-]+$/u, '')}${ELLIPSIS}`;
}

/** True when the value has something other than whitespace (Security Hub's `.*\S.*` pattern). */
export function hasText(value: string | undefined): value is string {
  return value !== undefined && /\S/u.test(value);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
