/**
 * IAM of the GetObject baseline, as pure functions of resolved strings. Every action is named; resources are
 * the workgroup, the database and its tables, the trail prefix, the data bucket prefixes, the config parameter,
 * the publisher roles; nothing is `*` where IAM takes a narrower resource.
 */
import { handlerPolicy, type PolicyDocument, type PolicyStatement } from '../policies';

export interface BaselinePolicyOptions {
  partition: string;
  accountId: string;
  region: string;
  workGroupName: string;
  databaseName: string;
  binsTable: string;
  /** Profile tables are `<profilePrefix>_<yyyymmdd>`. */
  profilePrefix: string;
  trailBucket: string;
  /** '' or ending with '/'. */
  trailPrefix: string;
  organizationId: string;
  trailKmsKeyArn?: string;
  dataBucketArn: string;
  /** Reused from the CloudTrail handlers: publisher role, config parameter, logs, failure queue. */
  publisherRoleName: string;
  assumeOrganizationId?: string;
  memberAccountIds: readonly string[];
  configParameterArn: string;
  logGroupArn: string;
  failureQueueArn: string;
  accountsFromOrganizations: boolean;
}

/** Where Athena writes: query results and daily profile tables (CTAS), and the bins table. */
export const DATA_PREFIXES = { results: 'results/', bins: 'bins/' } as const;

export function baselineHandlerPolicy(o: BaselinePolicyOptions): PolicyDocument {
  const glue = (path: string) => `arn:${o.partition}:glue:${o.region}:${o.accountId}:${path}`;
  const db = o.databaseName;
  const trailKeys = `${o.trailPrefix}AWSLogs/${o.organizationId}/`;
  // The publishing part is exactly the CloudTrail handlers' (sts:AssumeRole on the publisher role, own-account
  // import, config parameter, own logs, failure queue).
  const shared = handlerPolicy({
    partition: o.partition,
    accountId: o.accountId,
    region: o.region,
    publisherRoleName: o.publisherRoleName,
    ...(o.assumeOrganizationId ? { organizationId: o.assumeOrganizationId } : {}),
    memberAccountIds: o.memberAccountIds,
    configParameterArn: o.configParameterArn,
    logGroupArn: o.logGroupArn,
    failureQueueArn: o.failureQueueArn,
    accountsFromOrganizations: o.accountsFromOrganizations,
  }).Statement;
  const statements: PolicyStatement[] = [
    ...shared,
    {
      Sid: 'RunQueriesInWorkgroup',
      Effect: 'Allow',
      Action: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution'],
      Resource: `arn:${o.partition}:athena:${o.region}:${o.accountId}:workgroup/${o.workGroupName}`,
    },
    {
      Sid: 'ReadCatalog',
      Effect: 'Allow',
      Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'],
      Resource: [glue('catalog'), glue(`database/${db}`), glue(`table/${db}/*`)],
    },
    {
      Sid: 'RegisterBinsPartitions',
      Effect: 'Allow',
      Action: ['glue:BatchCreatePartition', 'glue:CreatePartition'],
      Resource: [glue('catalog'), glue(`database/${db}`), glue(`table/${db}/${o.binsTable}`)],
    },
    {
      Sid: 'CreateAndDropDailyProfiles',
      Effect: 'Allow',
      Action: ['glue:CreateTable', 'glue:DeleteTable'],
      Resource: [glue('catalog'), glue(`database/${db}`), glue(`table/${db}/${o.profilePrefix}_*`)],
    },
    {
      Sid: 'ListTrailPrefix',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: `arn:${o.partition}:s3:::${o.trailBucket}`,
      Condition: { StringLike: { 's3:prefix': [`${trailKeys}*`] } },
    },
    { Sid: 'ReadTrailObjects', Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:${o.partition}:s3:::${o.trailBucket}/${trailKeys}*` },
    {
      Sid: 'ListDataBucket',
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      Resource: o.dataBucketArn,
    },
    {
      Sid: 'ReadWriteDataPrefixes',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: Object.values(DATA_PREFIXES).map((p) => `${o.dataBucketArn}/${p}*`),
    },
  ];
  if (o.trailKmsKeyArn) {
    statements.push({
      Sid: 'DecryptTrail',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: o.trailKmsKeyArn,
      Condition: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** EventBridge Scheduler invokes the function and sends undeliverable invocations to the DLQ, with its execution role. */
export function schedulerPolicy(functionArn: string, deadLetterQueueArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'InvokeBaselineFunction', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: functionArn },
      { Sid: 'DeadLetters', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: deadLetterQueueArn },
    ],
  };
}

export function schedulerTrustPolicy(accountId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      },
    ],
  };
}

/** Nothing over plain HTTP. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}
