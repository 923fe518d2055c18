/**
 * The GetObject baseline handler against a scripted Athena (aws-sdk-client-mock) and the Security Hub/STS mocks of
 * the CloudTrail handler tests: the queries it starts, polling and paging, scoring into findings in the data's
 * account, failures and timeouts, the rollup's INSERT and idempotent re-runs.
 */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AthenaQueryError, AthenaQueryTimeoutError } from '../../handlers/baseline/athena';
import { baselineSettingsFromEnv } from '../../handlers/baseline/settings';
import { createGetObjectHandler, type RollupResult, type WindowResult } from '../../handlers/getobject';
import { createTelemetry } from '../../handlers/shared/observability';
import { acceptEveryImport, captureStdout, importedFindingsOf, lambdaContext, testSettings } from './helpers';
import {
  athena,
  baselineTestSettings,
  DATA_ACCOUNT,
  DROP,
  flaggedRow,
  PRINCIPAL,
  PROFILE_CTAS,
  PROFILE_EXISTS,
  quietRow,
  ROLLUP_INSERT,
  scriptAthena,
  WATERMARK,
  WINDOW_QUERY,
  HISTORY_SPAN,
  type ScriptedQuery,
} from './getobject-helpers';

const securityHub = mockClient(SecurityHubClient);
const sts = mockClient(STSClient);

/** 10:37 -> minus the 15-minute delay 10:22 -> the bin [10:10, 10:20) of 2025-03-12. */
const NOW = '2025-03-12T10:37:00Z';
const BIN = Date.parse('2025-03-12T10:10:00Z') / 1000;

let clock = Date.parse(NOW);
let output: ReturnType<typeof captureStdout>;

function makeHandler(settings = baselineTestSettings()) {
  return createGetObjectHandler({
    settings,
    telemetry: createTelemetry(),
    now: () => clock,
    // Waiting advances the fake clock, so deadlines are reached without real time passing.
    sleep: async (ms) => {
      clock += ms;
    },
  });
}

const importedFindings = () => importedFindingsOf(securityHub);

const profileExists: ScriptedQuery = { match: PROFILE_EXISTS, rows: [{ table_name: 'getobject_profile_20250312' }] };

beforeEach(() => {
  athena.reset();
  securityHub.reset();
  sts.reset();
  clock = Date.parse(NOW);
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(clock + 3600_000) },
  });
  acceptEveryImport(securityHub);
  output = captureStdout();
});

afterEach(() => output.restore());

