/** An AMI's launch permission granted to another account, an organization or OU, or everyone. */
import type { Detection } from '../detection';
import { amiArn } from './lib/arns';
import { FINDING_TYPES, TRANSFER_DATA_TO_CLOUD_ACCOUNT } from './lib/attack';
import { evaluatePermissionShare, permissionSharePattern, type PermissionShare } from './lib/permission-share';

const AMI_SHARE: PermissionShare = {
  eventName: 'ModifyImageAttribute',
  permission: 'launchPermission',
  grantFields: ['userId', 'group', 'organizationArn', 'organizationalUnitArn'],
  idParameter: 'imageId',
  missingId: 'unknown-image',
  noun: 'AMI',
  publicTitle: 'AMI made public',
  resource: (region, imageId) => ({ type: 'AwsEc2Image', id: amiArn(region, imageId), region, details: { imageId } }),
};

export const amiShared: Detection = {
  id: 'ami-shared',
  title: 'AMI shared with another account',
  description:
    'ModifyImageAttribute added a launch permission for another AWS account, an organization or OU, or ' +
    'everyone. The grantee can launch or copy the image and read every disk in it.',
  attack: [TRANSFER_DATA_TO_CLOUD_ACCOUNT],
  findingTypes: [FINDING_TYPES.exfiltration, FINDING_TYPES.exposure],
  patterns: [permissionSharePattern(AMI_SHARE)],
  impact: 60,
  confidence: 80,
  evaluate: (event, context) => evaluatePermissionShare(AMI_SHARE, event, context),
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
