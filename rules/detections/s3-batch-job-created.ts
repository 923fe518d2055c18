/**
 * An S3 Batch Operations job created (not AWS Batch). Two records describe one job: the `CreateJob` API call
 * (names the creator and the operation, e.g. a copy to another bucket) and the `JobCreated` service event (names
 * only the job). Both hits carry the key `s3-batch-job/<jobId>` so they become one finding.
 */
import { API_CALL, SERVICE_EVENT } from '../cloudtrail';
import type { CloudTrailEvent } from '../cloudtrail';
import type { Detection, Hit, ResourceRef } from '../detection';
import { bucketNameOf, s3BatchJobArn, s3BucketArn, partitionOf } from './lib/arns';
import { AUTOMATED_EXFILTRATION, FINDING_TYPES, TRANSFER_DATA_TO_CLOUD_ACCOUNT } from './lib/attack';
import { asObject, field, ownerAccount, path, requestParameters, responseElements, stringAt } from './lib/read';

export function s3BatchJobKey(jobId: string): string {
  return `s3-batch-job/${jobId}`;
}

/** The job request: S3 Control logs the XML body, under its root element or flattened into the parameters. */
function jobRequest(event: CloudTrailEvent): Record<string, unknown> | undefined {
  const params = requestParameters(event);
  return asObject(field(params, 'CreateJobRequest')) ?? params;
}

function fromJobCreated(event: CloudTrailEvent): Hit[] {
  const details = asObject(event.detail.serviceEventDetails);
  const jobId = stringAt(details, 'jobId');
  if (!jobId) return [];
  const jobArn = stringAt(details, 'jobArn') ?? s3BatchJobArn(event.region, ownerAccount(event), jobId);
  return [
    {
      summary: `created S3 Batch Operations job ${jobId}`,
      resources: [{ type: 'Other', id: jobArn, region: event.region, details: { jobId } }],
      key: s3BatchJobKey(jobId),
      facts: { jobId, jobArn },
    },
  ];
}

function fromCreateJob(event: CloudTrailEvent): Hit[] {
  const request = jobRequest(event);
  const operations = asObject(field(request, 'Operation'));
  const operation = operations ? Object.keys(operations).find((k) => k !== 'xmlns') : undefined;
  const copyTarget = stringAt(operations, 'S3PutObjectCopy', 'TargetResource');
  const lambda = stringAt(operations, 'LambdaInvoke', 'FunctionArn');
  const manifest =
    stringAt(request, 'Manifest', 'Location', 'ObjectArn') ??
    stringAt(request, 'ManifestGenerator', 'S3JobManifestGenerator', 'SourceBucket');
  const report = stringAt(request, 'Report', 'Bucket');
  const jobId =
    stringAt(responseElements(event), 'jobId') ?? stringAt(path(responseElements(event), 'CreateJobResult'), 'JobId');
  const owner = ownerAccount(event);
  const jobLabel = jobId ? `S3 Batch Operations job ${jobId}` : 'an S3 Batch Operations job';
  const resources: ResourceRef[] = [
    {
      type: 'Other',
      id: jobId ? s3BatchJobArn(event.region, owner, jobId) : 'unknown-s3-batch-job',
      region: event.region,
      details: { ...(jobId ? { jobId } : {}), ...(operation ? { operation } : {}) },
    },
  ];
  if (copyTarget) {
    resources.push({ type: 'AwsS3Bucket', id: s3BucketArn(copyTarget, partitionOf(event.region)), details: { role: 'copy target' } });
  }
  let what = '';
  if (copyTarget) what = ` copying objects to bucket ${bucketNameOf(copyTarget)}`;
  else if (lambda) what = ` invoking Lambda ${lambda} on each object`;
  else if (operation) what = ` (${operation})`;
  return [
    {
      summary: `created ${jobLabel}${what}`,
      resources,
      ...(jobId ? { key: s3BatchJobKey(jobId) } : {}),
      facts: {
        ...(jobId ? { jobId } : {}),
        ...(operation ? { operation } : {}),
        ...(copyTarget ? { copyTargetBucket: bucketNameOf(copyTarget) } : {}),
        ...(lambda ? { lambdaFunction: lambda } : {}),
        ...(manifest ? { manifest } : {}),
        ...(report ? { reportBucket: report } : {}),
      },
    },
  ];
}

export const s3BatchJobCreated: Detection = {
  id: 's3-batch-job-created',
  title: 'S3 Batch Operations job created',
  description:
    'An S3 Batch Operations job was created (CreateJob call or JobCreated service event). One job can copy ' +
    'billions of objects to a bucket in another account, or hand each object to a Lambda function.',
  attack: [TRANSFER_DATA_TO_CLOUD_ACCOUNT, AUTOMATED_EXFILTRATION],
  findingTypes: [FINDING_TYPES.exfiltration, FINDING_TYPES.unusualUser],
  patterns: [
    {
      source: ['aws.s3'],
      // CreateJob is an API call, JobCreated a service event: a rule naming only the first misses the second.
      'detail-type': [API_CALL, SERVICE_EVENT],
      detail: { eventSource: ['s3.amazonaws.com'], eventName: ['CreateJob', 'JobCreated'] },
    },
  ],
  impact: 80,
  confidence: 80,
  evaluate(event) {
    if (event.detail.eventName === 'JobCreated') return fromJobCreated(event);
    if (event.detail.eventName === 'CreateJob') return fromCreateJob(event);
    return [];
  },
  falsePositives: [
    'Storage teams running batch copies, re-encryption or tagging jobs: allowlist the automation role with a reason.',
    'S3 Batch Replication of existing objects set up with a replication rule.',
  ],
  investigation: [
    'DescribeJob: which operation, which manifest, which target bucket? Who owns the target bucket?',
    'Who created it (the CreateJob call) and from where? Was the job confirmed and run (JobStatusChanged)?',
    'Did the same principal generate a manifest or list buckets just before?',
  ],
  remediation: {
    text: 'Cancel the job (aws s3control update-job-status --requested-job-status Cancelled), review the target bucket\'s owner and the role the job runs as.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-examples-event-bridge-cloud-trail.html',
  },
  references: [
    'Splunk security_content: AWS Exfiltration via Batch Service (it watches JobCreated)',
    'https://attack.mitre.org/techniques/T1537/',
  ],
};
