/**
 * A whole instance or AMI written out to S3 as a disk image (VM Import/Export `CreateInstanceExportTask`,
 * `ExportImage`) or as an AMI object (`CreateStoreImageTask`). From the bucket it can be downloaded anywhere.
 *
 * Impact 70: a complete disk, but it lands in S3 first (the bucket's owner and policy decide who reads it).
 * Confidence 70: VM export is rare in steady-state operations; migrations and AMI archiving are the legitimate uses.
 */
import { API_CALL } from '../cloudtrail';
import type { CloudTrailEvent } from '../cloudtrail';
import type { Detection, ResourceRef } from '../detection';
import { amiArn, ec2InstanceArn, partitionOf, s3BucketArn } from './lib/arns';
import { DATA_STAGED, FINDING_TYPES, TRANSFER_DATA_TO_CLOUD_ACCOUNT } from './lib/attack';
import { ownerAccount, path, requestParameters, responseElements, stringAt } from './lib/read';

interface ExportRequest {
  source: { kind: 'instance' | 'AMI'; id: string } | undefined;
  bucket: string | undefined;
  prefix: string | undefined;
  taskId: string | undefined;
}

/** Request shapes per API (EC2 logs query parameter names in camelCase; both container names are read). */
function readRequest(event: CloudTrailEvent): ExportRequest {
  const params = requestParameters(event);
  const response = responseElements(event);
  switch (event.detail.eventName) {
    case 'CreateInstanceExportTask': {
      const s3 = path(params, 'exportToS3') ?? path(params, 'exportToS3Task');
      const instanceId = stringAt(params, 'instanceId');
      return {
        source: instanceId ? { kind: 'instance', id: instanceId } : undefined,
        bucket: stringAt(s3, 's3Bucket'),
        prefix: stringAt(s3, 's3Prefix'),
        taskId: stringAt(response, 'exportTask', 'exportTaskId'),
      };
    }
    case 'ExportImage': {
      const imageId = stringAt(params, 'imageId');
      return {
        source: imageId ? { kind: 'AMI', id: imageId } : undefined,
        bucket: stringAt(params, 's3ExportLocation', 's3Bucket'),
        prefix: stringAt(params, 's3ExportLocation', 's3Prefix'),
        taskId: stringAt(response, 'exportImageTaskId'),
      };
    }
    default: {
      const imageId = stringAt(params, 'imageId');
      return {
        source: imageId ? { kind: 'AMI', id: imageId } : undefined,
        bucket: stringAt(params, 'bucket'),
        prefix: undefined,
        taskId: stringAt(response, 'objectKey'),
      };
    }
  }
}

export const ec2VmExport: Detection = {
  id: 'ec2-vm-export',
  title: 'EC2 instance or AMI exported to S3',
  description:
    'CreateInstanceExportTask, ExportImage or CreateStoreImageTask wrote a complete disk image of an instance or ' +
    'AMI to an S3 bucket, from where it can be downloaded or replicated out of the organization.',
  attack: [TRANSFER_DATA_TO_CLOUD_ACCOUNT, DATA_STAGED],
  findingTypes: [FINDING_TYPES.exfiltration, FINDING_TYPES.collection],
  patterns: [
    {
      source: ['aws.ec2'],
      'detail-type': [API_CALL],
      detail: {
        eventSource: ['ec2.amazonaws.com'],
        eventName: ['CreateInstanceExportTask', 'ExportImage', 'CreateStoreImageTask'],
      },
    },
  ],
  impact: 70,
  confidence: 70,
  evaluate(event) {
    const request = readRequest(event);
    const owner = ownerAccount(event);
    const resources: ResourceRef[] = [];
    if (request.source?.kind === 'instance') {
      resources.push({
        type: 'AwsEc2Instance',
        id: ec2InstanceArn(event.region, owner, request.source.id),
        region: event.region,
        details: { instanceId: request.source.id },
      });
    } else if (request.source) {
      resources.push({ type: 'AwsEc2Image', id: amiArn(event.region, request.source.id), region: event.region, details: { imageId: request.source.id } });
    }
    if (request.bucket) {
      resources.push({
        type: 'AwsS3Bucket',
        id: s3BucketArn(request.bucket, partitionOf(event.region)),
        details: { role: 'export destination', ...(request.prefix ? { prefix: request.prefix } : {}) },
      });
    }
    if (resources.length === 0) resources.push({ type: 'Other', id: `${event.detail.eventName}/unknown`, region: event.region });
    const what = request.source ? `${request.source.kind} ${request.source.id}` : 'an EC2 image';
    const where = request.bucket ? ` to S3 bucket ${request.bucket}${request.prefix ? `/${request.prefix}` : ''}` : ' to S3';
    return [
      {
        summary: `exported ${what}${where} (${event.detail.eventName})`,
        resources,
        facts: {
          ...(request.source ? { [request.source.kind === 'instance' ? 'instanceId' : 'imageId']: request.source.id } : {}),
          ...(request.bucket ? { destinationBucket: request.bucket } : {}),
          ...(request.taskId ? { exportTask: request.taskId } : {}),
        },
      },
    ];
  },
  falsePositives: [
    'Migrations off AWS or to VMware, and AMI archiving to S3 (CreateStoreImageTask): allowlist the role with a reason.',
  ],
  investigation: [
    'Who owns the destination bucket (its account) and who can read it (policy, ACL, replication)?',
    'What runs on the instance / AMI, and what data is on its volumes?',
    'Was the export followed by GetObject of the image from outside the organization (S3 data events)?',
  ],
  remediation: {
    text: 'Cancel the export (CancelExportTask / the store task), delete the exported objects, and review the principal\'s credentials and the bucket\'s access.',
    url: 'https://docs.aws.amazon.com/vm-import/latest/userguide/vmexport.html',
  },
  references: ['https://attack.mitre.org/techniques/T1537/', 'https://attack.mitre.org/techniques/T1074/'],
};
