/**
 * The Lambda bundles as deployed (handlers/bundle.ts): built into a temporary folder with the real esbuild
 * options and plugins, then imported in a fresh node process (bench/cold-start.ts) with Lambda-style
 * environment credentials, local Security Hub and SSM endpoints and every other connection refused.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coldStart, coldStartEnv, coldStartEnvWithSsmConfig, PROBE_CONFIG_PARAMETER } from '../../bench/cold-start';
import {
  BUNDLE_ENTRY_FILE,
  bundleAll,
  HANDLER_ENTRIES,
  repoRoot,
  rewriteZodImports,
  type BundleRecord,
} from '../../handlers/bundle';
import { toEventBridgeEvent } from '../../rules/cloudtrail';
import { fixture } from '../fixtures';
import { DATA_ACCOUNT, flaggedRow, HISTORY_SPAN, historyReady, PROFILE_EXISTS, WINDOW_QUERY } from './getobject-helpers';

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

/** The original sources of `files` (bundle-relative paths from the manifest), from their source maps. */
function sourcesOf(root: string, files: readonly string[]): string[] {
  return files.flatMap((file) => (JSON.parse(readFileSync(`${join(root, file)}.map`, 'utf8')) as { sources: string[] }).sources);
}

const codeOf = (root: string, files: readonly string[]) => files.map((file) => readFileSync(join(root, file), 'utf8')).join('\n');

