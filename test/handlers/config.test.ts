/** Config for the handlers: environment JSON, SSM Parameter Store (mocked), AWS Organizations, settings. */
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { HandlerSettingsError } from '../../handlers/publish/errors';
import { createClientFactory } from '../../handlers/shared/clients';
import { createConfigSource } from '../../handlers/shared/config';
import { createTelemetry } from '../../handlers/shared/observability';
import { settingsFromEnv, type ConfigSettings } from '../../handlers/shared/settings';
import { ConfigError } from '../../rules/config';
import { ALL_DETECTIONS } from '../../rules/detections';
import { captureStdout } from './helpers';

const ssm = mockClient(SSMClient);
const organizations = mockClient(OrganizationsClient);

let clock = 1_000_000;
const now = () => clock;

function source(settings: Partial<ConfigSettings>) {
  return createConfigSource({
    settings: { maxAgeSeconds: 300, accountsFromOrganizations: false, organizationsMaxAgeSeconds: 900, region: 'eu-west-1', ...settings },
    clients: createClientFactory(),
    telemetry: createTelemetry(),
    detections: ALL_DETECTIONS,
    now,
  });
}

function parameter(value: string) {
  return { Parameter: { Name: '/exfiltrail/config', Type: 'SecureString' as const, Value: value, Version: 1 } };
}

let output: ReturnType<typeof captureStdout>;
beforeEach(() => {
  ssm.reset();
  organizations.reset();
  clock = 1_000_000;
  output = captureStdout();
});
afterEach(() => output.restore());

describe('config from EXFILTRAIL_CONFIG', () => {
  test('is parsed, defaults applied, and the same object is kept across invocations', async () => {
    const config = source({ json: '{"organizationAccountIds":["111111111111"],"trustedAccounts":[{"accountId":"222222222222","reason":"DR"}]}' });
    const first = await config.get();
    expect(first.organizationAccountIds).toEqual(['111111111111']);
    expect(first.trustedAccounts).toEqual([{ accountId: '222222222222', reason: 'DR' }]);
    expect(first.allowlist).toEqual([]);
    clock += 10 * 3600_000;
    expect(await config.get()).toBe(first);
  });

  test('invalid JSON fails clearly', async () => {
    await expect(source({ json: '{"organizationAccountIds": [' }).get()).rejects.toThrow(/EXFILTRAIL_CONFIG is not valid JSON/);
  });

  test('an invalid value names the key', async () => {
    const failure = source({ json: '{"trustedAccounts":[{"accountId":"12 34","reason":"x"}]}' }).get();
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(/invalid EXFILTRAIL_CONFIG:\n {2}trustedAccounts\.0\.accountId: /);
  });

  test('a detection id that does not exist is an error, not a silently enabled detection', async () => {
    await expect(source({ json: '{"detections":{"ebs-snapshot-sharde":{"enabled":false}}}' }).get()).rejects.toThrow(
      /detections\.ebs-snapshot-sharde: no such detection/,
    );
  });

  test('no config at all falls back to the default, with a warning', async () => {
    const config = await source({}).get();
    expect(config.organizationAccountIds).toEqual([]);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: expect.stringContaining('default config') }));
  });
});

describe('config from SSM Parameter Store', () => {
  test('is read (decrypted), validated, and cached until it is older than the max age', async () => {
    ssm
      .on(GetParameterCommand)
      .resolvesOnce(parameter('{"organizationAccountIds":["111111111111"]}'))
      .resolves(parameter('{"organizationAccountIds":["333333333333"]}'));
    const config = source({ parameterName: '/exfiltrail/config', maxAgeSeconds: 60 });
    expect((await config.get()).organizationAccountIds).toEqual(['111111111111']);
    clock += 59_000;
    expect((await config.get()).organizationAccountIds).toEqual(['111111111111']);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({ Name: '/exfiltrail/config', WithDecryption: true });
  });

  test('is read again after the max age', async () => {
    // Powertools keeps its own cache with wall-clock time; the handler's clock decides when to ask it again.
    ssm
      .on(GetParameterCommand)
      .resolvesOnce(parameter('{"organizationAccountIds":["111111111111"]}'))
      .resolves(parameter('{"organizationAccountIds":["333333333333"]}'));
    const config = source({ parameterName: '/exfiltrail/config-refresh', maxAgeSeconds: 1 });
    expect((await config.get()).organizationAccountIds).toEqual(['111111111111']);
    clock += 1_500;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await config.get()).organizationAccountIds).toEqual(['333333333333']);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  test('a missing parameter fails naming it and the region', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('Parameter not found'), { name: 'ParameterNotFound' }));
    await expect(source({ parameterName: '/exfiltrail/missing' }).get()).rejects.toThrow(
      'cannot read SSM parameter /exfiltrail/missing (eu-west-1): ParameterNotFound',
    );
  });

  test('an invalid parameter value fails naming the parameter and the key', async () => {
    ssm.on(GetParameterCommand).resolves(parameter('{"allowlist":[{"principal":"arn:aws:iam::1:role/x"}]}'));
    await expect(source({ parameterName: '/exfiltrail/bad' }).get()).rejects.toThrow(
      /invalid SSM parameter \/exfiltrail\/bad:\n {2}allowlist\.0\.reason: /,
    );
  });
});

