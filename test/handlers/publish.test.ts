/**
 * Findings reach Security Hub as the event's account: role assumption, credential caching, batching, retries
 * and failures, with the SDK mocked (aws-sdk-client-mock) and the real fixtures.
 */
import {
  BatchImportFindingsCommand,
  InvalidAccessException,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AssumeRoleError, FindingsNotImportedError, SecurityHubCallError } from '../../handlers/publish/errors';
import { createClientFactory, type ClientFactory } from '../../handlers/shared/clients';
import {
  acceptEveryImport,
  allImported,
  captureStdout,
  fixtureEvent,
  importedFindingsOf,
  lambdaContext,
  makeHandler,
  OWN_ACCOUNT,
  REGION,
} from './helpers';

const securityHub = mockClient(SecurityHubClient);
const sts = mockClient(STSClient);

const SHARE = '022-ebs-snapshot-shared-stratus.json'; // account 756680937392
const SHARE_ACCOUNT = '756680937392';
const COPY = '030-ebs-sharedsnapshotcopyinitiated-doc.json'; // account 111111111111
const COPY_ACCOUNT = '111111111111';

let clock = Date.parse('2024-08-01T13:00:00Z');
const now = () => clock;

function credentials(expiresInMs = 3600_000) {
  return {
    Credentials: {
      AccessKeyId: 'ASIAEXAMPLE',
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(clock + expiresInMs),
    },
  };
}

const importedFindings = () => importedFindingsOf(securityHub);

/** The default factory, recording which account each Security Hub client is made for and with what credentials. */
function recordingFactory() {
  const made: { account: string; assumed: boolean }[] = [];
  const base = createClientFactory();
  const factory: ClientFactory = {
    ...base,
    securityHub(request) {
      made.push({ account: request.account, assumed: request.credentials !== undefined });
      return base.securityHub(request);
    },
  };
  return { factory, made };
}

let output: ReturnType<typeof captureStdout>;

beforeEach(() => {
  securityHub.reset();
  sts.reset();
  clock = Date.parse('2024-08-01T13:00:00Z');
  sts.on(AssumeRoleCommand).callsFake(() => credentials());
  acceptEveryImport(securityHub);
  output = captureStdout();
});

afterEach(() => output.restore());

