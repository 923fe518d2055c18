import { failWithNullParameters, type DetectionCase, type RawRecord } from './cases';

const OWNER = '111122223333';
const OUTSIDE = '444455556666';

/**
 * Inline record: S3 logs the PutBucketReplication XML body under `ReplicationConfiguration` with XML element
 * names (`Rule`, `Destination`, `Account`); no verbatim public record with a destination account was found.
 */
function putReplication(rule: unknown): RawRecord {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${OWNER}:user/ops`, accountId: OWNER, userName: 'ops' },
    eventTime: '2024-08-01T13:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'PutBucketReplication',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.20',
    userAgent: '[aws-cli/2.15.0]',
    requestParameters: {
      replication: '',
      bucketName: 'customer-data',
      Host: 'customer-data.s3.us-east-1.amazonaws.com',
      ReplicationConfiguration: {
        xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/',
        Role: `arn:aws:iam::${OWNER}:role/replication`,
        Rule: rule,
      },
    },
    responseElements: null,
    eventID: '5f0c1e2d-3b4a-4c5d-8e9f-0a1b2c3d4e5f',
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: OWNER,
  };
}

const externalRule = {
  ID: 'copy-out',
  Status: 'Enabled',
  Priority: 1,
  Filter: { Prefix: '' },
  Destination: { Bucket: 'arn:aws:s3:::outside-drop', Account: OUTSIDE },
};

export const s3ReplicationExternalCases: readonly DetectionCase[] = [
  {
    name: 'replication to a bucket of an outside account',
    record: { inline: putReplication(externalRule) },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    relation: 'external',
    summaryIncludes: `customer-data to outside-drop in external account ${OUTSIDE}`,
    why: '80 x 70 / 100 = 56',
  },
  {
    name: 'rules as a list, one disabled',
    record: {
      inline: putReplication([
        { ...externalRule, ID: 'off', Status: 'Disabled', Destination: { Bucket: 'arn:aws:s3:::other', Account: '777788889999' } },
        externalRule,
      ]),
    },
    matchesPattern: true,
    signals: 1,
    summaryIncludes: OUTSIDE,
    why: 'a disabled rule copies nothing; the enabled one does',
  },
  {
    name: 'replication inside the account',
    record: { inline: putReplication({ ...externalRule, Destination: { Bucket: 'arn:aws:s3:::dr-copy', Account: OWNER } }) },
    matchesPattern: true,
    signals: 0,
    why: 'same-account replication moves nothing out',
  },
  {
    name: 'replication without a destination account',
    record: { inline: putReplication({ ...externalRule, Destination: { Bucket: 'arn:aws:s3:::dr-copy' } }) },
    matchesPattern: true,
    signals: 0,
    why: 'the owner of the destination cannot be told from the record',
  },
  {
    name: 'replication to the organization log archive',
    record: { inline: putReplication(externalRule) },
    config: { organizationAccountIds: [OWNER, OUTSIDE] },
    matchesPattern: true,
    signals: 1,
    severity: 'LOW',
    relation: 'organization',
    why: 'internal target: halved to 28',
  },
  {
    name: 'failed call without parameters',
    record: { inline: (() => { const r = putReplication(externalRule); failWithNullParameters(r); return r; })() },
    matchesPattern: true,
    signals: 0,
    why: 'no destination account to judge',
  },
];
