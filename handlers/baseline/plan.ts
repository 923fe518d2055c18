/**
 * What each run queries, as pure functions of the clock and the settings (no SDK): the scored window, the
 * rollup range, the per-day profile table, and the Athena statements that wrap the core SQL
 * (rules/baseline/sql.ts) into INSERT INTO / CTAS.
 *
 * Window: the last complete 10-minute bin ending at least `delayMinutes` (15) before now. CloudTrail delivers
 * a log file within about 5 minutes of the call, usually, and the core adds the same 15 minutes of slack to
 * its partition predicates (a file sits under the day it was delivered). Waiting 15 minutes before scoring a
 * bin keeps the counts whole at the cost of 15 minutes of latency; a late file after that is missed by the
 * window (it still reaches the rollup when it arrives before the rollup's own delay).
 *
 * Rollup: bins from the watermark (the bin after the newest bin in the bins table, looked up over the history
 * days) to the last whole hour before now minus the delay, at most `rollupMaxHours` per run. No row is written
 * twice: every bin already in the table is before the watermark. A fresh deployment backfills the history
 * from the trail, `rollupMaxHours` per run.
 *
 * Profile: one immutable Parquet table per day, `<prefix>_<yyyymmdd>`, built by CTAS from the bins of the
 * `historyDays` before that day (the same historyEnd the window query counts exposure to). Built by the first
 * rollup that reaches the day (else by the first window of the day), read by every window of the day, dropped
 * two days later. Windows score only once the bins reach the profile's end and cover `minHistoryDays`
 * (`historyReadiness`): after a fresh deployment, while the rollup backfills and while history is short,
 * nothing is scored or published. A view would recompute 30 days of bins three times in every window query (4,320 a month);
 * CTAS into one table would need DROP + S3 deletes between readers.
 */
import { partitionDays, ROLLUP_COLUMNS, type BaselineTables } from '../../rules/baseline';
import { BIN_SECONDS, DAY_MS, floorToBin, floorToDay } from '../../rules/baseline/time';

const HOUR_MS = 3_600_000;
const BIN_MS = BIN_SECONDS * 1000;

export interface TimeRange {
  start: Date;
  end: Date;
}

/** The bin scored at `now`: [end - 10 min, end) with end = floorToBin(now - delay). */
export function scoredWindow(now: Date, delayMinutes: number): TimeRange {
  const end = floorToBin(new Date(now.getTime() - delayMinutes * 60_000));
  return { start: new Date(end.getTime() - BIN_MS), end };
}

