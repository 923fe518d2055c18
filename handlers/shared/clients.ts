/**
 * The AWS SDK clients a handler uses, behind one small factory so tests inject aws-sdk-client-mock (or a stub
 * request handler). Clients are made on first use: SSM only with a config parameter, Organizations only when
 * account discovery is on, STS and Security Hub only when there is a finding to publish.
 *
 * Imports are static on purpose: esbuild tree-shakes a statically imported client to the one command used,
 * while a lazy `require` keeps every command of the package (about 160 KB more, and parse time is what module
 * init costs).
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SecurityHubClient, type SecurityHubClientConfig } from '@aws-sdk/client-securityhub';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';

export interface SecurityHubClientRequest {
  /** Region of the Security Hub endpoint (the handler's own region). */
  region: string;
  /** The account the client publishes for; used for caching and tests. */
  account: string;
  /** Credentials of the assumed publisher role; absent for the function's own account. */
  credentials?: SecurityHubClientConfig['credentials'];
}

export interface ClientFactory {
  sts(region: string): STSClient;
  securityHub(request: SecurityHubClientRequest): SecurityHubClient;
  ssm(region: string): SSMClient;
  organizations(region: string): OrganizationsClient;
}

export interface ClientFactoryOptions {
  /**
   * SDK attempts per BatchImportFindings call, throttling included. Security Hub allows 10 calls/s (burst 30)
   * per account and region; adaptive mode adds a client-side token bucket that slows down after throttling.
   */
  securityHubMaxAttempts?: number;
  /** Extra Security Hub client config (tests pass a stub `requestHandler` to exercise the SDK's retries). */
  securityHubConfig?: Partial<SecurityHubClientConfig>;
}

export const DEFAULT_SECURITY_HUB_MAX_ATTEMPTS = 6;

export function createClientFactory(options: ClientFactoryOptions = {}): ClientFactory {
  const maxAttempts = options.securityHubMaxAttempts ?? DEFAULT_SECURITY_HUB_MAX_ATTEMPTS;
  return {
    sts(region) {
      return new STSClient({ region, retryMode: 'adaptive', maxAttempts: 4 });
    },
    securityHub({ region, credentials }) {
      return new SecurityHubClient({
        region,
        retryMode: 'adaptive',
        maxAttempts,
        ...(credentials ? { credentials } : {}),
        ...options.securityHubConfig,
      });
    },
    ssm(region) {
      return new SSMClient({ region, retryMode: 'adaptive', maxAttempts: 4 });
    },
    organizations(region) {
      return new OrganizationsClient({ region, retryMode: 'adaptive', maxAttempts: 4 });
    },
  };
}
