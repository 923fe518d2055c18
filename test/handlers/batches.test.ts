/** BatchImportFindings batching limits: 100 findings and 6 MB per call; grouping by account. */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { batchesOf, byAccount, MAX_BATCH_BYTES } from '../../handlers/publish/batches';
import { isRetryableFailure } from '../../handlers/publish/security-hub';

function finding(id: number, account = '111111111111', padding = 0): AwsSecurityFinding {
  return { Id: `f-${id}`, AwsAccountId: account, Description: 'x'.repeat(padding) } as AwsSecurityFinding;
}

test('at most 100 findings per batch, order kept', () => {
  const findings = Array.from({ length: 250 }, (_, i) => finding(i));
  const batches = batchesOf(findings);
  expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
  expect(batches.flat().map((f) => f.Id)).toEqual(findings.map((f) => f.Id));
});

test('at most 6 MB per batch: 240 KB findings go 25 to a call, not 100', () => {
  const findings = Array.from({ length: 60 }, (_, i) => finding(i, '111111111111', 240 * 1024 - 100));
  const batches = batchesOf(findings);
  for (const batch of batches) {
    expect(Buffer.byteLength(JSON.stringify({ Findings: batch }))).toBeLessThanOrEqual(MAX_BATCH_BYTES);
  }
  expect(batches.flat()).toHaveLength(60);
  expect(batches.length).toBe(3);
});

test('a single oversized finding still gets its own batch (Security Hub reports it, it is not dropped)', () => {
  expect(batchesOf([finding(1, '1', 7 * 1024 * 1024)])).toHaveLength(1);
  expect(batchesOf([])).toEqual([]);
});

test('findings are grouped by AwsAccountId', () => {
  const groups = byAccount([finding(1, 'a'), finding(2, 'b'), finding(3, 'a')]);
  expect([...groups].map(([account, fs]) => [account, fs.map((f) => f.Id)])).toEqual([
    ['a', ['f-1', 'f-3']],
    ['b', ['f-2']],
  ]);
});

test.each([
  ['ThrottlingException', true],
  ['TooManyRequestsException', true],
  ['LimitExceededException', true],
  ['InternalException', true],
  ['ServiceUnavailable', true],
  ['InvalidInput', false],
  ['AccessDeniedException', false],
  ['InvalidAccessException', false],
])('FailedFindings code %s retryable: %s', (code, retryable) => {
  expect(isRetryableFailure(code)).toBe(retryable);
});
