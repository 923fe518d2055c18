/**
 * The GetObject baseline on a laptop: the SQL of rules/baseline/sql.ts on DuckDB over local CloudTrail files,
 * scored in TypeScript exactly as the Athena handler scores it.
 *
 * What a scan over an archive does (docs/getobject-baseline.md):
 *   1. rollup: every GetObject of the archive -> 10-minute bins (a DuckDB table, as the Athena bins table);
 *   2. the scored range: [now - windowMinutes, now) when windowMinutes is given (what the scheduled query
 *      does), else every bin from the end of the warm-up (minHistoryDays after the archive's first day) to
 *      the end of the archive;
 *   3. per UTC day of the scored range: the profile of the historyDays before that day (as the daily
 *      profile in the cloud), then the window query over that day's raw events (files pruned by the day
 *      partitions, as Athena's partition projection prunes), then scoring.
 * Each bin is thus scored only against history before its day: no look-ahead, no bin judged by itself.
 */
import type { ExfiltrailConfig } from '../../rules/config';
import {
  baselineQueries,
  DEFAULT_HISTORY_DAYS,
  DEFAULT_SLACK_MINUTES,
} from '../../rules/baseline/queries';
import { parseWindowRow } from '../../rules/baseline/rows';
import { assessBin, DEFAULT_SCORING, type ScoringOptions } from '../../rules/baseline/score';
import { signalFromAssessment } from '../../rules/baseline/signal';
import { partitionDays, rollupSql } from '../../rules/baseline';
import { BIN_SECONDS, DAY_MS, DEFAULT_MIN_HISTORY_DAYS, floorToBin, floorToDay } from '../../rules/baseline/time';
import type { Signal } from '../../rules/signal';
import { SEVERITY_RANK } from '../../rules/risk';
import { filesForDays, findTrailFiles, type TrailFile } from './files';
import { openDuckSession, type DuckSession } from './session';
import { cloudTrailViewSql } from './view';

export interface GetObjectBaselineOptions {
  config: ExfiltrailConfig;
  /** End of the scored range (rounded down to a bin). Default: the end of the archive's last bin. */
  now?: Date;
  /** Score only [now - windowMinutes, now). Default: every bin after the warm-up. */
  windowMinutes?: number;
  /** Days of history behind each scored day. Default 30. */
  historyDays?: number;
  /** Days of archive needed before a day is scored. Default 7. */
  minHistoryDays?: number;
  /** CloudTrail delivery delay covered by partition predicates. Default 15. */
  slackMinutes?: number;
  scoring?: Partial<ScoringOptions>;
}

export interface GetObjectBaselineStats {
  files: number;
  /** De-duplicated, successful, non-service GetObject reads in the archive. */
  reads: number;
  principals: number;
  bins: number;
  /** The scored range, ISO; null when nothing was scored. */
  scoredFrom: string | null;
  scoredTo: string | null;
  /** Days of the requested range skipped for lack of history (warm-up). */
  warmupDaysSkipped: number;
  /** Bins returned by the window queries (at or above the floor) and scored. */
  scoredBins: number;
  flagged: number;
  suppressed: number;
  timings: { rollupMs: number; profileMs: number; windowMs: number; scoringMs: number };
}

export interface GetObjectBaselineResult {
  signals: Signal[];
  stats: GetObjectBaselineStats;
}

export { DEFAULT_MIN_HISTORY_DAYS };

/** The stats of a run that has read nothing yet. */
export function emptyBaselineStats(): GetObjectBaselineStats {
  return {
    files: 0,
    reads: 0,
    principals: 0,
    bins: 0,
    scoredFrom: null,
    scoredTo: null,
    warmupDaysSkipped: 0,
    scoredBins: 0,
    flagged: 0,
    suppressed: 0,
    timings: { rollupMs: 0, profileMs: 0, windowMs: 0, scoringMs: 0 },
  };
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  return v;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - started) / 1e6];
}

