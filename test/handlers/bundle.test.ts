/**
 * The Lambda bundle as deployed (handlers/bundle.ts): built into a temporary folder with the real esbuild
 * options and plugins, then required in a fresh node process (bench/handlers.ts `coldStart`) with Lambda-style
 * environment credentials, a local Security Hub endpoint and every other connection refused.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coldStart, coldStartEnv } from '../../bench/handlers';
import { bundleAll, repoRoot, rewriteZodImports, type BundleRecord } from '../../handlers/bundle';
import { toEventBridgeEvent } from '../../rules/cloudtrail';
import { fixture } from '../fixtures';

describe('rewriteZodImports', () => {
  it('turns the named `z` import into a namespace import and keeps the other names', () => {
    expect(rewriteZodImports("import { z } from 'zod';\nconst a = z.string();")).toBe(
      "import * as z from 'zod';\nconst a = z.string();",
    );
    expect(rewriteZodImports('import { ZodError, z } from "zod";')).toBe(
      "import * as z from 'zod'; import { ZodError } from 'zod';",
    );
  });

  it('leaves other imports alone', () => {
    const sources = [
      "import { ZodError } from 'zod';",
      "import * as z from 'zod';",
      "import { z } from 'zod/mini';",
      "import { z as zz } from 'zod';",
      "import { z } from 'zodiac';",
    ];
    for (const source of sources) expect(rewriteZodImports(source)).toBe(source);
  });
});

describe('cloudtrail Lambda bundle', () => {
  const root = repoRoot(__dirname);
  let out: string;
  let bundle: BundleRecord;
  let bundlePath: string;
  const record = fixture('022-ebs-snapshot-shared-stratus.json');
  const account = record.recipientAccountId ?? '756680937392';
  const event = JSON.parse(JSON.stringify(toEventBridgeEvent(record))) as Record<string, unknown>;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'exfiltrail-bundle-'));
    const manifest = await bundleAll(root, [{ name: 'cloudtrail', entry: 'handlers/cloudtrail.ts' }], out);
    bundle = manifest.bundles[0] as BundleRecord;
    bundlePath = join(out, 'cloudtrail', 'index.js');
  }, 120_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('replaces the default credential chain with the environment provider', () => {
    const sources = (JSON.parse(readFileSync(`${bundlePath}.map`, 'utf8')) as { sources: string[] }).sources;
    const chain = sources.filter((s) =>
      /@aws-sdk[\\/](credential-provider-(node|ini|sso|process|web-identity|http|login)|nested-clients|token-providers)[\\/]/u.test(
        s,
      ),
    );
    expect(chain).toEqual([]);
    expect(sources.some((s) => /credential-provider-env[\\/]/u.test(s))).toBe(true);
    expect(sources).toContain('lambda-env-credentials:lambda-env-credentials');
    const code = readFileSync(bundlePath, 'utf8');
    for (const marker of ['sso_start_url', 'credential_process', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'fromIni']) {
      expect(code).not.toContain(marker);
    }
  });

  it('tree-shakes zod (the namespace imports) and stays under the 1 MB budget', () => {
    const sources = (JSON.parse(readFileSync(`${bundlePath}.map`, 'utf8')) as { sources: string[] }).sources;
    // Not used by the handler; kept only when `import { z }` pins the whole namespace.
    expect(sources.some((s) => s.includes('zod/v4/classic/from-json-schema'))).toBe(false);
    expect(sources.some((s) => s.includes('zod/v4/locales/') && !s.endsWith('/en.js'))).toBe(false);
    expect(bundle.bytes).toBeLessThan(1024 * 1024);
  });

  it('publishes a finding signed with the credentials from the environment', () => {
    const run = coldStart(bundlePath, event, account);
    expect(run.error).toBeUndefined();
    expect(run.blocked).toEqual([]);
    expect(run.result).toMatchObject({ published: [{ account, severity: 'MEDIUM' }], ignored: [] });
    expect(run.requests).toHaveLength(1);
    const [request] = run.requests;
    expect(request?.url).toBe('/findings/import');
    expect(request?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIAEXFILTRAILPROBE\/\d{8}\/eu-west-1\/securityhub\//u);
    expect(request?.securityToken).toBe('probe-session-token');
    const body = JSON.parse(request?.body ?? '{}') as { Findings: Array<{ AwsAccountId: string }> };
    expect(body.Findings.map((f) => f.AwsAccountId)).toEqual([account]);
  }, 30_000);

  // The SDK's default chain would end with "Could not load credentials from any providers" after trying
  // files, SSO, web identity and IMDS; the bundle only has the environment provider.
  it('without environment credentials fails with the environment provider error and no network', () => {
    const env = coldStartEnv();
    delete env['AWS_ACCESS_KEY_ID'];
    delete env['AWS_SECRET_ACCESS_KEY'];
    delete env['AWS_SESSION_TOKEN'];
    const run = coldStart(bundlePath, event, account, env);
    expect(run.error).toMatch(/Unable to find environment variable credentials/u);
    expect(run.blocked).toEqual([]);
    expect(run.requests).toEqual([]);
  }, 30_000);

  it('rejects an invalid event with the English zod messages', () => {
    const run = coldStart(bundlePath, { ...event, account: '************' }, account);
    expect(run.error).toMatch(/InvalidEventError: event \S+ rejected: account/u);
    expect(run.requests).toEqual([]);
  }, 30_000);
});