describe('publishing as the affected account', () => {
  test('the EBS share (022) becomes a finding of its own account, imported into the handler region', async () => {
    const { factory, made } = recordingFactory();
    const handler = makeHandler({ clients: factory, now });
    const result = await handler(fixtureEvent(SHARE), lambdaContext());

    const [finding] = importedFindings();
    expect(importedFindings()).toHaveLength(1);
    expect(finding?.AwsAccountId).toBe(SHARE_ACCOUNT);
    expect(finding?.ProductArn).toBe(`arn:aws:securityhub:${REGION}:${SHARE_ACCOUNT}:product/${SHARE_ACCOUNT}/default`);
    expect(finding?.GeneratorId).toBe('exfiltrail/ebs-snapshot-shared');
    expect(finding).not.toHaveProperty('Workflow');
    expect(finding).not.toHaveProperty('Note');
    expect(finding).not.toHaveProperty('UserDefinedFields');
    expect(result.published).toEqual([{ id: finding?.Id, account: SHARE_ACCOUNT, severity: finding?.Severity?.Label }]);
    expect(made).toEqual([{ account: SHARE_ACCOUNT, assumed: true }]);

    const assumed = sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input);
    expect(assumed).toEqual([
      expect.objectContaining({
        RoleArn: `arn:aws:iam::${SHARE_ACCOUNT}:role/exfiltrail-finding-publisher`,
        RoleSessionName: 'exfiltrail-all',
      }),
    ]);
    expect(output.metricSum('FindingsPublished', { severity: String(finding?.Severity?.Label) })).toBe(1);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ message: 'finding published', findingId: finding?.Id, account: SHARE_ACCOUNT }),
    );
  });

  test('the shared snapshot copy (030) is published in the victim account, not the copier', async () => {
    const handler = makeHandler({ now });
    await handler(fixtureEvent(COPY), lambdaContext());
    const [finding] = importedFindings();
    expect(finding?.AwsAccountId).toBe(COPY_ACCOUNT);
    expect(finding?.ProductArn).toContain(`:${COPY_ACCOUNT}:product/${COPY_ACCOUNT}/default`);
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleArn).toBe(
      `arn:aws:iam::${COPY_ACCOUNT}:role/exfiltrail-finding-publisher`,
    );
  });

  test('an event of the function’s own account is published without assuming a role', async () => {
    const { factory, made } = recordingFactory();
    const handler = makeHandler({ clients: factory, now });
    await handler(fixtureEvent(SHARE), lambdaContext(SHARE_ACCOUNT));
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(made).toEqual([{ account: SHARE_ACCOUNT, assumed: false }]);
    expect(importedFindings()[0]?.AwsAccountId).toBe(SHARE_ACCOUNT);
  });

  test('the partition comes from the function ARN (aws-cn role and ProductArn)', async () => {
    const handler = makeHandler({ now });
    await handler(fixtureEvent(SHARE), lambdaContext(OWN_ACCOUNT, 'aws-cn'));
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleArn).toMatch(/^arn:aws-cn:iam::756680937392:/);
    expect(importedFindings()[0]?.ProductArn).toMatch(/^arn:aws-cn:securityhub:/);
  });

  test('the session name says which detection publishes', async () => {
    const handler = makeHandler({ now, settings: { ...(await import('./helpers')).testSettings(), detectionId: 'ebs-snapshot-shared' } });
    await handler(fixtureEvent(SHARE), lambdaContext());
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleSessionName).toBe('exfiltrail-ebs-snapshot-shared');
  });
});

describe('credentials', () => {
  test('are cached per account and refreshed five minutes before they expire', async () => {
    const handler = makeHandler({ now });
    await handler(fixtureEvent(SHARE), lambdaContext());
    await handler(fixtureEvent(SHARE), lambdaContext());
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);

    await handler(fixtureEvent(COPY), lambdaContext());
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([
      expect.stringContaining(SHARE_ACCOUNT),
      expect.stringContaining(COPY_ACCOUNT),
    ]);

    clock += 54 * 60_000; // 6 minutes left: still used
    await handler(fixtureEvent(SHARE), lambdaContext());
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    clock += 2 * 60_000; // 4 minutes left: refreshed
    await handler(fixtureEvent(SHARE), lambdaContext());
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(3);
    expect(sts.commandCalls(AssumeRoleCommand)[2]?.args[0].input.RoleArn).toContain(SHARE_ACCOUNT);
  });

  test('AccessDenied on AssumeRole is reported with account and region, as a metric, and thrown', async () => {
    sts.on(AssumeRoleCommand).rejects(
      new STSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'User: arn:aws:sts::999988887777:assumed-role/exfiltrail/x is not authorized to perform: sts:AssumeRole',
      }),
    );
    const handler = makeHandler({ now });
    const failure = handler(fixtureEvent(SHARE), lambdaContext());
    await expect(failure).rejects.toBeInstanceOf(AssumeRoleError);
    await expect(failure).rejects.toThrow(
      `cannot assume arn:aws:iam::${SHARE_ACCOUNT}:role/exfiltrail-finding-publisher to publish findings in account ${SHARE_ACCOUNT} (${REGION}): AccessDenied`,
    );
    expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(0);
    expect(output.metricSum('AssumeRoleFailures', { account: SHARE_ACCOUNT, region: REGION, errorCode: 'AccessDenied' })).toBe(1);
    expect(output.metricSum('PublishFailures')).toBe(1);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'cannot assume the publisher role', account: SHARE_ACCOUNT, region: REGION }),
    );
  });

  test('a failed AssumeRole is not cached: the next event tries again', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(new STSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'denied' }))
      .callsFake(() => credentials());
    const handler = makeHandler({ now });
    await expect(handler(fixtureEvent(SHARE), lambdaContext())).rejects.toBeInstanceOf(AssumeRoleError);
    await handler(fixtureEvent(SHARE), lambdaContext());
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    expect(importedFindings()).toHaveLength(1);
  });
});

