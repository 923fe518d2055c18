/** Every detection's cases by detection id, for the generic suite. */
import { amiSharedCases } from './ami-shared.cases';
import type { DetectionCase } from './cases';
import { datasyncTaskCreatedCases } from './datasync-task-created.cases';
import { ebsSharedSnapshotCopiedCases } from './ebs-shared-snapshot-copied.cases';
import { ebsSnapshotSharedCases } from './ebs-snapshot-shared.cases';
import { ec2VmExportCases } from './ec2-vm-export.cases';
import { rdsSnapshotSharedCases } from './rds-snapshot-shared.cases';
import { s3BatchJobCreatedCases } from './s3-batch-job-created.cases';
import { s3ReplicationExternalCases } from './s3-replication-external.cases';

export const CASES_BY_DETECTION: Readonly<Record<string, readonly DetectionCase[]>> = {
  'datasync-task-created': datasyncTaskCreatedCases,
  's3-batch-job-created': s3BatchJobCreatedCases,
  'ebs-snapshot-shared': ebsSnapshotSharedCases,
  'ami-shared': amiSharedCases,
  'rds-snapshot-shared': rdsSnapshotSharedCases,
  'ec2-vm-export': ec2VmExportCases,
  'ebs-shared-snapshot-copied': ebsSharedSnapshotCopiedCases,
  's3-replication-external': s3ReplicationExternalCases,
};
