/**
 * The EventBridge pattern engine: validate a pattern as EventBridge would, then match events with the verdict
 * EventBridge gives. Semantics and their sources: docs/patterns.md.
 */
import type { Scalar } from './conditions';
import { PatternError } from './errors';
import { compileMatcher, type EventMatcher } from './matcher';
import { exactValuesAt } from './required-values';
import { compileAlternatives, type Alternative } from './structure';

export { PatternError } from './errors';

/** Characters, EventBridge's default quota for one event pattern, counted on the compact JSON we deploy. */
export const PATTERN_SIZE_LIMIT = 2048;

export interface EventPattern {
  readonly source: Readonly<Record<string, unknown>>;
  /** Compact JSON as deployed. */
  readonly json: string;
}

interface Compiled {
  readonly alternatives: readonly Alternative[];
  readonly matches: EventMatcher;
}

// Patterns made by parsePattern, with their compiled form; a WeakMap keeps EventPattern a plain value.
const compiledPatterns = new WeakMap<EventPattern, Compiled>();

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Parse and validate a pattern given as JSON text or as an object. Throws PatternError naming what and where. */
export function parsePattern(input: unknown): EventPattern {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new PatternError(`pattern is not valid JSON: ${(e as Error).message}`, '');
    }
  }
  if (!isPlainObject(raw)) {
    throw new PatternError(`a pattern must be a JSON object, got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}`, '');
  }
  let json: string;
  try {
    json = JSON.stringify(raw);
  } catch (e) {
    throw new PatternError(`pattern cannot be written as JSON: ${(e as Error).message}`, '');
  }
  // Round-trip through JSON so the source is exactly what gets deployed (no undefined, no class instances).
  const source = deepFreeze(JSON.parse(json) as Record<string, unknown>);
  const alternatives = compileAlternatives(source);
  if (json.length > PATTERN_SIZE_LIMIT) {
    throw new PatternError(`pattern is ${json.length} characters, over the ${PATTERN_SIZE_LIMIT}-character quota`, '');
  }
  const pattern: EventPattern = Object.freeze({ source, json });
  compiledPatterns.set(pattern, { alternatives, matches: compileMatcher(alternatives) });
  return pattern;
}

function compiledOf(pattern: EventPattern): Compiled {
  const compiled = compiledPatterns.get(pattern);
  if (compiled) return compiled;
  // An EventPattern not made here (copied, deserialized): compile it from its deployed JSON.
  const fresh = compiledPatterns.get(parsePattern(pattern.json));
  if (!fresh) throw new Error('internal: parsePattern did not register its pattern');
  return fresh;
}

function looksLikeEventPattern(value: unknown): value is EventPattern {
  return (
    isPlainObject(value) &&
    typeof value.json === 'string' &&
    isPlainObject(value.source) &&
    Object.keys(value).length === 2
  );
}

/** Does the event match? A pattern that is not an EventPattern is parsed first (and may throw PatternError). */
export function matchesPattern(pattern: EventPattern | unknown, event: unknown): boolean {
  const parsed =
    isPlainObject(pattern) && compiledPatterns.has(pattern as unknown as EventPattern)
      ? (pattern as unknown as EventPattern)
      : looksLikeEventPattern(pattern)
        ? pattern
        : parsePattern(pattern);
  return compiledOf(parsed).matches(event);
}

/**
 * The only exact values the field at `path` may take for the pattern to match (union over $or branches),
 * or undefined when the pattern allows any other value there (no constraint, prefix, anything-but, ...).
 */
export function requiredExactValues(
  pattern: EventPattern,
  path: readonly string[],
): ReadonlySet<string | number | boolean | null> | undefined {
  return exactValuesAt(compiledOf(pattern).alternatives, path) as ReadonlySet<Scalar> | undefined;
}