describe('Security Hub failures', () => {
  test('findings in FailedFindings with a transient code are retried, and only those', async () => {
    let calls = 0;
    securityHub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => {
      calls += 1;
      if (calls === 1) {
        return {
          SuccessCount: 0,
          FailedCount: input.Findings.length,
          FailedFindings: input.Findings.map((f) => ({ Id: f.Id, ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' })),
        };
      }
      return allImported(input);
    });
    const handler = makeHandler({ now });
    const result = await handler(fixtureEvent(SHARE), lambdaContext());
    expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(2);
    expect(result.published).toHaveLength(1);
    expect(output.metricSum('FindingsPublished')).toBe(1);
    expect(output.metricSum('PublishFailures')).toBe(0);
  });

  test('a permanent FailedFindings code is not retried and the invocation fails naming the finding', async () => {
    securityHub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => ({
      SuccessCount: 0,
      FailedCount: 1,
      FailedFindings: [{ Id: input.Findings[0]?.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'Finding does not adhere to Amazon Finding Format.' }],
    }));
    const handler = makeHandler({ now });
    const failure = handler(fixtureEvent(SHARE), lambdaContext());
    await expect(failure).rejects.toBeInstanceOf(FindingsNotImportedError);
    await expect(failure).rejects.toThrow(/1 finding\(s\) not imported .* account 756680937392 \(eu-west-1\), e\.g\. exfiltrail\/ebs-snapshot-shared\/.*: InvalidInput/);
    expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(1);
    expect(output.metricSum('PublishFailures', { account: SHARE_ACCOUNT, errorCode: 'InvalidInput' })).toBe(1);
    expect(output.metricSum('FindingsPublished')).toBe(0);
  });

  test('transient failures that outlast the retry rounds fail the invocation', async () => {
    securityHub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => ({
      SuccessCount: 0,
      FailedCount: 1,
      FailedFindings: [{ Id: input.Findings[0]?.Id, ErrorCode: 'InternalException', ErrorMessage: 'try later' }],
    }));
    const handler = makeHandler({ now });
    await expect(handler(fixtureEvent(SHARE), lambdaContext())).rejects.toThrow(FindingsNotImportedError);
    expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(3);
  });

  test('Security Hub not enabled in the member account is reported with account and region', async () => {
    securityHub.on(BatchImportFindingsCommand).rejects(
      new InvalidAccessException({ $metadata: { httpStatusCode: 401 }, message: `Account ${SHARE_ACCOUNT} is not subscribed to AWS Security Hub` }),
    );
    const handler = makeHandler({ now });
    const failure = handler(fixtureEvent(SHARE), lambdaContext());
    await expect(failure).rejects.toBeInstanceOf(SecurityHubCallError);
    await expect(failure).rejects.toThrow(
      `Security Hub is not enabled (or not accessible) in account ${SHARE_ACCOUNT} (${REGION}): InvalidAccessException`,
    );
    expect(output.metricSum('PublishFailures', { account: SHARE_ACCOUNT, region: REGION, errorCode: 'InvalidAccessException' })).toBe(1);
  });

  test('one failing account does not stop another; both outcomes are kept and the invocation fails', async () => {
    const { createPublisher } = await import('../../handlers/publish/security-hub');
    const { createCredentialCache } = await import('../../handlers/publish/credentials');
    const { createTelemetry } = await import('../../handlers/shared/observability');
    const { buildFinding } = await import('../../handlers/findings');
    const { snapshotShareSignal } = await import('../findings/signal-builder');
    securityHub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => {
      if (input.Findings[0]?.AwsAccountId === '222222222222') throw new InvalidAccessException({ $metadata: {}, message: 'not subscribed' });
      return allImported(input);
    });
    const clients = createClientFactory();
    const publisher = createPublisher({
      clients,
      credentials: createCredentialCache({ sts: () => clients.sts(REGION), partition: 'aws', region: REGION, roleName: 'r', sessionName: 'exfiltrail-test', now }),
      region: REGION,
      ownAccountId: OWN_ACCOUNT,
      telemetry: createTelemetry(),
      sleep: async () => undefined,
    });
    const ok = buildFinding(snapshotShareSignal({ account: '111111111111' }), { importRegion: REGION });
    const bad = buildFinding(snapshotShareSignal({ account: '222222222222' }), { importRegion: REGION });
    await expect(publisher.publish([ok, bad])).rejects.toThrow(/account 222222222222/);
    expect(importedFindings().map((f) => f.AwsAccountId)).toEqual(['111111111111', '222222222222']);
    expect(output.metricSum('FindingsPublished')).toBe(1);
  });
});

