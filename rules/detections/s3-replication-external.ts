/**
 * Bucket replication to a bucket owned by another account: every new object is copied out automatically.
 * S3 logs the XML body: `ReplicationConfiguration.Rule` is one object or a list; the destination account is
 * `Destination.Account`. Without it the destination's owner cannot be told from the record, so no hit.
 */
import { API_CALL } from '../cloudtrail';
import type { Detection, TargetAccount } from '../detection';
import { bucketNameOf, partitionOf, s3BucketArn } from './lib/arns';
import { AUTOMATED_EXFILTRATION, FINDING_TYPES, TRANSFER_DATA_TO_CLOUD_ACCOUNT } from './lib/attack';
import { asList, asString, field, ownerAccount, path, requestParameters, stringAt, unique } from './lib/read';
import { describeTargets, targetIds } from './lib/targets';

export const s3ReplicationExternal: Detection = {
  id: 's3-replication-external',
  title: 'S3 bucket replicated to another account',
  description:
    'PutBucketReplication added a rule whose destination bucket belongs to an account outside the organization. ' +
    'From then on S3 copies every new object there without any further call.',
  attack: [TRANSFER_DATA_TO_CLOUD_ACCOUNT, AUTOMATED_EXFILTRATION],
  findingTypes: [FINDING_TYPES.exfiltration],
  patterns: [
    {
      source: ['aws.s3'],
      'detail-type': [API_CALL],
      detail: { eventSource: ['s3.amazonaws.com'], eventName: ['PutBucketReplication'] },
    },
  ],
  impact: 80,
  confidence: 70,
  evaluate(event, context) {
    const params = requestParameters(event);
    const configuration = field(params, 'ReplicationConfiguration');
    const rules = [...asList(field(configuration, 'Rule')), ...asList(field(configuration, 'Rules'))];
    const owner = ownerAccount(event);
    const enabled = rules.filter((rule) => asString(field(rule, 'Status'))?.toLowerCase() !== 'disabled');
    const accounts = unique(
      enabled.map((rule) => stringAt(rule, 'Destination', 'Account')).filter((a): a is string => a !== undefined),
    );
    const targets: TargetAccount[] = accounts.map((a) => context.relationOf(a, owner)).filter((t) => t.relation !== 'self');
    if (targets.length === 0) return [];
    const targetAccounts = new Set(targets.map((t) => t.accountId));
    const destinations = unique(
      enabled
        .filter((rule) => targetAccounts.has(stringAt(rule, 'Destination', 'Account') ?? ''))
        .map((rule) => asString(path(rule, 'Destination', 'Bucket')))
        .filter((b): b is string => b !== undefined),
    );
    const bucket = stringAt(params, 'bucketName') ?? 'unknown-bucket';
    const partition = partitionOf(event.region);
    return [
      {
        summary: `configured replication of S3 bucket ${bucket} to ${destinations.map(bucketNameOf).join(', ') || 'a bucket'} in ${describeTargets(targets)}`,
        resources: [
          { type: 'AwsS3Bucket', id: s3BucketArn(bucket, partition), region: event.region, details: { role: 'source' } },
          ...destinations.map((d) => ({ type: 'AwsS3Bucket', id: s3BucketArn(d, partition), details: { role: 'replication destination' } })),
        ],
        targets,
        facts: { bucket, destinations: destinations.join(','), targets: targetIds(targets) },
      },
    ];
  },
  falsePositives: [
    'Cross-account replication to a backup or log-archive account: declare it in trustedAccounts or organizationAccountIds.',
  ],
  investigation: [
    'Who owns the destination account? Is it in the organization or a known partner?',
    'Which IAM role does replication use (ReplicationConfiguration.Role) and who created or changed it?',
    'Was Batch Replication started for existing objects (S3 Batch Operations job)?',
  ],
  remediation: {
    text: 'Delete or correct the replication rule (DeleteBucketReplication / PutBucketReplication), restrict s3:PutReplicationConfiguration, and review what was already replicated.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-walkthrough-2.html',
  },
  references: ['https://attack.mitre.org/techniques/T1537/', 'https://attack.mitre.org/techniques/T1020/'],
};
