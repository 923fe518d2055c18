/**
 * Test cases that live beside each detection (Panther style) and are run by one generic suite
 * (`test/detections.test.ts`). A case says whether the detection's pattern should match the record (a
 * pattern-level negative never reaches `evaluate`) and, when it does, how many signals it yields and how severe.
 */
import type { ExfiltrailConfigInput, SeverityLabel } from '../config';
import type { AccountRelation } from '../detection';

/** A CloudTrail record as found in a log file, before validation. */
export type RawRecord = Record<string, unknown>;

export type CaseRecord =
  /** A file of `test/fixtures/cloudtrail/`, as it is. */
  | { fixture: string }
  /** A deep copy of a fixture, changed to show what no real record shows (a removal, a failed call...). */
  | { fixture: string; mutate: (record: RawRecord) => void }
  /** A record written for the case; say where its shape comes from in `why`. */
  | { inline: RawRecord };

export interface DetectionCase {
  name: string;
  record: CaseRecord;
  matchesPattern: boolean;
  /** Signals `runDetection` returns; 0 when the pattern does not match. */
  signals: number;
  /** Severity of every signal. */
  severity?: SeverityLabel;
  /** Relation of every target of every signal. */
  relation?: AccountRelation;
  /** Text every signal's summary must contain (the resource or destination it must name). */
  summaryIncludes?: string;
  /** Finding key every signal must have (S3 Batch: `s3-batch-job/<jobId>`). */
  key?: string;
  config?: ExfiltrailConfigInput;
  why: string;
}

/** Set a nested key, creating objects on the way: keeps mutations in cases one line long. */
export function setPath(record: RawRecord, keys: readonly string[], value: unknown): void {
  let node: Record<string, unknown> = record;
  keys.slice(0, -1).forEach((key) => {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  });
  const last = keys[keys.length - 1];
  if (last !== undefined) node[last] = value;
}

/** A failed call as CloudTrail records it when the request was rejected early: error and no parameters. */
export function failWithNullParameters(record: RawRecord, errorCode = 'AccessDenied'): void {
  record.errorCode = errorCode;
  record.errorMessage = 'User is not authorized to perform this operation';
  record.requestParameters = null;
  record.responseElements = null;
}

/** A failed call that kept its request parameters (EC2 logs them on authorization errors). */
export function failKeepingParameters(record: RawRecord, errorCode = 'Client.UnauthorizedOperation'): void {
  record.errorCode = errorCode;
  record.errorMessage = 'You are not authorized to perform this operation.';
  record.responseElements = null;
}
