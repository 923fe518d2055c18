/**
 * Handler benchmarks (run by `npm run bench` after the bundle step): bundle sizes from dist/lambda/manifest.json,
 * module init time (a fresh `node` process importing the bundle, median of several runs) and per-event handler
 * time with the network stubbed (a real SecurityHubClient whose request handler answers locally; STS stubbed).
 * For the cloudtrail bundle also cold starts as Lambda runs them (bench/cold-start.ts): init, then a first event
 * whose finding goes to a local Security Hub endpoint, with the config in the environment and in SSM.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import type { STSClient } from '@aws-sdk/client-sts';
import { BUNDLE_BUDGET_BYTES, HANDLER_ENTRIES, repoRoot, type Manifest } from '../handlers/bundle';
import { createCloudTrailHandler } from '../handlers/cloudtrail';
import { createClientFactory } from '../handlers/shared/clients';
import { settingsFromEnv } from '../handlers/shared/settings';
import { toEventBridgeEvent, type CloudTrailRecord } from '../rules/cloudtrail';
import { coldStart, coldStartEnvWithSsmConfig, initTimeMs } from './cold-start';

const INIT_RUNS = 11;
const EVENTS = 2000;
const INIT_BUDGET_MS = 150;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function context(account: string): Context {
  return {
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:${account}:function:bench`,
    functionName: 'bench',
    awsRequestId: 'bench',
  } as Context;
}

async function perEvent(root: string): Promise<{ ownMs: number; crossMs: number; firstMs: number }> {
  process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
  const body = Buffer.from(JSON.stringify({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] }));
  const base = createClientFactory({
    securityHubConfig: {
      requestHandler: {
        handle: async () => ({ response: { statusCode: 200, headers: { 'content-type': 'application/json' }, body } }),
      } as never,
      credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
    },
  });
  const expiration = new Date(Date.now() + 3600_000);
  const stsStub = {
    send: async () => ({ Credentials: { AccessKeyId: 'a', SecretAccessKey: 'b', SessionToken: 'c', Expiration: expiration } }),
  } as unknown as STSClient;
  const clients = { ...base, sts: async () => stsStub };
  const settings = settingsFromEnv({ AWS_REGION: 'eu-west-1', EXFILTRAIL_CONFIG: '{}' });
  const handler = createCloudTrailHandler({ settings, clients });
  const record = JSON.parse(
    readFileSync(join(root, 'test/fixtures/cloudtrail/022-ebs-snapshot-shared-stratus.json'), 'utf8'),
  ) as CloudTrailRecord;
  const eventFor = (i: number) => toEventBridgeEvent({ ...record, eventID: `bench-${i}` });
  const account = record.recipientAccountId ?? '756680937392';

  let t = process.hrtime.bigint();
  await handler(eventFor(-1), context(account));
  const firstMs = Number(process.hrtime.bigint() - t) / 1e6;
  for (let i = 0; i < 200; i += 1) await handler(eventFor(i), context(account)); // warm-up

  const run = async (ctx: Context) => {
    t = process.hrtime.bigint();
    for (let i = 0; i < EVENTS; i += 1) await handler(eventFor(i), ctx);
    return Number(process.hrtime.bigint() - t) / 1e6 / EVENTS;
  };
  const ownMs = await run(context(account));
  const crossMs = await createCloudTrailHandler({ settings, clients })(eventFor(0), context('999988887777')).then(() =>
    run(context('999988887777')),
  );
  return { ownMs, crossMs, firstMs };
}

/** Init and first event of the bundle, as Lambda runs them (median of INIT_RUNS fresh processes each). */
/** Init and first event of the bundle, as Lambda runs them (median of INIT_RUNS fresh processes each). */
function coldStartLine(root: string, bundle: string, config: 'env' | 'ssm'): string {
  const record = JSON.parse(
    readFileSync(join(root, 'test/fixtures/cloudtrail/022-ebs-snapshot-shared-stratus.json'), 'utf8'),
  ) as CloudTrailRecord;
  const event = toEventBridgeEvent(record);
  const account = record.recipientAccountId ?? '756680937392';
  const env = config === 'ssm' ? coldStartEnvWithSsmConfig() : undefined;
  const runs = Array.from({ length: INIT_RUNS }, () => coldStart(bundle, event, account, env));
  const expected = config === 'ssm' ? 2 : 1; // GetParameter, then BatchImportFindings
  const failed = runs.find((r) => r.error !== undefined || r.requests.length !== expected);
  if (failed) throw new Error(`cold start of ${bundle} failed: ${failed.error ?? `${failed.requests.length} requests`}`);
  const init = median(runs.map((r) => r.initMs));
  const first = median(runs.map((r) => r.firstEventMs));
  const total = median(runs.map((r) => r.initMs + r.firstEventMs));
  const where = config === 'ssm' ? 'config from SSM' : 'config in the environment';
  return `cold start (${where}): init ${init.toFixed(1)} ms + first event ${first.toFixed(1)} ms = ${total.toFixed(1)} ms (medians of ${INIT_RUNS})`;
}

async function main(): Promise<void> {
  const root = repoRoot(__dirname);
  const manifestPath = join(root, 'dist/lambda/manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} missing: run npm run bundle first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const out: string[] = ['', 'handlers'];
  // Every entry point (cloudtrail, getobject) must be in the manifest: a stale bundle step would hide one.
  const missing = HANDLER_ENTRIES.filter((e) => !manifest.bundles.some((b) => b.name === e.name)).map((e) => e.name);
  if (missing.length > 0) out.push(`  MISSING bundles: ${missing.join(', ')} (run npm run bundle)`);
  // This machine's speed drifts by tens of ms from one minute to the next: bundles are measured in turn, round
  // after round, so that drift hits every bundle alike and their figures stay comparable.
  const initsByBundle = manifest.bundles.map((): number[] => []);
  for (let round = 0; round < INIT_RUNS; round += 1) {
    manifest.bundles.forEach((b, i) => initsByBundle[i]!.push(initTimeMs(join(root, b.path))));
  }
  for (const [i, b] of manifest.bundles.entries()) {
    const inits = initsByBundle[i]!;
    const init = median(inits);
    out.push(
      `  bundle ${b.name}: ${(b.bytes / 1024).toFixed(0)} KB in ${b.files.length} files, ${(b.initBytes / 1024).toFixed(0)} KB loaded at init (budget ${BUNDLE_BUDGET_BYTES / 1024} KB${b.bytes > BUNDLE_BUDGET_BYTES ? ', OVER' : ''})`,
      `  init ${b.name}: median ${init.toFixed(1)} ms of ${INIT_RUNS} fresh processes, interleaved (min ${Math.min(...inits).toFixed(1)}, max ${Math.max(...inits).toFixed(1)}; budget ${INIT_BUDGET_MS} ms${init > INIT_BUDGET_MS ? ', OVER' : ''})`,
    );
    if (b.name === 'cloudtrail') {
      for (const config of ['env', 'ssm'] as const) out.push(`  ${coldStartLine(root, join(root, b.path), config)}`);
    }
  }
  const { ownMs, crossMs, firstMs } = await perEvent(root);
  out.push(
    `  first event (config load, client creation): ${firstMs.toFixed(1)} ms`,
    `  per event, finding published, own account: ${(ownMs * 1000).toFixed(0)} µs (mean of ${EVENTS}, network stubbed)`,
    `  per event, finding published, member account (cached role credentials): ${(crossMs * 1000).toFixed(0)} µs`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench/handlers failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
