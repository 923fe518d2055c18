/** What the handler does with each kind of delivered event: redelivered, mis-routed, malformed, allowlisted. */
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidEventError, HandlerSettingsError } from '../../handlers/publish/errors';
import { acceptEveryImport, captureStdout, fixtureEvent, importedFindingsOf, lambdaContext, makeHandler, testSettings } from './helpers';

const securityHub = mockClient(SecurityHubClient);
const sts = mockClient(STSClient);
const SHARE = '022-ebs-snapshot-shared-stratus.json';

const imported = () => importedFindingsOf(securityHub);

let output: ReturnType<typeof captureStdout>;
beforeEach(() => {
  securityHub.reset();
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'a', SecretAccessKey: 'b', SessionToken: 'c', Expiration: new Date(Date.now() + 3600_000) },
  });
  acceptEveryImport(securityHub);
  output = captureStdout();
});
afterEach(() => output.restore());

test('a CloudTrail event delivered three times yields the same finding Id and UpdatedAt each time', async () => {
  const handler = makeHandler();
  await handler(fixtureEvent(SHARE), lambdaContext());
  await handler(fixtureEvent(SHARE), lambdaContext());
  // A later, separate function instance (cold start) must agree too.
  await makeHandler()(fixtureEvent(SHARE), lambdaContext());
  const findings = imported();
  expect(findings).toHaveLength(3);
  expect(new Set(findings.map((f) => f.Id)).size).toBe(1);
  expect(new Set(findings.map((f) => f.UpdatedAt))).toEqual(new Set(['2024-08-01T12:28:02.000Z']));
  expect(findings[0]?.Id).toBe('exfiltrail/ebs-snapshot-shared/756680937392/me-central-3r/6897ff63-d738-445c-9e86-43e5b1f8e12f');
});

test('UpdatedAt is the event time, not the delivery time, so a late redelivery never moves it back or forth', async () => {
  const event = fixtureEvent(SHARE);
  event.time = '2024-08-03T00:00:00Z'; // delivered two days later
  await makeHandler()(event, lambdaContext());
  expect(imported()[0]?.UpdatedAt).toBe('2024-08-01T12:28:02.000Z');
});

test('an event delivered to the wrong detection is logged and ignored, not scored', async () => {
  const handler = makeHandler({ settings: testSettings({ detectionId: 'rds-snapshot-shared' }) });
  const result = await handler(fixtureEvent(SHARE), lambdaContext());
  expect(result.published).toEqual([]);
  expect(result.ignored).toEqual([{ detection: 'rds-snapshot-shared', reason: 'misrouted' }]);
  expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(0);
  expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  expect(output.metricSum('EventsIgnored', { reason: 'misrouted' })).toBe(1);
  expect(output.logs()).toContainEqual(
    expect.objectContaining({ level: 'WARN', message: 'event ignored: misrouted', ignoredBy: 'rds-snapshot-shared' }),
  );
});

test('an event whose pattern matches but evaluate finds nothing (same-account share) publishes nothing', async () => {
  const result = await makeHandler()(fixtureEvent('028-ebs-snapshot-share-same-account.json'), lambdaContext());
  expect(result.published).toEqual([]);
  expect(result.ignored).toEqual([{ detection: 'ebs-snapshot-shared', reason: 'no-signal' }]);
  expect(output.metricSum('EventsIgnored', { reason: 'no-signal' })).toBe(1);
});

test('an event no detection matches is ignored when the function runs every detection', async () => {
  const result = await makeHandler()(fixtureEvent('021-s3-listbuckets-doc.json'), lambdaContext());
  expect(result.ignored).toEqual([{ detection: 'all', reason: 'misrouted' }]);
  expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(0);
});

test('a detection disabled in the config ignores its events', async () => {
  const settings = testSettings({ detectionId: 'ebs-snapshot-shared' });
  settings.config.json = JSON.stringify({ detections: { 'ebs-snapshot-shared': { enabled: false } } });
  const result = await makeHandler({ settings })(fixtureEvent(SHARE), lambdaContext());
  expect(result.ignored).toEqual([{ detection: 'ebs-snapshot-shared', reason: 'disabled' }]);
  expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(0);
});

