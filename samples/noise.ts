/**
 * Benign CloudTrail records with real shapes: the everyday mix of an organization (mostly read-only
 * Describe/List/Get management calls and S3 data events), against which the exfiltration stories stand out.
 */
import type { Actor, OrgAccount } from './actors';
import { HEX, UPPER_ALNUM, type Random } from './random';

export type RawRecord = Record<string, unknown>;

export interface NoiseContext {
  rand: Random;
  account: OrgAccount;
  region: string;
  /** ISO-8601, seconds precision, as CloudTrail writes it. */
  eventTime: string;
  actors: readonly Actor[];
}

/** The fields every API call record carries, in CloudTrail's order. */
export function apiCall(
  ctx: Pick<NoiseContext, 'rand' | 'account' | 'region' | 'eventTime'>,
  actor: Actor,
  eventSource: string,
  eventName: string,
  fields: { readOnly: boolean; requestParameters: unknown; responseElements?: unknown; data?: boolean; extra?: RawRecord },
): RawRecord {
  const host = `${eventSource.split('.')[0]}.${ctx.region}.amazonaws.com`;
  const s3 = eventSource === 's3.amazonaws.com';
  return {
    eventVersion: fields.data ? '1.10' : '1.09',
    userIdentity: actor.userIdentity,
    eventTime: ctx.eventTime,
    eventSource,
    eventName,
    awsRegion: ctx.region,
    sourceIPAddress: actor.sourceIPAddress,
    userAgent: s3 ? `[${actor.userAgent}]` : actor.userAgent,
    requestParameters: fields.requestParameters,
    responseElements: fields.responseElements ?? null,
    ...(fields.extra ?? {}),
    requestID: s3 ? ctx.rand.chars(16, '0123456789ABCDEF') : ctx.rand.uuid(),
    eventID: ctx.rand.uuid(),
    readOnly: fields.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: !fields.data,
    recipientAccountId: ctx.account.id,
    eventCategory: fields.data ? 'Data' : 'Management',
    ...(actor.sourceIPAddress.endsWith('amazonaws.com')
      ? {}
      : { tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host } }),
  };
}

/** The two buckets every account of the sample organization has. */
export const bucketsOf = (account: OrgAccount) => [`${account.name}-app-data-${account.id}`, `${account.name}-reports-${account.id}`];
const objectKey = (rand: Random) =>
  rand.pick([
    `customers/2025/03/${rand.int(1, 28).toString().padStart(2, '0')}/part-${rand.chars(5, '0123456789')}.parquet`,
    `invoices/${rand.int(2023, 2025)}/INV-${rand.chars(6, '0123456789')}.pdf`,
    `exports/daily/${rand.chars(8, HEX)}.csv.gz`,
    `static/assets/${rand.chars(10, HEX)}.js`,
  ]);

function s3Object(ctx: NoiseContext, actor: Actor, eventName: 'GetObject' | 'PutObject'): RawRecord {
  const { rand, account } = ctx;
  const bucketName = rand.pick(bucketsOf(account));
  const key = objectKey(rand);
  const size = rand.int(400, 4_000_000);
  return s3ObjectEvent(ctx, actor, eventName, { bucketName, key, size });
}

/** An S3 object data event (the shape of fixture 019) on a bucket of `ctx.account`. */
export function s3ObjectEvent(
  ctx: Pick<NoiseContext, 'rand' | 'account' | 'region' | 'eventTime'>,
  actor: Actor,
  eventName: 'GetObject' | 'PutObject',
  object: { bucketName: string; key: string; size: number },
): RawRecord {
  const { rand, account, region } = ctx;
  const { bucketName, key, size } = object;
  return apiCall(ctx, actor, 's3.amazonaws.com', eventName, {
    readOnly: eventName === 'GetObject',
    data: true,
    requestParameters: { bucketName, Host: `${bucketName}.s3.${region}.amazonaws.com`, key },
    extra: {
      additionalEventData: {
        SignatureVersion: 'SigV4',
        CipherSuite: 'TLS_AES_128_GCM_SHA256',
        bytesTransferredIn: eventName === 'PutObject' ? size : 0,
        AuthenticationMethod: 'AuthHeader',
        'x-amz-id-2': `${rand.chars(56, UPPER_ALNUM)}=`,
        bytesTransferredOut: eventName === 'GetObject' ? size : 0,
      },
      resources: [
        { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucketName}/${key}` },
        { accountId: account.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucketName}` },
      ],
    },
  });
}

type Template = (ctx: NoiseContext) => RawRecord;

const workload = (ctx: NoiseContext) => ctx.rand.pick(ctx.actors.slice(0, 2));
const anyone = (ctx: NoiseContext) => ctx.rand.pick(ctx.actors);

