/** Shared by the scan tests: temp directories, captured output streams, fixtures. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { ScanIo } from '../../cli/scan/command';

export { fixture, FIXTURE_DIR, fixtureLabels } from '../fixtures';

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void; write: (rel: string, content: string | Buffer) => string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'exfiltrail-scan-'));
  return {
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    write(rel, content) {
      const target = path.join(dir, ...rel.split('/'));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content);
      return target;
    },
  };
}

export const gz = (text: string): Buffer => gzipSync(Buffer.from(text));
export const logFile = (records: unknown[]): string => JSON.stringify({ Records: records });

export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    callback();
  }
}

export function captureIo(isTTY = false): ScanIo & { stdout: Capture; stderr: Capture } {
  return { stdout: new Capture(), stderr: new Capture(), isTTY };
}

/** The EventBridge envelope EventBridge would deliver for a record. */
export function envelope(record: Record<string, unknown>): Record<string, unknown> {
  const source = `aws.${String(record.eventSource).replace('.amazonaws.com', '')}`;
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': record.eventType === 'AwsServiceEvent' ? 'AWS Service Event via CloudTrail' : 'AWS API Call via CloudTrail',
    source,
    account: record.recipientAccountId,
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}
