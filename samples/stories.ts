/**
 * The exfiltration stories of the sample archive, told as CloudTrail records whose shapes copy the real records
 * in test/fixtures/cloudtrail (named per story). The narrative (samples/README.md):
 *
 * Day 1 (2025-03-11) is ordinary, with two legitimate shares: the backup operator shares the nightly RDS
 * snapshot with the disaster-recovery account (trusted in config.json: the finding is kept, at lower severity),
 * and the AMI pipeline shares the golden AMI with a vendor (allowlisted in config.json: suppressed).
 *
 * Day 2 (2025-03-12), 02:05 UTC: the access key of developer `dana.dev` (prod account), leaked from a laptop, is
 * used from 203.0.113.66, an address she has never used. The attacker looks around, shares EBS snapshots and an
 * AMI with their own account (one snapshot with everyone), copies one snapshot out, exports an instance image to
 * S3, fails to create a DataSync task in prod, assumes the `data-platform-admin` role in the data account, and
 * there creates a DataSync task, an S3 Batch Operations copy job and shares an RDS snapshot.
 */
import { assumedRole, iamUser, UA, type Actor } from './actors';
import { apiCall, type RawRecord } from './noise';
import {
  ATTACKER_ACCOUNT,
  ATTACKER_IP,
  DATA,
  DR_BACKUP_ACCOUNT,
  OFFICE_IP,
  PRIMARY_REGION,
  PROD,
  SHARED,
  VENDOR_ACCOUNT,
} from './organization';
import { createRandom } from './random';

export interface Story {
  id: string;
  /** The detection that must fire, or none for context records. */
  detection?: string;
  /** `finding`: reported; `suppressed`: reported as allowlisted; `context`: no finding expected. */
  expect: 'finding' | 'suppressed' | 'context';
  /** A string every record's finding names (resource id), to find it in the output. */
  marker?: string;
  title: string;
  /** Where the record shapes come from. */
  shapeFrom: string;
  records: RawRecord[];
}

const rand = createRandom(20250312);
const region = PRIMARY_REGION;
const at = (time: string) => ({ rand, region, eventTime: time });

const DANA_KEY = 'AKIAS7QXHN4EXAMPLE24';
const dana = (ip: string, userAgent: string): Actor => ({
  label: 'dana.dev',
  userIdentity: iamUser(PROD.id, 'dana.dev', DANA_KEY, 'AIDAS7QXHN4EJ2KD8QZ1M'),
  sourceIPAddress: ip,
  userAgent,
});
export const ATTACKER_UA =
  'aws-cli/2.13.25 Python/3.11.5 Linux/6.5.0-kali3-amd64 exe/x86_64.kali.2023 prompt/off command/ec2.modify-snapshot-attribute';
const attacker = dana(ATTACKER_IP, ATTACKER_UA);
const danaAtWork = dana(OFFICE_IP, UA.cliMac);

const DATA_ADMIN_SESSION = assumedRole(
  DATA.id,
  'data-platform-admin',
  'AROAUX3JHQ7K2PLMN4RST',
  'dana.dev',
  'ASIAUX3JHQ7KEXAMPLE9',
  '2025-03-12T03:09:41Z',
);
export const dataAdmin: Actor = { label: 'data-platform-admin (dana.dev session)', userIdentity: DATA_ADMIN_SESSION, sourceIPAddress: ATTACKER_IP, userAgent: ATTACKER_UA };

function ec2Return(): RawRecord {
  return { _return: true, requestId: rand.uuid() };
}

function shareSnapshot(time: string, snapshotId: string, item: Record<string, string>): RawRecord {
  return apiCall({ ...at(time), account: PROD }, attacker, 'ec2.amazonaws.com', 'ModifySnapshotAttribute', {
    readOnly: false,
    requestParameters: { snapshotId, attributeType: 'CREATE_VOLUME_PERMISSION', createVolumePermission: { add: { items: [item] } } },
    responseElements: ec2Return(),
  });
}

