/**
 * ARNs for the resources the detections report, built from what the record names. Formats follow the IAM
 * service authorization reference; EC2 snapshot and image ARNs carry no account id.
 */

/** `aws`, `aws-cn` or `aws-us-gov` from the region name; invented regions fall back to `aws`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function ebsSnapshotArn(region: string, snapshotId: string): string {
  return `arn:${partitionOf(region)}:ec2:${region}::snapshot/${snapshotId}`;
}

export function amiArn(region: string, imageId: string): string {
  return `arn:${partitionOf(region)}:ec2:${region}::image/${imageId}`;
}

export function ec2InstanceArn(region: string, accountId: string, instanceId: string): string {
  return `arn:${partitionOf(region)}:ec2:${region}:${accountId}:instance/${instanceId}`;
}

/** Snapshot identifiers may already be ARNs (cross-account calls pass the ARN): keep those as they are. */
export function rdsSnapshotArn(region: string, accountId: string, identifier: string, cluster: boolean): string {
  if (identifier.startsWith('arn:')) return identifier;
  const kind = cluster ? 'cluster-snapshot' : 'snapshot';
  return `arn:${partitionOf(region)}:rds:${region}:${accountId}:${kind}:${identifier}`;
}

export function s3BatchJobArn(region: string, accountId: string, jobId: string): string {
  return `arn:${partitionOf(region)}:s3:${region}:${accountId}:job/${jobId}`;
}

/** Bucket names may arrive as ARNs (S3 Batch TargetResource, replication Destination.Bucket) or plain names. */
export function s3BucketArn(bucket: string, partition = 'aws'): string {
  return bucket.startsWith('arn:') ? bucket : `arn:${partition}:s3:::${bucket}`;
}

/** `arn:aws:s3:::name` -> `name`; plain names pass through. */
export function bucketNameOf(bucketOrArn: string): string {
  const match = /^arn:[^:]+:s3:::([^/]+)/.exec(bucketOrArn);
  return match?.[1] ?? bucketOrArn;
}