/** Weighted like a quiet production organization: reads dominate. */
export const NOISE_TEMPLATES: readonly (readonly [Template, number])[] = [
  [(ctx) => s3Object(ctx, workload(ctx), 'GetObject'), 26],
  [(ctx) => s3Object(ctx, workload(ctx), 'PutObject'), 7],
  [
    (ctx) => {
      const bucketName = ctx.rand.pick(bucketsOf(ctx.account));
      return apiCall(ctx, workload(ctx), 's3.amazonaws.com', 'ListObjects', {
        readOnly: true,
        data: true,
        requestParameters: { bucketName, Host: `${bucketName}.s3.${ctx.region}.amazonaws.com`, 'list-type': '2', prefix: 'exports/daily/', 'max-keys': '1000' },
        extra: { resources: [{ accountId: ctx.account.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucketName}` }] },
      });
    },
    4,
  ],
  [
    (ctx) =>
      apiCall(ctx, anyone(ctx), 'ec2.amazonaws.com', 'DescribeInstances', {
        readOnly: true,
        requestParameters: { instancesSet: {}, filterSet: {} },
      }),
    14,
  ],
  [
    (ctx) =>
      apiCall(ctx, anyone(ctx), 'ec2.amazonaws.com', 'DescribeVolumes', {
        readOnly: true,
        requestParameters: { volumeSet: {}, filterSet: {} },
      }),
    5,
  ],
  [
    (ctx) =>
      apiCall(ctx, anyone(ctx), 'ec2.amazonaws.com', 'DescribeSnapshots', {
        readOnly: true,
        requestParameters: { snapshotSet: {}, ownersSet: { items: [{ owner: 'self' }] }, sharedUsersSet: {}, filterSet: {} },
      }),
    4,
  ],
  [
    (ctx) =>
      apiCall(ctx, anyone(ctx), 'ec2.amazonaws.com', 'DescribeSecurityGroups', {
        readOnly: true,
        requestParameters: { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} },
      }),
    4,
  ],
  [
    (ctx) => {
      const actor = workload(ctx);
      const account = ctx.account.id;
      const roleName = `${ctx.account.name}-app-instance-role`;
      const session = ctx.rand.chars(12, HEX);
      return apiCall(
        ctx,
        { ...actor, userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' }, sourceIPAddress: 'ec2.amazonaws.com', userAgent: 'ec2.amazonaws.com' },
        'sts.amazonaws.com',
        'AssumeRole',
        {
          readOnly: true,
          requestParameters: { roleArn: `arn:aws:iam::${account}:role/${roleName}`, roleSessionName: session },
          responseElements: {
            credentials: { accessKeyId: `ASIA${ctx.rand.chars(16, UPPER_ALNUM)}`, expiration: 'Mar 12, 2025, 6:00:00 PM' },
            assumedRoleUser: { assumedRoleId: `AROA${ctx.rand.chars(17, UPPER_ALNUM)}:${session}`, arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${session}` },
          },
          extra: { resources: [{ accountId: account, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${account}:role/${roleName}` }], sharedEventID: ctx.rand.uuid() },
        },
      );
    },
    7,
  ],
  [
    (ctx) => apiCall(ctx, anyone(ctx), 'sts.amazonaws.com', 'GetCallerIdentity', { readOnly: true, requestParameters: null }),
    3,
  ],
  [
    (ctx) =>
      apiCall(ctx, anyone(ctx), 's3.amazonaws.com', 'ListBuckets', {
        readOnly: true,
        requestParameters: { Host: `s3.${ctx.region}.amazonaws.com` },
        extra: { additionalEventData: { SignatureVersion: 'SigV4', AuthenticationMethod: 'AuthHeader' } },
      }),
    2,
  ],
  [
    (ctx) =>
      apiCall(ctx, workload(ctx), 'kms.amazonaws.com', 'Decrypt', {
        readOnly: true,
        requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::${bucketsOf(ctx.account)[0]}` } },
        extra: { resources: [{ accountId: ctx.account.id, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:${ctx.region}:${ctx.account.id}:key/${ctx.rand.uuid()}` }] },
      }),
    8,
  ],
  [
    (ctx) =>
      apiCall(ctx, workload(ctx), 'secretsmanager.amazonaws.com', 'GetSecretValue', {
        readOnly: true,
        requestParameters: { secretId: `arn:aws:secretsmanager:${ctx.region}:${ctx.account.id}:secret:${ctx.account.name}/db-credentials-${ctx.rand.chars(6, UPPER_ALNUM)}` },
      }),
    4,
  ],
  [
    (ctx) =>
      apiCall(ctx, anyone(ctx), 'rds.amazonaws.com', 'DescribeDBInstances', {
        readOnly: true,
        requestParameters: { maxRecords: 100 },
      }),
    3,
  ],
  [
    (ctx) =>
      apiCall(ctx, workload(ctx), 'logs.amazonaws.com', 'CreateLogStream', {
        readOnly: false,
        requestParameters: { logGroupName: `/ecs/${ctx.account.name}-app`, logStreamName: `app/web/${ctx.rand.chars(32, HEX)}` },
      }),
    4,
  ],
  [
    (ctx) => {
      const snapshotId = `snap-0${ctx.rand.chars(16, HEX)}`;
      const volumeId = `vol-0${ctx.rand.chars(16, HEX)}`;
      const backup = {
        label: 'AWS Backup',
        userIdentity: { type: 'AWSService', invokedBy: 'backup.amazonaws.com' },
        sourceIPAddress: 'backup.amazonaws.com',
        userAgent: 'backup.amazonaws.com',
      };
      return apiCall(ctx, backup, 'ec2.amazonaws.com', 'CreateSnapshot', {
        readOnly: false,
        requestParameters: { volumeId, description: 'This snapshot is created by the AWS Backup service.' },
        responseElements: { requestId: ctx.rand.uuid(), snapshotId, volumeId, status: 'pending', volumeSize: ctx.rand.pick([8, 20, 100, 500]), encrypted: true },
      });
    },
    1,
  ],
];

export function noiseRecord(ctx: NoiseContext): RawRecord {
  return ctx.rand.weighted(NOISE_TEMPLATES)(ctx);
}
