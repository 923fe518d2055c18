/**
 * The EventBridge envelope of a CloudTrail event, validated with zod: Powertools parser's EventBridgeSchema
 * with `detail` replaced by the project's CloudTrailRecordSchema. On top of what the scan accepts, a handler
 * needs an event time it can stamp a finding with (ISO-8601 with a zone), so `detail.eventTime` is checked here.
 */
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { z } from 'zod';
import { CloudTrailRecordSchema, type CloudTrailEvent } from '../../rules/cloudtrail';
import { InvalidEventError } from '../publish/errors';

export const CloudTrailDetailSchema = CloudTrailRecordSchema.extend({
  eventTime: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time such as 2024-08-01T12:28:02Z' }),
});

/**
 * EventBridge always stamps a real 12-digit account. Masked ids ("12345") are fine in a scan of test data, but a
 * finding cannot be published to an account that does not exist, so such an event is rejected (dead-lettered).
 */
export const CloudTrailEnvelopeSchema = EventBridgeSchema.extend({
  account: z.string().regex(/^\d{12}$/u, 'must be a 12-digit AWS account id'),
  detail: CloudTrailDetailSchema,
});

/** Parse one delivered event; throws InvalidEventError naming the event id and the first bad field. */
export function parseCloudTrailEvent(input: unknown): CloudTrailEvent {
  const result = CloudTrailEnvelopeSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${pathOf(issue.path)}: ${issue.message}`);
  const first = result.error.issues[0];
  throw new InvalidEventError(eventIdOf(input), first ? pathOf(first.path) : '(event)', issues);
}

/** The envelope's id when there is a usable one, for error messages about an event that failed validation. */
export function eventIdOf(input: unknown): string {
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const id = (input as { id?: unknown }).id;
    if (typeof id === 'string' && id.trim() !== '') return id.slice(0, 128);
  }
  return '(no id)';
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(event)' : path.map(String).join('.');
}