describe('Lambda bundles', () => {
  const root = repoRoot(__dirname);
  let out: string;
  let cloudtrail: BundleRecord;
  let getobject: BundleRecord;
  let bundlePath: string;
  const record = fixture('022-ebs-snapshot-shared-stratus.json');
  const account = record.recipientAccountId ?? '756680937392';
  const event = JSON.parse(JSON.stringify(toEventBridgeEvent(record))) as Record<string, unknown>;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'exfiltrail-bundle-'));
    const manifest = await bundleAll(root, HANDLER_ENTRIES, out);
    cloudtrail = manifest.bundles.find((b) => b.name === 'cloudtrail') as BundleRecord;
    getobject = manifest.bundles.find((b) => b.name === 'getobject') as BundleRecord;
    bundlePath = join(out, 'cloudtrail', BUNDLE_ENTRY_FILE);
  }, 120_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('writes an index.mjs per handler with its chunks, and a manifest that lists them', () => {
    for (const bundle of [cloudtrail, getobject]) {
      expect(bundle.path.endsWith(`${bundle.name}/${BUNDLE_ENTRY_FILE}`)).toBe(true);
      expect(bundle.files).toContain(bundle.path);
      expect(bundle.initFiles).toContain(bundle.path);
      for (const file of bundle.initFiles) expect(bundle.files).toContain(file);
      expect(bundle.files.filter((f) => !bundle.initFiles.includes(f)).length).toBeGreaterThan(0);
      expect(bundle.initBytes).toBeLessThan(bundle.bytes);
      expect(bundle.bytes).toBeLessThan(1024 * 1024);
    }
  });

  it('replaces the default credential chain with the environment provider', () => {
    const sources = sourcesOf(root, cloudtrail.files);
    const chain = sources.filter((s) =>
      /@aws-sdk[\\/](credential-provider-(node|ini|sso|process|web-identity|http|login)|nested-clients|token-providers)[\\/]/u.test(
        s,
      ),
    );
    expect(chain).toEqual([]);
    expect(sources.some((s) => /credential-provider-env[\\/]/u.test(s))).toBe(true);
    expect(sources).toContain('lambda-env-credentials:lambda-env-credentials');
    const code = codeOf(root, cloudtrail.files);
    for (const marker of ['sso_start_url', 'credential_process', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'fromIni']) {
      expect(code).not.toContain(marker);
    }
  });

  it('tree-shakes zod (the namespace imports)', () => {
    const sources = sourcesOf(root, cloudtrail.files);
    // Not used by the handler; kept only when `import { z }` pins the whole namespace.
    expect(sources.some((s) => s.includes('zod/v4/classic/from-json-schema'))).toBe(false);
    expect(sources.some((s) => s.includes('zod/v4/locales/') && !s.endsWith('/en.js'))).toBe(false);
  });

  it('loads SSM and Organizations only at first use, and Security Hub at init only where nearly every event publishes', () => {
    const client = (name: string) => (s: string) => s.includes(`@aws-sdk/client-${name}/`);
    const atInit = (bundle: BundleRecord) => sourcesOf(root, bundle.initFiles);
    const deployed = (bundle: BundleRecord) => sourcesOf(root, bundle.files);
    for (const bundle of [cloudtrail, getobject]) {
      for (const name of ['ssm', 'organizations']) {
        expect(atInit(bundle).some(client(name))).toBe(false);
        expect(deployed(bundle).some(client(name))).toBe(true);
      }
    }
    expect(atInit(cloudtrail).some(client('securityhub'))).toBe(true);
    expect(atInit(cloudtrail).some(client('sts'))).toBe(true);
    // The baseline publishes only for a flagged window: the publisher, ASFF schema and both clients wait for one.
    for (const name of ['securityhub', 'sts']) expect(atInit(getobject).some(client(name))).toBe(false);
    expect(atInit(getobject).some((s) => s.endsWith('handlers/findings/schema.ts'))).toBe(false);
    expect(atInit(getobject).some(client('athena'))).toBe(true);
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

  it('reads the config from SSM through the chunk it loads at first use, then publishes', () => {
    const run = coldStart(bundlePath, event, account, coldStartEnvWithSsmConfig());
    expect(run.error).toBeUndefined();
    expect(run.blocked).toEqual([]);
    expect(run.requests.map((r) => r.target || r.url)).toEqual(['AmazonSSM.GetParameter', '/findings/import']);
    expect(JSON.parse(run.requests[0]?.body ?? '{}')).toEqual({ Name: PROBE_CONFIG_PARAMETER, WithDecryption: true });
    expect(run.requests[0]?.authorization).toMatch(/Credential=ASIAEXFILTRAILPROBE\/\d{8}\/eu-west-1\/ssm\//u);
    expect(run.result).toMatchObject({ published: [{ account }] });
  }, 30_000);

  it('getobject loads the publisher chunk for a flagged window and imports its finding', () => {
    const scheduledTime = '2025-03-12T13:00:00Z';
    // The window ends at floorToBin(scheduledTime - 15 min) = 12:40 and starts a bin earlier.
    const binStart = Date.parse('2025-03-12T12:30:00Z') / 1000;
    const env = coldStartEnv({ ATHENA_WORKGROUP: 'exfiltrail-baseline', ATHENA_DATABASE: 'exfiltrail_baseline' });
    const athena = [
      { match: HISTORY_SPAN.source, rows: historyReady.rows ?? [] },
      { match: PROFILE_EXISTS.source, rows: [{ table_name: 'getobject_profile_20250312' }] },
      { match: WINDOW_QUERY.source, rows: [flaggedRow(binStart)] },
    ];
    // The function runs in the data's account: the finding is imported with its own role (no STS).
    const run = coldStart(join(out, 'getobject', BUNDLE_ENTRY_FILE), { mode: 'window', scheduledTime }, DATA_ACCOUNT, env, athena);
    expect(run.error).toBeUndefined();
    expect(run.blocked).toEqual([]);
    expect(run.result).toMatchObject({ mode: 'window', scored: 1, flagged: 1, published: [{ account: DATA_ACCOUNT }] });
    const imports = run.requests.filter((r) => r.url === '/findings/import');
    expect(imports).toHaveLength(1);
    const body = JSON.parse(imports[0]?.body ?? '{}') as { Findings: Array<{ AwsAccountId: string; GeneratorId: string }> };
    expect(body.Findings.map((f) => [f.AwsAccountId, f.GeneratorId])).toEqual([[DATA_ACCOUNT, expect.stringContaining('s3-getobject-anomaly')]]);
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
