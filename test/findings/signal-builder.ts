/**
 * Realistic Signals for the finding tests, derived from a real CloudTrail record: the Stratus Red Team EBS
 * snapshot share (`022-ebs-snapshot-shared-stratus.json`), scored the way `rules/risk.ts` scores it.
 */
import { CloudTrailRecordSchema, type CloudTrailRecord } from '../../rules/cloudtrail';
import type { Signal } from '../../rules/signal';
import { fixture } from '../fixtures';

export function snapshotShareRecord(): CloudTrailRecord {
  return CloudTrailRecordSchema.parse(fixture('022-ebs-snapshot-shared-stratus.json'));
}

/** The account the snapshot was shared with: `createVolumePermission.add.items[0].userId`. */
function sharedWith(record: CloudTrailRecord): string {
  const permission = record.requestParameters?.['createVolumePermission'] as
    | { add?: { items?: { userId?: string }[] } }
    | undefined;
  const userId = permission?.add?.items?.[0]?.userId;
  if (!userId) throw new Error(`022-ebs-snapshot-shared-stratus.json: no createVolumePermission.add.items[0].userId`);
  return userId;
}

export function snapshotShareSignal(overrides: Partial<Signal> = {}): Signal {
  const record = snapshotShareRecord();
  const account = record.recipientAccountId ?? 'unknown';
  const snapshotId = String(record.requestParameters?.['snapshotId']);
  const target = sharedWith(record);
  const identity = record.userIdentity ?? {};
  const principal = identity.arn ?? 'unknown';
  const impact = 90;
  const confidence = 80;
  const score = Math.round((impact * confidence) / 100);
  const signal: Signal = {
    detection: {
      id: 'snapshot-shared',
      title: 'EBS snapshot shared outside the organization',
      attack: [
        {
          tactic: { id: 'TA0010', name: 'Exfiltration' },
          technique: { id: 'T1537', name: 'Transfer Data to Cloud Account' },
        },
      ],
      findingTypes: ['Effects/Data Exfiltration', 'TTPs/Collection'],
      remediation: {
        text: 'Remove the createVolumePermission for the external account and review who shared the snapshot.',
        url: 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html',
      },
    },
    key: record.eventID ?? 'no-event-id',
    title: `EBS snapshot ${snapshotId} shared with external account ${target}`,
    summary: `shared EBS snapshot ${snapshotId} with external account ${target}`,
    message:
      `${principal} from ${record.sourceIPAddress} in ${account} shared EBS snapshot ${snapshotId} ` +
      `with external account ${target}.`,
    account,
    region: record.awsRegion,
    eventTime: record.eventTime,
    firstEventTime: record.eventTime,
    eventIds: record.eventID ? [record.eventID] : [],
    api: { service: record.eventSource, name: record.eventName },
    actor: {
      principal,
      type: identity.type,
      arn: identity.arn,
      accountId: identity.accountId,
      userName: identity.userName,
      accessKeyId: identity.accessKeyId,
      sourceIp: record.sourceIPAddress,
      userAgent: record.userAgent,
    },
    resources: [
      {
        type: 'AwsEc2Snapshot',
        id: `arn:aws:ec2:${record.awsRegion}::snapshot/${snapshotId}`,
        region: record.awsRegion,
        details: { snapshotId, attributeType: String(record.requestParameters?.['attributeType']) },
      },
    ],
    targets: [{ accountId: target, relation: 'external' }],
    facts: { snapshotId, sharedWith: target },
    risk: {
      impact,
      confidence,
      base: (impact * confidence) / 100,
      score,
      severity: 'HIGH',
      adjustments: [],
    },
  };
  return { ...signal, ...overrides };
}

/** The same signal with a different actor, e.g. another source IP. */
export function withActor(signal: Signal, actor: Partial<Signal['actor']>): Signal {
  return { ...signal, actor: { ...signal.actor, ...actor } };
}
