/**
 * The alarm on the baseline handler's `BaselineQueryFailures` EMF metric (FAILED, CANCELLED or timed-out Athena
 * queries), summed over every dimension with a Metrics Insights query like the PublishFailures alarm. Handler
 * errors and the queues are watched by the central Alarms component.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { METRICS_NAMESPACE } from '../../handlers/shared/observability';

export function baselineQueryFailuresAlarm(
  name: string,
  topicArn: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(
    name,
    {
      alarmDescription:
        'exfiltrail: a GetObject baseline Athena query failed or timed out (see the handler log for the query execution id and reason)',
      metricQueries: [
        {
          id: 'failures',
          expression: `SELECT SUM(BaselineQueryFailures) FROM "${METRICS_NAMESPACE}"`,
          period: 600,
          returnData: true,
          label: 'BaselineQueryFailures',
        },
      ],
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [topicArn],
      okActions: [topicArn],
    },
    opts,
  );
}
