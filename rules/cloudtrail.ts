/**
 * CloudTrail records and the EventBridge envelope they arrive in.
 *
 * The schema is deliberately loose: CloudTrail adds fields over time, test data in the wild masks account ids
 * ("12345") and invents regions, and failed calls carry `requestParameters: null`. We validate only what the
 * pipeline relies on and keep every other field as it came.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const UserIdentitySchema = z.looseObject({
  type: z.string().optional(),
  principalId: z.string().optional(),
  arn: z.string().optional(),
  accountId: z.string().optional(),
  accessKeyId: z.string().optional(),
  userName: z.string().optional(),
  invokedBy: z.string().optional(),
  sessionContext: z
    .looseObject({
      sessionIssuer: z
        .looseObject({
          type: z.string().optional(),
          principalId: z.string().optional(),
          arn: z.string().optional(),
          accountId: z.string().optional(),
          userName: z.string().optional(),
        })
        .optional(),
      attributes: z.looseObject({}).optional(),
      sourceIdentity: z.string().optional(),
    })
    .optional(),
});
export type UserIdentity = z.infer<typeof UserIdentitySchema>;

const JsonObject = z.record(z.string(), z.unknown());

export const CloudTrailRecordSchema = z.looseObject({
  eventVersion: z.string().optional(),
  eventTime: z.string().min(1),
  eventSource: z.string().min(1),
  eventName: z.string().min(1),
  awsRegion: z.string().min(1),
  /** Absent on some trimmed documentation examples; `recordId` falls back to a content hash. */
  eventID: z.string().optional(),
  eventType: z.string().optional(),
  eventCategory: z.string().optional(),
  recipientAccountId: z.string().optional(),
  userIdentity: UserIdentitySchema.optional(),
  sourceIPAddress: z.string().optional(),
  userAgent: z.string().optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  requestParameters: JsonObject.nullable().optional(),
  responseElements: z.unknown().optional(),
  serviceEventDetails: JsonObject.nullable().optional(),
  additionalEventData: JsonObject.nullable().optional(),
  readOnly: z.boolean().optional(),
  managementEvent: z.boolean().optional(),
  sharedEventID: z.string().optional(),
});
export type CloudTrailRecord = z.infer<typeof CloudTrailRecordSchema>;

export const API_CALL = 'AWS API Call via CloudTrail';
export const SERVICE_EVENT = 'AWS Service Event via CloudTrail';
export const CONSOLE_SIGN_IN = 'AWS Console Sign In via CloudTrail';

/** The envelope EventBridge wraps around a CloudTrail record. */
export interface EventBridgeEvent<TDetail = unknown> {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: TDetail;
}

export const EventBridgeEnvelopeSchema = z.looseObject({
  version: z.string().optional(),
  id: z.string().optional(),
  'detail-type': z.string(),
  source: z.string(),
  account: z.string(),
  time: z.string().optional(),
  region: z.string(),
  resources: z.array(z.string()).optional(),
  detail: z.unknown(),
});

export type CloudTrailEvent = EventBridgeEvent<CloudTrailRecord>;

/** `ec2.amazonaws.com` -> `aws.ec2`; `s3.amazonaws.com` -> `aws.s3`. */
export function eventBridgeSource(eventSource: string): string {
  const service = eventSource.endsWith('.amazonaws.com')
    ? eventSource.slice(0, -'.amazonaws.com'.length)
    : eventSource;
  return `aws.${service}`;
}

export function detailTypeOf(record: Pick<CloudTrailRecord, 'eventType' | 'eventName'>): string {
  if (record.eventType === 'AwsServiceEvent') return SERVICE_EVENT;
  if (record.eventType === 'AwsConsoleSignIn') return CONSOLE_SIGN_IN;
  return API_CALL;
}

/**
 * The account an event belongs to: where it was delivered (`recipientAccountId`), else the caller's account.
 * Masked or odd ids are kept as they are: test data in the wild uses them and we never drop a record for it.
 */
export function accountOf(record: CloudTrailRecord): string {
  return record.recipientAccountId ?? record.userIdentity?.accountId ?? 'unknown';
}

/**
 * A stable identifier for a record: its `eventID`, or (for the rare record without one) a hash of its content,
 * so the same record always yields the same finding.
 */
export function recordId(record: CloudTrailRecord): string {
  if (record.eventID) return record.eventID;
  return `sha256-${createHash('sha256').update(canonicalJson(record)).digest('hex').slice(0, 32)}`;
}

/** JSON with object keys sorted, so equal records hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Wrap a CloudTrail record (as found in a log file) the way EventBridge delivers it, so patterns written for
 * EventBridge can be tested and scanned against log archives.
 */
export function toEventBridgeEvent(record: CloudTrailRecord): CloudTrailEvent {
  return {
    version: '0',
    id: recordId(record),
    'detail-type': detailTypeOf(record),
    source: eventBridgeSource(record.eventSource),
    account: accountOf(record),
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}

/** True when the value looks like an EventBridge envelope rather than a bare CloudTrail record. */
export function isEventBridgeEnvelope(value: unknown): value is EventBridgeEvent {
  return (
    value !== null &&
    typeof value === 'object' &&
    'detail-type' in value &&
    'detail' in value &&
    'source' in value
  );
}