describe('throttling through the real SDK client (adaptive retries)', () => {
  test('a throttled BatchImportFindings is retried by the SDK and the finding is published once', async () => {
    securityHub.restore();
    const requests: string[] = [];
    let attempt = 0;
    const requestHandler = {
      handle: async (request: { body?: unknown }) => {
        attempt += 1;
        const raw = request.body;
        requests.push(raw instanceof Uint8Array ? new TextDecoder().decode(raw) : String(raw));
        const throttled = attempt === 1;
        const body = throttled
          ? { message: 'Rate exceeded' }
          : { FailedCount: 0, SuccessCount: 1, FailedFindings: [] };
        return {
          response: {
            statusCode: throttled ? 429 : 200,
            reason: throttled ? 'Too Many Requests' : 'OK',
            headers: {
              'content-type': 'application/json',
              ...(throttled ? { 'x-amzn-errortype': 'TooManyRequestsException' } : {}),
            },
            body: Buffer.from(JSON.stringify(body)),
          },
        };
      },
    };
    const clients = createClientFactory({
      securityHubMaxAttempts: 3,
      securityHubConfig: {
        requestHandler: requestHandler as never,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      },
    });
    try {
      const handler = makeHandler({ clients, now });
      const result = await handler(fixtureEvent(SHARE), lambdaContext(SHARE_ACCOUNT));
      expect(attempt).toBe(2);
      expect(result.published).toHaveLength(1);
      expect(output.metricSum('FindingsPublished')).toBe(1);
      // Both attempts carried the same finding: a retry never changes the Id.
      const ids = requests.map((body) => (JSON.parse(body) as { Findings: { Id: string }[] }).Findings[0]?.Id);
      expect(new Set(ids).size).toBe(1);
    } finally {
      mockClient(SecurityHubClient);
    }
  });

  test('throttling that outlasts maxAttempts fails the invocation', async () => {
    securityHub.restore();
    let attempt = 0;
    const clients = createClientFactory({
      securityHubMaxAttempts: 2,
      securityHubConfig: {
        requestHandler: {
          handle: async () => {
            attempt += 1;
            return {
              response: {
                statusCode: 429,
                headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' },
                body: Buffer.from('{"message":"Rate exceeded"}'),
              },
            };
          },
        } as never,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      },
    });
    try {
      const handler = makeHandler({ clients, now });
      await expect(handler(fixtureEvent(SHARE), lambdaContext(SHARE_ACCOUNT))).rejects.toThrow(
        /BatchImportFindings failed in account 756680937392 \(eu-west-1\): TooManyRequestsException/,
      );
      expect(attempt).toBe(2);
      expect(output.metricSum('PublishFailures', { errorCode: 'TooManyRequestsException' })).toBe(1);
    } finally {
      mockClient(SecurityHubClient);
    }
  });
});
