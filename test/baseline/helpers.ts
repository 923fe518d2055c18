/** Hand-made CloudTrail GetObject records and temp archives for the baseline tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

export const ROLE_ARN = 'arn:aws:iam::333333333333:role/analyst';

export interface RecordOptions {
  time: string;
  eventID: string;
  identity?: Record<string, unknown> | null;
  bucket?: string;
  key?: string;
  bytes?: number;
  ip?: string;
  recipient?: string;
  errorCode?: string;
  eventName?: string;
  eventType?: string;
}

export function assumedRole(session: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLE:${session}`,
    arn: `arn:aws:sts::333333333333:assumed-role/analyst/${session}`,
    accountId: '333333333333',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: ROLE_ARN, accountId: '333333333333', userName: 'analyst' },
      attributes: { creationDate: '2024-05-31T09:00:00Z', mfaAuthenticated: 'false' },
    },
    ...extra,
  };
}

export function getObject(o: RecordOptions): Record<string, unknown> {
  const record: Record<string, unknown> = {
    eventVersion: '1.09',
    eventTime: o.time,
    eventSource: 's3.amazonaws.com',
    eventName: o.eventName ?? 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: o.ip ?? '203.0.113.10',
    userAgent: '[aws-cli/2.15]',
    requestParameters: { bucketName: o.bucket ?? 'reports', key: o.key ?? 'k' },
    responseElements: null,
    additionalEventData: o.bytes === undefined ? { SignatureVersion: 'SigV4' } : { bytesTransferredOut: o.bytes },
    eventID: o.eventID,
    readOnly: true,
    eventType: o.eventType ?? 'AwsApiCall',
    recipientAccountId: o.recipient ?? '333333333333',
    eventCategory: 'Data',
  };
  if (o.identity !== null) record.userIdentity = o.identity ?? assumedRole('alice');
  if (o.errorCode) record.errorCode = o.errorCode;
  return record;
}

export interface Archive {
  dir: string;
  /** Write records as one gzipped log file under AWSLogs/<org>/<account>/CloudTrail/us-east-1/<day>/. */
  write(account: string, day: string, records: unknown[]): string;
  cleanup(): void;
}

export function tempArchive(): Archive {
  const dir = mkdtempSync(path.join(tmpdir(), 'exfiltrail-baseline-'));
  let n = 0;
  return {
    dir,
    write(account, day, records) {
      const folder = path.join(dir, 'AWSLogs', 'o-test12345', account, 'CloudTrail', 'us-east-1', ...day.split('/'));
      mkdirSync(folder, { recursive: true });
      const file = path.join(folder, `${account}_CloudTrail_us-east-1_${day.replace(/\//g, '')}T0000Z_${String(n++).padStart(16, '0')}.json.gz`);
      writeFileSync(file, gzipSync(JSON.stringify({ Records: records })));
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
