/**
 * One delivered CloudTrail event through the detections: which detections apply (DETECTION_ID or all), the
 * pattern re-checked with the engine (a mis-routed event is ignored, not scored), evaluate + score
 * (`runDetection`), signals about one finding merged, and each signal built into a validated ASFF finding.
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { CloudTrailEvent } from '../../rules/cloudtrail';
import type { ExfiltrailConfig } from '../../rules/config';
import type { Detection } from '../../rules/detection';
import { findingKey, mergeSignals, runDetection } from '../../rules/evaluate';
import { matchesPattern } from '../../rules/pattern';
import { compileDetection } from '../../rules/registry';
import type { Signal } from '../../rules/signal';
import { buildFinding, validateFinding, type AwsPartition } from '../findings';
import { HandlerSettingsError, InvalidFindingError } from '../publish/errors';

export type IgnoreReason = 'misrouted' | 'disabled' | 'no-signal';

export interface Evaluation {
  signals: Signal[];
  /** Detections that looked at the event and produced nothing, with why. */
  ignored: { detection: string; reason: IgnoreReason }[];
}

/** The detections this function runs: the one named by DETECTION_ID, or all of them. */
export function selectDetections(detectionId: string | undefined, all: readonly Detection[]): readonly Detection[] {
  if (detectionId === undefined) return all;
  const detection = all.find((d) => d.id === detectionId);
  if (!detection) {
    throw new HandlerSettingsError(
      `DETECTION_ID "${detectionId}" is not a detection (known: ${all.map((d) => d.id).join(', ')})`,
    );
  }
  return [detection];
}

export function evaluateEvent(
  event: CloudTrailEvent,
  detections: readonly Detection[],
  config: ExfiltrailConfig,
  options: { single: boolean },
): Evaluation {
  const ignored: Evaluation['ignored'] = [];
  const byKey = new Map<string, Signal>();
  for (const detection of detections) {
    if (config.detections[detection.id]?.enabled === false) {
      if (options.single) ignored.push({ detection: detection.id, reason: 'disabled' });
      continue;
    }
    const matched = compileDetection(detection).patterns.some((pattern) => matchesPattern(pattern, event));
    if (!matched) {
      // With one detection per function, an event its rule should not have delivered is worth a warning; with
      // all detections, most detections not matching is the normal case.
      if (options.single) ignored.push({ detection: detection.id, reason: 'misrouted' });
      continue;
    }
    const signals = runDetection(detection, event, config);
    if (signals.length === 0) ignored.push({ detection: detection.id, reason: 'no-signal' });
    for (const signal of signals) {
      const key = findingKey(signal);
      const seen = byKey.get(key);
      byKey.set(key, seen ? mergeSignals(seen, signal) : signal);
    }
  }
  if (!options.single && byKey.size === 0 && ignored.length === 0) ignored.push({ detection: 'all', reason: 'misrouted' });
  return { signals: [...byKey.values()], ignored };
}

/** The finding for a signal, checked against what BatchImportFindings accepts. */
export function findingFor(
  signal: Signal,
  options: { importRegion: string; partition: AwsPartition },
): AwsSecurityFinding {
  const finding = buildFinding(signal, options);
  const validation = validateFinding(finding);
  if (!validation.ok) throw new InvalidFindingError(finding.Id ?? '(no id)', validation.issues);
  // Security Hub keeps these for analysts; a provider import must never carry them.
  delete finding.Workflow;
  delete finding.Note;
  delete finding.UserDefinedFields;
  delete finding.VerificationState;
  return finding;
}
