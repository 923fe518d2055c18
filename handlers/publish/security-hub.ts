/**
 * Publish ASFF findings with BatchImportFindings, as the account each finding belongs to, into the handler's
 * region. Throttling of a call is retried by the SDK (adaptive mode, bounded attempts); findings the call
 * reports in FailedFindings are retried when their error code is transient; anything still not imported
 * raises, so the event is retried by Lambda and finally dead-lettered. Re-importing is harmless: the Id is
 * deterministic and an import whose UpdatedAt is not later than the stored one is ignored.
 */
import { BatchImportFindingsCommand, type AwsSecurityFinding, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { ClientFactory } from '../shared/clients';
import type { Telemetry } from '../shared/observability';
import { batchesOf, byAccount } from './batches';
import type { CredentialCache } from './credentials';
import {
  AssumeRoleError,
  errorCodeOf,
  FindingsNotImportedError,
  messageOf,
  PublishError,
  SecurityHubCallError,
  type FailedFinding,
} from './errors';

export interface PublisherOptions {
  clients: ClientFactory;
  credentials: CredentialCache;
  /** The Security Hub endpoint's region: the handler's own (findings' ProductArn must name it). */
  region: string;
  /** The function's account: its findings are imported with the function's own role. */
  ownAccountId: string;
  telemetry: Telemetry;
  /** Import rounds for findings reported in FailedFindings with a transient code. */
  failedFindingRounds?: number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface PublishedFinding {
  id: string;
  account: string;
  severity: string;
}

export interface Publisher {
  /** Import every finding or throw (AssumeRoleError, SecurityHubCallError, FindingsNotImportedError, PublishError). */
  publish(findings: readonly AwsSecurityFinding[]): Promise<PublishedFinding[]>;
}

/**
 * Codes worth another try within the invocation. AWS does not publish the list of FailedFindings codes; what is
 * seen in practice for a bad finding is `InvalidInput` (permanent). Throttling and server-side codes follow the
 * SDK's own classification. Any other code is not retried here, but the invocation still fails, so Lambda's
 * async retries try again before the event is dead-lettered.
 */
const TRANSIENT_CODE =
  /^(Throttl|ThrottlingException|TooManyRequests|LimitExceeded|RequestLimitExceeded|SlowDown|Internal|ServiceUnavailable|RequestTimeout|Timeout)/iu;

export function isRetryableFailure(code: string): boolean {
  return TRANSIENT_CODE.test(code);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createPublisher(options: PublisherOptions): Publisher {
  const { telemetry, region } = options;
  const rounds = options.failedFindingRounds ?? 3;
  const backoffMs = options.backoffMs ?? 200;
  const sleep = options.sleep ?? defaultSleep;
  const clients = new Map<string, Promise<SecurityHubClient>>();

  function clientFor(account: string): Promise<SecurityHubClient> {
    let client = clients.get(account);
    if (!client) {
      client =
        account === options.ownAccountId
          ? options.clients.securityHub({ region, account })
          : options.clients.securityHub({ region, account, credentials: () => options.credentials.get(account) });
      clients.set(account, client);
      // A client that could not be made (its code failed to load) is not kept: the next batch tries again.
      client.catch(() => clients.delete(account));
    }
    return client;
  }

  async function importBatch(account: string, batch: AwsSecurityFinding[]): Promise<FailedFinding[]> {
    const client = await clientFor(account);
    let pending = batch;
    const permanent: FailedFinding[] = [];
    for (let round = 1; pending.length > 0; round += 1) {
      let out;
      try {
        out = await client.send(new BatchImportFindingsCommand({ Findings: pending }));
      } catch (error) {
        throw new SecurityHubCallError(account, region, errorCodeOf(error), pending.map(idOf), error);
      }
      const failed: FailedFinding[] = (out.FailedFindings ?? []).map((f) => ({
        id: f.Id ?? '(no id)',
        code: f.ErrorCode ?? 'Unknown',
        message: f.ErrorMessage ?? '',
      }));
      if (failed.length === 0 && (out.FailedCount ?? 0) > 0) {
        // A count without the list: we cannot tell which failed, so all are retried (re-import is idempotent).
        for (const f of pending) failed.push({ id: idOf(f), code: 'InternalUnlistedFailure', message: 'FailedCount without FailedFindings' });
      }
      const retry = new Set(failed.filter((f) => isRetryableFailure(f.code)).map((f) => f.id));
      permanent.push(...failed.filter((f) => !retry.has(f.id)));
      pending = pending.filter((f) => retry.has(idOf(f)));
      if (pending.length === 0) break;
      if (round >= rounds) {
        permanent.push(...failed.filter((f) => retry.has(f.id)));
        break;
      }
      telemetry.logger.warn('Security Hub reported transient failures; retrying them', {
        account,
        region,
        round,
        retrying: [...retry],
      });
      await sleep(backoffMs * 2 ** (round - 1));
    }
    return permanent;
  }

  async function publishAccount(account: string, findings: AwsSecurityFinding[]): Promise<PublishedFinding[]> {
    if (account !== options.ownAccountId) {
      try {
        await options.credentials.get(account);
      } catch (error) {
        if (error instanceof AssumeRoleError) {
          telemetry.logger.error('cannot assume the publisher role', {
            account,
            region,
            roleArn: error.roleArn,
            errorCode: error.code,
            error: error.message,
          });
          telemetry.count('AssumeRoleFailures', { metadata: { account, region, errorCode: error.code } });
          telemetry.count('PublishFailures', { value: findings.length, metadata: { account, region, errorCode: error.code } });
        }
        throw error;
      }
    }
    const published: PublishedFinding[] = [];
    const failed: FailedFinding[] = [];
    for (const batch of batchesOf(findings)) {
      let permanent: FailedFinding[];
      try {
        permanent = await importBatch(account, batch);
      } catch (error) {
        const code = error instanceof SecurityHubCallError ? error.code : errorCodeOf(error);
        telemetry.logger.error('BatchImportFindings failed', { account, region, errorCode: code, error: messageOf(error) });
        telemetry.count('PublishFailures', { value: batch.length, metadata: { account, region, errorCode: code } });
        throw error;
      }
      const failedIds = new Set(permanent.map((f) => f.id));
      failed.push(...permanent);
      for (const finding of batch) {
        if (failedIds.has(idOf(finding))) continue;
        const entry = { id: idOf(finding), account, severity: finding.Severity?.Label ?? 'UNKNOWN' };
        published.push(entry);
        telemetry.logger.info('finding published', { findingId: entry.id, account, region, severity: entry.severity });
        telemetry.count('FindingsPublished', { dimensions: { severity: entry.severity } });
      }
    }
    if (failed.length > 0) {
      telemetry.logger.error('findings not imported', { account, region, failedFindings: failed });
      telemetry.count('PublishFailures', {
        value: failed.length,
        metadata: { account, region, errorCode: failed[0]?.code ?? 'Unknown' },
      });
      throw new FindingsNotImportedError(account, region, failed);
    }
    return published;
  }

  return {
    async publish(findings) {
      const results = await Promise.allSettled(
        [...byAccount(findings)].map(([account, group]) => publishAccount(account, group)),
      );
      const errors = results.flatMap((r) => (r.status === 'rejected' ? [asError(r.reason)] : []));
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1) throw new PublishError(errors);
      return results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    },
  };
}

function idOf(finding: AwsSecurityFinding): string {
  return finding.Id ?? '(no id)';
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