export const STORIES: readonly Story[] = [
  {
    id: 'dana-baseline',
    expect: 'context',
    title: 'dana.dev works from the office (her usual address and CLI)',
    shapeFrom: 'noise templates (DescribeInstances, GetObject)',
    records: ['2025-03-11T09:12:44Z', '2025-03-11T09:13:02Z', '2025-03-11T14:40:19Z'].map((time) =>
      apiCall({ ...at(time), account: PROD }, danaAtWork, 'ec2.amazonaws.com', 'DescribeInstances', {
        readOnly: true,
        requestParameters: { instancesSet: {}, filterSet: {} },
      }),
    ),
  },
  {
    id: 'rds-share-to-dr',
    detection: 'rds-snapshot-shared',
    expect: 'finding',
    marker: 'data-warehouse-nightly-2025-03-11',
    title: 'Backup operator shares the nightly RDS snapshot with the trusted DR account (kept, lower severity)',
    shapeFrom: '038-rds-snapshot-shared-stratus.json',
    records: [
      apiCall(
        { ...at('2025-03-11T22:31:07Z'), account: DATA },
        {
          label: 'backup-operator',
          userIdentity: assumedRole(DATA.id, 'backup-operator', 'AROAUX3JHQ7KBACKUP01', 'nightly-dr-copy', 'ASIAUX3JHQ7KBACKUP01', '2025-03-11T22:30:00Z'),
          sourceIPAddress: '198.51.100.23',
          userAgent: UA.boto3,
        },
        'rds.amazonaws.com',
        'ModifyDBSnapshotAttribute',
        {
          readOnly: false,
          requestParameters: { dBSnapshotIdentifier: 'data-warehouse-nightly-2025-03-11', attributeName: 'restore', valuesToAdd: [DR_BACKUP_ACCOUNT] },
          responseElements: {
            dBSnapshotIdentifier: 'data-warehouse-nightly-2025-03-11',
            dBSnapshotAttributes: [{ attributeName: 'restore', attributeValues: [DR_BACKUP_ACCOUNT] }],
          },
        },
      ),
    ],
  },
  {
    id: 'ami-to-vendor',
    detection: 'ami-shared',
    expect: 'suppressed',
    marker: 'ami-0b7e2c94d1f3a5608',
    title: 'The AMI pipeline shares the golden AMI with the vendor (allowlisted: suppressed)',
    shapeFrom: '033-ami-shared-stratus.json',
    records: [
      apiCall(
        { ...at('2025-03-11T15:05:33Z'), account: SHARED },
        {
          label: 'ami-pipeline',
          userIdentity: assumedRole(SHARED.id, 'ami-pipeline', 'AROAUX3JHQ7KAMIPIPE1', 'codebuild-golden-ami', 'ASIAUX3JHQ7KAMIPIPE1', '2025-03-11T14:50:12Z'),
          sourceIPAddress: 'codebuild.amazonaws.com',
          userAgent: UA.boto3,
        },
        'ec2.amazonaws.com',
        'ModifyImageAttribute',
        {
          readOnly: false,
          requestParameters: { imageId: 'ami-0b7e2c94d1f3a5608', attributeType: 'launchPermission', launchPermission: { add: { items: [{ userId: VENDOR_ACCOUNT }] } } },
          responseElements: ec2Return(),
        },
      ),
    ],
  },
  {
    id: 'recon',
    expect: 'context',
    title: 'The leaked key is used from an unfamiliar address: who am I, what is there',
    shapeFrom: 'noise templates',
    records: [
      apiCall({ ...at('2025-03-12T02:05:12Z'), account: PROD }, attacker, 'sts.amazonaws.com', 'GetCallerIdentity', { readOnly: true, requestParameters: null }),
      apiCall({ ...at('2025-03-12T02:06:40Z'), account: PROD }, attacker, 'ec2.amazonaws.com', 'DescribeSnapshots', {
        readOnly: true,
        requestParameters: { snapshotSet: {}, ownersSet: { items: [{ owner: 'self' }] }, sharedUsersSet: {}, filterSet: {} },
      }),
      apiCall({ ...at('2025-03-12T02:07:03Z'), account: PROD }, attacker, 'ec2.amazonaws.com', 'DescribeImages', {
        readOnly: true,
        requestParameters: { executableBySet: {}, imagesSet: {}, ownersSet: { items: [{ owner: 'self' }] }, filterSet: {} },
      }),
      apiCall({ ...at('2025-03-12T02:07:55Z'), account: PROD }, attacker, 's3.amazonaws.com', 'ListBuckets', {
        readOnly: true,
        requestParameters: { Host: `s3.${region}.amazonaws.com` },
      }),
    ],
  },
  {
    id: 'ebs-share-external',
    detection: 'ebs-snapshot-shared',
    expect: 'finding',
    marker: 'snap-0c41d9e7a2b58f316',
    title: 'EBS snapshot of the prod database volume shared with the attacker account',
    shapeFrom: '022-ebs-snapshot-shared-stratus.json',
    records: [shareSnapshot('2025-03-12T02:14:26Z', 'snap-0c41d9e7a2b58f316', { userId: ATTACKER_ACCOUNT })],
  },
  {
    id: 'ebs-public',
    detection: 'ebs-snapshot-shared',
    expect: 'finding',
    marker: 'snap-0a93f6b1c7d2e4085',
    title: 'Another EBS snapshot made public (group: all)',
    shapeFrom: '022-ebs-snapshot-shared-stratus.json, with the documented `group: all` item',
    records: [shareSnapshot('2025-03-12T02:16:51Z', 'snap-0a93f6b1c7d2e4085', { group: 'all' })],
  },
  {
    id: 'ebs-copied-out',
    detection: 'ebs-shared-snapshot-copied',
    expect: 'finding',
    marker: 'snap-0c41d9e7a2b58f316',
    title: 'The attacker account copies the shared snapshot (the data leaves)',
    shapeFrom: '030-ebs-sharedsnapshotcopyinitiated-doc.json',
    records: [
      {
        userIdentity: { invokedBy: 'ec2.amazonaws.com', type: 'AWSAccount', accountId: ATTACKER_ACCOUNT },
        eventSource: 'ec2.amazonaws.com',
        eventVersion: '1.08',
        eventTime: '2025-03-12T02:23:18Z',
        eventName: 'SharedSnapshotCopyInitiated',
        eventType: 'AwsServiceEvent',
        eventCategory: 'Management',
        awsRegion: region,
        serviceEventDetails: { snapshotId: 'snap-0c41d9e7a2b58f316' },
        eventID: rand.uuid(),
        readOnly: false,
        managementEvent: true,
        recipientAccountId: PROD.id,
      },
    ],
  },
  {
    id: 'ami-share-external',
    detection: 'ami-shared',
    expect: 'finding',
    marker: 'ami-04d2b7e91c3f6a850',
    title: 'The prod web server AMI shared with the attacker account',
    shapeFrom: '033-ami-shared-stratus.json',
    records: [
      apiCall({ ...at('2025-03-12T02:29:40Z'), account: PROD }, attacker, 'ec2.amazonaws.com', 'ModifyImageAttribute', {
        readOnly: false,
        requestParameters: { imageId: 'ami-04d2b7e91c3f6a850', attributeType: 'launchPermission', launchPermission: { add: { items: [{ userId: ATTACKER_ACCOUNT }] } } },
        responseElements: ec2Return(),
      }),
    ],
  },
  {
    id: 'vm-export',
    detection: 'ec2-vm-export',
    expect: 'finding',
    marker: 'i-0f3a8c5e2d7b91046',
    title: 'An instance exported as a VM image to an S3 bucket',
    shapeFrom: 'EC2 API CreateInstanceExportTask request/response fields, in the record layout of 022',
    records: [
      apiCall({ ...at('2025-03-12T02:36:02Z'), account: PROD }, attacker, 'ec2.amazonaws.com', 'CreateInstanceExportTask', {
        readOnly: false,
        requestParameters: {
          instanceId: 'i-0f3a8c5e2d7b91046',
          targetEnvironment: 'vmware',
          exportToS3: { diskImageFormat: 'VMDK', containerFormat: 'ova', s3Bucket: 'vmimport-staging-7315', s3Prefix: 'exports/' },
        },
        responseElements: {
          requestId: rand.uuid(),
          exportTask: {
            exportTaskId: 'export-i-0f3a8c5e2d7b91046',
            state: 'active',
            instanceExport: { instanceId: 'i-0f3a8c5e2d7b91046', targetEnvironment: 'vmware' },
            exportToS3: { diskImageFormat: 'vmdk', containerFormat: 'ova', s3Bucket: 'vmimport-staging-7315', s3Key: 'exports/export-i-0f3a8c5e2d7b91046.ova' },
          },
        },
      }),
    ],
  },
  {
    id: 'datasync-denied',
    detection: 'datasync-task-created',
    expect: 'finding',
    title: 'A DataSync task in prod, denied (AccessDenied, requestParameters null): an attempt',
    shapeFrom: '001-datasync-createtask-doc.json failed like 069-sts-assumerole-denied-stratus.json',
    records: [
      {
        ...apiCall({ ...at('2025-03-12T02:58:14Z'), account: PROD }, attacker, 'datasync.amazonaws.com', 'CreateTask', {
          readOnly: false,
          requestParameters: null,
        }),
        errorCode: 'AccessDenied',
        errorMessage: `User: arn:aws:iam::${PROD.id}:user/dana.dev is not authorized to perform: datasync:CreateTask on resource: arn:aws:datasync:${region}:${PROD.id}:task/* because no identity-based policy allows the datasync:CreateTask action`,
      },
    ],
  },
  {
    id: 'assume-data-admin',
    expect: 'context',
    title: 'dana.dev assumes data-platform-admin in the data account (seen by both accounts)',
    shapeFrom: '065/066-sts-assumerole-crossaccount-*-doc.json',
    records: ((): RawRecord[] => {
      const shared = rand.uuid();
      const request = { roleArn: `arn:aws:iam::${DATA.id}:role/data-platform-admin`, roleSessionName: 'dana.dev' };
      const response = {
        credentials: { accessKeyId: 'ASIAUX3JHQ7KEXAMPLE9', expiration: 'Mar 12, 2025, 4:09:41 AM' },
        assumedRoleUser: { assumedRoleId: 'AROAUX3JHQ7K2PLMN4RST:dana.dev', arn: DATA_ADMIN_SESSION.arn },
      };
      const resources = [{ ARN: request.roleArn, accountId: DATA.id, type: 'AWS::IAM::Role' }];
      const caller = apiCall({ ...at('2025-03-12T03:09:41Z'), account: PROD }, attacker, 'sts.amazonaws.com', 'AssumeRole', {
        readOnly: true,
        requestParameters: request,
        responseElements: response,
        extra: { resources, sharedEventID: shared },
      });
      const owner = {
        ...caller,
        userIdentity: { type: 'AWSAccount', principalId: 'AIDAS7QXHN4EJ2KD8QZ1M', accountId: PROD.id },
        eventID: rand.uuid(),
        recipientAccountId: DATA.id,
      };
      return [caller, owner];
    })(),
  },
  {
    id: 'datasync-created',
    detection: 'datasync-task-created',
    expect: 'finding',
    marker: 'task-0e1f7c3a9b5d2e684',
    title: 'As data-platform-admin: a DataSync task from the data lake bucket to a new location',
    shapeFrom: '001-datasync-createtask-doc.json',
    records: [
      apiCall({ ...at('2025-03-12T03:16:20Z'), account: DATA }, dataAdmin, 'datasync.amazonaws.com', 'CreateTask', {
        readOnly: false,
        requestParameters: {
          name: 'sync-2025-03-12',
          sourceLocationArn: `arn:aws:datasync:${region}:${DATA.id}:location/loc-0a4c1e8d7f2b93650`,
          destinationLocationArn: `arn:aws:datasync:${region}:${DATA.id}:location/loc-07d3f9b2c6e1a5480`,
          options: { verifyMode: 'NONE', overwriteMode: 'ALWAYS', preserveDeletedFiles: 'PRESERVE', transferMode: 'ALL' },
          tags: [],
        },
        responseElements: { taskArn: `arn:aws:datasync:${region}:${DATA.id}:task/task-0e1f7c3a9b5d2e684` },
      }),
    ],
  },
  {
    id: 's3-batch-copy',
    detection: 's3-batch-job-created',
    expect: 'finding',
    marker: '5a0c8e7d-3f1b-4c26-9d84-b7e2f6a1c093',
    title: 'As data-platform-admin: an S3 Batch Operations job copying the data lake to an outside bucket (CreateJob + JobCreated, one finding)',
    shapeFrom: 'CreateJob: s3control API call logged under s3.amazonaws.com; JobCreated: 005-s3batch-jobcreated-doc.json',
    records: [
      apiCall({ ...at('2025-03-12T03:22:05Z'), account: DATA }, dataAdmin, 's3.amazonaws.com', 'CreateJob', {
        readOnly: false,
        requestParameters: {
          CreateJobRequest: {
            xmlns: 'http://awss3control.amazonaws.com/doc/2018-08-20/',
            ConfirmationRequired: 'false',
            Operation: { S3PutObjectCopy: { TargetResource: 'arn:aws:s3:::dl-archive-7315-eu' } },
            Manifest: {
              Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: { member: ['Bucket', 'Key'] } },
              Location: { ObjectArn: `arn:aws:s3:::data-app-data-${DATA.id}/manifests/all-objects.csv`, ETag: '60e460c9d1046e73f7dde5043ac3ae85' },
            },
            Priority: '10',
            RoleArn: `arn:aws:iam::${DATA.id}:role/data-platform-admin`,
            Report: { Enabled: 'false' },
            ClientRequestToken: rand.uuid(),
          },
          Host: `${DATA.id}.s3-control.${region}.amazonaws.com`,
          'x-amz-account-id': DATA.id,
        },
        responseElements: { jobId: '5a0c8e7d-3f1b-4c26-9d84-b7e2f6a1c093' },
      }),
      {
        eventVersion: '1.09',
        userIdentity: { accountId: DATA.id, invokedBy: 's3.amazonaws.com' },
        eventTime: '2025-03-12T03:22:06Z',
        eventSource: 's3.amazonaws.com',
        eventName: 'JobCreated',
        awsRegion: region,
        sourceIPAddress: 's3.amazonaws.com',
        userAgent: 's3.amazonaws.com',
        eventID: rand.uuid(),
        readOnly: false,
        eventType: 'AwsServiceEvent',
        managementEvent: true,
        recipientAccountId: DATA.id,
        serviceEventDetails: {
          jobId: '5a0c8e7d-3f1b-4c26-9d84-b7e2f6a1c093',
          jobArn: `arn:aws:s3:${region}:${DATA.id}:job/5a0c8e7d-3f1b-4c26-9d84-b7e2f6a1c093`,
          status: 'New',
          jobEventId: 'b4c1a7e92f0d3856c6e2a9f1d7b3e405',
          failureCodes: [],
          statusChangeReason: [],
        },
        eventCategory: 'Management',
      },
    ],
  },
  {
    id: 'rds-share-external',
    detection: 'rds-snapshot-shared',
    expect: 'finding',
    marker: 'customers-db-manual-0312',
    title: 'As data-platform-admin: the customers database snapshot shared with the attacker account',
    shapeFrom: '038-rds-snapshot-shared-stratus.json',
    records: [
      apiCall({ ...at('2025-03-12T03:30:48Z'), account: DATA }, dataAdmin, 'rds.amazonaws.com', 'ModifyDBSnapshotAttribute', {
        readOnly: false,
        requestParameters: { dBSnapshotIdentifier: 'customers-db-manual-0312', attributeName: 'restore', valuesToAdd: [ATTACKER_ACCOUNT] },
        responseElements: {
          dBSnapshotIdentifier: 'customers-db-manual-0312',
          dBSnapshotAttributes: [{ attributeName: 'restore', attributeValues: [ATTACKER_ACCOUNT] }],
        },
      }),
    ],
  },
];

export const STORY_RECORDS: readonly RawRecord[] = STORIES.flatMap((story) => story.records);
