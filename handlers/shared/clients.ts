/**
 * The AWS SDK clients a handler uses, behind one small factory so tests inject aws-sdk-client-mock (or a stub
 * request handler). Clients are made on first use: SSM only with a config parameter, Organizations only when
 * account discovery is on, STS and Security Hub only when there is a finding to publish.
 *
 * Each client's code comes from `on-demand/` through `import()`, which the Lambda bundle turns into a chunk
 * loaded at first use, so module init parses only the code a handler needs on every invocation; a handler that
 * needs a client on every invocation passes its code in `preloaded`. The on-demand modules re-export single
 * names, so esbuild still tree-shakes each client to the commands used.
 */
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { SecurityHubClient, SecurityHubClientConfig } from '@aws-sdk/client-securityhub';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';

export interface SecurityHubClientRequest {
  /** Region of the Security Hub endpoint (the handler's own region). */
  region: string;
  /** The account the client publishes for; used for caching and tests. */
  account: string;
  /** Credentials of the assumed publisher role; absent for the function's own account. */
  credentials?: SecurityHubClientConfig['credentials'];
}

/** Each method makes a new client; the first call loads the client's code. */
export interface ClientFactory {
  sts(region: string): Promise<STSClient>;
  securityHub(request: SecurityHubClientRequest): Promise<SecurityHubClient>;
  ssm(region: string): Promise<SSMClient>;
  organizations(region: string): Promise<OrganizationsClient>;
}

export interface ClientFactoryOptions {
  /**
   * SDK attempts per BatchImportFindings call, throttling included. Security Hub allows 10 calls/s (burst 30)
   * per account and region; adaptive mode adds a client-side token bucket that slows down after throttling.
   */
  securityHubMaxAttempts?: number;
  /** Extra Security Hub client config (tests pass a stub `requestHandler` to exercise the SDK's retries). */
  securityHubConfig?: Partial<SecurityHubClientConfig>;
  /**
   * Client code the handler imported statically, used instead of loading it at first use. A handler that
   * publishes on nearly every event passes Security Hub and STS, so their code loads in module init rather than
   * in the first invocation.
   */
  preloaded?: PreloadedClientCode;
}

export interface PreloadedClientCode {
  securityHub?: typeof import('./on-demand/security-hub');
  sts?: typeof import('./on-demand/sts');
}

export const DEFAULT_SECURITY_HUB_MAX_ATTEMPTS = 6;

export function createClientFactory(options: ClientFactoryOptions = {}): ClientFactory {
  const maxAttempts = options.securityHubMaxAttempts ?? DEFAULT_SECURITY_HUB_MAX_ATTEMPTS;
  return {
    async sts(region) {
      const { STSClient } = options.preloaded?.sts ?? (await import('./on-demand/sts'));
      return new STSClient({ region, retryMode: 'adaptive', maxAttempts: 4 });
    },
    async securityHub({ region, credentials }) {
      const { SecurityHubClient } = options.preloaded?.securityHub ?? (await import('./on-demand/security-hub'));
      return new SecurityHubClient({
        region,
        retryMode: 'adaptive',
        maxAttempts,
        ...(credentials ? { credentials } : {}),
        ...options.securityHubConfig,
      });
    },
    async ssm(region) {
      const { SSMClient } = await import('./on-demand/ssm');
      return new SSMClient({ region, retryMode: 'adaptive', maxAttempts: 4 });
    },
    async organizations(region) {
      const { OrganizationsClient } = await import('./on-demand/organizations');
      return new OrganizationsClient({ region, retryMode: 'adaptive', maxAttempts: 4 });
    },
  };
}
