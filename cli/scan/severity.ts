/** Severity ordering and the `--fail-on` threshold. */
import { SEVERITY_LABELS, type SeverityLabel } from '../../rules/config';
import { SEVERITY_RANK } from '../../rules/risk';
import type { Signal } from '../../rules/signal';

/** Thresholds `--fail-on` accepts: an INFORMATIONAL threshold would fail on suppressed findings' level. */
export const FAIL_ON_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type FailOnLevel = (typeof FAIL_ON_LEVELS)[number];

export function parseFailOn(value: string): FailOnLevel | undefined {
  const upper = value.trim().toUpperCase();
  return (FAIL_ON_LEVELS as readonly string[]).includes(upper) ? (upper as FailOnLevel) : undefined;
}

/** True when an unsuppressed finding is at or above the threshold. */
export function breachesThreshold(findings: readonly Signal[], threshold: FailOnLevel): boolean {
  const floor = SEVERITY_RANK[threshold];
  return findings.some((f) => !f.suppressed && SEVERITY_RANK[f.risk.severity] >= floor);
}

/** Most severe first, then oldest first; the key keeps equal rows in a stable order. */
export function compareFindings(a: Signal, b: Signal): number {
  const bySeverity = SEVERITY_RANK[b.risk.severity] - SEVERITY_RANK[a.risk.severity];
  if (bySeverity !== 0) return bySeverity;
  if (a.eventTime !== b.eventTime) return a.eventTime < b.eventTime ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Unsuppressed findings per severity label, most severe first, zero counts left out. */
export function countBySeverity(findings: readonly Signal[]): [SeverityLabel, number][] {
  const counts = new Map<SeverityLabel, number>();
  for (const f of findings) if (!f.suppressed) counts.set(f.risk.severity, (counts.get(f.risk.severity) ?? 0) + 1);
  return [...SEVERITY_LABELS]
    .reverse()
    .filter((label) => counts.has(label))
    .map((label) => [label, counts.get(label) ?? 0]);
}
