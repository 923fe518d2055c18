/**
 * A scored detection result: everything the ASFF builder, the scan table and the Lambda handlers need, with
 * no AWS SDK types in it.
 */
import type { SeverityLabel } from './config';
import type { AttackMapping, ResourceRef, TargetAccount } from './detection';

/** Who made the call. `principal` is the stable key: the role ARN for assumed roles, else the identity ARN. */
export interface Actor {
  principal: string;
  type?: string;
  arn?: string;
  accountId?: string;
  userName?: string;
  accessKeyId?: string;
  invokedBy?: string;
  sourceIp?: string;
  userAgent?: string;
}

export interface RiskAdjustment {
  /** Short machine-readable name: `failed-call`, `trusted-target`, `allowlisted`, `severity-override`. */
  kind: string;
  reason: string;
  /** Factor applied to the score, when the adjustment changes it. */
  factor?: number;
}

export interface Risk {
  impact: number;
  confidence: number;
  /** impact x confidence / 100 */
  base: number;
  /** After context adjustments, 0-100, rounded. */
  score: number;
  severity: SeverityLabel;
  adjustments: RiskAdjustment[];
}

export interface DetectionInfo {
  id: string;
  title: string;
  attack: readonly AttackMapping[];
  findingTypes: readonly string[];
  remediation: { text: string; url?: string };
}

export interface Signal {
  detection: DetectionInfo;
  /** Stable key of what the finding is about; equal keys describe one finding. */
  key: string;
  title: string;
  /** The hit's verb phrase. */
  summary: string;
  /** Full sentence naming account, principal, source IP and resource. */
  message: string;
  /** The affected account: where the event happened and where the finding is published. */
  account: string;
  region: string;
  /** ISO-8601 time of the latest event behind the signal. */
  eventTime: string;
  /** ISO-8601 time of the earliest event behind the signal (equal to eventTime for one event). */
  firstEventTime: string;
  eventIds: string[];
  api: { service: string; name: string; errorCode?: string; errorMessage?: string };
  actor: Actor;
  resources: ResourceRef[];
  targets: TargetAccount[];
  facts: Record<string, string>;
  risk: Risk;
  /** Set when an allowlist entry matched: the signal is kept, at INFORMATIONAL severity, with the reason. */
  suppressed?: { reason: string };
}
