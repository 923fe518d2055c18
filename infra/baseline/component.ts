/**
 * `GetObjectBaseline`: the S3 GetObject baseline on Athena in the central account (docs/deploy.md).
 *
 * - Glue database with the `cloudtrail` table (partition projection over the organization trail) and the
 *   `getobject_bins` table (Parquet, by day); daily profile tables are created by the handler (CTAS).
 * - A data bucket (SSE-S3, public access blocked, TLS only, owner-enforced): `results/` (query results and
 *   profile tables, expired after `resultsRetentionDays`) and `bins/` (the rollup, expired after the history
 *   plus 14 days).
 * - An Athena workgroup (engine v3) that enforces its result location, encryption and bytes-scanned cutoff.
 * - The handler function (`handlers/getobject.ts` bundle) with its log group and least-privilege role.
 * - Two EventBridge Scheduler schedules (window every 10 minutes; rollup hourly or daily) through a role that
 *   may only invoke the function (and dead-letter), each with a retry policy and an encrypted SQS DLQ.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { PublishingHandlerArgs } from '../bundle';
import { DLQ_RETENTION_SECONDS } from '../member/template';
import { denyInsecureTransport } from '../policies';
import { publishingFunction } from '../publishing-function';
import type { BaselineConfig } from '../stack-config';
import { baselineHandlerPolicy, DATA_PREFIXES, schedulerPolicy, schedulerTrustPolicy, tlsOnlyBucketPolicy } from './policies';
import {
  binsColumns,
  BINS_PARTITION_KEYS,
  cloudTrailColumns,
  cloudTrailTableParameters,
  CLOUDTRAIL_PARTITION_KEYS,
  CLOUDTRAIL_STORAGE,
  PARQUET_STORAGE,
  trailRoot,
} from './tables';

export const BASELINE_RUNTIME = 'nodejs22.x';
export const BASELINE_ARCHITECTURE = 'arm64';
/**
 * 512 MB: the window query's rows (a few thousand bins at most) are parsed and scored in memory, and the
 * negative binomial CDF runs per flagged bin; CPU scales with memory, and most of the time is spent waiting
 * for Athena anyway.
 */
export const BASELINE_MEMORY_MB = 512;
/**
 * 900 s (the Lambda maximum): a rollup catching up 24 hours of raw JSON can run for minutes; the handler stops
 * its query 20 s before the end (PUBLISH_RESERVE_MS) and reports a timeout, so nothing keeps scanning.
 * The 10-minute window query normally takes 10-60 s.
 */
export const BASELINE_TIMEOUT_SECONDS = 900;
/** Scheduler retries a failed delivery (not a failed run) for at most 10 minutes, then dead-letters it. */
export const SCHEDULE_RETRY = { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 600 } as const;
/** Hourly at :20 (after the 15-minute delay, the last hour is whole); daily at 00:20 UTC. */
export const ROLLUP_EXPRESSIONS = { hourly: 'cron(20 * * * ? *)', daily: 'cron(20 0 * * ? *)' } as const;
export const DATABASE_NAME = 'exfiltrail_baseline';
export const TABLES = { cloudtrail: 'cloudtrail', bins: 'getobject_bins', profilePrefix: 'getobject_profile' } as const;

export interface GetObjectBaselineArgs extends PublishingHandlerArgs {
  config: BaselineConfig;
  /** Resolved defaults from the stack config. */
  organizationId: string;
  accounts: readonly string[];
  regions: readonly string[];
  /** Organization mode: the roles assumed are in this organization. */
  assumeOrganizationId?: string;
}