export async function runGetObjectBaseline(
  paths: string[],
  options: GetObjectBaselineOptions,
): Promise<GetObjectBaselineResult> {
  const historyDays = positiveInteger(options.historyDays, DEFAULT_HISTORY_DAYS, 'historyDays');
  const minHistoryDays = positiveInteger(options.minHistoryDays, DEFAULT_MIN_HISTORY_DAYS, 'minHistoryDays');
  const slackMinutes = options.slackMinutes ?? DEFAULT_SLACK_MINUTES;
  if (options.windowMinutes !== undefined) positiveInteger(options.windowMinutes, 1, 'windowMinutes');
  const scoring: ScoringOptions = { ...DEFAULT_SCORING, ...options.scoring };

  const stats = emptyBaselineStats();
  const files = await findTrailFiles(paths);
  stats.files = files.length;
  if (files.length === 0) return { signals: [], stats };

  const session = await openDuckSession();
  try {
    const range = await archiveRange(session, files);
    if (!range) return { signals: [], stats };

    // 1. Rollup of the whole archive.
    await session.exec(cloudTrailViewSql(files), 'cloudtrail view');
    const rollup = rollupSql({ start: range.start, end: range.end, days: partitionDays(range.start, range.end, slackMinutes) });
    [, stats.timings.rollupMs] = await timed(() => session.exec(`CREATE OR REPLACE TABLE getobject_bins AS ${rollup}`, 'rollup'));
    const [summary] = await session.rows(
      `SELECT count(*) AS bins, count(DISTINCT principal) AS principals, coalesce(sum(requests), 0) AS reads,
         max(bin_start) AS last_bin FROM getobject_bins`,
      'rollup summary',
    );
    stats.bins = Number(summary?.bins ?? 0);
    stats.principals = Number(summary?.principals ?? 0);
    stats.reads = Number(summary?.reads ?? 0);
    if (stats.bins === 0) return { signals: [], stats };

    // 2. The scored range.
    const end = options.now ? floorToBin(options.now) : new Date((Number(summary?.last_bin) + BIN_SECONDS) * 1000);
    const warmupEnd = new Date(floorToDay(range.start).getTime() + minHistoryDays * DAY_MS);
    // Without a window the whole archive is requested: its first minHistoryDays are the warm-up, and counted.
    const requested = options.windowMinutes
      ? floorToBin(new Date(end.getTime() - options.windowMinutes * 60_000))
      : floorToDay(range.start);
    const start = requested < warmupEnd ? warmupEnd : requested;
    stats.warmupDaysSkipped = requested < warmupEnd ? countDays(requested, start < end ? start : end) : 0;
    if (start >= end) return { signals: [], stats };
    stats.scoredFrom = start.toISOString();
    stats.scoredTo = end.toISOString();

    // 3. Per day: profile, window query, scoring.
    const signals: Signal[] = [];
    for (let segment = start; segment < end; ) {
      const next = new Date(Math.min(floorToDay(segment).getTime() + DAY_MS, end.getTime()));
      const queries = baselineQueries({
        windowStart: segment,
        windowEnd: next,
        historyDays,
        slackMinutes,
        minRequests: scoring.minRequests,
      });
      const [, profileMs] = await timed(() =>
        session.exec(`CREATE OR REPLACE TABLE getobject_profile AS ${queries.profile}`, 'profile'),
      );
      stats.timings.profileMs += profileMs;
      const windowFiles = filesForDays(files, queries.windowDays);
      if (windowFiles.length > 0) {
        await session.exec(cloudTrailViewSql(windowFiles), 'cloudtrail view');
        const [rows, windowMs] = await timed(() => session.rows(queries.window, 'window query'));
        stats.timings.windowMs += windowMs;
        const scoringStarted = process.hrtime.bigint();
        rows.forEach((raw, index) => {
          const assessment = assessBin(parseWindowRow(raw, index), scoring);
          stats.scoredBins += 1;
          if (!assessment.flagged) return;
          const signal = signalFromAssessment(assessment, options.config);
          stats.flagged += 1;
          if (signal.suppressed) stats.suppressed += 1;
          signals.push(signal);
        });
        stats.timings.scoringMs += Number(process.hrtime.bigint() - scoringStarted) / 1e6;
      }
      segment = next;
    }
    signals.sort(
      (a, b) =>
        SEVERITY_RANK[b.risk.severity] - SEVERITY_RANK[a.risk.severity] ||
        b.risk.score - a.risk.score ||
        a.key.localeCompare(b.key),
    );
    return { signals, stats };
  } finally {
    session.close();
  }
}

function countDays(from: Date, to: Date): number {
  return Math.max(0, Math.ceil((to.getTime() - from.getTime()) / DAY_MS));
}

/**
 * [first day 00:00, day after the last 00:00) of the archive: from the path days when every file follows the
 * AWSLogs layout (no read needed), else from the records' event times.
 */
async function archiveRange(session: DuckSession, files: readonly TrailFile[]): Promise<{ start: Date; end: Date } | null> {
  const days = files.map((f) => f.day);
  if (days.every((d): d is string => d !== undefined)) {
    const sorted = [...days].sort();
    const first = sorted[0] as string;
    const last = sorted[sorted.length - 1] as string;
    return {
      start: new Date(`${first.replace(/\//g, '-')}T00:00:00Z`),
      end: new Date(new Date(`${last.replace(/\//g, '-')}T00:00:00Z`).getTime() + DAY_MS),
    };
  }
  await session.exec(cloudTrailViewSql(files), 'cloudtrail view');
  const [row] = await session.rows(
    `SELECT min(eventtime) AS first, max(eventtime) AS last FROM cloudtrail WHERE eventname = 'GetObject'`,
    'archive range',
  );
  if (!row || typeof row.first !== 'string' || typeof row.last !== 'string') return null;
  const first = new Date(row.first);
  const last = new Date(row.last);
  if (Number.isNaN(first.getTime()) || Number.isNaN(last.getTime())) return null;
  return { start: floorToDay(first), end: new Date(floorToDay(last).getTime() + DAY_MS) };
}


