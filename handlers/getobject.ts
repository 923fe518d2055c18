/**
 * Lambda entry point of the S3 GetObject baseline (docs/getobject-baseline.md), invoked by EventBridge Scheduler:
 *
 *   { "mode": "window", "scheduledTime": "<aws.scheduler.scheduled-time>" }   every 10 minutes
 *   { "mode": "rollup", "scheduledTime": "<aws.scheduler.scheduled-time>" }   hourly or daily
 *
 * `scheduledTime` (the schedule's own time, the same on every retry of one invocation) is "now", so a retried
 * run scores the same bin and produces the same finding Ids; without it the clock is used. `windowEnd` (ISO)
 * re-scores the bin ending then, for a manual re-run.
 *
 * window: the last complete bin before now minus the delivery delay (handlers/baseline/plan.ts), the day's
 * profile (built if missing), the window query, each row scored with `assessBin`, flagged bins turned into
 * signals with the detection config (allowlist, severity overrides) and published like the CloudTrail
 * handler's findings: into the account the data lives in, as that account (assumed publisher role).
 * rollup: the bins after the watermark INSERTed INTO the bins table, the day's profile (CTAS) once the bins
 * reach midnight, the profile of two days ago dropped.
 *
 * Every Athena failure (FAILED, CANCELLED, timeout) throws an AthenaQueryError naming the query execution id and
 * Athena's reason, after counting `BaselineQueryFailures`; bytes scanned go to `BaselineBytesScanned`.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import {
  assessBin,
  baselineQueries,
  DEFAULT_SCORING,
  GETOBJECT_DETECTION_ID,
  parseWindowRow,
  partitionDays,
  profileSql,
  rollupSql,
  signalFromAssessment,
  type ScoringOptions,
} from '../rules/baseline';
import { BIN_SECONDS, DAY_MS, floorToBin, floorToDay } from '../rules/baseline/time';
import { ALL_DETECTIONS } from '../rules/detections';
import { AthenaQueryError, createAthenaRunner, type AthenaRunner, type QueryLabel, type QueryRun } from './baseline/athena';
import { createBaselineMetrics, type BaselineMetrics } from './baseline/metrics';
import {
  createProfileSql,
  dropTableSql,
  historyReadiness,
  historySpanSql,
  insertRollupSql,
  profileExistsSql,
  profileTableName,
  rollupPlan,
  rollupRange,
  scoredWindow,
  tablesFor,
  watermarkSql,
  type HistoryReadiness,
  type TimeRange,
} from './baseline/plan';
import { baselineSettingsFromEnv, type BaselineSettings } from './baseline/settings';
import type { WindowPublisher } from './baseline/publishing';
import { errorCodeOf, HandlerSettingsError, messageOf } from './publish/errors';
import type { PublishedFinding } from './publish/security-hub';
import { createClientFactory, type ClientFactory } from './shared/clients';
import { createConfigSource } from './shared/config';
import { createTelemetry, type Telemetry } from './shared/observability';

export const BaselineInputSchema = z.strictObject({
  mode: z.enum(['window', 'rollup']),
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
  windowEnd: z.iso.datetime({ offset: true }).optional(),
});
export type BaselineInput = z.infer<typeof BaselineInputSchema>;

/** Kept free at the end of the invocation for scoring and publishing after the last query. */
export const PUBLISH_RESERVE_MS = 20_000;

export interface GetObjectHandlerOptions {
  settings: BaselineSettings;
  athena?: AthenaClient;
  clients?: ClientFactory;
  telemetry?: Telemetry;
  metrics?: BaselineMetrics;
  scoring?: Partial<ScoringOptions>;
  now?: () => number;
  /** Waits between polls and publish retries (tests advance a fake clock). */
  sleep?: (ms: number) => Promise<void>;
}

export interface WindowResult {
  mode: 'window';
  window: { start: string; end: string };
  /** Null while warming up: no profile is read (or built) until the history is ready. */
  profileTable: string | null;
  /** Set when the window was not scored because the history is not ready (handlers/baseline/plan.ts). */
  warmingUp?: { historyDays: number; minHistoryDays: number; reason: string };
  queries: QueryRun[];
  scored: number;
  flagged: number;
  published: PublishedFinding[];
}

