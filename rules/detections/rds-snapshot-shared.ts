/** An RDS DB or cluster snapshot made restorable by another account, or by everyone. */
import { API_CALL } from '../cloudtrail';
import type { Detection, Hit, TargetAccount } from '../detection';
import { rdsSnapshotArn } from './lib/arns';
import { FINDING_TYPES, TRANSFER_DATA_TO_CLOUD_ACCOUNT } from './lib/attack';
import { asList, asString, ownerAccount, requestParameters, stringAt, unique } from './lib/read';
import { describeTargets, isPublicShare, PUBLIC_SHARE, targetIds } from './lib/targets';

export const rdsSnapshotShared: Detection = {
  id: 'rds-snapshot-shared',
  title: 'RDS snapshot shared with another account',
  description:
    'ModifyDBSnapshotAttribute or ModifyDBClusterSnapshotAttribute added accounts (or `all`) to the snapshot\'s ' +
    '`restore` attribute. They can restore the whole database in their own account.',
  attack: [TRANSFER_DATA_TO_CLOUD_ACCOUNT],
  findingTypes: [FINDING_TYPES.exfiltration, FINDING_TYPES.exposure],
  patterns: [
    {
      source: ['aws.rds'],
      'detail-type': [API_CALL],
      detail: {
        eventSource: ['rds.amazonaws.com'],
        eventName: ['ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute'],
        // `restore` is the only attribute the API accepts for sharing; removals carry valuesToRemove only.
        requestParameters: { attributeName: ['restore'], valuesToAdd: [{ exists: true }] },
      },
    },
  ],
  impact: 60,
  confidence: 80,
  evaluate(event, context) {
    const params = requestParameters(event);
    if (!params || asString(params.attributeName)?.toLowerCase() !== 'restore') return [];
    const owner = ownerAccount(event);
    const added = unique(asList(params.valuesToAdd).map(asString).filter((v): v is string => v !== undefined));
    const targets: TargetAccount[] = added
      .map((value) => context.relationOf(value.trim(), owner))
      .filter((t) => t.relation !== 'self');
    if (targets.length === 0) return [];
    const cluster = event.detail.eventName === 'ModifyDBClusterSnapshotAttribute';
    const identifier =
      stringAt(params, cluster ? 'dBClusterSnapshotIdentifier' : 'dBSnapshotIdentifier') ?? 'unknown-snapshot';
    const kind = cluster ? 'RDS cluster snapshot' : 'RDS snapshot';
    const resourceType = cluster ? 'AwsRdsDbClusterSnapshot' : 'AwsRdsDbSnapshot';
    const hit: Hit = {
      ...(isPublicShare(targets) ? { title: `${kind} made public`, ...PUBLIC_SHARE } : {}),
      summary: `shared ${kind} ${identifier} with ${describeTargets(targets)}`,
      resources: [
        {
          type: resourceType,
          id: rdsSnapshotArn(event.region, owner, identifier, cluster),
          region: event.region,
          details: { snapshotIdentifier: identifier },
        },
      ],
      targets,
      facts: { snapshotIdentifier: identifier, targets: targetIds(targets) },
    };
    return [hit];
  },
  falsePositives: [
    'Sharing snapshots with a DR or analytics account: list it in trustedAccounts or organizationAccountIds.',
    'AWS Backup cross-account copies run by a service role: allowlist the role with a reason.',
  ],
  investigation: [
    'Who made the call and from where? Was a database migration planned?',
    'Which account received it? Is it known to the organization?',
    'Was a manual snapshot created just before (CreateDBSnapshot / CopyDBSnapshot) by the same principal?',
    'Look for RestoreDBInstanceFromDBSnapshot or CopyDBSnapshot by the target account (its own trail).',
  ],
  remediation: {
    text: 'Remove the accounts (aws rds modify-db-snapshot-attribute --attribute-name restore --values-to-remove ...), delete the snapshot if it was made for exfiltration, and review the principal\'s credentials.',
    url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html',
  },
  references: [
    'https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.rds-share-snapshot/',
    'https://attack.mitre.org/techniques/T1537/',
  ],
};
