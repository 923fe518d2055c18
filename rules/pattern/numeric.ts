/**
 * Numbers as EventBridge compares them (event-ruler's ComparableNumber): values within -5e9..+5e9 with at most
 * six digits after the decimal point, compared exactly at that precision.
 */
import { PatternError } from './errors';

export const NUMERIC_LIMIT = 5e9;
const SCALE = 1e6;

/** The number scaled to an integer count of millionths, or undefined when EventBridge cannot compare it. */
export function comparableNumber(value: number): number | undefined {
  if (!Number.isFinite(value) || value < -NUMERIC_LIMIT || value > NUMERIC_LIMIT) return undefined;
  if (Number.isInteger(value)) return value * SCALE;
  // More than six decimals: event-ruler refuses to turn it into a comparable number.
  if (Number(value.toFixed(6)) !== value) return undefined;
  return Math.round(value * SCALE);
}

/** Like comparableNumber, but a pattern operand that cannot be compared is an error in the pattern. */
export function requireComparable(value: unknown, path: string): number {
  if (typeof value !== 'number') throw new PatternError(`expected a number, got ${JSON.stringify(value)}`, path);
  const scaled = comparableNumber(value);
  if (scaled === undefined) {
    throw new PatternError(
      `${value} cannot be compared: numbers must lie between -5.0e9 and +5.0e9 with at most 6 decimals`,
      path,
    );
  }
  return scaled;
}

/** A numeric interval over scaled numbers; missing bounds are unbounded. */
export interface NumericRange {
  readonly low: number;
  readonly lowOpen: boolean;
  readonly high: number;
  readonly highOpen: boolean;
}

const LOWER_OPS = new Set(['>', '>=']);
const UPPER_OPS = new Set(['<', '<=']);

/**
 * `["=", 5]`, `[">", 0]`, `["<=", 5]`, `[">", 0, "<=", 5]`. A range must give its lower bound first and the
 * lower bound must be below the upper one, as event-ruler requires.
 */
export function parseNumericOperand(operand: unknown, path: string): NumericRange {
  if (!Array.isArray(operand)) throw new PatternError('"numeric" takes an array such as [">", 0, "<=", 5]', path);
  const [op, value, op2, value2] = operand as unknown[];
  if (operand.length !== 2 && operand.length !== 4) {
    throw new PatternError(`"numeric" takes 2 or 4 elements, got ${operand.length}`, path);
  }
  if (typeof op !== 'string') throw new PatternError(`numeric operator must be a string, got ${JSON.stringify(op)}`, `${path}[0]`);
  const bound = requireComparable(value, `${path}[1]`);
  if (op === '=') {
    if (operand.length !== 2) throw new PatternError('"=" takes exactly one value', path);
    return { low: bound, lowOpen: false, high: bound, highOpen: false };
  }
  if (UPPER_OPS.has(op)) {
    if (operand.length !== 2) {
      throw new PatternError(`a numeric range starts with its lower bound (">" or ">="), not "${op}"`, path);
    }
    return { low: -Infinity, lowOpen: true, high: bound, highOpen: op === '<' };
  }
  if (!LOWER_OPS.has(op)) throw new PatternError(`unknown numeric operator "${op}"`, `${path}[0]`);
  if (operand.length === 2) return { low: bound, lowOpen: op === '>', high: Infinity, highOpen: true };
  if (typeof op2 !== 'string' || !UPPER_OPS.has(op2)) {
    throw new PatternError(`the upper bound of a numeric range needs "<" or "<=", got ${JSON.stringify(op2)}`, `${path}[2]`);
  }
  const top = requireComparable(value2, `${path}[3]`);
  if (bound >= top) throw new PatternError(`numeric range bottom ${String(value)} must be less than top ${String(value2)}`, path);
  return { low: bound, lowOpen: op === '>', high: top, highOpen: op2 === '<' };
}

export function inRange(range: NumericRange, scaled: number): boolean {
  if (range.lowOpen ? scaled <= range.low : scaled < range.low) return false;
  if (range.highOpen ? scaled >= range.high : scaled > range.high) return false;
  return true;
}
