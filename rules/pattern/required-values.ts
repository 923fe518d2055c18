/**
 * The exact values a field must take for a pattern to match, for cheap pre-filters (e.g. index detections by
 * eventName). Undefined whenever the pattern lets any other value through at that path.
 */
import type { Scalar } from './conditions';
import { pathKey, type Alternative } from './structure';

export function exactValuesAt(
  alternatives: readonly Alternative[],
  path: readonly string[],
): ReadonlySet<Scalar> | undefined {
  const key = pathKey(path);
  const values = new Set<Scalar>();
  for (const alternative of alternatives) {
    const leaf = alternative.get(key);
    if (!leaf) return undefined;
    for (const condition of leaf.conditions) {
      // An IP literal also matches other spellings of the address, so it is no closed set of strings.
      if (condition.kind !== 'exact' || condition.ip) return undefined;
      values.add(condition.value);
    }
  }
  return values;
}
