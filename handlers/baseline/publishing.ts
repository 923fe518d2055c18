/**
 * Publishing a window's flagged bins: a validated ASFF finding per signal, imported into the account the data
 * lives in, as that account (the CloudTrail handler's publisher). Most windows flag nothing, so the GetObject
 * handler loads this module with `import()` only when one does: the ASFF builder and schema, STS and Security Hub
 * then stay out of its module init.
 */
import type { Context } from 'aws-lambda';
import type { Signal } from '../../rules/signal';
import { createCredentialCache } from '../publish/credentials';
import { createPublisher, type PublishedFinding } from '../publish/security-hub';
import type { ClientFactory } from '../shared/clients';
import { findingFor } from '../shared/detect';
import type { Telemetry } from '../shared/observability';
import { runtimeOf } from '../shared/runtime';

export interface WindowPublisherOptions {
  clients: ClientFactory;
  /** The handler's region: Security Hub's endpoint and the findings' ProductArn. */
  region: string;
  publisherRoleName: string;
  /** AssumeRole session name: who and why, as the member account's CloudTrail shows it. */
  sessionName: string;
  telemetry: Telemetry;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface WindowPublisher {
  /** Build, validate and import one finding per signal; throws like the CloudTrail handler's publisher. */
  publish(signals: readonly Signal[]): Promise<PublishedFinding[]>;
}

export function createWindowPublisher(options: WindowPublisherOptions, context: Context): WindowPublisher {
  const { region, telemetry } = options;
  const runtime = runtimeOf(context.invokedFunctionArn);
  const credentials = createCredentialCache({
    sts: () => options.clients.sts(region),
    partition: runtime.partition,
    region,
    roleName: options.publisherRoleName,
    sessionName: options.sessionName,
    ...(options.now ? { now: options.now } : {}),
  });
  const publisher = createPublisher({
    clients: options.clients,
    credentials,
    region,
    ownAccountId: runtime.accountId,
    telemetry,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  return {
    publish(signals) {
      const findings = signals.map((signal) => {
        const finding = findingFor(signal, { importRegion: region, partition: runtime.partition });
        if (signal.suppressed) {
          telemetry.logger.info('signal suppressed by the allowlist: published at INFORMATIONAL', {
            findingId: finding.Id,
            reason: signal.suppressed.reason,
            principal: signal.actor.principal,
          });
        }
        return finding;
      });
      return publisher.publish(findings);
    },
  };
}
