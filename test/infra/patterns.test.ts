import type { Detection } from '../../rules/detection';
import { ALL_DETECTIONS } from '../../rules/detections';
import { matchesPattern, parsePattern, PATTERN_SIZE_LIMIT } from '../../rules/pattern';
import { compileDetection } from '../../rules/registry';
import { centralRules, forwardingRules, packPatterns, type PackedRule } from '../../infra/patterns';
import { allEvents } from './events';

/** A detection with `count` patterns of about `size` characters each, on distinct event names. */
function synthetic(id: string, count: number, size: number, extra: Partial<Detection> = {}): Detection {
  const base = ALL_DETECTIONS[0]!;
  const patterns = Array.from({ length: count }, (_, i) => ({
    source: ['aws.synthetic'],
    detail: { eventName: [`${id}-${i}-${'x'.repeat(Math.max(1, size - 60))}`] },
  }));
  return { ...base, id, patterns, ...extra };
}

const events = allEvents();

/** The registry patterns inside deployed rules: the branches of a combined `{"$or": [...]}`, else the pattern. */
function deployedBranches(rules: readonly PackedRule[]): string[] {
  return rules.flatMap((r) => {
    const source = JSON.parse(r.pattern.json) as Record<string, unknown>;
    const combined = Object.keys(source).length === 1 && Array.isArray(source['$or']);
    return combined ? (source['$or'] as unknown[]).map((b) => JSON.stringify(b)) : [r.pattern.json];
  });
}

it('precondition: no registry pattern is itself a bare top-level $or (deployedBranches relies on it)', () => {
  for (const d of ALL_DETECTIONS) {
    for (const p of compileDetection(d).patterns) expect(Object.keys(p.source)).not.toEqual(['$or']);
  }
});

describe('central rules', () => {
  it.each(ALL_DETECTIONS.map((d) => [d.id, d] as const))('%s: its rule carries exactly the registry pattern', (_id, detection) => {
    const compiled = compileDetection(detection).patterns;
    const rules = centralRules(detection);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.pattern.json.length).toBeLessThanOrEqual(PATTERN_SIZE_LIMIT);
      expect(parsePattern(rule.pattern.json).json).toBe(rule.pattern.json);
      expect(rule.detectionIds).toEqual([detection.id]);
    }
    if (compiled.length === 1) expect(rules.map((r) => r.pattern.json)).toEqual([compiled[0]!.json]);
  });

  it('a detection with several patterns gets one $or rule when they fit', () => {
    const d = synthetic('multi', 3, 100);
    const rules = centralRules(d);
    expect(rules).toHaveLength(1);
    expect(JSON.parse(rules[0]!.pattern.json)).toEqual({ $or: d.patterns });
  });
});

describe('forwarding rules (member accounts)', () => {
  it('holds every pattern of every detection, each rule validated and within the quota', () => {
    const rules = forwardingRules(ALL_DETECTIONS);
    const expected = ALL_DETECTIONS.flatMap((d) => compileDetection(d).patterns.map((p) => p.json));
    expect(deployedBranches(rules)).toEqual(expected);
    expect(new Set(rules.flatMap((r) => r.detectionIds))).toEqual(new Set(ALL_DETECTIONS.map((d) => d.id)));
    for (const rule of rules) {
      expect(rule.pattern.json.length).toBeLessThanOrEqual(PATTERN_SIZE_LIMIT);
      expect(parsePattern(rule.pattern.json).json).toBe(rule.pattern.json);
    }
  });

  it('forwards exactly the events some detection pattern matches (every fixture and detection case)', () => {
    expect(events.length).toBeGreaterThan(20);
    const rules = forwardingRules(ALL_DETECTIONS);
    let matched = 0;
    for (const { label, event } of events) {
      const expected = ALL_DETECTIONS.some((d) => compileDetection(d).patterns.some((p) => matchesPattern(p, event)));
      const forwarded = rules.some((r) => matchesPattern(r.pattern, event));
      if (expected) matched += 1;
      expect({ label, forwarded }).toEqual({ label, forwarded: expected });
    }
    // The corpus has both kinds, so the equivalence is not vacuous.
    expect(matched).toBeGreaterThan(0);
    expect(matched).toBeLessThan(events.length);
  });

  it('a disabled detection is not forwarded: its own events no longer match', () => {
    const [dropped, ...kept] = ALL_DETECTIONS;
    const rules = forwardingRules(kept);
    expect(rules.flatMap((r) => r.detectionIds)).not.toContain(dropped!.id);
    const onlyDropped = events.filter(
      ({ event }) =>
        compileDetection(dropped!).patterns.some((p) => matchesPattern(p, event)) &&
        !kept.some((d) => compileDetection(d).patterns.some((p) => matchesPattern(p, event))),
    );
    expect(onlyDropped.length).toBeGreaterThan(0);
    for (const { event } of onlyDropped) expect(rules.some((r) => matchesPattern(r.pattern, event))).toBe(false);
  });

  it('spreads patterns over several rules when one would exceed 2048 characters, keeping every one', () => {
    const big = [synthetic('big-a', 3, 600), synthetic('big-b', 3, 600)];
    const rules = forwardingRules(big);
    expect(rules.length).toBeGreaterThan(1);
    for (const rule of rules) expect(rule.pattern.json.length).toBeLessThanOrEqual(PATTERN_SIZE_LIMIT);
    const all = big.flatMap((d) => compileDetection(d).patterns.map((p) => p.json));
    expect(deployedBranches(rules)).toEqual(all);
    expect(new Set(rules.flatMap((r) => r.detectionIds))).toEqual(new Set(['big-a', 'big-b']));
  });

  it('gives ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS only to rules of detections that need read-only events', () => {
    const readOnly = synthetic('reads', 1, 100, { needsReadOnlyEvents: true });
    const rules = forwardingRules([...ALL_DETECTIONS, readOnly]);
    const withReads = rules.filter((r) => r.state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(withReads.map((r) => r.detectionIds)).toEqual([['reads']]);
    expect(rules.filter((r) => r.state === 'ENABLED').flatMap((r) => r.detectionIds)).not.toContain('reads');
    expect(forwardingRules(ALL_DETECTIONS).every((r) => r.state === 'ENABLED')).toBe(true);
    expect(centralRules(readOnly)[0]!.state).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
  });

  it('a single pattern is deployed as is, not wrapped in $or', () => {
    const p = compileDetection(ALL_DETECTIONS[0]!).patterns[0]!;
    expect(packPatterns([p]).map((x) => x.json)).toEqual([p.json]);
  });
});
