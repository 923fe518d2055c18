import { failWithNullParameters, type DetectionCase } from './cases';
import type { RawRecord } from './cases';

const JOB_ID = 'e849b567-5232-44be-9a0c-40988f14e80c';

/**
 * A CreateJob call for the job of fixture 005, written for the case: no public CreateJob record was found.
 * Its shape follows the S3 Control CreateJob request (Operation / Manifest / Report / RoleArn) and the brief's
 * `responseElements.jobId`; the reader also accepts the body nested under `CreateJobRequest`.
 */
export function createJobRecord(): RawRecord {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEID:attacker',
      arn: 'arn:aws:sts::181572960644:assumed-role/ops-admin/attacker',
      accountId: '181572960644',
      sessionContext: {
        sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::181572960644:role/ops-admin', accountId: '181572960644', userName: 'ops-admin' },
      },
    },
    eventTime: '2020-02-27T15:25:48Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'CreateJob',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: '[aws-cli/2.15.0]',
    requestParameters: {
      'x-amz-account-id': '181572960644',
      Operation: { S3PutObjectCopy: { TargetResource: 'arn:aws:s3:::attacker-drop-bucket' } },
      Manifest: {
        Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
        Location: { ObjectArn: 'arn:aws:s3:::victim-data/manifest.csv', ETag: '60e460c9d1046e73f7dde5043ac3ae85' },
      },
      Report: { Enabled: false },
      Priority: 10,
      RoleArn: 'arn:aws:iam::181572960644:role/batch-ops',
    },
    responseElements: { jobId: JOB_ID },
    eventID: '3c0c7b2a-9f00-4d49-8a7e-1f5c7d7b3f11',
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '181572960644',
  };
}

export const s3BatchJobCreatedCases: readonly DetectionCase[] = [
  {
    name: 'AWS documentation example: JobCreated service event',
    record: { fixture: '005-s3batch-jobcreated-doc.json' },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    key: `s3-batch-job/${JOB_ID}`,
    summaryIncludes: JOB_ID,
    why: 'a service event (detail-type AWS Service Event via CloudTrail) with no creator: 64',
  },
  {
    name: 'JobStatusChanged is not a creation',
    record: { fixture: '006-s3batch-jobstatuschanged-complete-doc.json' },
    matchesPattern: false,
    signals: 0,
    why: 'status changes of an existing job are not forwarded',
  },
  {
    name: 'CreateJob call copying to another bucket',
    record: { inline: createJobRecord() },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    key: `s3-batch-job/${JOB_ID}`,
    summaryIncludes: `job ${JOB_ID} copying objects to bucket attacker-drop-bucket`,
    why: 'names the creator and the copy target; shares the key with JobCreated so they merge',
  },
  {
    name: 'CreateJob with the body under CreateJobRequest',
    record: {
      inline: (() => {
        const r = createJobRecord();
        r.requestParameters = { CreateJobRequest: r.requestParameters };
        return r;
      })(),
    },
    matchesPattern: true,
    signals: 1,
    summaryIncludes: 'attacker-drop-bucket',
    why: 'S3 Control logs XML bodies; either nesting is read',
  },
  {
    name: 'failed CreateJob',
    record: { inline: (() => { const r = createJobRecord(); failWithNullParameters(r); return r; })() },
    matchesPattern: true,
    signals: 1,
    severity: 'LOW',
    summaryIncludes: 'an S3 Batch Operations job',
    why: 'an attempt: half of 64',
  },
  {
    name: 'CreateJob of another service (MediaConvert)',
    record: { inline: (() => { const r = createJobRecord(); r.eventSource = 'mediaconvert.amazonaws.com'; return r; })() },
    matchesPattern: false,
    signals: 0,
    why: 'CreateJob is a common eventName: the pattern pins eventSource s3.amazonaws.com',
  },
  {
    name: 'AWS Batch SubmitJob is not S3 Batch Operations',
    record: {
      inline: (() => {
        const r = createJobRecord();
        r.eventSource = 'batch.amazonaws.com';
        r.eventName = 'SubmitJob';
        return r;
      })(),
    },
    matchesPattern: false,
    signals: 0,
    why: 'AWS Batch is a compute service, unrelated',
  },
];
