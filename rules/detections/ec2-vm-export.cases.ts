import { failWithNullParameters, type DetectionCase, type RawRecord } from './cases';

/**
 * Inline records: no public CloudTrail record of these calls was found. The envelope fields copy the Stratus
 * EC2 fixtures; request parameters follow the EC2 API names in CloudTrail's camelCase.
 */
function ec2Call(eventName: string, requestParameters: RawRecord | null, responseElements: RawRecord | null = null): RawRecord {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/ops',
      accountId: '111122223333',
      userName: 'ops',
    },
    eventTime: '2024-08-01T12:30:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName,
    awsRegion: 'eu-west-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    requestParameters,
    responseElements,
    eventID: `00000000-0000-4000-8000-${eventName.length.toString().padStart(12, '0')}`,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
  };
}

export const ec2VmExportCases: readonly DetectionCase[] = [
  {
    name: 'instance exported to a bucket',
    record: {
      inline: ec2Call(
        'CreateInstanceExportTask',
        {
          instanceId: 'i-1234567890abcdef0',
          targetEnvironment: 'vmware',
          exportToS3: { diskImageFormat: 'VMDK', containerFormat: 'ova', s3Bucket: 'exports-bucket', s3Prefix: 'vms/' },
        },
        { exportTask: { exportTaskId: 'export-i-fh8sjjsq' } },
      ),
    },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    summaryIncludes: 'exported instance i-1234567890abcdef0 to S3 bucket exports-bucket/vms/',
    why: '70 x 70 / 100 = 49',
  },
  {
    name: 'AMI exported with ExportImage',
    record: {
      inline: ec2Call('ExportImage', {
        imageId: 'ami-0abcdef1234567890',
        diskImageFormat: 'VMDK',
        s3ExportLocation: { s3Bucket: 'exports-bucket', s3Prefix: 'amis/' },
      }),
    },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    summaryIncludes: 'AMI ami-0abcdef1234567890 to S3 bucket exports-bucket',
    why: 'the AMI is written out as a disk image',
  },
  {
    name: 'AMI stored to S3 with CreateStoreImageTask',
    record: { inline: ec2Call('CreateStoreImageTask', { imageId: 'ami-0abcdef1234567890', bucket: 'ami-archive' }) },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    summaryIncludes: 'ami-archive',
    why: 'the AMI becomes an S3 object',
  },
  {
    name: 'failed export without parameters',
    record: { inline: (() => { const r = ec2Call('ExportImage', null); failWithNullParameters(r); return r; })() },
    matchesPattern: true,
    signals: 1,
    severity: 'LOW',
    summaryIncludes: 'exported an EC2 image to S3',
    why: 'an attempt: half of 49',
  },
  {
    name: 'image import is not an export',
    record: { inline: ec2Call('ImportImage', { diskContainers: [] }) },
    matchesPattern: false,
    signals: 0,
    why: 'data comes in, not out',
  },
];
