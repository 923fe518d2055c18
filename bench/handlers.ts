/**
 * Handler benchmarks (run by `npm run bench` after the bundle step): bundle sizes from dist/lambda/manifest.json,
 * module init time (a fresh `node` process requiring the bundle, median of several runs) and per-event handler
 * time with the network stubbed (a real SecurityHubClient whose request handler answers locally; STS stubbed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import type { STSClient } from '@aws-sdk/client-sts';
import { BUNDLE_BUDGET_BYTES, repoRoot, type Manifest } from '../handlers/bundle';
import { createCloudTrailHandler } from '../handlers/cloudtrail';
import { createClientFactory } from '../handlers/shared/clients';
import { settingsFromEnv } from '../handlers/shared/settings';
import { toEventBridgeEvent, type CloudTrailRecord } from '../rules/cloudtrail';

const INIT_RUNS = 7;
const EVENTS = 2000;
const INIT_BUDGET_MS = 150;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function initTimeMs(bundle: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
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
  const clients = { ...base, sts: () => stsStub };
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

async function main(): Promise<void> {
  const root = repoRoot(__dirname);
  const manifestPath = join(root, 'dist/lambda/manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} missing: run npm run bundle first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const out: string[] = ['', 'handlers'];
  for (const b of manifest.bundles) {
    const inits = Array.from({ length: INIT_RUNS }, () => initTimeMs(join(root, b.path)));
    const init = median(inits);
    out.push(
      `  bundle ${b.name}: ${(b.bytes / 1024).toFixed(0)} KB (budget ${BUNDLE_BUDGET_BYTES / 1024} KB${b.bytes > BUNDLE_BUDGET_BYTES ? ', OVER' : ''})`,
      `  init ${b.name}: median ${init.toFixed(1)} ms of ${INIT_RUNS} fresh processes (min ${Math.min(...inits).toFixed(1)}, max ${Math.max(...inits).toFixed(1)}; budget ${INIT_BUDGET_MS} ms${init > INIT_BUDGET_MS ? ', OVER' : ''})`,
    );
  }
  const { ownMs, crossMs, firstMs } = await perEvent(root);
  out.push(
    `  first event (config load, client creation): ${firstMs.toFixed(1)} ms`,
    `  per event, finding published, own account: ${(ownMs * 1000).toFixed(0)} µs (mean of ${EVENTS}, network stubbed)`,
    `  per event, finding published, member account (cached role credentials): ${(crossMs * 1000).toFixed(0)} µs`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/handlers failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
