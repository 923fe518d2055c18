/**
 * Which EventBridge patterns get deployed, computed from the detection registry only: one source of truth.
 *
 * A rule takes one pattern; several patterns are combined as `{"$or": [p1, p2, ...]}`. `$or` may stand at the top
 * level of a pattern (event-ruler's "parallel or" example puts it there, beside `detail`), and each branch is a
 * whole pattern, so the combined pattern matches exactly the events one of its branches matches. A combination
 * is kept only when the engine accepts it: within the 2048-character quota and the `$or` expansion limit;
 * otherwise the patterns are spread over several rules. Every returned pattern is an engine-validated
 * `EventPattern`, and `json` is the exact text deployed.
 */
import type { Detection } from '../rules/detection';
import { compileDetection } from '../rules/registry';
import { parsePattern, PatternError, type EventPattern } from '../rules/pattern';

export type RuleState = 'ENABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface PackedRule {
  pattern: EventPattern;
  /** ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS only when a detection in it needs read-only events. */
  state: RuleState;
  /** Detections whose patterns are in this rule. */
  detectionIds: readonly string[];
}

interface Entry {
  pattern: EventPattern;
  detectionId: string;
}

export function ruleStateOf(detection: Detection): RuleState {
  return detection.needsReadOnlyEvents ? 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' : 'ENABLED';
}

/** Combine `patterns` into as few rules as the engine accepts, keeping their order. */
export function packPatterns(patterns: readonly EventPattern[]): EventPattern[] {
  return pack(patterns).map((bin) => bin.pattern);
}

/** Greedy, in order: add the next pattern to the current rule while the engine accepts the combination. */
function pack(patterns: readonly EventPattern[]): { pattern: EventPattern; count: number }[] {
  const bins: { pattern: EventPattern; members: EventPattern[] }[] = [];
  for (const pattern of patterns) {
    const last = bins[bins.length - 1];
    const combined = last ? combine([...last.members, pattern]) : undefined;
    if (last && combined) {
      last.members.push(pattern);
      last.pattern = combined;
    } else {
      bins.push({ pattern, members: [pattern] });
    }
  }
  return bins.map((bin) => ({ pattern: bin.pattern, count: bin.members.length }));
}

/** `{"$or": [...]}` of the patterns, or undefined when the engine refuses it (too long, too many combinations). */
function combine(patterns: readonly EventPattern[]): EventPattern | undefined {
  try {
    return parsePattern({ $or: patterns.map((p) => JSON.parse(p.json) as unknown) });
  } catch (error) {
    if (error instanceof PatternError) return undefined;
    throw error;
  }
}

/** One detection's rules on the central bus (one rule unless its own patterns do not fit together). */
export function centralRules(detection: Detection): PackedRule[] {
  const { patterns } = compileDetection(detection);
  return packPatterns(patterns).map((pattern) => ({ pattern, state: ruleStateOf(detection), detectionIds: [detection.id] }));
}

/**
 * The member accounts' forwarding rules: every enabled detection's patterns, grouped by the rule state they need
 * (read-only events cost more to match, so only detections that need them get that state), then packed.
 */
export function forwardingRules(detections: readonly Detection[]): PackedRule[] {
  const rules: PackedRule[] = [];
  for (const state of ['ENABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'] as const) {
    const entries: Entry[] = detections
      .filter((d) => ruleStateOf(d) === state)
      .flatMap((d) => compileDetection(d).patterns.map((pattern) => ({ pattern, detectionId: d.id })));
    if (entries.length === 0) continue;
    let offset = 0;
    for (const { pattern, count } of pack(entries.map((e) => e.pattern))) {
      const ids = [...new Set(entries.slice(offset, offset + count).map((e) => e.detectionId))];
      offset += count;
      rules.push({ pattern, state, detectionIds: ids });
    }
  }
  return rules;
}
