/**
 * Alarms that say the pipeline is losing events or findings: messages in a dead-letter or on-failure queue,
 * handler errors, and the handlers' `PublishFailures` EMF metric (namespace `exfiltrail`). They notify the given
 * SNS topic, or a KMS-encrypted topic created here (with an optional email subscription).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { METRICS_NAMESPACE } from '../../handlers/shared/observability';
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

    const actions = [this.topicArn];
    for (const queue of args.queues) {
      this.alarms.push(
        new aws.cloudwatch.MetricAlarm(
          `${name}-${queue.label}`,
          {
            alarmDescription: `exfiltrail: messages in ${queue.label}: events or findings were not processed; inspect and redrive the queue`,
            namespace: 'AWS/SQS',
            metricName: 'ApproximateNumberOfMessagesVisible',
            dimensions: { QueueName: queue.queueName },
            statistic: 'Maximum',
            period: PERIOD_SECONDS,
            evaluationPeriods: 1,
            threshold: 0,
            comparisonOperator: 'GreaterThanThreshold',
            treatMissingData: 'notBreaching',
            alarmActions: actions,
            okActions: actions,
          },
          parent,
        ),
      );
    }
    for (const fn of args.functions) {
      this.alarms.push(
        new aws.cloudwatch.MetricAlarm(
          `${name}-${fn.label}-errors`,
          {
            alarmDescription: `exfiltrail: handler ${fn.label} failed; the event is retried, then parked in its on-failure queue`,
            namespace: 'AWS/Lambda',
            metricName: 'Errors',
            dimensions: { FunctionName: fn.functionName },
            statistic: 'Sum',
            period: PERIOD_SECONDS,
            evaluationPeriods: 1,
            threshold: 0,
            comparisonOperator: 'GreaterThanThreshold',
            treatMissingData: 'notBreaching',
            alarmActions: actions,
            okActions: actions,
          },
          parent,
        ),
      );
    }
    // The handlers emit PublishFailures with the Powertools `service` dimension and possibly more; a Metrics
    // Insights query sums it over every dimension combination, so no dimension set can slip past the alarm.
    this.alarms.push(
      new aws.cloudwatch.MetricAlarm(
        `${name}-publish-failures`,
        {
          alarmDescription: 'exfiltrail: findings Security Hub did not take (publisher role missing, Security Hub off, throttling)',
          metricQueries: [
            {
              id: 'failures',
              expression: `SELECT SUM(PublishFailures) FROM "${METRICS_NAMESPACE}"`,
              period: PERIOD_SECONDS,
              returnData: true,
              label: 'PublishFailures',
            },
          ],
          evaluationPeriods: 1,
          threshold: 0,
          comparisonOperator: 'GreaterThanThreshold',
          treatMissingData: 'notBreaching',
          alarmActions: actions,
          okActions: actions,
        },
        parent,
      ),
    );
    this.registerOutputs({ topicArn: this.topicArn });
  }
}
