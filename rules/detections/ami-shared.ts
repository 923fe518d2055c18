/** An AMI's launch permission granted to another account, an organization or OU, or everyone. */
import { API_CALL } from '../cloudtrail';
import type { Detection, Hit } from '../detection';
import { amiArn } from './lib/arns';
import { FINDING_TYPES, TRANSFER_DATA_TO_CLOUD_ACCOUNT } from './lib/attack';
import { addedGrants, grantTargets } from './lib/permissions';
import { ownerAccount, requestParameters, stringAt } from './lib/read';
import { describeTargets, isPublicShare, PUBLIC_SHARE, targetIds } from './lib/targets';

const ADDED_ITEM_FIELDS = ['userId', 'group', 'organizationArn', 'organizationalUnitArn'];

export const amiShared: Detection = {
  id: 'ami-shared',
  title: 'AMI shared with another account',
  description:
    'ModifyImageAttribute added a launch permission for another AWS account, an organization or OU, or ' +
    'everyone. The grantee can launch or copy the image and read every disk in it.',
  attack: [TRANSFER_DATA_TO_CLOUD_ACCOUNT],
  findingTypes: [FINDING_TYPES.exfiltration, FINDING_TYPES.exposure],
  patterns: [
    {
      source: ['aws.ec2'],
      'detail-type': [API_CALL],
      detail: {
        eventSource: ['ec2.amazonaws.com'],
        eventName: ['ModifyImageAttribute'],
        requestParameters: {
          launchPermission: {
            add: { items: { $or: ADDED_ITEM_FIELDS.map((name) => ({ [name]: [{ exists: true }] })) } },
          },
        },
      },
    },
  ],
  impact: 60,
  confidence: 80,
  evaluate(event, context) {
    const params = requestParameters(event);
    if (!params) return [];
    const owner = ownerAccount(event);
    const targets = grantTargets(addedGrants(params.launchPermission), owner, context);
    if (targets.length === 0) return [];
    const imageId = stringAt(params, 'imageId') ?? 'unknown-image';
    const hit: Hit = {
      ...(isPublicShare(targets) ? { title: 'AMI made public', ...PUBLIC_SHARE } : {}),
      summary: `shared AMI ${imageId} with ${describeTargets(targets)}`,
      resources: [{ type: 'AwsEc2Image', id: amiArn(event.region, imageId), region: event.region, details: { imageId } }],
      targets,
      facts: { imageId, targets: targetIds(targets) },
    };
    return [hit];
  },
  falsePositives: [
    'Golden-image pipelines sharing AMIs with workload accounts: configure organizationAccountIds (organization shares score LOW) or share by organization ARN.',
    'Marketplace or vendor publishing of public AMIs: allowlist the publishing role with a reason.',
  ],
  investigation: [
    'Who made the call and from where? Was an image release expected?',
    'Which account, organization or OU received it? Is it known?',
    'What instance was the image made from (CreateImage before it) and what data do its snapshots hold?',
    'Look for CopyImage or RunInstances with this image in the target account.',
  ],
  remediation: {
    text: 'Remove the launch permission (aws ec2 modify-image-attribute --launch-permission "Remove=[...]"), enable AMI Block Public Access, and deregister or re-encrypt the image if it was copied.',
    url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html',
  },
  references: [
    'https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.ec2-share-ami/',
    'Splunk security_content: AWS AMI Attribute Modification for Exfiltration',
    'https://attack.mitre.org/techniques/T1537/',
  ],
};
