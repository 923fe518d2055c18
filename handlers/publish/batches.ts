/** BatchImportFindings limits: at most 100 findings and 6 MB per call (240 KB per finding is the builder's job). */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';

export const MAX_FINDINGS_PER_BATCH = 100;
export const MAX_BATCH_BYTES = 6 * 1024 * 1024;
/** Room for the request's own JSON (`{"Findings":[...]}`, commas). */
const REQUEST_OVERHEAD_BYTES = 1024;

/** Split findings into batches within both limits, keeping their order. */
export function batchesOf(
  findings: readonly AwsSecurityFinding[],
  limits: { count?: number; bytes?: number } = {},
): AwsSecurityFinding[][] {
  const maxCount = limits.count ?? MAX_FINDINGS_PER_BATCH;
  const maxBytes = (limits.bytes ?? MAX_BATCH_BYTES) - REQUEST_OVERHEAD_BYTES;
  const batches: AwsSecurityFinding[][] = [];
  let current: AwsSecurityFinding[] = [];
  let bytes = 0;
  for (const finding of findings) {
    const size = Buffer.byteLength(JSON.stringify(finding), 'utf8') + 1;
    if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(finding);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Findings grouped by `AwsAccountId`, in first-seen order: each account's findings go through its own role. */
export function byAccount(findings: readonly AwsSecurityFinding[]): Map<string, AwsSecurityFinding[]> {
  const groups = new Map<string, AwsSecurityFinding[]>();
  for (const finding of findings) {
    const account = finding.AwsAccountId ?? '';
    const group = groups.get(account) ?? [];
    group.push(finding);
    groups.set(account, group);
  }
  return groups;
}
