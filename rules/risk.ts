/**
 * Risk scoring: impact x confidence / 100 (as in the Splunk analytics these detections come from), then
 * context. Every adjustment is recorded with its reason, so a lowered or suppressed finding explains itself.
 */
import type { AllowlistEntry, ExfiltrailConfig, SeverityLabel } from './config';
import type { TargetAccount } from './detection';
import type { Actor, Risk, RiskAdjustment } from './signal';

/** A call that failed is an attempt: still worth seeing, at a lower severity. */
export const FAILED_CALL_FACTOR = 0.5;
/** Data that only went to trusted or organization accounts is far less likely to be theft. */
export const INTERNAL_TARGET_FACTOR = 0.5;

/** Security Hub's label bands: 0 INFORMATIONAL, 1-39 LOW, 40-69 MEDIUM, 70-89 HIGH, 90-100 CRITICAL. */
export function severityOf(score: number): SeverityLabel {
  if (score >= 90) return 'CRITICAL';
  if (score >= 70) return 'HIGH';
  if (score >= 40) return 'MEDIUM';
  if (score >= 1) return 'LOW';
  return 'INFORMATIONAL';
}

export const SEVERITY_RANK: Record<SeverityLabel, number> = {
  INFORMATIONAL: 0,
  LOW: 1,
  MEDIUM: 2,
  HIGH: 3,
  CRITICAL: 4,
};

export interface RiskInput {
  detectionId: string;
  impact: number;
  confidence: number;
  errorCode?: string;
  targets: readonly TargetAccount[];
  actor: Actor;
  config: ExfiltrailConfig;
}

export interface RiskResult {
  risk: Risk;
  suppressed?: { reason: string };
}

export function assessRisk(input: RiskInput): RiskResult {
  const base = (input.impact * input.confidence) / 100;
  const adjustments: RiskAdjustment[] = [];
  let score = base;

  if (input.errorCode) {
    score *= FAILED_CALL_FACTOR;
    adjustments.push({
      kind: 'failed-call',
      reason: `the call failed (${input.errorCode}): an attempt, not a completed transfer`,
      factor: FAILED_CALL_FACTOR,
    });
  }

  const internal = internalTargetsReason(input.targets);
  if (internal) {
    score *= INTERNAL_TARGET_FACTOR;
    adjustments.push({ kind: 'internal-target', reason: internal, factor: INTERNAL_TARGET_FACTOR });
  }

  score = Math.max(0, Math.min(100, Math.round(score)));
  let severity = severityOf(score);

  const override = input.config.detections[input.detectionId]?.severity;
  if (override && override !== severity) {
    adjustments.push({ kind: 'severity-override', reason: `severity set to ${override} by configuration` });
    severity = override;
  }

  const allowed = allowlistEntryFor(input.config.allowlist, input.detectionId, input.actor);
  let suppressed: RiskResult['suppressed'];
  if (allowed) {
    suppressed = { reason: `principal allowlisted (${allowed.principal}): ${allowed.reason}` };
    adjustments.push({ kind: 'allowlisted', reason: suppressed.reason });
    severity = 'INFORMATIONAL';
  }

  const risk: Risk = {
    impact: input.impact,
    confidence: input.confidence,
    base: Math.round(base * 100) / 100,
    score,
    severity,
    adjustments,
  };
  return suppressed ? { risk, suppressed } : { risk };
}

/** A reason when every target is trusted or in the organization (and at least one target exists). */
function internalTargetsReason(targets: readonly TargetAccount[]): string | undefined {
  if (targets.length === 0) return undefined;
  const internal = targets.every((t) => t.relation === 'trusted' || t.relation === 'organization');
  if (!internal) return undefined;
  const named = targets.map((t) =>
    t.relation === 'trusted' ? `${t.accountId} (trusted: ${t.reason ?? 'no reason given'})` : `${t.accountId} (organization)`,
  );
  return `every target stays inside: ${named.join(', ')}`;
}

function allowlistEntryFor(
  allowlist: readonly AllowlistEntry[],
  detectionId: string,
  actor: Actor,
): AllowlistEntry | undefined {
  const candidates = [actor.principal, actor.arn].filter((v): v is string => typeof v === 'string');
  return allowlist.find(
    (entry) =>
      (entry.detections === undefined || entry.detections.includes(detectionId)) &&
      candidates.some((principal) => principalMatches(entry.principal, principal)),
  );
}

/** Exact match, or a prefix match when the entry ends with `*`. */
export function principalMatches(entry: string, principal: string): boolean {
  if (entry.endsWith('*')) return principal.startsWith(entry.slice(0, -1));
  return entry === principal;
}
