/**
 * Lambda entry point for CloudTrail events delivered by EventBridge: validate, run the detection(s), build
 * ASFF findings and import each into Security Hub as the account where the event happened.
 *
 * Environment: AWS_REGION (import region), DETECTION_ID (optional: one detection per function),
 * PUBLISHER_ROLE_NAME, EXFILTRAIL_CONFIG or EXFILTRAIL_CONFIG_PARAMETER (+ EXFILTRAIL_CONFIG_MAX_AGE_SECONDS),
 * EXFILTRAIL_ORG_ACCOUNTS_FROM_ORGANIZATIONS (+ EXFILTRAIL_ORG_ACCOUNTS_MAX_AGE_SECONDS), SECURITY_HUB_MAX_ATTEMPTS.
 *
 * Failures throw, on purpose: the asynchronous invocation is retried (MaximumRetryAttempts, which the infra
 * keeps low: an invalid event fails the same way every time) and then goes to the on-failure destination /
 * dead-letter queue. Nothing is swallowed. See docs/handlers.md.
 */
import type { Context } from 'aws-lambda';
import type { Detection } from '../rules/detection';
import { ALL_DETECTIONS } from '../rules/detections';
import { errorCodeOf, InvalidEventError, messageOf } from './publish/errors';
import { createCredentialCache, type CredentialCache } from './publish/credentials';
import { createPublisher, type PublishedFinding, type Publisher } from './publish/security-hub';
import { createClientFactory, type ClientFactory } from './shared/clients';
import * as securityHubCode from './shared/on-demand/security-hub';
import * as stsCode from './shared/on-demand/sts';
import { createConfigSource, type ConfigSource } from './shared/config';
import { evaluateEvent, findingFor, selectDetections, type Evaluation } from './shared/detect';
import { eventIdOf, parseCloudTrailEvent } from './shared/event';
import { createTelemetry, type Telemetry } from './shared/observability';
import { runtimeOf, type Runtime } from './shared/runtime';
import { settingsFromEnv, type HandlerSettings } from './shared/settings';

export interface CloudTrailHandlerOptions {
  settings: HandlerSettings;
  clients?: ClientFactory;
  telemetry?: Telemetry;
  detections?: readonly Detection[];
  now?: () => number;
  /** Wait between FailedFindings retry rounds (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
}

export interface HandlerResult {
  eventId: string;
  published: PublishedFinding[];
  ignored: Evaluation['ignored'];
}

export type CloudTrailHandler = (event: unknown, context: Context) => Promise<HandlerResult>;

export function createCloudTrailHandler(options: CloudTrailHandlerOptions): CloudTrailHandler {
  const { settings } = options;
  const telemetry = options.telemetry ?? createTelemetry();
  const clients =
    options.clients ??
    createClientFactory({
      securityHubMaxAttempts: settings.securityHubMaxAttempts,
      // Nearly every event this handler receives publishes a finding (EventBridge delivers only pattern matches).
      preloaded: { securityHub: securityHubCode, sts: stsCode },
    });
  const detections = selectDetections(settings.detectionId, options.detections ?? ALL_DETECTIONS);
  const single = settings.detectionId !== undefined;
  const { logger } = telemetry;
  const configSource: ConfigSource = createConfigSource({
    settings: settings.config,
    clients,
    telemetry,
    detections: options.detections ?? ALL_DETECTIONS,
    ...(options.now ? { now: options.now } : {}),
  });
  // Made on the first invocation: the partition and own account come from the function's ARN.
  let publishing: { runtime: Runtime; credentials: CredentialCache; publisher: Publisher } | undefined;

  function publishingFor(context: Context) {
    if (publishing) return publishing;
    const runtime = runtimeOf(context.invokedFunctionArn);
    const credentials = createCredentialCache({
      sts: () => clients.sts(settings.region),
      partition: runtime.partition,
      region: settings.region,
      roleName: settings.publisherRoleName,
      sessionName: `exfiltrail-${settings.detectionId ?? 'all'}`,
      ...(options.now ? { now: options.now } : {}),
    });
    const publisher = createPublisher({
      clients,
      credentials,
      region: settings.region,
      ownAccountId: runtime.accountId,
      telemetry,
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
    publishing = { runtime, credentials, publisher };
    return publishing;
  }

  return async function handler(rawEvent, context) {
    logger.addContext(context);
    logger.appendKeys({ detection: settings.detectionId ?? 'all', eventId: eventIdOf(rawEvent) });
    try {
      const { runtime, publisher } = publishingFor(context);
      let event;
      try {
        event = parseCloudTrailEvent(rawEvent);
      } catch (error) {
        if (error instanceof InvalidEventError) {
          logger.error('event rejected', { field: error.field, problems: error.problems.slice(0, 10) });
          telemetry.count('EventsRejected', { metadata: { field: error.field } });
        }
        throw error;
      }
      logger.appendKeys({ account: event.account, eventRegion: event.region, eventName: event.detail.eventName });

      const config = await configSource.get();
      const evaluation = evaluateEvent(event, detections, config, { single });
      for (const { detection, reason } of evaluation.ignored) {
        const log = reason === 'no-signal' ? logger.info : logger.warn;
        log.call(logger, `event ignored: ${reason}`, { ignoredBy: detection, reason });
        telemetry.count('EventsIgnored', { dimensions: { reason } });
      }

      const findings = evaluation.signals.map((signal) => {
        const finding = findingFor(signal, { importRegion: settings.region, partition: runtime.partition });
        if (signal.suppressed) {
          logger.info('signal suppressed by the allowlist: published at INFORMATIONAL', {
            findingId: finding.Id,
            reason: signal.suppressed.reason,
            principal: signal.actor.principal,
          });
        }
        return finding;
      });
      const published = findings.length > 0 ? await publisher.publish(findings) : [];
      return { eventId: event.id, published, ignored: evaluation.ignored };
    } catch (error) {
      if (!(error instanceof InvalidEventError)) {
        logger.error('event not processed; it will be retried, then dead-lettered', {
          errorName: errorCodeOf(error),
          error: messageOf(error),
        });
      }
      throw error;
    } finally {
      logger.resetKeys();
    }
  };
}

let defaultHandler: CloudTrailHandler | undefined;

/** The Lambda handler: settings from the environment, made once per execution environment. */
export const handler: CloudTrailHandler = (event, context) => {
  defaultHandler ??= createCloudTrailHandler({ settings: settingsFromEnv() });
  return defaultHandler(event, context);
};
