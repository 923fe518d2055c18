/**
 * Another account copied one of our shared EBS snapshots (or made a volume from it): the data is leaving now.
 * The service event is delivered to the owner: `recipientAccountId` is the owner, `userIdentity.accountId` the
 * account doing the copy.
 */
import { SERVICE_EVENT } from '../cloudtrail';
import type { Detection, Hit, TargetAccount } from '../detection';
import { ebsSnapshotArn } from './lib/arns';
import { FINDING_TYPES, TRANSFER_DATA_TO_CLOUD_ACCOUNT } from './lib/attack';
import { asObject, ownerAccount, stringAt } from './lib/read';
import { describeTargets } from './lib/targets';

/**
 * Confidence by who copies. Risk scoring already halves organization and trusted targets; a trusted account
 * (a declared backup/DR account) copying is routine, so it is lower still.
 */
const CONFIDENCE: Record<TargetAccount['relation'], number> = {
  public: 90,
  external: 90,
  organization: 60,
  trusted: 40,
  self: 0,
};
/** When the record does not name the copying account: something copied it, we cannot say who. */
const UNKNOWN_COPIER_CONFIDENCE = 60;

const VERBS: Record<string, string> = {
  SharedSnapshotCopyInitiated: 'copied',
  SharedSnapshotVolumeCreated: 'created a volume from',
};

export const ebsSharedSnapshotCopied: Detection = {
  id: 'ebs-shared-snapshot-copied',
  title: 'Shared EBS snapshot copied by another account',
  description:
    'SharedSnapshotCopyInitiated (or SharedSnapshotVolumeCreated): an account the snapshot was shared with ' +
    'started copying it, or created a volume from it, in its own account. This is the transfer itself.',
  attack: [TRANSFER_DATA_TO_CLOUD_ACCOUNT],
  findingTypes: [FINDING_TYPES.exfiltration],
  patterns: [
    {
      source: ['aws.ec2'],
      'detail-type': [SERVICE_EVENT],
      detail: {
        eventSource: ['ec2.amazonaws.com'],
        eventName: ['SharedSnapshotCopyInitiated', 'SharedSnapshotVolumeCreated'],
      },
    },
  ],
  impact: 80,
  confidence: 90,
  evaluate(event, context) {
    const owner = ownerAccount(event);
    const copier = stringAt(event.detail.userIdentity, 'accountId');
    const snapshotId = stringAt(asObject(event.detail.serviceEventDetails), 'snapshotId') ?? 'unknown-snapshot';
    const verb = VERBS[event.detail.eventName] ?? 'copied';
    const resources = [
      { type: 'AwsEc2Snapshot', id: ebsSnapshotArn(event.region, snapshotId), region: event.region, details: { snapshotId } },
    ];
    if (!copier) {
      return [
        {
          summary: `${verb} shared EBS snapshot ${snapshotId} into an account the record does not name`,
          resources,
          confidence: UNKNOWN_COPIER_CONFIDENCE,
          facts: { snapshotId },
        },
      ];
    }
    const target = context.relationOf(copier, owner);
    if (target.relation === 'self') return [];
    const hit: Hit = {
      summary: `${verb} shared EBS snapshot ${snapshotId} into ${describeTargets([target])}`,
      resources,
      targets: [target],
      confidence: CONFIDENCE[target.relation],
      facts: { snapshotId, copyingAccount: copier },
    };
    return [hit];
  },
  falsePositives: [
    'Backup or DR accounts copying shared snapshots on schedule: declare them in trustedAccounts (LOW, reason kept).',
    'Organization accounts restoring shared golden snapshots: configure organizationAccountIds.',
  ],
  investigation: [
    'Which account is copying? It is the userIdentity.accountId of the event; is it known?',
    'Find the ModifySnapshotAttribute that shared the snapshot: who shared it, when, and is the share still in place?',
    'What does the snapshot hold (source volume, instance, tags)?',
  ],
  remediation: {
    text: 'Remove the create-volume permission at once (the copy in progress may still be stopped if the share is removed early), treat the data as disclosed, and investigate the principal that shared it.',
    url: 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html',
  },
  references: [
    'https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.ec2-share-ebs-snapshot/',
    'https://attack.mitre.org/techniques/T1537/',
  ],
};
