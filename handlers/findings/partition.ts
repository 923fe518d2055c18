/** Where a finding goes: the partition of a region and the console link to a CloudTrail event. */
import type { AwsPartition } from './limits';

/** `cn-*` -> aws-cn, `us-gov-*` -> aws-us-gov, `us-iso-*` / `us-isob-*` -> their partitions, else aws. */
export function partitionOf(region: string): AwsPartition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-us-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-us-iso';
  return 'aws';
}

const CONSOLE_HOST: Partial<Record<AwsPartition, string>> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/**
 * The CloudTrail console page of one event, or undefined when the partition has no public console. Event
 * history covers management events of the last 90 days; the link still names the event after that.
 */
export function cloudTrailEventUrl(partition: AwsPartition, region: string, eventId: string): string | undefined {
  const host = CONSOLE_HOST[partition];
  // The region becomes a host name label: a malformed one (test data, a corrupted envelope) gets no link.
  if (!host || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(region)) return undefined;
  const regionalHost = partition === 'aws' ? `${encodeURIComponent(region)}.${host}` : host;
  const query = `region=${encodeURIComponent(region)}`;
  return `https://${regionalHost}/cloudtrailv2/home?${query}#/events/${encodeURIComponent(eventId)}`;
}
