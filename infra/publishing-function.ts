/**
 * The Lambda function of a handler that publishes findings, with what every such function needs: its log group,
 * a least-privilege role whose policy the caller writes (given the function's own log group and queue), an
 * encrypted, TLS-only on-failure queue where asynchronous invocations land once Lambda's retries are spent, and
 * that asynchronous invoke config. The resources are children of the calling component, named after it as
 * before this was shared, so existing stacks keep them.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { PublishingHandlerArgs } from './bundle';
import { DLQ_RETENTION_SECONDS } from './member/template';
import { denyInsecureTransport, lambdaTrustPolicy, type PolicyDocument } from './policies';

export interface FunctionSizing {
  runtime: string;
  architecture: string;
  memorySize: number;
  timeoutSeconds: number;
}

export interface AsyncRetries {
  /** Lambda's own retries of a failed asynchronous invocation before the on-failure queue. */
  maximumRetryAttempts: number;
  maximumEventAgeInSeconds: number;
}

/** What every publishing function's role policy names: where it runs, whom it publishes as, its own resources. */
export interface PublishingPolicyInputs {
  partition: string;
  accountId: string;
  region: string;
  publisherRoleName: string;
  memberAccountIds: readonly string[];
  configParameterArn: string;
  logGroupArn: string;
  failureQueueArn: string;
  accountsFromOrganizations: boolean;
}

export interface PublishingFunctionArgs {
  handler: PublishingHandlerArgs;
  description: string;
  roleDescription: string;
  logGroupName: string;
  /** The role's policy, from the inputs every publishing function has (plus whatever the caller adds). */
  policy: (inputs: PublishingPolicyInputs) => pulumi.Input<PolicyDocument>;
  /** Variables besides the publishing ones (publisher role, config parameter, account discovery). */
  environment: Record<string, pulumi.Input<string>>;
  sizing: FunctionSizing;
  retries: AsyncRetries;
  tags: Record<string, string>;
}

export interface PublishingFunction {
  function: aws.lambda.Function;
  role: aws.iam.Role;
  logGroup: aws.cloudwatch.LogGroup;
  failureQueue: aws.sqs.Queue;
}

/** Declare the function and its resources as children of `parent`, named `<name>-fn`, `<name>-role`, .... */
export function publishingFunction(name: string, args: PublishingFunctionArgs, parent: pulumi.Resource): PublishingFunction {
  const { tags, handler } = args;
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { name: args.logGroupName, retentionInDays: handler.logRetentionDays, tags },
    { parent },
  );
  const failureQueue = new aws.sqs.Queue(
    `${name}-failures`,
    { sqsManagedSseEnabled: true, messageRetentionSeconds: DLQ_RETENTION_SECONDS, tags },
    { parent },
  );
  new aws.sqs.QueuePolicy(
    `${name}-failures-policy`,
    {
      queueUrl: failureQueue.url,
      policy: failureQueue.arn.apply((arn) =>
        JSON.stringify({ Version: '2012-10-17', Statement: [denyInsecureTransport('sqs:*', arn)] }),
      ),
    },
    { parent },
  );
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      description: args.roleDescription,
      assumeRolePolicy: JSON.stringify(lambdaTrustPolicy()),
      maxSessionDuration: 3600,
      tags,
    },
    { parent },
  );
  const policy = pulumi
    .all([handler.accountId, handler.partition, handler.configParameterArn, logGroup.arn, failureQueue.arn])
    .apply(([accountId, partition, configParameterArn, logGroupArn, failureQueueArn]) =>
      args.policy({
        partition,
        accountId,
        region: handler.region,
        publisherRoleName: handler.publisherRoleName,
        memberAccountIds: handler.memberAccountIds,
        configParameterArn,
        logGroupArn,
        failureQueueArn,
        accountsFromOrganizations: handler.accountsFromOrganizations,
      }),
    );
  const rolePolicy = new aws.iam.RolePolicy(
    `${name}-role-policy`,
    { role: role.id, policy: policy.apply((document) => JSON.stringify(document)) },
    { parent },
  );
  const environment: Record<string, pulumi.Input<string>> = {
    PUBLISHER_ROLE_NAME: handler.publisherRoleName,
    EXFILTRAIL_CONFIG_PARAMETER: handler.configParameterName,
    ...(handler.accountsFromOrganizations ? { EXFILTRAIL_ORG_ACCOUNTS_FROM_ORGANIZATIONS: 'true' } : {}),
    ...args.environment,
  };
  const fn = new aws.lambda.Function(
    `${name}-fn`,
    {
      description: args.description.slice(0, 256),
      runtime: args.sizing.runtime,
      architectures: [args.sizing.architecture],
      memorySize: args.sizing.memorySize,
      timeout: args.sizing.timeoutSeconds,
      handler: handler.bundle.handler,
      code: handler.bundle.code,
      role: role.arn,
      environment: { variables: environment },
      loggingConfig: { logFormat: 'Text', logGroup: logGroup.name },
      tags,
    },
    { parent, dependsOn: [rolePolicy, logGroup] },
  );
  new aws.lambda.FunctionEventInvokeConfig(
    `${name}-async`,
    {
      functionName: fn.name,
      maximumRetryAttempts: args.retries.maximumRetryAttempts,
      maximumEventAgeInSeconds: args.retries.maximumEventAgeInSeconds,
      destinationConfig: { onFailure: { destination: failureQueue.arn } },
    },
    { parent, dependsOn: [rolePolicy] },
  );
  return { function: fn, role, logGroup, failureQueue };
}