/** `getobject_profile_20250312`: the profile whose history ends at 00:00 UTC of `historyEnd`'s day. */
export function profileTableName(prefix: string, historyEnd: Date): string {
  return `${prefix}_${floorToDay(historyEnd).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** Columns of the bins table in storage order: the rollup columns, the partition column `day` last. */
export const BINS_DATA_COLUMNS = ROLLUP_COLUMNS.filter((c) => c !== 'day');

/** Glue/Hive types of the bins table, as the rollup SQL produces them (INSERT INTO does not narrow types). */
export const BINS_COLUMN_TYPES: Record<(typeof BINS_DATA_COLUMNS)[number], string> = {
  principal: 'string',
  bin_start: 'bigint',
  how: 'bigint',
  principal_type: 'string',
  account: 'string',
  data_account: 'string',
  data_accounts: 'bigint',
  region: 'string',
  requests: 'bigint',
  bytes_out: 'double',
  bytes_known: 'bigint',
  distinct_objects: 'bigint',
  distinct_buckets: 'bigint',
  distinct_ips: 'bigint',
  sensitive_requests: 'bigint',
  sensitive_example: 'string',
  first_event_time: 'string',
  last_event_time: 'string',
  first_event_id: 'string',
  last_event_id: 'string',
  top_buckets: 'string',
  top_ips: 'string',
};

/** INSERT INTO the bins table: the rollup's columns reordered so the partition column `day` comes last. */
export function insertRollupSql(rollup: string, binsTable: string): string {
  const columns = [...BINS_DATA_COLUMNS, 'day'].join(', ');
  return `INSERT INTO ${binsTable}\nSELECT ${columns}\nFROM (\n${rollup}\n) rolled`;
}

/** The newest bin in the bins table over `days` (partition predicate: only those days are listed). */
export function watermarkSql(binsTable: string, days: readonly string[]): string {
  return `SELECT max(bin_start) AS last_bin FROM ${binsTable} WHERE ${dayPredicate(days, 'watermarkSql')}`;
}

/** The oldest and newest bin in the bins table over `days` (the profile's history days): how much history exists. */
export function historySpanSql(binsTable: string, days: readonly string[]): string {
  return `SELECT min(bin_start) AS first_bin, max(bin_start) AS last_bin FROM ${binsTable} WHERE ${dayPredicate(days, 'historySpanSql')}`;
}

/** `day IN ('2025/03/10', ...)`: a partition predicate over the bins table; only yyyy/MM/dd days are accepted. */
function dayPredicate(days: readonly string[], caller: string): string {
  if (days.length === 0) throw new RangeError(`${caller}: no days`);
  for (const d of days) if (!/^\d{4}\/\d{2}\/\d{2}$/.test(d)) throw new RangeError(`${caller}: bad day ${d}`);
  return `day IN (${days.map((d) => `'${d}'`).join(', ')})`;
}

/**
 * How far the rollup may lag behind the profile's end and the profile still count as complete. The hourly rollup
 * reaches midnight only after its first run past 00:00 + delay; a window of the first hour that builds the day's
 * profile misses at most the last hour of 30 days. A backfill is days behind.
 */
export const ROLLUP_LAG_TOLERANCE_MS = 2 * HOUR_MS;

export type HistoryReadiness =
  | { ready: true; historyDays: number }
  | { ready: false; historyDays: number; reason: string };

/**
 * Whether the bins before `historyEnd` make a profile worth scoring against: they reach (nearly) `historyEnd`,
 * and start at least `minHistoryDays` before it. `firstBin`/`lastBin` are bin starts in epoch seconds, null when
 * the table has no bins in the history days (a fresh deployment).
 */
export function historyReadiness(
  span: { firstBin: number | null; lastBin: number | null },
  historyEnd: Date,
  minHistoryDays: number,
): HistoryReadiness {
  const end = historyEnd.getTime();
  if (span.firstBin === null || span.lastBin === null) {
    return { ready: false, historyDays: 0, reason: 'no bins rolled up yet' };
  }
  const first = span.firstBin * 1000;
  const reached = Math.min(end, (span.lastBin + BIN_SECONDS) * 1000);
  const historyDays = Math.max(0, Math.floor(((reached - first) / DAY_MS) * 10) / 10);
  if (reached < end - ROLLUP_LAG_TOLERANCE_MS) {
    return { ready: false, historyDays, reason: `bins rolled up to ${new Date(reached).toISOString()} only (backfill in progress)` };
  }
  if (first > end - minHistoryDays * DAY_MS) {
    return { ready: false, historyDays, reason: `${historyDays} of ${minHistoryDays} days of history` };
  }
  return { ready: true, historyDays };
}

/** CTAS of a day's profile; the enforced workgroup puts its Parquet files under its result location. */
export function createProfileSql(table: string, profile: string): string {
  return `CREATE TABLE ${table}\nWITH (format = 'PARQUET', write_compression = 'SNAPPY')\nAS\n${profile}`;
}

export function profileExistsSql(database: string, table: string): string {
  return `SELECT table_name FROM information_schema.tables WHERE table_schema = '${database}' AND table_name = '${table}'`;
}

export function dropTableSql(table: string): string {
  return `DROP TABLE IF EXISTS ${table}`;
}

export interface RollupPlan {
  /** The range the watermark is looked up in (history days up to the rollup end). */
  lookbackDays: string[];
  /** The last whole hour before now minus the delay. */
  end: Date;
  earliest: Date;
}

export function rollupPlan(now: Date, delayMinutes: number, historyDays: number): RollupPlan {
  const shifted = now.getTime() - delayMinutes * 60_000;
  const end = new Date(Math.floor(shifted / HOUR_MS) * HOUR_MS);
  const earliest = new Date(floorToDay(end).getTime() - historyDays * DAY_MS);
  return { end, earliest, lookbackDays: partitionDays(earliest, new Date(end.getTime() + 1), 0) };
}

/**
 * The range one rollup run covers: from the watermark (or the start of the history when the table is empty)
 * to the plan's end, at most `maxHours`. Null when there is nothing to roll up.
 */
export function rollupRange(plan: RollupPlan, lastBin: number | null, maxHours: number): TimeRange | null {
  const watermark = lastBin === null ? plan.earliest : new Date((lastBin + BIN_SECONDS) * 1000);
  const start = watermark < plan.earliest ? plan.earliest : watermark;
  const end = new Date(Math.min(plan.end.getTime(), start.getTime() + maxHours * HOUR_MS));
  return start < end ? { start, end } : null;
}

export function tablesFor(settings: { tables: { cloudtrail: string; bins: string; profilePrefix: string } }, historyEnd: Date): BaselineTables {
  return {
    cloudtrail: settings.tables.cloudtrail,
    bins: settings.tables.bins,
    profile: profileTableName(settings.tables.profilePrefix, historyEnd),
  };
}
