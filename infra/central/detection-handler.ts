/**
 * One detection in the central account: its rule(s) on the central bus (pattern from the registry), the handler
 * function that runs it (env DETECTION_ID), the handler's least-privilege role and log group, and where failures
 * go: EventBridge delivery failures to a dead-letter queue after the target's retry policy, failed asynchronous
 * invocations to an on-failure queue. Both queues are encrypted (SSE-SQS).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Detection } from '../../rules/detection';
import type { PublishingHandlerArgs } from '../bundle';
import { DLQ_RETENTION_SECONDS, FORWARDING_RETRY_POLICY } from '../member/template';
import { centralRules } from '../patterns';
import { deadLetterQueuePolicy, handlerPolicy } from '../policies';
import { publishingFunction } from '../publishing-function';

/**
 * Node.js 22 on Graviton (arm64: cheaper per GB-second). 256 MB: the bundle loads the SSM, STS and Security Hub
 * SDK clients and zod; Lambda gives CPU in proportion to memory, and at 128 MB cold starts of an SDK-heavy
 * bundle take seconds. A warm invocation is one SSM read (cached), at most one AssumeRole (cached per account)
 * and one BatchImportFindings call.
 */
export const HANDLER_RUNTIME = 'nodejs22.x';
export const HANDLER_ARCHITECTURE = 'arm64';
export const HANDLER_MEMORY_MB = 256;
/**
 * 30 s: Security Hub allows 10 calls/s per account and region, and the SDK retries throttling with adaptive
 * back-off up to SECURITY_HUB_MAX_ATTEMPTS (6), plus up to 3 rounds for FailedFindings; normal runs take well
 * under a second. A timeout is a failure that is retried, then lands in the on-failure queue.
 */
export const HANDLER_TIMEOUT_SECONDS = 30;
/**
 * Lambda's own retries of a failed asynchronous invocation: 1 (default 2). An invalid event fails the same way
 * every time; a transient failure gets one more try before it is parked in the on-failure queue.
 */
export const HANDLER_ASYNC_RETRIES = 1;
export const HANDLER_MAX_EVENT_AGE_SECONDS = 3600;

export interface DetectionHandlerArgs extends PublishingHandlerArgs {
  detection: Detection;
  busName: pulumi.Input<string>;
  organizationId?: string;
}

export class DetectionHandler extends pulumi.ComponentResource {
  readonly detectionId: string;
  readonly role: aws.iam.Role;
  readonly function: aws.lambda.Function;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly deliveryDeadLetterQueue: aws.sqs.Queue;
  readonly failureQueue: aws.sqs.Queue;
  readonly rules: aws.cloudwatch.EventRule[];
  readonly targets: aws.cloudwatch.EventTarget[];
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: DetectionHandlerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('exfiltrail:central:DetectionHandler', name, {}, opts);
    const { detection } = args;
    this.detectionId = detection.id;
    const parent = { parent: this };
    const tags = { 'exfiltrail:detection': detection.id };

    this.deliveryDeadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      { sqsManagedSseEnabled: true, messageRetentionSeconds: DLQ_RETENTION_SECONDS, tags },
      parent,
    );

    const handler = publishingFunction(
      name,
      {
        handler: args,
        description: `exfiltrail: ${detection.title}`,
        roleDescription: `exfiltrail handler for ${detection.id}`,
        logGroupName: `/exfiltrail/${pulumi.getStack()}/${detection.id}`,
        policy: (inputs) =>
          handlerPolicy({ ...inputs, ...(args.organizationId ? { organizationId: args.organizationId } : {}) }),
        environment: { DETECTION_ID: detection.id },
        sizing: {
          runtime: HANDLER_RUNTIME,
          architecture: HANDLER_ARCHITECTURE,
          memorySize: HANDLER_MEMORY_MB,
          timeoutSeconds: HANDLER_TIMEOUT_SECONDS,
        },
        retries: { maximumRetryAttempts: HANDLER_ASYNC_RETRIES, maximumEventAgeInSeconds: HANDLER_MAX_EVENT_AGE_SECONDS },
        tags,
      },
      this,
    );
    this.function = handler.function;
    this.role = handler.role;
    this.roleArn = handler.role.arn;
    this.logGroup = handler.logGroup;
    this.failureQueue = handler.failureQueue;

    this.rules = [];
    this.targets = [];
    centralRules(detection).forEach((packed, i) => {
      const ruleName = i === 0 ? name : `${name}-${i}`;
      const rule = new aws.cloudwatch.EventRule(
        ruleName,
        {
          eventBusName: args.busName,
          description: `exfiltrail: ${detection.id}`,
          // The registry pattern, validated by the engine: the deployed text is the tested text.
          eventPattern: packed.pattern.json,
          state: packed.state,
          tags,
        },
        parent,
      );
      const permission = new aws.lambda.Permission(
        `${ruleName}-invoke`,
        {
          action: 'lambda:InvokeFunction',
          function: this.function.name,
          principal: 'events.amazonaws.com',
          sourceArn: rule.arn,
        },
        parent,
      );
      this.targets.push(
        new aws.cloudwatch.EventTarget(
          `${ruleName}-target`,
          {
            rule: rule.name,
            eventBusName: args.busName,
            arn: this.function.arn,
            retryPolicy: {
              maximumRetryAttempts: FORWARDING_RETRY_POLICY.MaximumRetryAttempts,
              maximumEventAgeInSeconds: FORWARDING_RETRY_POLICY.MaximumEventAgeInSeconds,
            },
            deadLetterConfig: { arn: this.deliveryDeadLetterQueue.arn },
          },
          { parent: this, dependsOn: [permission] },
        ),
      );
      this.rules.push(rule);
    });

    new aws.sqs.QueuePolicy(
      `${name}-dlq-policy`,
      {
        queueUrl: this.deliveryDeadLetterQueue.url,
        policy: pulumi
          .all([this.deliveryDeadLetterQueue.arn, pulumi.all(this.rules.map((r) => r.arn))])
          .apply(([queueArn, ruleArns]) => JSON.stringify(deadLetterQueuePolicy(queueArn, ruleArns))),
      },
      parent,
    );

    this.registerOutputs({ functionArn: this.function.arn, roleArn: this.roleArn });
  }
}
