/** Shared setup for the handler tests: real fixtures in envelopes, a Lambda context, captured logs and metrics. */
import {
  BatchImportFindingsCommand,
  type AwsSecurityFinding,
  type BatchImportFindingsCommandOutput,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { Context } from 'aws-lambda';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { createCloudTrailHandler, type CloudTrailHandlerOptions } from '../../handlers/cloudtrail';
import { createTelemetry } from '../../handlers/shared/observability';
import type { HandlerSettings } from '../../handlers/shared/settings';
import { toEventBridgeEvent, type CloudTrailEvent } from '../../rules/cloudtrail';
import { fixture } from '../fixtures';

/** The security account the function runs in. */
export const OWN_ACCOUNT = '999988887777';
export const REGION = 'eu-west-1';

/** A fixture wrapped the way EventBridge delivers it (JSON round trip: a plain, mutable object). */
export function fixtureEvent(file: string): CloudTrailEvent {
  return JSON.parse(JSON.stringify(toEventBridgeEvent(fixture(file)))) as CloudTrailEvent;
}

export function lambdaContext(account = OWN_ACCOUNT, partition = 'aws'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'exfiltrail-detect',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:${partition}:lambda:${REGION}:${account}:function:exfiltrail-detect`,
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/exfiltrail-detect',
    logStreamName: '2024/08/01/[$LATEST]abc',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function testSettings(overrides: Partial<HandlerSettings> = {}): HandlerSettings {
  return {
    region: REGION,
    publisherRoleName: 'exfiltrail-finding-publisher',
    securityHubMaxAttempts: 3,
    config: {
      json: '{}',
      maxAgeSeconds: 300,
      accountsFromOrganizations: false,
      organizationsMaxAgeSeconds: 900,
      region: REGION,
    },
    ...overrides,
  };
}

export function makeHandler(options: Partial<CloudTrailHandlerOptions> = {}) {
  return createCloudTrailHandler({
    settings: testSettings(),
    telemetry: createTelemetry(),
    sleep: async () => undefined,
    ...options,
  });
}

export interface EmfRecord {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

/** Everything Powertools writes to stdout and stderr while a test runs: JSON log lines and EMF metric records. */
export function captureStdout() {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter((l) => l.trim() !== ''));
    return true;
  };
  // Powertools writes INFO logs and EMF to stdout, WARN and ERROR logs to stderr.
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(capture),
    jest.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  const records = () =>
    lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return {
    restore: () => spies.forEach((spy) => spy.mockRestore()),
    logs: () => records().filter((r) => !('_aws' in r)),
    metrics: () => records().filter((r): r is EmfRecord => '_aws' in r),
    /** Sum of a metric's values, optionally only where a dimension has a value. */
    metricSum(name: string, where: Record<string, string> = {}): number {
      return this.metrics()
        .filter((r) => r._aws.CloudWatchMetrics.some((m) => m.Metrics.some((x) => x.Name === name)))
        .filter((r) => Object.entries(where).every(([k, v]) => r[k] === v))
        .reduce((sum, r) => sum + Number(r[name] ?? 0), 0);
    },
  };
}

/** Security Hub's answer when every finding of a BatchImportFindings call is imported. */
export function allImported(input: { Findings?: AwsSecurityFinding[] }): BatchImportFindingsCommandOutput {
  return { SuccessCount: input.Findings?.length ?? 0, FailedCount: 0, FailedFindings: [], $metadata: {} };
}

/** The mocked Security Hub accepts every import (a test overrides it with its own `on(...)`). */
export function acceptEveryImport(securityHub: AwsClientStub<SecurityHubClient>): void {
  securityHub.on(BatchImportFindingsCommand).callsFake(allImported);
}

/** Every finding sent to the mocked Security Hub, in call order. */
export function importedFindingsOf(securityHub: AwsClientStub<SecurityHubClient>): AwsSecurityFinding[] {
  return securityHub.commandCalls(BatchImportFindingsCommand).flatMap((call) => call.args[0].input.Findings ?? []);
}