export interface RollupResult {
  mode: 'rollup';
  /** The bins rolled up by this run; null when there was nothing new. */
  rolledUp: { start: string; end: string } | null;
  profileTable: string | null;
  queries: QueryRun[];
}

export type GetObjectHandler = (event: unknown, context: Context) => Promise<WindowResult | RollupResult>;

export function createGetObjectHandler(options: GetObjectHandlerOptions): GetObjectHandler {
  const { settings } = options;
  const region = settings.handler.region;
  const telemetry = options.telemetry ?? createTelemetry();
  const metrics = options.metrics ?? createBaselineMetrics();
  const clients = options.clients ?? createClientFactory({ securityHubMaxAttempts: settings.handler.securityHubMaxAttempts });
  const now = options.now ?? Date.now;
  const scoring: ScoringOptions = { ...DEFAULT_SCORING, ...options.scoring };
  const { logger } = telemetry;
  const runner: AthenaRunner = createAthenaRunner({
    client: options.athena ?? new AthenaClient({ region, retryMode: 'adaptive', maxAttempts: 5 }),
    workGroup: settings.workGroup,
    database: settings.database,
    now,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const configSource = createConfigSource({
    settings: settings.handler.config,
    clients,
    telemetry,
    detections: ALL_DETECTIONS,
    ...(options.now ? { now: options.now } : {}),
  });
  /** Profile tables known to exist, and profile days whose history is ready (per execution environment). */
  const profiles = new Set<string>();
  const readyHistories = new Set<string>();
  let publishing: Promise<WindowPublisher> | undefined;

  /** Loaded at the first flagged window (handlers/baseline/publishing.ts), then kept. */
  function publisherFor(context: Context): Promise<WindowPublisher> {
    if (!publishing) {
      const loading = import('./baseline/publishing').then(({ createWindowPublisher }) =>
        createWindowPublisher(
          {
            clients,
            region,
            publisherRoleName: settings.handler.publisherRoleName,
            sessionName: `exfiltrail-${GETOBJECT_DETECTION_ID}`,
            telemetry,
            ...(options.now ? { now: options.now } : {}),
            ...(options.sleep ? { sleep: options.sleep } : {}),
          },
          context,
        ),
      );
      // A failure (an ARN that names no account, code that failed to load) is not kept: the next run tries again.
      loading.catch(() => {
        if (publishing === loading) publishing = undefined;
      });
      publishing = loading;
    }
    return publishing;
  }

  /** Run one statement, counting its bytes, or its failure (then rethrown). */
  async function tracked<T extends { run: QueryRun } | QueryRun>(label: QueryLabel, work: () => Promise<T>, runs: QueryRun[]): Promise<T> {
    try {
      const result = await work();
      const run: QueryRun = 'run' in result ? (result as { run: QueryRun }).run : (result as QueryRun);
      runs.push(run);
      metrics.bytesScanned(label, run.bytesScanned);
      logger.info('Athena query succeeded', { query: label, queryExecutionId: run.queryExecutionId, bytesScanned: run.bytesScanned });
      return result;
    } catch (error) {
      if (error instanceof AthenaQueryError) {
        metrics.queryFailed(label, { queryExecutionId: error.queryExecutionId, state: error.state });
        logger.error('Athena query failed', {
          query: label,
          queryExecutionId: error.queryExecutionId,
          state: error.state,
          reason: error.reason,
        });
      }
      throw error;
    }
  }

  async function profileExists(table: string, deadline: number, runs: QueryRun[]): Promise<boolean> {
    const { rows } = await tracked('profile-exists', () => runner.rows(profileExistsSql(settings.database, table), 'profile-exists', deadline), runs);
    return rows.length > 0;
  }

  /** Build the profile of `historyEnd`'s day unless it exists. A concurrent build by another run is fine. */
  async function ensureProfile(historyEnd: Date, deadline: number, runs: QueryRun[]): Promise<string> {
    const table = profileTableName(settings.tables.profilePrefix, historyEnd);
    if (profiles.has(table)) return table;
    if (!(await profileExists(table, deadline, runs))) {
      const historyStart = new Date(historyEnd.getTime() - settings.historyDays * DAY_MS);
      const sql = createProfileSql(
        table,
        profileSql(
          { historyStart, historyEnd, days: partitionDays(historyStart, historyEnd, 0) },
          tablesFor(settings, historyEnd),
        ),
      );
      try {
        const run = await runner.execute(sql, 'profile', deadline);
        runs.push(run);
        metrics.bytesScanned('profile', run.bytesScanned);
        logger.info('profile table built', { table, queryExecutionId: run.queryExecutionId, bytesScanned: run.bytesScanned });
      } catch (error) {
        // Another run may have built it meanwhile (CTAS then fails with "already exists").
        if (!(error instanceof AthenaQueryError) || !(await profileExists(table, deadline, runs))) {
          if (error instanceof AthenaQueryError) {
            metrics.queryFailed('profile', { queryExecutionId: error.queryExecutionId, state: error.state });
            logger.error('Athena query failed', { query: 'profile', queryExecutionId: error.queryExecutionId, state: error.state, reason: error.reason });
          }
          throw error;
        }
        logger.info('profile table built by another run', { table });
      }
    }
    profiles.add(table);
    return table;
  }

  /** Whether the bins before `historyEnd` are complete and long enough to score against (cached once ready). */
  async function historyReady(historyEnd: Date, deadline: number, runs: QueryRun[]): Promise<HistoryReadiness> {
    const key = historyEnd.toISOString();
    if (readyHistories.has(key)) return { ready: true, historyDays: settings.historyDays };
    const historyStart = new Date(historyEnd.getTime() - settings.historyDays * DAY_MS);
    const days = partitionDays(historyStart, historyEnd, 0);
    const { rows } = await tracked('history-span', () => runner.rows(historySpanSql(settings.tables.bins, days), 'history-span', deadline), runs);
    const bin = (value: string | null | undefined) => (value === null || value === undefined || value === '' ? null : Number(value));
    const span = { firstBin: bin(rows[0]?.['first_bin']), lastBin: bin(rows[0]?.['last_bin']) };
    if ((span.firstBin !== null && !Number.isFinite(span.firstBin)) || (span.lastBin !== null && !Number.isFinite(span.lastBin))) {
      throw new Error(`history span query returned ${JSON.stringify(rows[0])}, not bins`);
    }
    const readiness = historyReadiness(span, historyEnd, settings.minHistoryDays);
    if (readiness.ready) readyHistories.add(key);
    return readiness;
  }

  async function runWindow(input: BaselineInput, at: Date, deadline: number, context: Context): Promise<WindowResult> {
    const runs: QueryRun[] = [];
    const window: TimeRange = input.windowEnd
      ? { start: new Date(floorToBin(new Date(input.windowEnd)).getTime() - BIN_SECONDS * 1000), end: floorToBin(new Date(input.windowEnd)) }
      : scoredWindow(at, settings.delayMinutes);
    const historyEnd = floorToDay(window.start);
    const queries = baselineQueries({
      windowStart: window.start,
      windowEnd: window.end,
      historyDays: settings.historyDays,
      slackMinutes: settings.delayMinutes,
      minRequests: scoring.minRequests,
      tables: tablesFor(settings, historyEnd),
      ...(settings.accounts ? { accounts: settings.accounts } : {}),
      ...(settings.regions ? { regions: settings.regions } : {}),
    });
    logger.appendKeys({ windowStart: window.start.toISOString(), windowEnd: window.end.toISOString() });
    const windowIso = { start: window.start.toISOString(), end: window.end.toISOString() };
    const config = await configSource.get();
    const readiness = await historyReady(historyEnd, deadline, runs);
    if (!readiness.ready) {
      const warmingUp = { historyDays: readiness.historyDays, minHistoryDays: settings.minHistoryDays, reason: readiness.reason };
      logger.info('baseline warming up: window not scored, nothing published', warmingUp);
      return { mode: 'window', window: windowIso, profileTable: null, warmingUp, queries: runs, scored: 0, flagged: 0, published: [] };
    }
    const profileTable = await ensureProfile(historyEnd, deadline, runs);
    const { rows } = await tracked('window', () => runner.rows(queries.window, 'window', deadline), runs);

    const result: WindowResult = {
      mode: 'window',
      window: windowIso,
      profileTable,
      queries: runs,
      scored: rows.length,
      flagged: 0,
      published: [],
    };
    metrics.binsScored(rows.length);
    if (config.detections[GETOBJECT_DETECTION_ID]?.enabled === false) {
      logger.info(`${GETOBJECT_DETECTION_ID} is disabled in the config: nothing published`, { rows: rows.length });
      return result;
    }
    const signals = rows.flatMap((raw, index) => {
      const assessment = assessBin(parseWindowRow(raw, index), scoring);
      return assessment.flagged ? [signalFromAssessment(assessment, config)] : [];
    });
    result.flagged = signals.length;
    metrics.binsFlagged(signals.length);
    if (signals.length > 0) result.published = await (await publisherFor(context)).publish(signals);
    return result;
  }

  async function runRollup(at: Date, deadline: number): Promise<RollupResult> {
    const runs: QueryRun[] = [];
    const plan = rollupPlan(at, settings.delayMinutes, settings.historyDays);
    const { rows } = await tracked(
      'watermark',
      () => runner.rows(watermarkSql(settings.tables.bins, plan.lookbackDays), 'watermark', deadline),
      runs,
    );
    const last = rows[0]?.['last_bin'];
    const lastBin = last === null || last === undefined || last === '' ? null : Number(last);
    if (lastBin !== null && !Number.isFinite(lastBin)) throw new Error(`watermark query returned ${String(last)}, not a bin`);
    const range = rollupRange(plan, lastBin, settings.rollupMaxHours);
    if (range) {
      const tables = tablesFor(settings, plan.end);
      const sql = insertRollupSql(
        rollupSql(
          {
            start: range.start,
            end: range.end,
            days: partitionDays(range.start, range.end, settings.delayMinutes),
            ...(settings.accounts ? { accounts: settings.accounts } : {}),
            ...(settings.regions ? { regions: settings.regions } : {}),
          },
          tables,
        ),
        tables.bins,
      );
      logger.info('rolling up', { start: range.start.toISOString(), end: range.end.toISOString() });
      await tracked('rollup', () => runner.execute(sql, 'rollup', deadline), runs);
    } else {
      logger.info('nothing to roll up', { watermarkBin: lastBin, end: plan.end.toISOString() });
    }
    // The day's profile, once the bins reach its midnight (history up to 00:00 is then complete).
    const today = floorToDay(plan.end);
    const rolledTo = range ? range.end : lastBin === null ? plan.earliest : new Date((lastBin + BIN_SECONDS) * 1000);
    let profileTable: string | null = null;
    if (rolledTo >= today) {
      profileTable = await ensureProfile(today, deadline, runs);
      const old = profileTableName(settings.tables.profilePrefix, new Date(today.getTime() - 2 * DAY_MS));
      await tracked('profile-drop', () => runner.execute(dropTableSql(old), 'profile-drop', deadline), runs);
      profiles.delete(old);
    }
    return {
      mode: 'rollup',
      rolledUp: range ? { start: range.start.toISOString(), end: range.end.toISOString() } : null,
      profileTable,
      queries: runs,
    };
  }

  return async function handler(rawEvent, context) {
    logger.addContext(context);
    try {
      const parsed = BaselineInputSchema.safeParse(rawEvent);
      if (!parsed.success) {
        throw new HandlerSettingsError(
          `baseline input rejected: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`,
        );
      }
      const input = parsed.data;
      const at = new Date(input.scheduledTime ?? now());
      const deadline = now() + context.getRemainingTimeInMillis() - PUBLISH_RESERVE_MS;
      logger.appendKeys({ mode: input.mode, detection: GETOBJECT_DETECTION_ID });
      return input.mode === 'window' ? await runWindow(input, at, deadline, context) : await runRollup(at, deadline);
    } catch (error) {
      logger.error('baseline run failed; the schedule runs again, the alarm says so', {
        errorName: errorCodeOf(error),
        error: messageOf(error),
      });
      throw error;
    } finally {
      logger.resetKeys();
    }
  };
}

let defaultHandler: GetObjectHandler | undefined;

/** The Lambda handler: settings from the environment, made once per execution environment. */
export const handler: GetObjectHandler = (event, context) => {
  defaultHandler ??= createGetObjectHandler({ settings: baselineSettingsFromEnv() });
  return defaultHandler(event, context);
};
