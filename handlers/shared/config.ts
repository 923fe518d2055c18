/**
 * The detection config (rules/config.ts) for a handler: from EXFILTRAIL_CONFIG (JSON) or an SSM parameter
 * (Powertools parameters, cached), validated with `parseConfig` and against the detection registry, kept across
 * invocations for `maxAgeSeconds`. Optionally `organizationAccountIds` is completed from AWS Organizations
 * ListAccounts (paginated, cached).
 */
import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { ConfigError, DEFAULT_CONFIG, parseConfig, type ExfiltrailConfig } from '../../rules/config';
import type { Detection } from '../../rules/detection';
import { checkConfigAgainstRegistry } from '../../rules/registry';
import { errorCodeOf, messageOf } from '../publish/errors';
import type { ClientFactory } from './clients';
import type { Telemetry } from './observability';
import type { ConfigSettings } from './settings';

export interface ConfigSource {
  get(): Promise<ExfiltrailConfig>;
}

export interface ConfigSourceOptions {
  settings: ConfigSettings;
  clients: ClientFactory;
  telemetry: Telemetry;
  detections: readonly Detection[];
  now?: () => number;
}

/** After a failed ListAccounts, wait this long before asking again (the configured list is used meanwhile). */
const ORGANIZATIONS_RETRY_AFTER_MS = 60_000;

export function createConfigSource(options: ConfigSourceOptions): ConfigSource {
  const { settings, telemetry, detections } = options;
  const now = options.now ?? Date.now;
  const readBase = baseReader(options);
  let base: { config: ExfiltrailConfig; loadedAt: number } | undefined;
  let org: { accounts: readonly string[] | undefined; loadedAt: number; retryAt: number } | undefined;
  let merged: { base: ExfiltrailConfig; accounts: readonly string[] | undefined; config: ExfiltrailConfig } | undefined;

  async function baseConfig(): Promise<ExfiltrailConfig> {
    const fresh = base && (settings.json !== undefined || now() - base.loadedAt < settings.maxAgeSeconds * 1000);
    if (base && fresh) return base.config;
    const config = await readBase();
    checkConfigAgainstRegistry(config, detections);
    base = { config, loadedAt: now() };
    return config;
  }

  async function organizationAccounts(): Promise<readonly string[] | undefined> {
    if (!settings.accountsFromOrganizations) return undefined;
    const t = now();
    if (org && (t < org.retryAt || t - org.loadedAt < settings.organizationsMaxAgeSeconds * 1000)) return org.accounts;
    try {
      const accounts = await listOrganizationAccounts(options.clients, settings.region);
      org = { accounts, loadedAt: t, retryAt: t };
      telemetry.logger.info('organization accounts refreshed', { accountCount: accounts.length });
    } catch (error) {
      const code = errorCodeOf(error);
      telemetry.logger.error('AWS Organizations ListAccounts failed; using the configured organizationAccountIds', {
        errorCode: code,
        error: messageOf(error),
        region: settings.region,
      });
      telemetry.count('OrganizationsRefreshFailures', { metadata: { errorCode: code } });
      org = { accounts: org?.accounts, loadedAt: org?.loadedAt ?? 0, retryAt: t + ORGANIZATIONS_RETRY_AFTER_MS };
    }
    return org.accounts;
  }

  return {
    async get() {
      const config = await baseConfig();
      const accounts = await organizationAccounts();
      if (!accounts) return config;
      // The same object while nothing changed: evaluation caches its context per config object.
      if (merged && merged.base === config && merged.accounts === accounts) return merged.config;
      const union = [...new Set([...config.organizationAccountIds, ...accounts])];
      merged = { base: config, accounts, config: { ...config, organizationAccountIds: union } };
      return merged.config;
    },
  };
}

function baseReader(options: ConfigSourceOptions): () => Promise<ExfiltrailConfig> {
  const { settings, telemetry } = options;
  if (settings.json !== undefined) {
    const json = settings.json;
    return async () => parseConfig(parseJson(json, 'EXFILTRAIL_CONFIG'), 'EXFILTRAIL_CONFIG');
  }
  if (settings.parameterName !== undefined) {
    const name = settings.parameterName;
    let provider: SSMProvider | undefined;
    return async () => {
      provider ??= await ssmProvider(options);
      const source = `SSM parameter ${name}`;
      let value: unknown;
      try {
        value = await provider.get(name, { maxAge: settings.maxAgeSeconds, decrypt: true });
      } catch (error) {
        // Powertools wraps the SDK error (GetParameterError); the SDK's code is in `cause`.
        const cause = (error as { cause?: unknown }).cause ?? error;
        const problem = `cannot read ${source} (${settings.region}): ${errorCodeOf(cause)}: ${messageOf(cause)}`;
        throw new ConfigError(problem, [problem]);
      }
      if (typeof value !== 'string' || value.trim() === '') {
        throw new ConfigError(`${source} is empty`, [`${source}: empty`]);
      }
      return parseConfig(parseJson(value, source), source);
    };
  }
  return async () => {
    telemetry.logger.warn(
      'neither EXFILTRAIL_CONFIG nor EXFILTRAIL_CONFIG_PARAMETER is set: default config (no organization ' +
        'accounts, so every other account counts as external)',
    );
    return DEFAULT_CONFIG;
  };
}

/** Powertools' provider around the factory's client; both come from the on-demand SSM chunk. */
async function ssmProvider(options: ConfigSourceOptions): Promise<SSMProvider> {
  const [{ SSMProvider }, client] = await Promise.all([
    import('./on-demand/ssm'),
    options.clients.ssm(options.settings.region),
  ]);
  return new SSMProvider({ awsSdkV3Client: client });
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const problem = `${source} is not valid JSON: ${messageOf(error)}`;
    throw new ConfigError(problem, [problem]);
  }
}

/** Every account of the organization (all states: a suspended account is still not external). */
export async function listOrganizationAccounts(clients: ClientFactory, region: string): Promise<string[]> {
  const [{ paginateListAccounts }, client] = await Promise.all([
    import('./on-demand/organizations'),
    clients.organizations(region),
  ]);
  const ids: string[] = [];
  for await (const page of paginateListAccounts({ client }, {})) {
    for (const account of page.Accounts ?? []) if (account.Id) ids.push(account.Id);
  }
  return ids;
}
