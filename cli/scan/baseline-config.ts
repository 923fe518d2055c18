/**
 * One config for both parts of a scan: the registry accepts `s3-getobject-anomaly` settings (a scheduled
 * detection), and allowlist entries scoped to it only apply to the baseline's signals.
 */
import { GETOBJECT_DETECTION_ID } from '../../rules/baseline/detection';
import type { ExfiltrailConfig } from '../../rules/config';

/** False when the config sets `detections.s3-getobject-anomaly.enabled` to false. */
export function baselineEnabledIn(config: ExfiltrailConfig | undefined): boolean {
  return config?.detections[GETOBJECT_DETECTION_ID]?.enabled !== false;
}
