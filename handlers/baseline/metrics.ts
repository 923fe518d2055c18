/**
 * The baseline's own EMF metrics (namespace `exfiltrail`, same service as the other handlers), each its own
 * record at once like handlers/shared/observability.ts: a metric is never lost when the invocation throws.
 *
 * - `BaselineQueryFailures` (Count; dimension `query`): a query FAILED, was CANCELLED, timed out or could not be
 *   started/read. The infra alarms on it.
 * - `BaselineBytesScanned` (Bytes; dimension `query`): Athena's DataScannedInBytes per query, what is billed.
 * - `BaselineBinsScored` (Count): window rows scored; `BaselineBinsFlagged` (Count): bins that became findings.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../shared/observability';
import type { QueryLabel } from './athena';

export interface BaselineMetrics {
  queryFailed(query: QueryLabel, metadata: { queryExecutionId: string; state: string }): void;
  bytesScanned(query: QueryLabel, bytes: number): void;
  binsScored(count: number): void;
  binsFlagged(count: number): void;
}

export function createBaselineMetrics(metrics?: Metrics): BaselineMetrics {
  const base = metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  let single: Metrics | undefined;
  const emit = (
    name: string,
    unit: (typeof MetricUnit)[keyof typeof MetricUnit],
    value: number,
    dimensions: Record<string, string> = {},
    metadata: Record<string, string> = {},
  ) => {
    single ??= base.singleMetric();
    for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
    for (const [k, v] of Object.entries(metadata)) single.addMetadata(k, v);
    single.addMetric(name, unit, value);
  };
  return {
    queryFailed(query, metadata) {
      emit('BaselineQueryFailures', MetricUnit.Count, 1, { query }, metadata);
    },
    bytesScanned(query, bytes) {
      emit('BaselineBytesScanned', MetricUnit.Bytes, bytes, { query });
    },
    binsScored(count) {
      emit('BaselineBinsScored', MetricUnit.Count, count);
    },
    binsFlagged(count) {
      emit('BaselineBinsFlagged', MetricUnit.Count, count);
    },
  };
}
