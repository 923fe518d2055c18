/**
 * Credentials of the publisher role in each member account: `sts:AssumeRole` into
 * `arn:<partition>:iam::<account>:role/<role name>`, cached per account until five minutes before they expire,
 * one AssumeRole in flight per account. A failure is an AssumeRoleError naming account, region and role.
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { AssumeRoleError, errorCodeOf } from './errors';

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface CredentialCacheOptions {
  sts: () => Promise<STSClient>;
  partition: string;
  region: string;
  roleName: string;
  /** Who and why, shown in the member account's CloudTrail: `exfiltrail-<detection>`. */
  sessionName: string;
  /** Requested session length; 3600 s is the default maximum of a role. */
  durationSeconds?: number;
  now?: () => number;
}

export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

export interface CredentialCache {
  get(account: string): Promise<RoleCredentials>;
  roleArnFor(account: string): string;
}

export function createCredentialCache(options: CredentialCacheOptions): CredentialCache {
  const now = options.now ?? Date.now;
  const cache = new Map<string, Promise<RoleCredentials>>();
  const sessionName = roleSessionName(options.sessionName);
  let sts: STSClient | undefined;

  const roleArnFor = (account: string) => `arn:${options.partition}:iam::${account}:role/${options.roleName}`;

  async function assume(account: string): Promise<RoleCredentials> {
    sts ??= await options.sts();
    const roleArn = roleArnFor(account);
    try {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: sessionName,
          DurationSeconds: options.durationSeconds ?? 3600,
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new Error('AssumeRole returned no complete credentials');
      }
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: new Date(c.Expiration),
      };
    } catch (error) {
      throw new AssumeRoleError(account, options.region, roleArn, errorCodeOf(error), error);
    }
  }

  async function get(account: string): Promise<RoleCredentials> {
    const cached = cache.get(account);
    if (cached) {
      const credentials = await cached.catch(() => undefined);
      if (credentials && credentials.expiration.getTime() - now() > REFRESH_BEFORE_EXPIRY_MS) return credentials;
      // Another caller replaced the entry while we waited: use theirs.
      if (cache.get(account) !== cached) return get(account);
    }
    const pending = assume(account);
    cache.set(account, pending);
    pending.catch(() => {
      if (cache.get(account) === pending) cache.delete(account);
    });
    return pending;
  }

  return { roleArnFor, get };
}

/** RoleSessionName: 2-64 characters of `[\w+=,.@-]`. */
export function roleSessionName(name: string): string {
  const cleaned = name.replace(/[^\w+=,.@-]/gu, '-').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : 'exfiltrail';
}
