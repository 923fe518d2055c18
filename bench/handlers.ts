/**
 * Handler benchmarks (run by `npm run bench` after the bundle step): bundle sizes from dist/lambda/manifest.json,
 * module init time (a fresh `node` process requiring the bundle, median of several runs) and per-event handler
 * time with the network stubbed (a real SecurityHubClient whose request handler answers locally; STS stubbed).
 * For the cloudtrail bundle also a cold start as Lambda runs it (`coldStart`): a fresh process requires the
 * bundle, then its `handler` gets a first event whose finding goes to a local Security Hub endpoint, with
 * credentials from the environment and every other network connection refused.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import type { STSClient } from '@aws-sdk/client-sts';
import { BUNDLE_BUDGET_BYTES, HANDLER_ENTRIES, repoRoot, type Manifest } from '../handlers/bundle';
import { createCloudTrailHandler } from '../handlers/cloudtrail';
import { createClientFactory } from '../handlers/shared/clients';
import { settingsFromEnv } from '../handlers/shared/settings';
import { toEventBridgeEvent, type CloudTrailRecord } from '../rules/cloudtrail';

const INIT_RUNS = 11;
const EVENTS = 2000;
const INIT_BUDGET_MS = 150;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** One request the cold-start probe's local Security Hub endpoint received. */
export interface ProbeRequest {
  method: string;
  url: string;
  authorization: string;
  securityToken: string;
  body: string;
}

export interface ColdStart {
  /** `require` of the bundle in a fresh process (what Lambda's init phase runs). */
  initMs: number;
  /** The first `handler(event, context)` call: settings, config, clients, validation, signing, the import. */
  firstEventMs: number;
  /** CPU time (user + system, all threads) of the same two steps: less sensitive to a busy machine. */
  initCpuMs: number;
  firstEventCpuMs: number;
  result?: unknown;
  error?: string;
  requests: ProbeRequest[];
  /** Connections the probe refused (anything but its local endpoint: IMDS, STS, SSO, ...). */
  blocked: string[];
}

/** Lambda-like environment for the probe: env credentials, no profile or config files, quiet telemetry. */
export function coldStartEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(AWS_|POWERTOOLS_|EXFILTRAIL_|DETECTION_ID$|PUBLISHER_ROLE_NAME$)/u.test(key)) env[key] = value;
  }
  return {
    ...env,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'ASIAEXFILTRAILPROBE',
    AWS_SECRET_ACCESS_KEY: 'probe-secret',
    AWS_SESSION_TOKEN: 'probe-session-token',
    AWS_CONFIG_FILE: '/nonexistent/exfiltrail-probe/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/exfiltrail-probe/credentials',
    EXFILTRAIL_CONFIG: '{}',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...extra,
  };
}

const COLD_START_MARK = '@@exfiltrail-cold-start@@';

/**
 * Require `bundle` in a fresh node process and invoke its handler once with `event` as account `account`.
 * Security Hub is a local HTTP server (AWS_ENDPOINT_URL_SECURITYHUB, set after the require: the SDK reads it
 * when the client is made) answering every import with success; any other connection is refused and listed.
 */
export function coldStart(bundle: string, event: unknown, account: string, env = coldStartEnv()): ColdStart {
  const script = `
const fs = require('node:fs'), http = require('node:http'), net = require('node:net');
const blocked = [];
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const o = first !== null && typeof first === 'object' ? first : { port: first, host: args[1] };
  if (o.path === undefined && o.host !== '127.0.0.1') {
    blocked.push(String(o.host) + ':' + String(o.port));
    process.nextTick(() => this.destroy(new Error('network refused by the cold-start probe: ' + String(o.host))));
    return this;
  }
  return connect.apply(this, args);
};
const cpuMs = (u) => (u.user + u.system) / 1000;
let t = process.hrtime.bigint(), c = process.cpuUsage();
const bundle = require(${JSON.stringify(bundle)});
const initMs = Number(process.hrtime.bigint() - t) / 1e6, initCpuMs = cpuMs(process.cpuUsage(c));
const requests = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization || '',
      securityToken: req.headers['x-amz-security-token'] || '', body });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] }));
  });
});
server.listen(0, '127.0.0.1', async () => {
  process.env.AWS_ENDPOINT_URL_SECURITYHUB = 'http://127.0.0.1:' + server.address().port;
  const context = { functionName: 'exfiltrail-probe', functionVersion: '$LATEST', memoryLimitInMB: '256',
    invokedFunctionArn: 'arn:aws:lambda:' + process.env.AWS_REGION + ':' + ${JSON.stringify(account)} + ':function:exfiltrail-probe',
    awsRequestId: 'probe', getRemainingTimeInMillis: () => 30000 };
  const out = { initMs, initCpuMs, requests, blocked };
  t = process.hrtime.bigint();
  c = process.cpuUsage();
  try { out.result = await bundle.handler(${JSON.stringify(event)}, context); }
  catch (error) { out.error = String((error && error.stack) || error); }
  out.firstEventMs = Number(process.hrtime.bigint() - t) / 1e6;
  out.firstEventCpuMs = cpuMs(process.cpuUsage(c));
  fs.writeSync(1, '\\n' + ${JSON.stringify(COLD_START_MARK)} + JSON.stringify(out) + '\\n');
  process.exit(0);
});
`;
  const stdout = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  const line = stdout.split('\n').find((l) => l.startsWith(COLD_START_MARK));
  if (!line) throw new Error(`cold-start probe printed no result:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(COLD_START_MARK.length)) as ColdStart;
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
function coldStartLine(root: string, bundle: string): string {
  const record = JSON.parse(
    readFileSync(join(root, 'test/fixtures/cloudtrail/022-ebs-snapshot-shared-stratus.json'), 'utf8'),
  ) as CloudTrailRecord;
  const event = toEventBridgeEvent(record);
  const runs = Array.from({ length: INIT_RUNS }, () => coldStart(bundle, event, record.recipientAccountId ?? '756680937392'));
  const failed = runs.find((r) => r.error !== undefined || r.requests.length !== 1);
  if (failed) throw new Error(`cold start of ${bundle} failed: ${failed.error ?? `${failed.requests.length} imports`}`);
  const init = median(runs.map((r) => r.initMs));
  const first = median(runs.map((r) => r.firstEventMs));
  const total = median(runs.map((r) => r.initMs + r.firstEventMs));
  return `cold start (bundle, env credentials, local Security Hub): init ${init.toFixed(1)} ms + first event ${first.toFixed(1)} ms = ${total.toFixed(1)} ms (medians of ${INIT_RUNS})`;
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
      `  bundle ${b.name}: ${(b.bytes / 1024).toFixed(0)} KB (budget ${BUNDLE_BUDGET_BYTES / 1024} KB${b.bytes > BUNDLE_BUDGET_BYTES ? ', OVER' : ''})`,
      `  init ${b.name}: median ${init.toFixed(1)} ms of ${INIT_RUNS} fresh processes, interleaved (min ${Math.min(...inits).toFixed(1)}, max ${Math.max(...inits).toFixed(1)}; budget ${INIT_BUDGET_MS} ms${init > INIT_BUDGET_MS ? ', OVER' : ''})`,
    );
    if (b.name === 'cloudtrail') out.push(`  ${coldStartLine(root, join(root, b.path))}`);
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
