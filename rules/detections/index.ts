/** The registry of shipped detections: infra, handlers, the CLI and the tests all read this list. */
import type { Detection } from '../detection';
import { amiShared } from './ami-shared';
import { datasyncTaskCreated } from './datasync-task-created';
import { ebsSharedSnapshotCopied } from './ebs-shared-snapshot-copied';
import { ebsSnapshotShared } from './ebs-snapshot-shared';
import { ec2VmExport } from './ec2-vm-export';
import { rdsSnapshotShared } from './rds-snapshot-shared';
import { s3BatchJobCreated } from './s3-batch-job-created';
import { s3ReplicationExternal } from './s3-replication-external';

export const ALL_DETECTIONS: readonly Detection[] = [
  datasyncTaskCreated,
  s3BatchJobCreated,
  ebsSnapshotShared,
  amiShared,
  rdsSnapshotShared,
  ec2VmExport,
  ebsSharedSnapshotCopied,
  s3ReplicationExternal,
];

export {
  amiShared,
  datasyncTaskCreated,
  ebsSharedSnapshotCopied,
  ebsSnapshotShared,
  ec2VmExport,
  rdsSnapshotShared,
  s3BatchJobCreated,
  s3ReplicationExternal,
};
