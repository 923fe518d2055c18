/**
 * The `s3-getobject-anomaly` detection: what it is, how it maps to ATT&CK and Security Hub, and how an analyst
 * should read it. Unlike the event detections in `rules/detections/`, it has no EventBridge pattern: it is
 * computed over 10-minute bins by the baseline queries (sql.ts) and scored by score.ts.
 */
import type { AttackMapping } from '../detection';
import { FINDING_TYPES } from '../detections/lib/attack';
import type { DetectionInfo } from '../signal';

export const GETOBJECT_DETECTION_ID = 's3-getobject-anomaly';

export const DATA_FROM_CLOUD_STORAGE: AttackMapping = {
  tactic: { id: 'TA0009', name: 'Collection' },
  technique: { id: 'T1530', name: 'Data from Cloud Storage' },
};

/** Words that make a bucket or key sensitive (matched in lower case anywhere in `bucket/key`). */
export const SENSITIVE_WORDS = ['pii', 'confidential', 'secret', 'credential', 'password'] as const;

export const GETOBJECT_DETECTION: DetectionInfo & {
  description: string;
  falsePositives: readonly string[];
  investigation: readonly string[];
  references: readonly string[];
} = {
  id: GETOBJECT_DETECTION_ID,
  title: 'Unusual volume of S3 GetObject by a principal',
  attack: [DATA_FROM_CLOUD_STORAGE],
  findingTypes: [FINDING_TYPES.exfiltration, FINDING_TYPES.collection, FINDING_TYPES.unusualUser],
  remediation: {
    text:
      'Confirm with the owner of the principal whether the reads were expected. If not: revoke its active ' +
      'sessions (for a role, an inline deny on aws:TokenIssueTime), rotate its access keys, and review the ' +
      'bucket policies and the source IP addresses in the finding.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html',
  },
  description:
    'A principal read far more S3 objects in 10 minutes than its own history (same hour of the week, shrunk ' +
    'toward its overall rate) or, for a new principal, its peers (same account and principal type) make ' +
    'plausible: the tail probability of the count under a negative binomial model is below the threshold.',
  falsePositives: [
    'A job that was moved to another hour, or a one-off migration or re-indexing.',
    'A new workload whose first day looks unlike its peers.',
    'Reads by AWS services on a user\'s behalf are excluded (userIdentity.invokedBy), so Athena or Glue jobs ' +
      'reading through their own role do count: allowlist such roles with a reason.',
  ],
  investigation: [
    'Compare observed and expected counts and the basis (own hour of week, own overall, peer prior).',
    'Check the top buckets and any sensitive names (pii, confidential, secret, credential, password).',
    'Check the source IPs against the principal\'s usual network (VPC endpoints, NAT gateways, office ranges).',
    'Look for a preceding AssumeRole or CreateAccessKey from an unusual place, and for PutBucketPolicy or ' +
      'replication changes on the same buckets.',
  ],
  references: [
    'https://attack.mitre.org/techniques/T1530/',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html',
    'https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html',
  ],
};
