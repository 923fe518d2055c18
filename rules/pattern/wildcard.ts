/**
 * Wildcard strings: `*` matches any run of characters (including none); `\*` is a literal star and `\\` a
 * literal backslash. Consecutive stars and any other escape are refused, as event-ruler's WildcardParser does.
 */
import { PatternError } from './errors';

/** The literal segments between stars: "a*b*" -> ["a", "b", ""]. */
export type WildcardSegments = readonly string[];

export function parseWildcard(text: unknown, path: string): WildcardSegments {
  if (typeof text !== 'string') throw new PatternError('wildcard match pattern must be a string', path);
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '*') {
      if (text[i + 1] === '*') throw new PatternError(`consecutive wildcard characters at position ${i}`, path);
      segments.push(current);
      current = '';
    } else if (ch === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') {
        throw new PatternError(`invalid escape at position ${i}: only \\* and \\\\ are allowed`, path);
      }
      current += next;
      i++;
    } else {
      current += ch;
    }
  }
  segments.push(current);
  return segments;
}

/**
 * Glob match without regular expressions: the first segment anchors the start, the last the end, and the
 * middle ones are found left to right (the leftmost occurrence is always the best choice), so it runs in
 * linear-ish time and allocates nothing.
 */
export function matchesWildcard(segments: WildcardSegments, value: string): boolean {
  const first = segments[0] ?? '';
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] ?? '';
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let pos = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] ?? '';
    if (segment.length === 0) continue;
    const found = value.indexOf(segment, pos);
    if (found < 0 || found + segment.length > end) return false;
    pos = found + segment.length;
  }
  return true;
}
