/**
 * What a detection is: an EventBridge pattern (what can be said about one event's shape), an `evaluate` step
 * (what a pattern cannot say: is the target outside the organization? is it public?), risk inputs, ATT&CK
 * mapping and the guidance an analyst needs. One file per detection under `rules/detections/`.
 */
import type { CloudTrailEvent } from './cloudtrail';
import type { ExfiltrailConfig } from './config';

export interface AttackMapping {
  tactic: { id: string; name: string };
  technique: { id: string; name: string };
}

/** How an account that receives data relates to the account the data came from. */
export type AccountRelation = 'self' | 'organization' | 'trusted' | 'external' | 'public';

export interface TargetAccount {
  /** The account id, or `all` for a public share. */
  accountId: string;
  relation: AccountRelation;
  /** Why a trusted account is trusted (from the config). */
  reason?: string;
}

/** A resource a finding is about. `type` uses ASFF resource type names (`AwsEc2Snapshot`, `Other`, ...). */
export interface ResourceRef {
  type: string;
  /** An ARN where one can be built, else the service's identifier. */
  id: string;
  region?: string;
  /** Small string facts shown in the finding's `Resources[].Details.Other`. */
  details?: Record<string, string>;
}

/** One thing a detection found in one event. Scoring turns it into a `Signal`. */
export interface Hit {
  /**
   * What happened, as a verb phrase that completes "<principal> from <ip> in <account> ...", naming the
   * resource and the destination: "shared EBS snapshot snap-1 with external account 0987...".
   */
  summary: string;
  /** Title of the finding when it differs from the detection's (e.g. "EBS snapshot made public"). */
  title?: string;
  resources: ResourceRef[];
  /** Accounts the data goes to, classified with `context.relationOf`. */
  targets?: TargetAccount[];
  /** Override the detection's impact or confidence for this hit (e.g. a public share). */
  impact?: number;
  confidence?: number;
  /**
   * What the finding is about, when several events describe one thing (an S3 Batch job's `CreateJob` call and
   * its `JobCreated` service event): they share a key and so a finding. Defaults to the record's event id.
   */
  key?: string;
  /** Extra facts for the finding's ProductFields (`exfiltrail/<name>`). */
  facts?: Record<string, string>;
}

export interface EvaluationContext {
  config: ExfiltrailConfig;
  /** Classify `accountId` as seen from `ownerAccountId` (the account the data belongs to). */
  relationOf(accountId: string, ownerAccountId: string): TargetAccount;
}

export interface Detection {
  /** Stable, kebab-case; part of finding ids and generator ids: never rename. */
  id: string;
  title: string;
  description: string;
  attack: readonly AttackMapping[];
  /** ASFF `Types` (`namespace/category/classifier`), e.g. `Effects/Data Exfiltration`, `TTPs/Collection`. */
  findingTypes: readonly string[];
  /** EventBridge patterns (raw JSON) over CloudTrail events; an event is a candidate when any matches. */
  patterns: readonly Record<string, unknown>[];
  /** Read-only management events reach only rules in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS. */
  needsReadOnlyEvents?: boolean;
  /** 0-100: how bad it is if this is malicious. */
  impact: number;
  /** 0-100: how likely a hit is malicious. Risk = impact x confidence / 100, then context. */
  confidence: number;
  /** Called only for events a pattern matched. Returns zero or more hits; must not throw on odd records. */
  evaluate(event: CloudTrailEvent, context: EvaluationContext): Hit[];
  falsePositives: readonly string[];
  investigation: readonly string[];
  remediation: { text: string; url?: string };
  references: readonly string[];
}
