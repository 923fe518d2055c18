/**
 * The one kind of alarm this pipeline raises: anything above zero in one period means an event or finding was
 * lost or delayed, so it notifies the topic (and again when it clears). Missing data is no data lost.
 */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { METRICS_NAMESPACE } from '../handlers/shared/observability';

/** What differs between alarms: the description and the metric (a plain metric or metric queries). */
export type AlarmMetric = Omit<
  aws.cloudwatch.MetricAlarmArgs,
  'evaluationPeriods' | 'threshold' | 'comparisonOperator' | 'treatMissingData' | 'alarmActions' | 'okActions'
>;

export function aboveZeroAlarm(
  name: string,
  topicArn: pulumi.Input<string>,
  metric: AlarmMetric,
  opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(
    name,
    {
      ...metric,
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

/**
 * The handlers emit EMF metrics with the Powertools `service` dimension and possibly more; a Metrics Insights query
 * sums the metric over every dimension combination, so no dimension set can slip past the alarm.
 */
export function emfMetricSum(metricName: string, periodSeconds: number): Pick<AlarmMetric, 'metricQueries'> {
  return {
    metricQueries: [
      {
        id: 'failures',
        expression: `SELECT SUM(${metricName}) FROM "${METRICS_NAMESPACE}"`,
        period: periodSeconds,
        returnData: true,
        label: metricName,
      },
    ],
  };
}
