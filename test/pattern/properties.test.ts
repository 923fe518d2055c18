/** Properties that hold for every event: fast-check generates the events. */
import fc from 'fast-check';
import { matchesPattern, parsePattern } from '../../rules/pattern';

const key = fc.constantFrom('a', 'b', 'c', 'eventName', 'detail-type', 'x y');
const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.constant(null));
const event = fc.dictionary(
  key,
  fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(key, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { maxKeys: 3 })),
  { minKeys: 1, maxKeys: 4 },
);

/** A pattern with the event's own leaf values (arrays become value lists), so it must match the event. */
function selfPattern(value: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v)) {
      if (v.length > 0) out[k] = v;
    } else if (v !== null && typeof v === 'object') {
      const inner = selfPattern(v as Record<string, unknown>);
      if (inner) out[k] = inner;
    } else {
      out[k] = [v];
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function leafPaths(value: Record<string, unknown>, prefix: string[] = []): string[][] {
  return Object.entries(value).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? leafPaths(v as Record<string, unknown>, [...prefix, k]) : [[...prefix, k]],
  );
}

function nest(path: string[], leaf: unknown[]): Record<string, unknown> {
  return path.reduceRight<unknown>((inner, k) => ({ [k]: inner }), leaf) as Record<string, unknown>;
}

describe('pattern properties', () => {
  test('a pattern built from an event\'s own leaf values always matches it', () => {
    fc.assert(
      fc.property(event, (e) => {
        const pattern = selfPattern(e);
        fc.pre(pattern !== undefined);
        expect(matchesPattern(pattern, e)).toBe(true);
      }),
    );
  });

  test('exists true and exists false disagree on every field of every event', () => {
    fc.assert(
      fc.property(event, fc.array(key, { minLength: 1, maxLength: 3 }), (e, path) => {
        const present = matchesPattern(nest(path, [{ exists: true }]), e);
        const absent = matchesPattern(nest(path, [{ exists: false }]), e);
        expect(present).toBe(!absent);
      }),
    );
  });

  test('anything-but a value never matches where the value itself matches, for single scalars', () => {
    fc.assert(
      fc.property(event, fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -1000, max: 1000 })), (e, excluded) => {
        for (const path of leafPaths(e)) {
          let node: unknown = e;
          for (const k of path) node = (node as Record<string, unknown>)[k];
          if (Array.isArray(node)) continue;
          const equal = matchesPattern(nest(path, [excluded]), e);
          const notEqual = matchesPattern(nest(path, [{ 'anything-but': excluded }]), e);
          expect(notEqual).toBe(!equal);
        }
      }),
    );
  });

  test('parsing is idempotent: the compact JSON parses to the same JSON', () => {
    fc.assert(
      fc.property(event, (e) => {
        const pattern = selfPattern(e);
        fc.pre(pattern !== undefined);
        const once = parsePattern(pattern);
        expect(parsePattern(once.json).json).toBe(once.json);
      }),
    );
  });
});
