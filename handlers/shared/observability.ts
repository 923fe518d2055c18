/**
 * Structured logs (Powertools Logger) and CloudWatch EMF metrics (Powertools Metrics, namespace `exfiltrail`).
 * Every metric is emitted as its own EMF record at once (a `singleMetric` instance, made once and reused: it
 * publishes on each addMetric and then clears its dimensions and metadata), so a metric is never lost when the
 * invocation throws, and dimensions of one metric never leak into another.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'exfiltrail';
export const SERVICE_NAME = 'exfiltrail';

export type MetricName =
  /** Findings imported into Security Hub; dimension `severity` (INFORMATIONAL for suppressed signals). */
  | 'FindingsPublished'
  /** Events that failed validation (thrown; they end in the dead-letter queue). */
  | 'EventsRejected'
  /** Valid events that produced no finding; dimension `reason`: misrouted, disabled, no-signal. */
  | 'EventsIgnored'
  /** Findings Security Hub did not take (whole call failed or FailedFindings left after retries). */
  | 'PublishFailures'
  /** sts:AssumeRole into a member account failed. */
  | 'AssumeRoleFailures'
  /** AWS Organizations ListAccounts failed; the configured account list is used meanwhile. */
  | 'OrganizationsRefreshFailures';

export interface Telemetry {
  readonly logger: Logger;
  /**
   * Count something. `dimensions` become CloudWatch dimensions (keep them low-cardinality); `metadata` goes into
   * the EMF record only (searchable in Logs Insights: account, region, error code).
   */
  count(
    name: MetricName,
    options?: { value?: number; dimensions?: Record<string, string>; metadata?: Record<string, string> },
  ): void;
}

export interface TelemetryOptions {
  logger?: Logger;
  metrics?: Metrics;
}

export function createTelemetry(options: TelemetryOptions = {}): Telemetry {
  const logger = options.logger ?? new Logger({ serviceName: SERVICE_NAME });
  const metrics = options.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  let single: Metrics | undefined;
  return {
    logger,
    count(name, { value = 1, dimensions = {}, metadata = {} } = {}) {
      single ??= metrics.singleMetric();
      for (const [key, val] of Object.entries(dimensions)) single.addDimension(key, val);
      for (const [key, val] of Object.entries(metadata)) single.addMetadata(key, val);
      single.addMetric(name, MetricUnit.Count, value);
    },
  };
}
