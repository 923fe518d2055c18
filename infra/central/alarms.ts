/**
 * Alarms that say the pipeline is losing events or findings: messages in a dead-letter or on-failure queue,
 * handler errors, and the handlers' `PublishFailures` EMF metric (namespace `exfiltrail`). They notify the given
 * SNS topic, or a KMS-encrypted topic created here (with an optional email subscription).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { aboveZeroAlarm, emfMetricSum } from '../alarm';
import { alarmKeyPolicy, alarmTopicPolicy } from '../policies';

/** Five-minute periods: a single lost event or finding is worth a page in a security pipeline. */
const PERIOD_SECONDS = 300;

export interface WatchedQueue {
  label: string;
  queueName: pulumi.Input<string>;
}

export interface WatchedFunction {
  label: string;
  functionName: pulumi.Input<string>;
}

export interface AlarmsArgs {
  topicArn?: string;
  email?: string;
  queues: readonly WatchedQueue[];
  functions: readonly WatchedFunction[];
  accountId: pulumi.Input<string>;
  partition: pulumi.Input<string>;
}

export class Alarms extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  readonly alarms: aws.cloudwatch.MetricAlarm[] = [];
  readonly topic?: aws.sns.Topic;
  readonly key?: aws.kms.Key;

  constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('exfiltrail:central:Alarms', name, {}, opts);
    const parent = { parent: this };

    if (args.topicArn) {
      this.topicArn = pulumi.output(args.topicArn);
    } else {
      this.key = new aws.kms.Key(
        `${name}-key`,
        {
          description: 'exfiltrail: encrypts the alarm topic',
          enableKeyRotation: true,
          deletionWindowInDays: 30,
          policy: pulumi
            .all([args.accountId, args.partition])
            .apply(([accountId, partition]) => JSON.stringify(alarmKeyPolicy(accountId, partition))),
        },
        parent,
      );
      this.topic = new aws.sns.Topic(`${name}-topic`, { kmsMasterKeyId: this.key.arn, displayName: 'exfiltrail alarms' }, parent);
      new aws.sns.TopicPolicy(
        `${name}-topic-policy`,
        {
          arn: this.topic.arn,
          policy: pulumi
            .all([this.topic.arn, args.accountId])
            .apply(([topicArn, accountId]) => JSON.stringify(alarmTopicPolicy(topicArn, accountId))),
        },
        parent,
      );
      if (args.email) {
        new aws.sns.TopicSubscription(`${name}-email`, { topic: this.topic.arn, protocol: 'email', endpoint: args.email }, parent);
      }
      this.topicArn = this.topic.arn;
    }

    for (const queue of args.queues) {
      this.alarms.push(
        aboveZeroAlarm(
          `${name}-${queue.label}`,
          this.topicArn,
          {
            alarmDescription: `exfiltrail: messages in ${queue.label}: events or findings were not processed; inspect and redrive the queue`,
            namespace: 'AWS/SQS',
            metricName: 'ApproximateNumberOfMessagesVisible',
            dimensions: { QueueName: queue.queueName },
            statistic: 'Maximum',
            period: PERIOD_SECONDS,
          },
          parent,
        ),
      );
    }
    for (const fn of args.functions) {
      this.alarms.push(
        aboveZeroAlarm(
          `${name}-${fn.label}-errors`,
          this.topicArn,
          {
            alarmDescription: `exfiltrail: handler ${fn.label} failed; the event is retried, then parked in its on-failure queue`,
            namespace: 'AWS/Lambda',
            metricName: 'Errors',
            dimensions: { FunctionName: fn.functionName },
            statistic: 'Sum',
            period: PERIOD_SECONDS,
          },
          parent,
        ),
      );
    }
    this.alarms.push(
      aboveZeroAlarm(
        `${name}-publish-failures`,
        this.topicArn,
        {
          alarmDescription: 'exfiltrail: findings Security Hub did not take (publisher role missing, Security Hub off, throttling)',
          ...emfMetricSum('PublishFailures', PERIOD_SECONDS),
        },
        parent,
      ),
    );
    this.registerOutputs({ topicArn: this.topicArn });
  }
}