describe('organization accounts from AWS Organizations', () => {
  test('are listed across pages, added to the configured ones, and cached', async () => {
    // The paginator reuses its input object, so tokens are recorded as each call is made.
    const tokens: (string | undefined)[] = [];
    organizations.on(ListAccountsCommand).callsFake((input: { NextToken?: string }) => {
      tokens.push(input.NextToken);
      return input.NextToken === undefined
        ? { Accounts: [{ Id: '111111111111' }, { Id: '222222222222' }], NextToken: 'page-2' }
        : { Accounts: [{ Id: '333333333333' }] };
    });
    const config = source({ json: '{"organizationAccountIds":["444444444444"]}', accountsFromOrganizations: true });
    const first = await config.get();
    expect(first.organizationAccountIds).toEqual(['444444444444', '111111111111', '222222222222', '333333333333']);
    expect(tokens).toEqual([undefined, 'page-2']);
    clock += 60_000;
    expect(await config.get()).toBe(first);
    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(2);
  });

  test('a failing ListAccounts keeps the configured accounts, logs an error and counts it', async () => {
    organizations.on(ListAccountsCommand).rejects(Object.assign(new Error('not a delegated administrator'), { name: 'AccessDeniedException' }));
    const config = source({ json: '{"organizationAccountIds":["444444444444"]}', accountsFromOrganizations: true });
    expect((await config.get()).organizationAccountIds).toEqual(['444444444444']);
    expect(output.metricSum('OrganizationsRefreshFailures', { errorCode: 'AccessDeniedException' })).toBe(1);
    // Not asked again at once.
    await config.get();
    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(1);
  });
});

describe('settings from the environment', () => {
  const base = { AWS_REGION: 'eu-west-1' };

  test('defaults', () => {
    const settings = settingsFromEnv(base);
    expect(settings).toMatchObject({ region: 'eu-west-1', publisherRoleName: 'exfiltrail-finding-publisher' });
    expect(settings.detectionId).toBeUndefined();
    expect(settings.config).toMatchObject({ maxAgeSeconds: 300, accountsFromOrganizations: false });
  });

  test.each([
    [{}, /AWS_REGION is not set/],
    [{ ...base, EXFILTRAIL_CONFIG: '{}', EXFILTRAIL_CONFIG_PARAMETER: '/x' }, /not both/],
    [{ ...base, PUBLISHER_ROLE_NAME: 'has spaces' }, /PUBLISHER_ROLE_NAME "has spaces" is not an IAM role name/],
    [{ ...base, EXFILTRAIL_CONFIG_MAX_AGE_SECONDS: '-5' }, /EXFILTRAIL_CONFIG_MAX_AGE_SECONDS "-5" is not a positive integer/],
    [{ ...base, EXFILTRAIL_ORG_ACCOUNTS_FROM_ORGANIZATIONS: 'yes' }, /EXFILTRAIL_ORG_ACCOUNTS_FROM_ORGANIZATIONS "yes" is not true or false/],
  ])('%j is rejected', (env, message) => {
    expect(() => settingsFromEnv(env)).toThrow(HandlerSettingsError);
    expect(() => settingsFromEnv(env)).toThrow(message);
  });

  test('organizations discovery and detection id are read', () => {
    const settings = settingsFromEnv({ ...base, EXFILTRAIL_ORG_ACCOUNTS_FROM_ORGANIZATIONS: 'true', DETECTION_ID: 'ami-shared' });
    expect(settings.config.accountsFromOrganizations).toBe(true);
    expect(settings.detectionId).toBe('ami-shared');
  });
});
