/**
 * The detection registry, compiled: every pattern validated by the engine (the text deployed is the text
 * tested), detections filtered by configuration, and an index by eventName so an event no detection can match
 * costs one Map lookup.
 */
import { ConfigError, type ExfiltrailConfig } from './config';
import { GETOBJECT_DETECTION_ID } from './baseline/detection';
import type { Detection } from './detection';
import { parsePattern, PatternError, requiredExactValues, type EventPattern } from './pattern';

export interface CompiledDetection {
  detection: Detection;
  patterns: readonly EventPattern[];
}

export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

const compiledCache = new WeakMap<Detection, CompiledDetection>();

/** Parse a detection's patterns once; a bad pattern names the detection and the pattern's position. */
export function compileDetection(detection: Detection): CompiledDetection {
  const cached = compiledCache.get(detection);
  if (cached) return cached;
  if (detection.patterns.length === 0) throw new RegistryError(`detection ${detection.id} has no pattern`);
  const patterns = detection.patterns.map((raw, index) => {
    try {
      return parsePattern(raw);
    } catch (error) {
      if (error instanceof PatternError) {
        throw new RegistryError(`detection ${detection.id}, pattern ${index}: ${error.message}`);
      }
      throw error;
    }
  });
  const compiled = { detection, patterns };
  compiledCache.set(detection, compiled);
  return compiled;
}

/**
 * Detections computed by scheduled queries rather than matched on events (no pattern, so not in the event
 * registry): the config may still enable/disable them, override their severity and allowlist principals for them.
 */
export const SCHEDULED_DETECTION_IDS: readonly string[] = [GETOBJECT_DETECTION_ID];

/** Config must only name detections that exist: a typo would otherwise silently keep a detection enabled. */
export function checkConfigAgainstRegistry(config: ExfiltrailConfig, detections: readonly Detection[]): void {
  const ids = new Set([...detections.map((d) => d.id), ...SCHEDULED_DETECTION_IDS]);
  const problems: string[] = [];
  for (const id of Object.keys(config.detections)) {
    if (!ids.has(id)) problems.push(`detections.${id}: no such detection (known: ${[...ids].join(', ')})`);
  }
  config.allowlist.forEach((entry, i) => {
    for (const id of entry.detections ?? []) {
      if (!ids.has(id)) problems.push(`allowlist.${i}.detections: no such detection ${id}`);
    }
  });
  if (problems.length > 0) throw new ConfigError(`invalid config:\n  ${problems.join('\n  ')}`, problems);
}

export function enabledDetections(config: ExfiltrailConfig, detections: readonly Detection[]): Detection[] {
  const seen = new Set<string>();
  for (const d of detections) {
    if (seen.has(d.id)) throw new RegistryError(`two detections share the id ${d.id}`);
    seen.add(d.id);
  }
  checkConfigAgainstRegistry(config, detections);
  return detections.filter((d) => config.detections[d.id]?.enabled !== false);
}

const EVENT_NAME_PATH = ['detail', 'eventName'] as const;

/**
 * Candidates by eventName. A detection lands under each eventName its patterns require; a detection whose
 * patterns do not pin eventName to exact values is a candidate for every event.
 */
export class CandidateIndex {
  private readonly byEventName = new Map<string, CompiledDetection[]>();
  private readonly always: CompiledDetection[] = [];

  constructor(compiled: readonly CompiledDetection[]) {
    for (const entry of compiled) {
      const names = eventNamesOf(entry.patterns);
      if (names === undefined) {
        this.always.push(entry);
        continue;
      }
      for (const name of names) {
        const list = this.byEventName.get(name) ?? [];
        list.push(entry);
        this.byEventName.set(name, list);
      }
    }
    if (this.always.length > 0) {
      for (const [name, list] of this.byEventName) this.byEventName.set(name, [...list, ...this.always]);
    }
  }

  candidates(eventName: unknown): readonly CompiledDetection[] {
    if (typeof eventName === 'string') return this.byEventName.get(eventName) ?? this.always;
    return this.always;
  }
}

function eventNamesOf(patterns: readonly EventPattern[]): Set<string> | undefined {
  const names = new Set<string>();
  for (const pattern of patterns) {
    const values = requiredExactValues(pattern, EVENT_NAME_PATH);
    if (values === undefined) return undefined;
    for (const value of values) if (typeof value === 'string') names.add(value);
  }
  return names;
}
