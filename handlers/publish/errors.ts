/**
 * The errors a handler throws on purpose. Each names what failed and where (event id, account, region), so the
 * log line, the Lambda error and the dead-letter record are enough to act on.
 *
 * Throwing is how nothing is lost: EventBridge invokes the function asynchronously, Lambda retries a failed
 * invocation up to the function's MaximumRetryAttempts (the infra sets it low), then hands the event to the
 * function's on-failure destination / dead-letter queue.
 */

/** An event that is not an EventBridge-delivered CloudTrail record. Retrying cannot fix it. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly eventId: string,
    /** Dotted path of the first offending field, e.g. `detail.eventTime`. */
    readonly field: string,
    /** Every problem, each as `<path>: <message>`. */
    readonly problems: readonly string[],
  ) {
    super(`event ${eventId} rejected: ${problems.slice(0, 3).join('; ') || `${field}: invalid`}${moreOf(problems, 3)}`);
  }
}

/** sts:AssumeRole into the event's account failed (role missing, trust policy, SCP, region disabled). */
export class AssumeRoleError extends Error {
  override readonly name = 'AssumeRoleError';
  constructor(
    readonly account: string,
    readonly region: string,
    readonly roleArn: string,
    readonly code: string,
    cause: unknown,
  ) {
    super(
      `cannot assume ${roleArn} to publish findings in account ${account} (${region}): ${code}: ${messageOf(cause)}`,
      { cause },
    );
  }
}

/** BatchImportFindings refused the whole call: Security Hub not enabled (InvalidAccessException), denied, ... */
export class SecurityHubCallError extends Error {
  override readonly name = 'SecurityHubCallError';
  constructor(
    readonly account: string,
    readonly region: string,
    readonly code: string,
    readonly findingIds: readonly string[],
    cause: unknown,
  ) {
    super(`${hintOf(code, account, region)}: ${code}: ${messageOf(cause)} (${findingIds.length} finding(s) not imported)`, {
      cause,
    });
  }
}

export interface FailedFinding {
  id: string;
  code: string;
  message: string;
}

/** Findings Security Hub still reported in FailedFindings after the retries this invocation allows. */
export class FindingsNotImportedError extends Error {
  override readonly name = 'FindingsNotImportedError';
  constructor(
    readonly account: string,
    readonly region: string,
    readonly failed: readonly FailedFinding[],
  ) {
    const first = failed[0];
    super(
      `${failed.length} finding(s) not imported into Security Hub in account ${account} (${region})` +
        (first ? `, e.g. ${first.id}: ${first.code}: ${first.message}` : ''),
    );
  }
}

/** A built finding that Security Hub would reject: a bug in a detection or the ASFF builder, not in the event. */
export class InvalidFindingError extends Error {
  override readonly name = 'InvalidFindingError';
  constructor(
    readonly findingId: string,
    readonly issues: readonly string[],
  ) {
    super(`finding ${findingId} is not valid ASFF: ${issues.slice(0, 3).join('; ')}${moreOf(issues, 3)}`);
  }
}

/** Several accounts failed in one invocation; every failure is kept. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(readonly failures: readonly Error[]) {
    super(
      failures.length === 1
        ? (failures[0]?.message ?? 'publish failed')
        : `${failures.length} publish failures: ${failures.map((f) => f.message).join(' | ')}`,
    );
  }
}

/** The handler's own settings (environment) are wrong: a deployment problem. */
export class HandlerSettingsError extends Error {
  override readonly name = 'HandlerSettingsError';
}

/** The AWS error code of an SDK error (`name` in SDK v3), else the error's class name. */
export function errorCodeOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof e.Code === 'string' && e.Code) return e.Code;
    if (typeof e.name === 'string' && e.name && e.name !== 'Error') return e.name;
    if (typeof e.code === 'string' && e.code) return e.code;
  }
  return 'Error';
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function hintOf(code: string, account: string, region: string): string {
  if (code === 'InvalidAccessException') {
    return `Security Hub is not enabled (or not accessible) in account ${account} (${region})`;
  }
  if (code === 'AccessDeniedException') {
    return `the publisher role may not call securityhub:BatchImportFindings in account ${account} (${region})`;
  }
  return `BatchImportFindings failed in account ${account} (${region})`;
}

function moreOf(items: readonly unknown[], shown = 1): string {
  return items.length > shown ? ` (+${items.length - shown} more)` : '';
}
