/** The detection handler's settings, read from its environment once and checked with clear errors. */
import { HandlerSettingsError } from '../publish/errors';

export interface HandlerSettings {
  /** Region the function runs in: where findings are imported (their ProductArn region). */
  region: string;
  /** The one detection this function runs; undefined: every detection whose pattern matches. */
  detectionId?: string;
  /** Role assumed in the event's account to call BatchImportFindings there. */
  publisherRoleName: string;
  config: ConfigSettings;
  securityHubMaxAttempts: number;
}

export interface ConfigSettings {
  /** JSON config in the environment (EXFILTRAIL_CONFIG). */
  json?: string;
  /** SSM parameter name holding the JSON config (EXFILTRAIL_CONFIG_PARAMETER). */
  parameterName?: string;
  /** How long a loaded config is used before it is read again. */
  maxAgeSeconds: number;
  /** Refresh organizationAccountIds from AWS Organizations ListAccounts. */
  accountsFromOrganizations: boolean;
  organizationsMaxAgeSeconds: number;
  region: string;
}

export const DEFAULT_PUBLISHER_ROLE_NAME = 'exfiltrail-finding-publisher';
export const DEFAULT_CONFIG_MAX_AGE_SECONDS = 300;
export const DEFAULT_ORGANIZATIONS_MAX_AGE_SECONDS = 900;

type Env = Record<string, string | undefined>;

export function settingsFromEnv(env: Env = process.env): HandlerSettings {
  const region = nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']);
  if (!region) throw new HandlerSettingsError('AWS_REGION is not set: the import region is unknown');
  const roleName = nonEmpty(env['PUBLISHER_ROLE_NAME']) ?? DEFAULT_PUBLISHER_ROLE_NAME;
  if (!/^[\w+=,.@-]{1,64}$/u.test(roleName)) {
    throw new HandlerSettingsError(`PUBLISHER_ROLE_NAME "${roleName}" is not an IAM role name`);
  }
  const json = nonEmpty(env['EXFILTRAIL_CONFIG']);
  const parameterName = nonEmpty(env['EXFILTRAIL_CONFIG_PARAMETER']);
  if (json && parameterName) {
    throw new HandlerSettingsError('set EXFILTRAIL_CONFIG or EXFILTRAIL_CONFIG_PARAMETER, not both');
  }
  const detectionId = nonEmpty(env['DETECTION_ID']);
  return {
    region,
    ...(detectionId ? { detectionId } : {}),
    publisherRoleName: roleName,
    securityHubMaxAttempts: positiveInt(env, 'SECURITY_HUB_MAX_ATTEMPTS', 6),
    config: {
      ...(json ? { json } : {}),
      ...(parameterName ? { parameterName } : {}),
      maxAgeSeconds: positiveInt(env, 'EXFILTRAIL_CONFIG_MAX_AGE_SECONDS', DEFAULT_CONFIG_MAX_AGE_SECONDS),
      accountsFromOrganizations: bool(env, 'EXFILTRAIL_ORG_ACCOUNTS_FROM_ORGANIZATIONS'),
      organizationsMaxAgeSeconds: positiveInt(
        env,
        'EXFILTRAIL_ORG_ACCOUNTS_MAX_AGE_SECONDS',
        DEFAULT_ORGANIZATIONS_MAX_AGE_SECONDS,
      ),
      region,
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new HandlerSettingsError(`${name} "${raw}" is not a positive integer`);
  return value;
}

function bool(env: Env, name: string): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new HandlerSettingsError(`${name} "${raw}" is not true or false`);
}
