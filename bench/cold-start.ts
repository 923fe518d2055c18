/**
 * A Lambda cold start, reproduced in a fresh node process: the bundle is loaded with `import()` (Lambda's Node.js
 * runtime is itself an ES module, so its module loader is up before the handler loads; the probe brings it up
 * first too), then its `handler` gets one event. AWS is a local HTTP server: Security Hub's
 * BatchImportFindings answers success, SSM's GetParameter answers the probe's config, and Athena runs a script
 * (every query succeeds; results are the rows of the first script entry whose pattern matches the SQL).
 * Credentials come from the environment; every other network connection is refused and listed.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** One request the probe's local AWS endpoint received. */
export interface ProbeRequest {
  method: string;
  url: string;
  /** X-Amz-Target (JSON protocols such as SSM's); empty for Security Hub's REST API. */
  target: string;
  authorization: string;
  securityToken: string;
  body: string;
}

export interface ColdStart {
  /** `import()` of the bundle: what Lambda's init phase runs. */
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

/** The probe's environment with the config in SSM (as the deployed stack has it) instead of EXFILTRAIL_CONFIG. */
export function coldStartEnvWithSsmConfig(): NodeJS.ProcessEnv {
  const env = coldStartEnv({ EXFILTRAIL_CONFIG_PARAMETER: PROBE_CONFIG_PARAMETER });
  delete env['EXFILTRAIL_CONFIG'];
  return env;
}

export const PROBE_CONFIG_PARAMETER = '/exfiltrail/probe/config';

/** The rows Athena returns for statements matching `match` (a RegExp source), as strings like Athena's. */
export interface ProbeAthenaResult {
  match: string;
  rows: Record<string, string | null>[];
}
const COLD_START_MARK = '@@exfiltrail-cold-start@@';

/**
 * Load `bundle` (index.mjs) in a fresh node process and invoke its handler once with `event` as account
 * `account`. The AWS endpoints (AWS_ENDPOINT_URL_SECURITYHUB, _SSM, _ATHENA) are set after the load: the SDK reads
 * them when a client is made.
 */
export function coldStart(
  bundle: string,
  event: unknown,
  account: string,
  env = coldStartEnv(),
  athena: readonly ProbeAthenaResult[] = [],
): ColdStart {
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
const requests = [];
const athenaScript = ${JSON.stringify(athena)}, queries = [];
function athenaAnswer(operation, input) {
  if (operation === 'StartQueryExecution') {
    const entry = athenaScript.find((e) => new RegExp(e.match).test(input.QueryString));
    queries.push(entry ? entry.rows : []);
    return { QueryExecutionId: 'q' + queries.length };
  }
  const rows = queries[Number(String(input.QueryExecutionId).slice(1)) - 1] || [];
  if (operation === 'GetQueryExecution') {
    return { QueryExecution: { QueryExecutionId: input.QueryExecutionId, Status: { State: 'SUCCEEDED' },
      Statistics: { DataScannedInBytes: 1024 } } };
  }
  if (operation === 'GetQueryResults') {
    const columns = Object.keys(rows[0] || {});
    const row = (values) => ({ Data: values.map((v) => (v === null ? {} : { VarCharValue: v })) });
    return { ResultSet: { ResultSetMetadata: { ColumnInfo: columns.map((c) => ({ Name: c, Label: c, Type: 'varchar' })) },
      Rows: [row(columns), ...rows.map((r) => row(columns.map((c) => r[c])))] } };
  }
  return {};
}
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    const target = req.headers['x-amz-target'] || '';
    requests.push({ method: req.method, url: req.url, target, authorization: req.headers.authorization || '',
      securityToken: req.headers['x-amz-security-token'] || '', body });
    const answer = target === 'AmazonSSM.GetParameter'
      ? { Parameter: { Name: ${JSON.stringify(PROBE_CONFIG_PARAMETER)}, Type: 'String', Value: '{}', Version: 1 } }
      : target.startsWith('AmazonAthena.') ? athenaAnswer(target.slice(13), JSON.parse(body || '{}'))
      : { FailedCount: 0, SuccessCount: JSON.parse(body || '{}').Findings?.length ?? 0, FailedFindings: [] };
    res.writeHead(200, { 'content-type': target ? 'application/x-amz-json-1.1' : 'application/json' });
    res.end(JSON.stringify(answer));
  });
});
(async () => {
  await import('node:os');
  let t = process.hrtime.bigint(), c = process.cpuUsage();
  const bundle = await import(${JSON.stringify(pathToFileURL(bundle).href)});
  const initMs = Number(process.hrtime.bigint() - t) / 1e6, initCpuMs = cpuMs(process.cpuUsage(c));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = 'http://127.0.0.1:' + server.address().port;
  process.env.AWS_ENDPOINT_URL_SECURITYHUB = endpoint;
  process.env.AWS_ENDPOINT_URL_SSM = endpoint;
  process.env.AWS_ENDPOINT_URL_ATHENA = endpoint;
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
})();
`;
  const stdout = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  const line = stdout.split('\n').find((l) => l.startsWith(COLD_START_MARK));
  if (!line) throw new Error(`cold-start probe printed no result:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(COLD_START_MARK.length)) as ColdStart;
}

/** Module init alone: `import()` of the bundle in a fresh process (after the loader is up, as in Lambda). */
export function initTimeMs(bundle: string): number {
  const script = `import('node:os').then(async () => { const t = process.hrtime.bigint(); await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6)); })`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: coldStartEnv() }));
}
