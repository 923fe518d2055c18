/**
 * Safe readers for CloudTrail request/response payloads. Real records carry `requestParameters: null` on
 * failed calls, lists that are objects when they hold one element (XML-derived S3 payloads), and keys whose
 * case depends on the service: detections read through these helpers so odd records never throw.
 */
import type { CloudTrailEvent } from '../../cloudtrail';

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** A non-empty string, or undefined. Numbers are kept as text (masked account ids sometimes arrive as numbers). */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** An array as it is, one value as a one-element list (XML-derived payloads), nothing as an empty list. */
export function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  return [value];
}

/** `obj[key]`, falling back to a case-insensitive match (S3 and EC2 differ in key case between APIs). */
export function field(value: unknown, key: string): unknown {
  const obj = asObject(value);
  if (!obj) return undefined;
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  const found = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : obj[found];
}

/** Follow a path of keys with `field`. */
export function path(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    current = field(current, key);
    if (current === undefined) return undefined;
  }
  return current;
}

export function stringAt(value: unknown, ...keys: string[]): string | undefined {
  return asString(path(value, ...keys));
}

export function requestParameters(event: CloudTrailEvent): JsonObject | undefined {
  return asObject(event.detail.requestParameters);
}

export function responseElements(event: CloudTrailEvent): JsonObject | undefined {
  return asObject(event.detail.responseElements);
}

/** The account the data belongs to: where the event was delivered. */
export function ownerAccount(event: CloudTrailEvent): string {
  return event.detail.recipientAccountId ?? event.account;
}

/** Distinct values, first occurrence order. */
export function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}