describe('malformed events', () => {
  test('are rejected with an error naming the event id and the field, counted, and never published', async () => {
    const event = fixtureEvent(SHARE) as unknown as { detail: Record<string, unknown> };
    delete event.detail['eventName'];
    const failure = makeHandler()(event, lambdaContext());
    await expect(failure).rejects.toBeInstanceOf(InvalidEventError);
    await expect(failure).rejects.toThrow('event 6897ff63-d738-445c-9e86-43e5b1f8e12f rejected: detail.eventName:');
    await expect(failure).rejects.toMatchObject({ eventId: '6897ff63-d738-445c-9e86-43e5b1f8e12f', field: 'detail.eventName' });
    expect(output.metricSum('EventsRejected', { field: 'detail.eventName' })).toBe(1);
    expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(0);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'event rejected', field: 'detail.eventName', eventId: '6897ff63-d738-445c-9e86-43e5b1f8e12f' }),
    );
  });

  test.each([
    ['an event time without a zone', 'detail.eventTime', (e: Record<string, any>) => (e['detail']['eventTime'] = '2024-08-01 12:28:02')],
    ['a missing envelope account', 'account', (e: Record<string, any>) => delete e['account']],
    ['a detail that is a string', 'detail', (e: Record<string, any>) => (e['detail'] = '{"eventName":"x"}')],
    ['a masked account id (as in documentation samples)', 'account', (e: Record<string, any>) => (e['account'] = '12345')],
    ['requestParameters that is an array', 'detail.requestParameters', (e: Record<string, any>) => (e['detail']['requestParameters'] = [])],
  ])('%s is rejected naming %s', async (_label, field, mutate) => {
    const event = fixtureEvent(SHARE) as unknown as Record<string, any>;
    mutate(event);
    await expect(makeHandler()(event, lambdaContext())).rejects.toMatchObject({ name: 'InvalidEventError', field });
  });

  test('an event without a usable id says so', async () => {
    await expect(makeHandler()({ detail: {} }, lambdaContext())).rejects.toThrow(/^event \(no id\) rejected: /);
    await expect(makeHandler()(null, lambdaContext())).rejects.toBeInstanceOf(InvalidEventError);
  });
});

test('an allowlisted principal is still published, at INFORMATIONAL, and the suppression is logged', async () => {
  const settings = testSettings();
  settings.config.json = JSON.stringify({
    allowlist: [{ principal: 'arn:aws:iam::756680937392:user/christophe', reason: 'red team exercise' }],
  });
  const result = await makeHandler({ settings })(fixtureEvent(SHARE), lambdaContext());
  expect(result.published).toEqual([expect.objectContaining({ severity: 'INFORMATIONAL' })]);
  expect(imported()[0]?.Severity?.Label).toBe('INFORMATIONAL');
  expect(output.metricSum('FindingsPublished', { severity: 'INFORMATIONAL' })).toBe(1);
  expect(output.logs()).toContainEqual(
    expect.objectContaining({ message: expect.stringContaining('suppressed'), reason: expect.stringContaining('red team exercise') }),
  );
});

test('an unknown DETECTION_ID is a clear settings error', () => {
  expect(() => makeHandler({ settings: testSettings({ detectionId: 'no-such-thing' }) })).toThrow(HandlerSettingsError);
  expect(() => makeHandler({ settings: testSettings({ detectionId: 'no-such-thing' }) })).toThrow(
    /DETECTION_ID "no-such-thing" is not a detection \(known: .*ebs-snapshot-shared/,
  );
});

test('the exported handler reads its settings from the environment', async () => {
  const saved = { ...process.env };
  await makeHandler()(fixtureEvent(SHARE), lambdaContext());
  const externalSeverity = imported()[0]?.Severity?.Label;
  securityHub.resetHistory();
  sts.resetHistory();
  try {
    process.env['AWS_REGION'] = 'eu-central-1';
    process.env['DETECTION_ID'] = 'ebs-snapshot-shared';
    process.env['PUBLISHER_ROLE_NAME'] = 'custom-publisher';
    process.env['EXFILTRAIL_CONFIG'] = '{"organizationAccountIds":["098797384747"]}';
    const { handler } = await import('../../handlers/cloudtrail');
    await handler(fixtureEvent(SHARE), lambdaContext());
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleArn).toBe('arn:aws:iam::756680937392:role/custom-publisher');
    const finding = imported()[0];
    expect(finding?.ProductArn).toBe('arn:aws:securityhub:eu-central-1:756680937392:product/756680937392/default');
    // EXFILTRAIL_CONFIG was applied: the target is an organization account, not external, so severity differs.
    expect(finding?.GeneratorId).toBe('exfiltrail/ebs-snapshot-shared');
    expect(finding?.Severity?.Label).not.toBe(externalSeverity);
  } finally {
    process.env = saved;
  }
});