describe('window mode', () => {
  test('starts the window query in the workgroup and database, with the window day as partition predicate', async () => {
    const athenaScript = scriptAthena([profileExists, { match: WINDOW_QUERY, rows: [], columns: ['principal'] }]);
    await makeHandler()({ mode: 'window' }, lambdaContext());

    const [window] = athenaScript.started.filter((s) => WINDOW_QUERY.test(s.sql));
    expect(window).toMatchObject({ workGroup: 'exfiltrail-baseline', database: 'exfiltrail_baseline' });
    expect(window?.sql).toContain("day IN ('2025/03/12')");
    expect(window?.sql).toContain("eventtime >= '2025-03-12T10:10:00Z'");
    expect(window?.sql).toContain("eventtime < '2025-03-12T10:20:00Z'");
    expect(window?.sql).toContain('FROM getobject_profile_20250312');
    expect(window?.sql).not.toContain('2025/03/11');
  });

  test('names accounts and regions in the predicates when they are configured', async () => {
    const athenaScript = scriptAthena([profileExists, { match: WINDOW_QUERY, rows: [], columns: ['principal'] }]);
    await makeHandler(baselineTestSettings({ accounts: [DATA_ACCOUNT], regions: ['eu-west-1'] }))({ mode: 'window' }, lambdaContext());
    const [sql] = athenaScript.sqlOf(WINDOW_QUERY);
    expect(sql).toContain(`account IN ('${DATA_ACCOUNT}')`);
    expect(sql).toContain("region IN ('eu-west-1')");
  });

  test('polls until SUCCEEDED, pages over NextToken and scores the rows into a finding in the data account', async () => {
    const rows = [flaggedRow(BIN), ...Array.from({ length: 4 }, () => quietRow(BIN))];
    const athenaScript = scriptAthena([
      profileExists,
      { match: WINDOW_QUERY, states: ['QUEUED', 'RUNNING', 'RUNNING', 'SUCCEEDED'], rows, pageSize: 2, bytes: 123_456 },
    ]);
    const result = (await makeHandler()({ mode: 'window' }, lambdaContext())) as WindowResult;

    // 1 poll each for the history span and the existence check, + 4 for the window query.
    expect(athenaScript.pollCount()).toBe(6);
    const windowId = athenaScript.started.find((s) => WINDOW_QUERY.test(s.sql))?.id;
    const pages = athenaScript.resultCalls().filter((c) => c.QueryExecutionId === windowId);
    expect(pages.map((p) => p.NextToken)).toEqual([undefined, '1', '2']);
    expect(result.scored).toBe(5);
    expect(result.flagged).toBe(1);

    const findings = importedFindings();
    expect(findings).toHaveLength(1);
    expect(findings[0]?.AwsAccountId).toBe(DATA_ACCOUNT);
    expect(findings[0]?.ProductArn).toBe(`arn:aws:securityhub:eu-west-1:${DATA_ACCOUNT}:product/${DATA_ACCOUNT}/default`);
    expect(findings[0]?.GeneratorId).toBe('exfiltrail/s3-getobject-anomaly');
    expect(findings[0]?.Description).toContain('5000');
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toMatchObject({
      RoleArn: `arn:aws:iam::${DATA_ACCOUNT}:role/exfiltrail-finding-publisher`,
      RoleSessionName: 'exfiltrail-s3-getobject-anomaly',
    });
    expect(result.published).toEqual([{ id: findings[0]?.Id, account: DATA_ACCOUNT, severity: findings[0]?.Severity?.Label }]);
    expect(output.metricSum('BaselineBytesScanned', { query: 'window' })).toBe(123_456);
    expect(output.metricSum('BaselineBinsFlagged')).toBe(1);
  });

  test('builds the day’s profile (CTAS over the 30 history days) before the window query when it is missing', async () => {
    const athenaScript = scriptAthena([
      { match: PROFILE_EXISTS, rows: [], columns: ['table_name'] },
      { match: PROFILE_CTAS, bytes: 5_000_000 },
      { match: WINDOW_QUERY, rows: [], columns: ['principal'] },
    ]);
    await makeHandler()({ mode: 'window' }, lambdaContext());
    const order = athenaScript.started.map((s) =>
      HISTORY_SPAN.test(s.sql) ? 'history' : PROFILE_EXISTS.test(s.sql) ? 'exists' : PROFILE_CTAS.test(s.sql) ? 'ctas' : 'window',
    );
    expect(order).toEqual(['history', 'exists', 'ctas', 'window']);
    const [ctas] = athenaScript.sqlOf(PROFILE_CTAS);
    expect(ctas).toMatch(/^CREATE TABLE getobject_profile_20250312\nWITH \(format = 'PARQUET'/);
    expect(ctas).toContain("'2025/02/10'"); // first of the 30 days
    expect(ctas).toContain("'2025/03/11'"); // last
    expect(ctas).not.toContain("'2025/03/12'");
    expect(ctas).not.toContain("'2025/02/09'");
  });

  test('a profile known to exist is not looked up again by the same execution environment', async () => {
    const athenaScript = scriptAthena([profileExists, { match: WINDOW_QUERY, rows: [], columns: ['principal'] }]);
    const handler = makeHandler();
    await handler({ mode: 'window' }, lambdaContext());
    await handler({ mode: 'window' }, lambdaContext());
    expect(athenaScript.sqlOf(PROFILE_EXISTS)).toHaveLength(1);
    expect(athenaScript.sqlOf(WINDOW_QUERY)).toHaveLength(2);
  });

  test('a re-run for the same scheduled time yields the same finding Ids', async () => {
    scriptAthena([profileExists, { match: WINDOW_QUERY, rows: [flaggedRow(BIN)] }]);
    const event = { mode: 'window', scheduledTime: NOW };
    await makeHandler()(event, lambdaContext());
    clock += 5 * 60_000; // retried five minutes later
    await makeHandler()(event, lambdaContext());
    const findings = importedFindings();
    expect(findings).toHaveLength(2);
    expect(findings[0]?.Id).toBe(findings[1]?.Id);
    expect(findings[0]?.UpdatedAt).toBe(findings[1]?.UpdatedAt);
    expect(findings[0]?.Id).toContain(PRINCIPAL);
  });

  test('windowEnd re-scores the bin ending then', async () => {
    const athenaScript = scriptAthena([
      { match: PROFILE_EXISTS, rows: [{ table_name: 'getobject_profile_20250311' }] },
      { match: WINDOW_QUERY, rows: [], columns: ['principal'] },
    ]);
    await makeHandler()({ mode: 'window', windowEnd: '2025-03-11T23:50:00Z' }, lambdaContext());
    const [sql] = athenaScript.sqlOf(WINDOW_QUERY);
    expect(sql).toContain("eventtime >= '2025-03-11T23:40:00Z'");
    // 15 minutes of delivery slack past 23:50 reach into the next day's folder.
    expect(sql).toContain("day IN ('2025/03/11', '2025/03/12')");
    expect(sql).toContain('FROM getobject_profile_20250311');
  });

  test('the allowlist of the shared config applies: the finding is kept at INFORMATIONAL with its reason', async () => {
    scriptAthena([profileExists, { match: WINDOW_QUERY, rows: [flaggedRow(BIN)] }]);
    const config = {
      allowlist: [{ principal: PRINCIPAL, detections: ['s3-getobject-anomaly'], reason: 'nightly export to the data lake' }],
    };
    const settings = baselineTestSettings({ handler: testSettings({ config: { ...testSettings().config, json: JSON.stringify(config) } }) });
    await makeHandler(settings)({ mode: 'window' }, lambdaContext());
    const [finding] = importedFindings();
    expect(finding?.Severity?.Label).toBe('INFORMATIONAL');
  });

  test('a detection disabled in the config scores but publishes nothing', async () => {
    scriptAthena([profileExists, { match: WINDOW_QUERY, rows: [flaggedRow(BIN)] }]);
    const config = { detections: { 's3-getobject-anomaly': { enabled: false } } };
    const settings = baselineTestSettings({ handler: testSettings({ config: { ...testSettings().config, json: JSON.stringify(config) } }) });
    const result = (await makeHandler(settings)({ mode: 'window' }, lambdaContext())) as WindowResult;
    expect(result.scored).toBe(1);
    expect(importedFindings()).toHaveLength(0);
  });

  test('a FAILED query throws with its id and Athena’s reason, and counts BaselineQueryFailures', async () => {
    scriptAthena([
      profileExists,
      { match: WINDOW_QUERY, states: ['RUNNING', 'FAILED'], reason: 'HIVE_BAD_DATA: Error parsing field value' },
    ]);
    const run = makeHandler()({ mode: 'window' }, lambdaContext());
    await expect(run).rejects.toThrow(AthenaQueryError);
    await expect(run).rejects.toThrow('Athena window query q3 FAILED: HIVE_BAD_DATA: Error parsing field value');
    expect(output.metricSum('BaselineQueryFailures', { query: 'window' })).toBe(1);
    expect(importedFindings()).toHaveLength(0);
  });

  test('a query still running at the deadline is stopped and throws a timeout naming it', async () => {
    const athenaScript = scriptAthena([profileExists, { match: WINDOW_QUERY, states: ['RUNNING'] }]);
    const run = makeHandler()({ mode: 'window' }, lambdaContext());
    await expect(run).rejects.toThrow(AthenaQueryTimeoutError);
    await expect(run).rejects.toThrow(/Athena window query q3 TIMEOUT: still RUNNING after \d+ s/);
    expect(athenaScript.stopCalls()).toEqual([{ QueryExecutionId: 'q3' }]);
    expect(output.metricSum('BaselineQueryFailures', { query: 'window' })).toBe(1);
  });

  test('an input without a known mode is rejected before any query', async () => {
    const athenaScript = scriptAthena([]);
    await expect(makeHandler()({ mode: 'score-everything' }, lambdaContext())).rejects.toThrow(/baseline input rejected: mode/);
    expect(athenaScript.started).toHaveLength(0);
  });
});

describe('warm-up: windows are scored only once the rolled-up history is complete and long enough', () => {
  // The window of NOW scores against the profile of 2025-03-12, whose history ends at midnight.
  const HISTORY_END = Date.parse('2025-03-12T00:00:00Z');
  const span = (first: number | null, last: number | null): ScriptedQuery => ({
    match: HISTORY_SPAN,
    rows: [{ first_bin: first === null ? null : String(first / 1000), last_bin: last === null ? null : String(last / 1000) }],
  });
  const DAY = 86_400_000;

  test.each([
    ['a fresh deployment (no bins yet)', span(null, null), 0, 'no bins rolled up yet'],
    ['a backfill still days behind', span(HISTORY_END - 30 * DAY, HISTORY_END - 20 * DAY), 10, 'bins rolled up to 2025-02-20T00:10:00.000Z only (backfill in progress)'],
    ['a trail with 3 days of history', span(HISTORY_END - 3 * DAY, HISTORY_END - 600_000), 3, '3 of 7 days of history'],
  ])('%s: no profile, no window query, nothing published, and the reason logged', async (_case, history, days, reason) => {
    const athenaScript = scriptAthena([history, profileExists, { match: WINDOW_QUERY, rows: [flaggedRow(BIN)] }]);
    const result = (await makeHandler()({ mode: 'window' }, lambdaContext())) as WindowResult;
    expect(result).toMatchObject({ profileTable: null, scored: 0, flagged: 0, published: [], warmingUp: { historyDays: days, minHistoryDays: 7, reason } });
    expect(athenaScript.started.map((q) => q.sql).every((sql) => HISTORY_SPAN.test(sql))).toBe(true);
    const [spanSql] = athenaScript.sqlOf(HISTORY_SPAN);
    expect(spanSql).toContain("'2025/02/10'"); // the profile's 30 history days, and only those
    expect(spanSql).toContain("'2025/03/11'");
    expect(spanSql).not.toContain("'2025/03/12'");
    expect(importedFindings()).toHaveLength(0);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ message: 'baseline warming up: window not scored, nothing published', reason }),
    );
  });

  test('ready once the bins reach (nearly) midnight and cover 7 days; checked once per day and environment', async () => {
    // Rolled up to 23:00: the hourly rollup has not passed midnight yet, within the 2-hour tolerance.
    const athenaScript = scriptAthena([span(HISTORY_END - 7 * DAY, HISTORY_END - 3_600_000), profileExists, { match: WINDOW_QUERY, rows: [flaggedRow(BIN)] }]);
    const handler = makeHandler();
    const first = (await handler({ mode: 'window' }, lambdaContext())) as WindowResult;
    expect(first.warmingUp).toBeUndefined();
    expect(first.flagged).toBe(1);
    await handler({ mode: 'window' }, lambdaContext());
    expect(athenaScript.sqlOf(HISTORY_SPAN)).toHaveLength(1);
    expect(athenaScript.sqlOf(WINDOW_QUERY)).toHaveLength(2);
  });

  test('a warming-up environment asks again on its next run', async () => {
    const athenaScript = scriptAthena([span(null, null)]);
    const handler = makeHandler();
    await handler({ mode: 'window' }, lambdaContext());
    await handler({ mode: 'window' }, lambdaContext());
    expect(athenaScript.sqlOf(HISTORY_SPAN)).toHaveLength(2);
  });

  test('BASELINE_MIN_HISTORY_DAYS must fit in the history', () => {
    const env = { AWS_REGION: 'eu-west-1', ATHENA_WORKGROUP: 'wg', ATHENA_DATABASE: 'db', EXFILTRAIL_CONFIG: '{}' };
    expect(baselineSettingsFromEnv(env).minHistoryDays).toBe(7);
    expect(baselineSettingsFromEnv({ ...env, BASELINE_MIN_HISTORY_DAYS: '14' }).minHistoryDays).toBe(14);
    expect(() => baselineSettingsFromEnv({ ...env, BASELINE_HISTORY_DAYS: '10', BASELINE_MIN_HISTORY_DAYS: '14' })).toThrow(
      'BASELINE_MIN_HISTORY_DAYS (14) is more than BASELINE_HISTORY_DAYS (10): windows would never be scored',
    );
  });
});

