/**
 * The alarm on the baseline handler's `BaselineQueryFailures` EMF metric (FAILED, CANCELLED or timed-out Athena
 * queries), summed over every dimension like the PublishFailures alarm. Handler errors and the queues are watched
 * by the central Alarms component.
 */
import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { aboveZeroAlarm, emfMetricSum } from '../alarm';

export function baselineQueryFailuresAlarm(
  name: string,
  topicArn: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
  return aboveZeroAlarm(
    name,
    topicArn,
    {
      alarmDescription:
        'exfiltrail: a GetObject baseline Athena query failed or timed out (see the handler log for the query execution id and reason)',
      ...emfMetricSum('BaselineQueryFailures', 600),
    },
    opts,
  );
}
