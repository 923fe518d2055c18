/**
 * Validation of one leaf's alternatives (`"field": [ ... ]`) into typed conditions. Each element is an exact
 * value (string, number, boolean, null) or an operator object with exactly one key.
 */
import { parseCidr, parseIp, type CidrRange, type IpAddress } from './cidr';
import { childPath, indexPath, PatternError } from './errors';
import { comparableNumber, parseNumericOperand, requireComparable, type NumericRange } from './numeric';
import { parseWildcard, type WildcardSegments } from './wildcard';

export type Scalar = string | number | boolean | null;

export type Condition =
  | { readonly kind: 'exact'; readonly value: Scalar; readonly scaled?: number; readonly ip?: IpAddress }
  | { readonly kind: 'prefix' | 'suffix'; readonly text: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equals-ignore-case'; readonly text: string }
  | { readonly kind: 'wildcard'; readonly segments: WildcardSegments }
  | { readonly kind: 'numeric'; readonly range: NumericRange }
  | { readonly kind: 'cidr'; readonly range: CidrRange }
  | { readonly kind: 'exists'; readonly present: boolean }
  | { readonly kind: 'anything-but'; readonly not: AnythingBut };

/** What anything-but excludes; values of any other type (and null) always pass. */
export type AnythingBut =
  | { readonly kind: 'strings'; readonly values: ReadonlySet<string> }
  | { readonly kind: 'numbers'; readonly scaled: ReadonlySet<number> }
  | { readonly kind: 'equals-ignore-case'; readonly lowered: ReadonlySet<string> }
  | { readonly kind: 'prefix' | 'suffix'; readonly texts: readonly string[] }
  | { readonly kind: 'wildcard'; readonly patterns: readonly WildcardSegments[] };

/** Operator names; also refused as field names directly inside a `$or` branch, as event-ruler does. */
export const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
] as const;

const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function requireString(value: unknown, what: string, path: string): string {
  if (typeof value !== 'string') throw new PatternError(`${what} must be a string, got ${JSON.stringify(value)}`, path);
  return value;
}

export function parseConditions(values: readonly unknown[], path: string): Condition[] {
  if (values.length === 0) throw new PatternError('empty arrays are not allowed: list at least one value', path);
  return values.map((value, i) => parseCondition(value, indexPath(path, i)));
}

function parseCondition(value: unknown, path: string): Condition {
  if (typeof value === 'string') {
    const ip = parseIp(value);
    return ip ? { kind: 'exact', value, ip } : { kind: 'exact', value };
  }
  if (value === null || typeof value === 'boolean') return { kind: 'exact', value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new PatternError(`${value} is not a JSON number`, path);
    const scaled = comparableNumber(value);
    return scaled === undefined ? { kind: 'exact', value } : { kind: 'exact', value, scaled };
  }
  if (Array.isArray(value)) throw new PatternError('match value must be a string, number, true, false, null or an operator object, not an array', path);
  if (!isPlainObject(value)) throw new PatternError(`unsupported match value ${String(value)}`, path);
  return parseOperator(value, path);
}

function parseOperator(expression: Record<string, unknown>, path: string): Condition {
  const keys = Object.keys(expression);
  const name = keys[0];
  if (name === undefined) throw new PatternError('an operator object needs one operator, e.g. {"prefix": "x"}', path);
  if (!OPERATOR_SET.has(name)) {
    throw new PatternError(`unknown operator "${name}" (known: ${OPERATORS.join(', ')})`, childPath(path, name));
  }
  if (keys.length > 1) {
    throw new PatternError(`an operator object takes exactly one key, got ${keys.map((k) => `"${k}"`).join(', ')}`, path);
  }
  const operand = expression[name];
  const at = childPath(path, name);
  switch (name) {
    case 'prefix':
    case 'suffix':
      return parseAffix(name, operand, at);
    case 'equals-ignore-case':
      return { kind: 'equals-ignore-case', text: requireString(operand, 'equals-ignore-case', at).toLowerCase() };
    case 'wildcard':
      return { kind: 'wildcard', segments: parseWildcard(operand, at) };
    case 'numeric':
      return { kind: 'numeric', range: parseNumericOperand(operand, at) };
    case 'cidr':
      return { kind: 'cidr', range: parseCidr(operand, at) };
    case 'exists':
      if (typeof operand !== 'boolean') throw new PatternError(`exists takes true or false, got ${JSON.stringify(operand)}`, at);
      return { kind: 'exists', present: operand };
    default:
      return { kind: 'anything-but', not: parseAnythingBut(operand, at) };
  }
}