export class GetObjectBaseline extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly database: aws.glue.CatalogDatabase;
  readonly cloudTrailTable: aws.glue.CatalogTable;
  readonly binsTable: aws.glue.CatalogTable;
  readonly workGroup: aws.athena.Workgroup;
  readonly role: aws.iam.Role;
  readonly function: aws.lambda.Function;
  readonly failureQueue: aws.sqs.Queue;
  readonly scheduleDeadLetterQueue: aws.sqs.Queue;
  readonly schedules: aws.scheduler.Schedule[];
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: GetObjectBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    super('exfiltrail:baseline:GetObjectBaseline', name, {}, opts);
    const parent = { parent: this };
    const { config } = args;
    const tags = { 'exfiltrail:detection': 's3-getobject-anomaly' };

    // Data bucket: results/ and bins/.
    this.bucket = new aws.s3.Bucket(`${name}-data`, { bucketPrefix: 'exfiltrail-baseline-', forceDestroy: false, tags }, parent);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-data-sse`,
      { bucket: this.bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }] },
      parent,
    );
    new aws.s3.BucketPublicAccessBlock(
      `${name}-data-pab`,
      { bucket: this.bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      parent,
    );
    new aws.s3.BucketOwnershipControls(`${name}-data-owner`, { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, parent);
    new aws.s3.BucketPolicy(
      `${name}-data-policy`,
      { bucket: this.bucket.id, policy: this.bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))) },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-data-lifecycle`,
      {
        bucket: this.bucket.id,
        rules: [
          {
            id: 'expire-query-results',
            status: 'Enabled',
            filter: { prefix: DATA_PREFIXES.results },
            expiration: { days: config.resultsRetentionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
          {
            id: 'expire-bins-after-history',
            status: 'Enabled',
            filter: { prefix: DATA_PREFIXES.bins },
            expiration: { days: config.historyDays + 14 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      parent,
    );

    // Catalog.
    this.database = new aws.glue.CatalogDatabase(
      `${name}-db`,
      { name: DATABASE_NAME, description: 'exfiltrail: S3 GetObject baseline (org trail, rollup bins, daily profiles)' },
      parent,
    );
    const projection = {
      bucket: config.trailBucket,
      prefix: config.trailPrefix,
      organizationId: args.organizationId,
      accounts: args.accounts,
      regions: args.regions,
      startDay: config.startDay,
    };
    this.cloudTrailTable = new aws.glue.CatalogTable(
      `${name}-cloudtrail`,
      {
        databaseName: this.database.name,
        name: TABLES.cloudtrail,
        description: 'Organization trail with partition projection (account, region, day)',
        tableType: 'EXTERNAL_TABLE',
        parameters: cloudTrailTableParameters(projection),
        partitionKeys: CLOUDTRAIL_PARTITION_KEYS,
        storageDescriptor: {
          location: trailRoot(projection),
          inputFormat: CLOUDTRAIL_STORAGE.inputFormat,
          outputFormat: CLOUDTRAIL_STORAGE.outputFormat,
          serDeInfo: { serializationLibrary: CLOUDTRAIL_STORAGE.serializationLibrary },
          columns: cloudTrailColumns(),
        },
      },
      parent,
    );
    this.binsTable = new aws.glue.CatalogTable(
      `${name}-bins`,
      {
        databaseName: this.database.name,
        name: TABLES.bins,
        description: 'GetObject rollup: one row per principal and 10-minute bin',
        tableType: 'EXTERNAL_TABLE',
        parameters: { classification: 'parquet', EXTERNAL: 'TRUE', 'parquet.compression': 'SNAPPY' },
        partitionKeys: BINS_PARTITION_KEYS,
        storageDescriptor: {
          location: pulumi.interpolate`s3://${this.bucket.bucket}/${DATA_PREFIXES.bins}`,
          inputFormat: PARQUET_STORAGE.inputFormat,
          outputFormat: PARQUET_STORAGE.outputFormat,
          serDeInfo: { serializationLibrary: PARQUET_STORAGE.serializationLibrary },
          columns: binsColumns(),
        },
      },
      parent,
    );

    this.workGroup = new aws.athena.Workgroup(
      `${name}-workgroup`,
      {
        name: `exfiltrail-baseline-${pulumi.getStack()}`,
        description: 'exfiltrail: GetObject baseline queries',
        forceDestroy: true,
        configuration: {
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: config.bytesScannedCutoffMb * 1024 * 1024,
          engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
          resultConfiguration: {
            outputLocation: pulumi.interpolate`s3://${this.bucket.bucket}/${DATA_PREFIXES.results}`,
            encryptionConfiguration: { encryptionOption: 'SSE_S3' },
            aclConfiguration: { s3AclOption: 'BUCKET_OWNER_FULL_CONTROL' },
          },
        },
        tags,
      },
      parent,
    );

    // Handler.
    const handler = publishingFunction(
      name,
      {
        handler: args,
        description: 'exfiltrail: S3 GetObject baseline (Athena window query and rollup)',
        roleDescription: 'exfiltrail GetObject baseline handler',
        logGroupName: `/exfiltrail/${pulumi.getStack()}/s3-getobject-anomaly`,
        policy: (inputs) =>
          pulumi.all([this.bucket.arn, this.workGroup.name]).apply(([dataBucketArn, workGroupName]) =>
            baselineHandlerPolicy({
              ...inputs,
              workGroupName,
              databaseName: DATABASE_NAME,
              binsTable: TABLES.bins,
              profilePrefix: TABLES.profilePrefix,
              trailBucket: config.trailBucket,
              trailPrefix: config.trailPrefix,
              organizationId: args.organizationId,
              ...(config.trailKmsKeyArn ? { trailKmsKeyArn: config.trailKmsKeyArn } : {}),
              dataBucketArn,
              ...(args.assumeOrganizationId ? { assumeOrganizationId: args.assumeOrganizationId } : {}),
            }),
          ),
        environment: {
          ATHENA_WORKGROUP: this.workGroup.name,
          ATHENA_DATABASE: DATABASE_NAME,
          CLOUDTRAIL_TABLE: TABLES.cloudtrail,
          BINS_TABLE: TABLES.bins,
          PROFILE_TABLE_PREFIX: TABLES.profilePrefix,
          BASELINE_DELAY_MINUTES: String(config.delayMinutes),
          BASELINE_HISTORY_DAYS: String(config.historyDays),
        },
        sizing: {
          runtime: BASELINE_RUNTIME,
          architecture: BASELINE_ARCHITECTURE,
          memorySize: BASELINE_MEMORY_MB,
          timeoutSeconds: BASELINE_TIMEOUT_SECONDS,
        },
        // One retry: the window retry scores the same bin (scheduledTime), the rollup resumes at its watermark.
        retries: { maximumRetryAttempts: 1, maximumEventAgeInSeconds: 3600 },
        tags,
      },
      this,
    );
    this.function = handler.function;
    this.role = handler.role;
    this.roleArn = handler.role.arn;
    this.failureQueue = handler.failureQueue;

    // Schedules.
    this.scheduleDeadLetterQueue = new aws.sqs.Queue(
      `${name}-schedule-dlq`,
      { sqsManagedSseEnabled: true, messageRetentionSeconds: DLQ_RETENTION_SECONDS, tags },
      parent,
    );
    new aws.sqs.QueuePolicy(
      `${name}-schedule-dlq-policy`,
      {
        queueUrl: this.scheduleDeadLetterQueue.url,
        policy: this.scheduleDeadLetterQueue.arn.apply((arn) =>
          JSON.stringify({ Version: '2012-10-17', Statement: [denyInsecureTransport('sqs:*', arn)] }),
        ),
      },
      parent,
    );
    const schedulerRole = new aws.iam.Role(
      `${name}-scheduler-role`,
      {
        description: 'exfiltrail: lets EventBridge Scheduler invoke the GetObject baseline function',
        assumeRolePolicy: pulumi.output(args.accountId).apply((id) => JSON.stringify(schedulerTrustPolicy(id))),
        tags,
      },
      parent,
    );
    const schedulerRolePolicy = new aws.iam.RolePolicy(
      `${name}-scheduler-role-policy`,
      {
        role: schedulerRole.id,
        policy: pulumi
          .all([this.function.arn, this.scheduleDeadLetterQueue.arn])
          .apply(([fn, dlq]) => JSON.stringify(schedulerPolicy(fn, dlq))),
      },
      parent,
    );
    const schedule = (suffix: string, expression: string, mode: 'window' | 'rollup') =>
      new aws.scheduler.Schedule(
        `${name}-${suffix}`,
        {
          description: `exfiltrail: GetObject baseline ${mode}`,
          scheduleExpression: expression,
          scheduleExpressionTimezone: 'UTC',
          flexibleTimeWindow: { mode: 'OFF' },
          state: 'ENABLED',
          target: {
            arn: this.function.arn,
            roleArn: schedulerRole.arn,
            // The schedule's own time makes a retried invocation score the same bin.
            input: JSON.stringify({ mode, scheduledTime: '<aws.scheduler.scheduled-time>' }),
            retryPolicy: { ...SCHEDULE_RETRY },
            deadLetterConfig: { arn: this.scheduleDeadLetterQueue.arn },
          },
        },
        { parent: this, dependsOn: [schedulerRolePolicy] },
      );
    this.schedules = [
      schedule('window', config.windowSchedule, 'window'),
      schedule('rollup', ROLLUP_EXPRESSIONS[config.rollupSchedule], 'rollup'),
    ];

    this.registerOutputs({ functionArn: this.function.arn, workGroup: this.workGroup.name, bucket: this.bucket.bucket });
  }
}
