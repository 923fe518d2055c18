/** An EBS snapshot's create-volume permission granted to another account, or to everyone. */
import type { Detection } from '../detection';
import { ebsSnapshotArn } from './lib/arns';
import { FINDING_TYPES, TRANSFER_DATA_TO_CLOUD_ACCOUNT } from './lib/attack';
import { evaluatePermissionShare, permissionSharePattern, type PermissionShare } from './lib/permission-share';

const SNAPSHOT_SHARE: PermissionShare = {
  eventName: 'ModifySnapshotAttribute',
  permission: 'createVolumePermission',
  grantFields: ['userId', 'group'],
  idParameter: 'snapshotId',
  missingId: 'unknown-snapshot',
  noun: 'EBS snapshot',
  publicTitle: 'EBS snapshot made public',
  resource: (region, snapshotId) => ({
    type: 'AwsEc2Snapshot',
    id: ebsSnapshotArn(region, snapshotId),
    region,
    details: { snapshotId },
  }),
};

export const ebsSnapshotShared: Detection = {
  id: 'ebs-snapshot-shared',
  title: 'EBS snapshot shared with another account',
  description:
    'ModifySnapshotAttribute added a create-volume permission for another AWS account or for everyone. Whoever ' +
    'holds the permission can create a volume from the snapshot in their own account and read the whole disk.',
  attack: [TRANSFER_DATA_TO_CLOUD_ACCOUNT],
  findingTypes: [FINDING_TYPES.exfiltration, FINDING_TYPES.exposure],
  patterns: [permissionSharePattern(SNAPSHOT_SHARE)],
  impact: 60,
  confidence: 80,
  evaluate: (event, context) => evaluatePermissionShare(SNAPSHOT_SHARE, event, context),
  falsePositives: [
    'Sharing snapshots with a backup, disaster-recovery or migration account: list it in trustedAccounts (the finding drops to LOW and keeps the reason).',
    'AWS Backup or Data Lifecycle Manager cross-account copy policies run by a service role: allowlist the role with a reason.',
  ],
  investigation: [
    'Who made the call (principal, source IP, user agent) and was it expected change work?',
    'Is the target account known (organization member, vendor)? An unknown account or a public share is an incident.',
    'Look for SharedSnapshotCopyInitiated or CreateVolume by the target account: the data has left when the snapshot is copied.',
    'What volume and instance does the snapshot come from, and what data does it hold?',
  ],
  remediation: {
    text: 'Remove the permission (aws ec2 modify-snapshot-attribute --attribute createVolumePermission --operation-type remove ...), enable EBS snapshot Block Public Access, and rotate the credentials if the call was not expected.',
    url: 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html',
  },
  references: [
    'https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.ec2-share-ebs-snapshot/',
    'Splunk security_content: AWS EC2 Snapshot Shared Externally; AWS Exfiltration via EC2 Snapshot',
    'https://attack.mitre.org/techniques/T1537/',
  ],
};
