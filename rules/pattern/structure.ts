/**
 * The shape of a pattern: nested objects whose leaves are value lists, and `$or` arrays. A pattern compiles,
 * as in event-ruler, to a list of alternatives (one per combination of `$or` branches), each a set of leaf
 * paths with their conditions. Leaves are written in document order, so a path constrained both outside and
 * inside a `$or` branch keeps the value written last (event-ruler's behaviour).
 */
import { parseConditions, OPERATORS, type Condition } from './conditions';
import { childPath, indexPath, PatternError } from './errors';

export interface Leaf {
  readonly path: readonly string[];
  readonly conditions: readonly Condition[];
}

/** One way for the pattern to match: every leaf must hold. Keyed by the path joined with NUL. */
export type Alternative = Map<string, Leaf>;

export const OR_KEY = '$or';
/** A guard against `$or` combinations multiplying out of hand. */
export const MAX_ALTERNATIVES = 1000;

const RESERVED_IN_OR: ReadonlySet<string> = new Set(OPERATORS);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function pathKey(path: readonly string[]): string {
  return path.join('\u0000');
}

export function compileAlternatives(source: Record<string, unknown>): Alternative[] {
  const alternatives: Alternative[] = [new Map()];
  walkObject(alternatives, [], source, '', false);
  return alternatives;
}

function walkObject(
  alternatives: Alternative[],
  path: readonly string[],
  node: Record<string, unknown>,
  errorPath: string,
  insideOr: boolean,
): void {
  const keys = Object.keys(node);
  if (keys.length === 0) throw new PatternError('empty objects are not allowed', errorPath || '(root)');
  for (const key of keys) {
    const value = node[key];
    const at = childPath(errorPath, key);
    if (key === OR_KEY) {
      walkOr(alternatives, path, value, at);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      throw new PatternError(`"${key}" is an operator name and cannot be a field name inside $or`, at);
    }
    if (isPlainObject(value)) {
      walkObject(alternatives, [...path, key], value, at, insideOr);
    } else if (Array.isArray(value)) {
      const leaf: Leaf = { path: [...path, key], conditions: parseConditions(value, at) };
      const k = pathKey(leaf.path);
      for (const alternative of alternatives) alternative.set(k, leaf);
    } else {
      throw new PatternError(`"${key}" must be an object or an array of values, got ${JSON.stringify(value)}`, at);
    }
  }
}

function walkOr(alternatives: Alternative[], path: readonly string[], branches: unknown, errorPath: string): void {
  if (!Array.isArray(branches)) throw new PatternError('$or takes an array of at least 2 objects', errorPath);
  if (branches.length < 2) throw new PatternError(`$or needs at least 2 objects, got ${branches.length}`, errorPath);
  const before = alternatives.splice(0, alternatives.length);
  branches.forEach((branch, i) => {
    const at = indexPath(errorPath, i);
    if (!isPlainObject(branch)) throw new PatternError('each $or element must be an object', at);
    const forked = before.map((alternative) => new Map(alternative));
    walkObject(forked, path, branch, at, true);
    alternatives.push(...forked);
    if (alternatives.length > MAX_ALTERNATIVES) {
      throw new PatternError(`$or expands to more than ${MAX_ALTERNATIVES} combinations`, errorPath);
    }
  });
}