describe('rollup mode', () => {
  test('inserts the bins after the watermark, reading only the days they need', async () => {
    // now 10:37 - 15 min = 10:22 -> end 10:00; newest bin 08:50 -> watermark 09:00.
    const lastBin = Date.parse('2025-03-12T08:50:00Z') / 1000;
    const athenaScript = scriptAthena([
      { match: WATERMARK, rows: [{ last_bin: String(lastBin) }] },
      { match: ROLLUP_INSERT, bytes: 42_000_000 },
      profileExists,
      { match: DROP },
    ]);
    const result = (await makeHandler()({ mode: 'rollup' }, lambdaContext())) as RollupResult;

    expect(result.rolledUp).toEqual({ start: '2025-03-12T09:00:00.000Z', end: '2025-03-12T10:00:00.000Z' });
    const [watermark] = athenaScript.sqlOf(WATERMARK);
    expect(watermark).toContain("'2025/02/10'");
    expect(watermark).toContain("'2025/03/12'");
    const [insert] = athenaScript.sqlOf(ROLLUP_INSERT);
    expect(insert).toContain("day IN ('2025/03/12')");
    expect(insert).toContain("eventtime >= '2025-03-12T09:00:00Z'");
    expect(insert).toContain("eventtime < '2025-03-12T10:00:00Z'");
    expect(insert).toMatch(/SELECT principal, bin_start, how, principal_type, .*, top_ips, day\nFROM \(/);
    expect(output.metricSum('BaselineBytesScanned', { query: 'rollup' })).toBe(42_000_000);
    // Today's profile exists; the one of two days ago is dropped.
    expect(athenaScript.sqlOf(DROP)).toEqual(['DROP TABLE IF EXISTS getobject_profile_20250310']);
  });

  test('a rollup crossing midnight reads both days, and then builds the new day’s profile', async () => {
    clock = Date.parse('2025-03-12T00:20:00Z'); // -15 min -> end 2025-03-12T00:00
    const lastBin = Date.parse('2025-03-11T22:50:00Z') / 1000;
    const athenaScript = scriptAthena([
      { match: WATERMARK, rows: [{ last_bin: String(lastBin) }] },
      { match: ROLLUP_INSERT },
      { match: PROFILE_EXISTS, rows: [], columns: ['table_name'] },
      { match: PROFILE_CTAS },
      { match: DROP },
    ]);
    const result = (await makeHandler()({ mode: 'rollup' }, lambdaContext())) as RollupResult;
    expect(result.rolledUp).toEqual({ start: '2025-03-11T23:00:00.000Z', end: '2025-03-12T00:00:00.000Z' });
    const [insert] = athenaScript.sqlOf(ROLLUP_INSERT);
    // Files delivered in the first 15 minutes of the 12th hold events of the 11th.
    expect(insert).toContain("day IN ('2025/03/11', '2025/03/12')");
    expect(result.profileTable).toBe('getobject_profile_20250312');
    expect(athenaScript.sqlOf(PROFILE_CTAS)).toHaveLength(1);
  });

  test('an empty bins table is backfilled from the start of the history, at most rollupMaxHours a run', async () => {
    const athenaScript = scriptAthena([
      { match: WATERMARK, rows: [{ last_bin: null }], columns: ['last_bin'] },
      { match: ROLLUP_INSERT },
    ]);
    const result = (await makeHandler(baselineTestSettings({ rollupMaxHours: 6 }))({ mode: 'rollup' }, lambdaContext())) as RollupResult;
    expect(result.rolledUp).toEqual({ start: '2025-02-10T00:00:00.000Z', end: '2025-02-10T06:00:00.000Z' });
    const [insert] = athenaScript.sqlOf(ROLLUP_INSERT);
    expect(insert).toContain("day IN ('2025/02/10')");
    expect(result.profileTable).toBeNull();
  });

  test('nothing new: no INSERT', async () => {
    const lastBin = Date.parse('2025-03-12T09:50:00Z') / 1000;
    const athenaScript = scriptAthena([{ match: WATERMARK, rows: [{ last_bin: String(lastBin) }] }, profileExists, { match: DROP }]);
    const result = (await makeHandler()({ mode: 'rollup' }, lambdaContext())) as RollupResult;
    expect(result.rolledUp).toBeNull();
    expect(athenaScript.sqlOf(ROLLUP_INSERT)).toHaveLength(0);
  });

  test('a FAILED INSERT throws with the reason and counts the failure', async () => {
    const lastBin = Date.parse('2025-03-12T08:50:00Z') / 1000;
    scriptAthena([
      { match: WATERMARK, rows: [{ last_bin: String(lastBin) }] },
      { match: ROLLUP_INSERT, states: ['FAILED'], reason: 'Query exhausted resources at this scale factor' },
    ]);
    await expect(makeHandler()({ mode: 'rollup' }, lambdaContext())).rejects.toThrow(
      'Athena rollup query q2 FAILED: Query exhausted resources at this scale factor',
    );
    expect(output.metricSum('BaselineQueryFailures', { query: 'rollup' })).toBe(1);
  });
});
