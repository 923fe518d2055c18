/**
 * One leaf's conditions compiled into a test over a single scalar event value. Exact values go into sets;
 * the rest become a short list of predicates. Nothing here allocates per event except IP parsing, which runs
 * only for leaves that use cidr or name an IP address.
 */
import { inCidr, parseIp, sameIp, type IpAddress } from './cidr';
import type { AnythingBut, Condition, Scalar } from './conditions';
import { comparableNumber, inRange } from './numeric';
import { matchesWildcard } from './wildcard';

export interface LeafMatcher {
  /** True when one scalar value found at the leaf satisfies some condition. */
  readonly matchesValue: (value: Scalar) => boolean;
  /** `{"exists": true}` is among the conditions: any value at the leaf will do. */
  readonly anyValue: boolean;
  /** `{"exists": false}` is among the conditions: no value at the leaf will do too. */
  readonly allowsAbsent: boolean;
}

type Predicate = (value: Scalar) => boolean;

function anythingBut(not: AnythingBut): Predicate {
  switch (not.kind) {
    case 'strings':
      return (v) => typeof v !== 'string' || !not.values.has(v);
    case 'numbers':
      return (v) => {
        if (typeof v !== 'number') return true;
        const scaled = comparableNumber(v);
        return scaled === undefined || !not.scaled.has(scaled);
      };
    case 'equals-ignore-case':
      return (v) => typeof v !== 'string' || !not.lowered.has(v.toLowerCase());
    case 'prefix':
      return (v) => typeof v !== 'string' || !not.texts.some((t) => v.startsWith(t));
    case 'suffix':
      return (v) => typeof v !== 'string' || !not.texts.some((t) => v.endsWith(t));
    case 'wildcard':
      return (v) => typeof v !== 'string' || !not.patterns.some((p) => matchesWildcard(p, v));
  }
}

function predicateFor(c: Exclude<Condition, { kind: 'exact' | 'exists' }>): Predicate {
  switch (c.kind) {
    case 'prefix':
      return c.ignoreCase
        ? (v) => typeof v === 'string' && v.toLowerCase().startsWith(c.text)
        : (v) => typeof v === 'string' && v.startsWith(c.text);
    case 'suffix':
      return c.ignoreCase
        ? (v) => typeof v === 'string' && v.toLowerCase().endsWith(c.text)
        : (v) => typeof v === 'string' && v.endsWith(c.text);
    case 'equals-ignore-case':
      return (v) => typeof v === 'string' && v.length === c.text.length && v.toLowerCase() === c.text;
    case 'wildcard':
      return (v) => typeof v === 'string' && matchesWildcard(c.segments, v);
    case 'numeric':
      return (v) => {
        if (typeof v !== 'number') return false;
        const scaled = comparableNumber(v);
        return scaled !== undefined && inRange(c.range, scaled);
      };
    case 'cidr':
      return (v) => {
        if (typeof v !== 'string') return false;
        const ip = parseIp(v);
        return ip !== undefined && inCidr(c.range, ip);
      };
    case 'anything-but':
      return anythingBut(c.not);
  }
}

export function compileLeaf(conditions: readonly Condition[]): LeafMatcher {
  const strings = new Set<string>();
  const scaledNumbers = new Set<number>();
  const otherNumbers = new Set<number>();
  const ips: IpAddress[] = [];
  let matchNull = false;
  let matchTrue = false;
  let matchFalse = false;
  let anyValue = false;
  let allowsAbsent = false;
  const predicates: Predicate[] = [];

  for (const c of conditions) {
    if (c.kind === 'exists') {
      if (c.present) anyValue = true;
      else allowsAbsent = true;
    } else if (c.kind === 'exact') {
      const v = c.value;
      if (typeof v === 'string') {
        strings.add(v);
        if (c.ip) ips.push(c.ip);
      } else if (typeof v === 'number') {
        if (c.scaled !== undefined) scaledNumbers.add(c.scaled);
        else otherNumbers.add(v);
      } else if (v === null) matchNull = true;
      else if (v) matchTrue = true;
      else matchFalse = true;
    } else {
      predicates.push(predicateFor(c));
    }
  }

  const matchesValue = (v: Scalar): boolean => {
    switch (typeof v) {
      case 'string':
        if (strings.has(v)) return true;
        if (ips.length > 0) {
          const ip = parseIp(v);
          if (ip && ips.some((p) => sameIp(p, ip))) return true;
        }
        break;
      case 'number': {
        // A pattern number matches the same number however it is written (300, 300.0, 3e2).
        const scaled = scaledNumbers.size > 0 ? comparableNumber(v) : undefined;
        if (scaled !== undefined && scaledNumbers.has(scaled)) return true;
        if (otherNumbers.has(v)) return true;
        break;
      }
      case 'boolean':
        if (v ? matchTrue : matchFalse) return true;
        break;
      default:
        if (v === null && matchNull) return true;
    }
    for (let i = 0; i < predicates.length; i++) if (predicates[i]!(v)) return true;
    return false;
  };
  return { matchesValue, anyValue, allowsAbsent };
}