/** `{"prefix": "x"}` or `{"prefix": {"equals-ignore-case": "x"}}`; an empty prefix matches every string. */
function parseAffix(kind: 'prefix' | 'suffix', operand: unknown, path: string): Condition {
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
      throw new PatternError(`${kind} takes a string or {"equals-ignore-case": "..."}, got keys ${JSON.stringify(keys)}`, path);
    }
    const text = requireString(operand['equals-ignore-case'], 'equals-ignore-case', childPath(path, 'equals-ignore-case'));
    return { kind, text: text.toLowerCase(), ignoreCase: true };
  }
  return { kind, text: requireString(operand, kind, path), ignoreCase: false };
}

function parseAnythingBut(operand: unknown, path: string): AnythingBut {
  if (isPlainObject(operand)) return parseNestedAnythingBut(operand, path);
  if (typeof operand === 'string') return { kind: 'strings', values: new Set([operand]) };
  if (typeof operand === 'number') return { kind: 'numbers', scaled: new Set([requireComparable(operand, path)]) };
  if (!Array.isArray(operand)) {
    throw new PatternError('anything-but takes a string, a number, a list of either, or {prefix|suffix|equals-ignore-case|wildcard: ...}', path);
  }
  if (operand.length === 0) throw new PatternError('anything-but list must not be empty', path);
  const strings = operand.filter((v): v is string => typeof v === 'string');
  const numbers = operand.filter((v): v is number => typeof v === 'number');
  operand.forEach((v, i) => {
    if (typeof v !== 'string' && typeof v !== 'number') {
      throw new PatternError(`anything-but lists hold only strings or only numbers, not ${JSON.stringify(v)}`, indexPath(path, i));
    }
  });
  if (strings.length > 0 && numbers.length > 0) {
    throw new PatternError('anything-but list mixes strings and numbers: use one type', path);
  }
  if (strings.length > 0) return { kind: 'strings', values: new Set(strings) };
  return { kind: 'numbers', scaled: new Set(numbers.map((n, i) => requireComparable(n, indexPath(path, i)))) };
}

function parseNestedAnythingBut(operand: Record<string, unknown>, path: string): AnythingBut {
  const keys = Object.keys(operand);
  const name = keys[0];
  if (keys.length !== 1 || name === undefined) {
    throw new PatternError(`anything-but takes one nested operator, got keys ${JSON.stringify(keys)}`, path);
  }
  const at = childPath(path, name);
  if (name !== 'prefix' && name !== 'suffix' && name !== 'equals-ignore-case' && name !== 'wildcard') {
    throw new PatternError(`anything-but supports prefix, suffix, equals-ignore-case and wildcard, not "${name}"`, at);
  }
  const raw = operand[name];
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (list.length === 0) throw new PatternError(`anything-but ${name} list must not be empty`, at);
  const texts = list.map((v, i) => {
    const where = Array.isArray(raw) ? indexPath(at, i) : at;
    const text = requireString(v, `anything-but ${name}`, where);
    if ((name === 'prefix' || name === 'suffix') && text === '') {
      throw new PatternError(`anything-but ${name} must not be empty`, where);
    }
    return text;
  });
  switch (name) {
    case 'equals-ignore-case':
      return { kind: 'equals-ignore-case', lowered: new Set(texts.map((t) => t.toLowerCase())) };
    case 'wildcard':
      return {
        kind: 'wildcard',
        patterns: texts.map((t, i) => parseWildcard(t, Array.isArray(raw) ? indexPath(at, i) : at)),
      };
    default:
      return { kind: name, texts };
  }
}
