/**
 * The SQL of the GetObject baseline: one text for Athena (engine v3, Trino) in the organization and DuckDB on a
 * laptop. Kept to the subset both engines read alike (see DESIGN.md): no integer `/` (divisions are by a
 * double literal such as `600e0`), no timestamp literals (time bounds compare the ISO `eventtime` strings),
 * no `date_add`; Trino functions DuckDB lacks are mapped by macros (`cli/baseline/macros.ts`).
 *
 *   rollup  raw CloudTrail events of [start, end)        -> one row per principal and 10-minute bin
 *   profile 30 days of rollup rows                        -> per principal: overall (how = -1) and hour-of-week rows
 *   window  raw events of the last window, aggregated     -> bins joined to the profile and the peer prior
 *
 * Every query filters on the partition columns of its source: `day IN (...)` with exactly the days of its
 * window (plus the delivery slack), and `account`/`region` when the caller names them.
 */
import { BINS_PER_HOUR, BINS_PER_WEEK, BIN_SECONDS, EPOCH_BIN_OF_WEEK, eventTimeString } from './time';
import { SENSITIVE_WORDS } from './detection';

export interface BaselineTables {
  /** CloudTrail table (Athena: partition projection on account, region, day). */
  cloudtrail: string;
  /** Rollup output: one row per principal and bin (Athena: Parquet/Iceberg, partitioned by day). */
  bins: string;
  /** Profile output (small; rebuilt daily). */
  profile: string;
}

export const DEFAULT_TABLES: BaselineTables = {
  cloudtrail: 'cloudtrail',
  bins: 'getobject_bins',
  profile: 'getobject_profile',
};

/** A range of raw CloudTrail events and the partitions that hold it. */
export interface RawWindow {
  start: Date;
  end: Date;
  /** `yyyy/MM/dd` partitions to read: every day of [start, end), plus delivery slack (see `partitionDays`). */
  days: readonly string[];
  /** Account partitions (needed when the account projection is `injected`); all when omitted. */
  accounts?: readonly string[];
  /** Region partitions; all when omitted. */
  regions?: readonly string[];
}

export interface ProfileWindow {
  historyStart: Date;
  historyEnd: Date;
  /** `day` partitions of the bins table: the days of [historyStart, historyEnd). */
  days: readonly string[];
}

export interface WindowQuery extends RawWindow {
  /** End of the history the profile was built from: exposure (bins observed) is counted up to it. */
  historyEnd: Date;
  /** Only bins with at least this many reads are returned (the scoring floor); 1 returns every bin. */
  minRequests?: number;
}

export class BaselineSqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineSqlError';
  }
}

/** The CloudTrail table columns the queries read (Athena table names; DuckDB's view exposes the same). */
export const CLOUDTRAIL_COLUMNS = [
  'eventtime',
  'eventsource',
  'eventname',
  'eventcategory',
  'eventtype',
  'errorcode',
  'eventid',
  'recipientaccountid',
  'sourceipaddress',
  'useridentity', // type, arn, accountid, principalid, invokedby, sessioncontext.sessionissuer.arn
  'requestparameters', // JSON string: bucketName, key
  'additionaleventdata', // JSON string: bytesTransferredOut
  'account', // partition
  'region', // partition
  'day', // partition, yyyy/MM/dd
] as const;

/** Columns of a rollup row, in order (the bins table schema). */
export const ROLLUP_COLUMNS = [
  'principal',
  'bin_start',
  'how',
  'day',
  'principal_type',
  'account',
  'data_account',
  'data_accounts',
  'region',
  'requests',
  'bytes_out',
  'bytes_known',
  'distinct_objects',
  'distinct_buckets',
  'distinct_ips',
  'sensitive_requests',
  'sensitive_example',
  'first_event_time',
  'last_event_time',
  'first_event_id',
  'last_event_id',
  'top_buckets',
  'top_ips',
] as const;

const DAY = /^[0-9]{4}\/[0-9]{2}\/[0-9]{2}$/;
const ACCOUNT = /^[0-9]{1,12}$/;
const REGION = /^[a-z0-9-]{1,40}$/;
const TABLE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}$/;

function list(values: readonly string[], pattern: RegExp, what: string): string {
  if (values.length === 0) throw new BaselineSqlError(`${what}: the list is empty`);
  for (const value of values) {
    if (!pattern.test(value)) throw new BaselineSqlError(`${what}: ${JSON.stringify(value)} does not match ${pattern}`);
  }
  return [...new Set(values)].map((v) => `'${v}'`).join(', ');
}

function tablesOf(tables: Partial<BaselineTables>): BaselineTables {
  const all = { ...DEFAULT_TABLES, ...tables };
  for (const [role, name] of Object.entries(all)) {
    if (!TABLE.test(name)) throw new BaselineSqlError(`table name for ${role}: ${JSON.stringify(name)} is not a plain identifier`);
  }
  return all;
}

function epochSeconds(time: Date, what: string): number {
  const ms = time.getTime();
  if (!Number.isFinite(ms)) throw new BaselineSqlError(`${what} is not a valid date`);
  if (ms % (BIN_SECONDS * 1000) !== 0) throw new BaselineSqlError(`${what} (${time.toISOString()}) is not on a 10-minute boundary`);
  return ms / 1000;
}

function checkRange(start: Date, end: Date, what: string): void {
  const from = epochSeconds(start, `${what} start`);
  const to = epochSeconds(end, `${what} end`);
  if (to <= from) throw new BaselineSqlError(`${what}: end ${end.toISOString()} is not after start ${start.toISOString()}`);
}

/** Throws unless `days` holds every day that [start, end) touches. */
function checkDaysCover(start: Date, end: Date, days: readonly string[], what: string): void {
  const have = new Set(days);
  for (let t = Math.floor(start.getTime() / 86_400_000) * 86_400_000; t < end.getTime(); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10).replace(/-/g, '/');
    if (!have.has(day)) throw new BaselineSqlError(`${what}: the days list misses ${day}, which the window covers`);
  }
}

/** The principal key, as `principalOf` (rules/actor.ts) computes it: the role for assumed roles. */
export const PRINCIPAL_SQL = `CASE
      WHEN useridentity.type = 'AssumedRole' AND coalesce(useridentity.sessioncontext.sessionissuer.arn, '') <> ''
        THEN useridentity.sessioncontext.sessionissuer.arn
      WHEN coalesce(useridentity.arn, '') <> '' THEN useridentity.arn
      WHEN useridentity.type = 'AWSAccount' AND coalesce(useridentity.accountid, '') <> ''
        THEN 'account:' || useridentity.accountid
      WHEN coalesce(useridentity.invokedby, '') <> '' THEN 'service:' || useridentity.invokedby
      WHEN coalesce(useridentity.principalid, '') <> '' THEN useridentity.principalid
      ELSE coalesce(nullif(useridentity.type, ''), 'unknown')
    END`;

/** Case-insensitive regular expression of the sensitive words, matched against lower(bucket/key). */
export const SENSITIVE_PATTERN = SENSITIVE_WORDS.join('|');

const OBJECT_SQL = `coalesce(bucket, '') || '/' || coalesce(object_key, '')`;

/**
 * SQL (bigint/double arithmetic) for `binsAtHourOfWeek(first, end, how)` (time.ts): the number of 10-minute
 * bins with index in [first, end) that fall in hour of week `how`.
 */
export function binsAtHourOfWeekSql(first: string, end: number, how: string): string {
  const n = `(${end} - ${first})`;
  const weeks = `floor(${n} / ${BINS_PER_WEEK}e0)`;
  const start = `((${first} + ${EPOCH_BIN_OF_WEEK}) % ${BINS_PER_WEEK})`;
  const stop = `(${start} + ${n} - ${BINS_PER_WEEK} * ${weeks})`;
  const lo = `(${BINS_PER_HOUR} * (${how}))`;
  const overlap = (offset: number) =>
    `greatest(0, least(${stop}, ${lo} + ${offset + BINS_PER_HOUR}) - greatest(${start}, ${lo} + ${offset}))`;
  return `(${BINS_PER_HOUR} * ${weeks} + ${overlap(0)} + ${overlap(BINS_PER_WEEK)})`;
}

/** The CTEs shared by the rollup and the window query: reads, bins, top_buckets, top_ips. */
function aggregateCtes(window: RawWindow, tables: BaselineTables): string {
  checkRange(window.start, window.end, 'window');
  const partitions = [`day IN (${list(window.days, DAY, 'days')})`];
  if (window.accounts) partitions.push(`account IN (${list(window.accounts, ACCOUNT, 'accounts')})`);
  if (window.regions) partitions.push(`region IN (${list(window.regions, REGION, 'regions')})`);
  checkDaysCover(window.start, window.end, window.days, 'window');
  const ts = `from_iso8601_timestamp(event_time)`;
  return `raw_reads AS (
  SELECT
    eventid AS event_id,
    eventtime AS event_time,
    ${PRINCIPAL_SQL} AS principal,
    coalesce(useridentity.type, 'unknown') AS principal_type,
    coalesce(useridentity.accountid, recipientaccountid) AS principal_account,
    recipientaccountid AS data_account,
    region,
    sourceipaddress AS source_ip,
    json_extract_scalar(requestparameters, '$.bucketName') AS bucket,
    json_extract_scalar(requestparameters, '$.key') AS object_key,
    try_cast(json_extract_scalar(additionaleventdata, '$.bytesTransferredOut') AS double) AS bytes_out,
    row_number() OVER (
      PARTITION BY eventid
      ORDER BY CASE WHEN recipientaccountid = useridentity.accountid THEN 1 ELSE 0 END, account, region
    ) AS copy_rank
  FROM ${tables.cloudtrail}
  WHERE ${partitions.join('\n    AND ')}
    AND eventtime >= '${eventTimeString(window.start)}'
    AND eventtime < '${eventTimeString(window.end)}'
    AND eventsource = 's3.amazonaws.com'
    AND eventname = 'GetObject'
    AND coalesce(eventcategory, 'Data') = 'Data'
    AND coalesce(eventtype, 'AwsApiCall') <> 'AwsVpceEvent'
    AND coalesce(errorcode, '') = ''
    AND coalesce(useridentity.invokedby, '') = ''
),
reads AS (
  SELECT
    raw_reads.*,
    CAST(floor(to_unixtime(${ts}) / ${BIN_SECONDS}e0) * ${BIN_SECONDS} AS bigint) AS bin_start,
    (day_of_week(${ts}) - 1) * 24 + hour(${ts}) AS how,
    regexp_like(lower(${OBJECT_SQL}), '${SENSITIVE_PATTERN}') AS sensitive
  FROM raw_reads
  WHERE copy_rank = 1
),
bins AS (
  SELECT
    principal,
    bin_start,
    max(how) AS how,
    replace(substr(min(event_time), 1, 10), '-', '/') AS day,
    max(principal_type) AS principal_type,
    max(principal_account) AS account,
    min(data_account) AS data_account,
    approx_distinct(data_account) AS data_accounts,
    min(region) AS region,
    count(*) AS requests,
    sum(bytes_out) AS bytes_out,
    count(bytes_out) AS bytes_known,
    approx_distinct(${OBJECT_SQL}) AS distinct_objects,
    approx_distinct(bucket) AS distinct_buckets,
    approx_distinct(source_ip) AS distinct_ips,
    count_if(sensitive) AS sensitive_requests,
    max(CASE WHEN sensitive THEN ${OBJECT_SQL} END) AS sensitive_example,
    min(event_time) AS first_event_time,
    max(event_time) AS last_event_time,
    min_by(event_id, event_time) AS first_event_id,
    max_by(event_id, event_time) AS last_event_id
  FROM reads
  GROUP BY principal, bin_start
),
${topCtes('bucket', 'top_buckets')},
${topCtes('source_ip', 'top_ips')}`;
}

/** The three most frequent values of `column` per principal and bin, as `value=count,value=count`. */
function topCtes(column: string, name: string): string {
  return `${name}_counts AS (
  SELECT principal, bin_start, coalesce(${column}, '?') AS value, count(*) AS n
  FROM reads
  GROUP BY 1, 2, 3
),
${name}_ranked AS (
  SELECT principal, bin_start, value, n,
    row_number() OVER (PARTITION BY principal, bin_start ORDER BY n DESC, value) AS position
  FROM ${name}_counts
),
${name} AS (
  SELECT principal, bin_start,
    array_join(array_agg(value || '=' || CAST(n AS varchar) ORDER BY n DESC, value), ',') AS ${name}
  FROM ${name}_ranked
  WHERE position <= 3
  GROUP BY principal, bin_start
)`;
}

const BIN_SELECT = ROLLUP_COLUMNS.filter((c) => c !== 'top_buckets' && c !== 'top_ips')
  .map((c) => `b.${c}`)
  .join(',\n  ');

const BIN_JOINS = `FROM bins b
LEFT JOIN top_buckets t ON t.principal = b.principal AND t.bin_start = b.bin_start
LEFT JOIN top_ips i ON i.principal = b.principal AND i.bin_start = b.bin_start`;

/** (1) Rollup: raw events of [start, end) -> one row per principal and 10-minute bin (ROLLUP_COLUMNS). */
export function rollupSql(window: RawWindow, tables: Partial<BaselineTables> = {}): string {
  const t = tablesOf(tables);
  return `WITH ${aggregateCtes(window, t)}
SELECT
  ${BIN_SELECT},
  t.top_buckets,
  i.top_ips
${BIN_JOINS}`;
}

/**
 * (2) Profile: rollup rows of [historyStart, historyEnd) -> per principal one overall row (how = -1, with the
 * pooled dispersion sums) and one row per active hour of week. Means and variances count the bins without
 * activity as zeros, from the principal's first active bin in the history to its end.
 */
export function profileSql(window: ProfileWindow, tables: Partial<BaselineTables> = {}): string {
  const t = tablesOf(tables);
  checkRange(window.historyStart, window.historyEnd, 'history');
  const days = list(window.days, DAY, 'days');
  checkDaysCover(window.historyStart, window.historyEnd, window.days, 'history');
  const start = epochSeconds(window.historyStart, 'history start');
  const end = epochSeconds(window.historyEnd, 'history end');
  const endBin = end / BIN_SECONDS;
  return `WITH history AS (
  SELECT principal, account, principal_type, bin_start, how, CAST(requests AS double) AS requests
  FROM ${t.bins}
  WHERE day IN (${days})
    AND bin_start >= ${start}
    AND bin_start < ${end}
),
principals AS (
  SELECT
    principal,
    max(account) AS account,
    max(principal_type) AS principal_type,
    CAST(floor(min(bin_start) / ${BIN_SECONDS}e0) AS bigint) AS first_bin,
    count(*) AS active_bins,
    sum(requests) AS total,
    sum(requests * requests) AS total_sq
  FROM history
  GROUP BY principal
),
hours AS (
  SELECT principal, how, count(*) AS active_bins, sum(requests) AS total, sum(requests * requests) AS total_sq
  FROM history
  GROUP BY principal, how
),
hour_exposure AS (
  SELECT h.principal, h.how, p.account, p.principal_type, p.first_bin, h.active_bins, h.total, h.total_sq,
    CAST(${binsAtHourOfWeekSql('p.first_bin', endBin, 'h.how')} AS double) AS bins_observed
  FROM hours h
  JOIN principals p ON p.principal = h.principal
),
hour_stats AS (
  SELECT principal, how, account, principal_type, first_bin, active_bins, bins_observed, total, total_sq,
    total / bins_observed AS mean,
    greatest(total_sq / bins_observed - (total / bins_observed) * (total / bins_observed), 0e0) AS variance
  FROM hour_exposure
  WHERE bins_observed > 0
),
dispersion AS (
  SELECT principal,
    sum(bins_observed * mean * mean) AS disp_num,
    sum(bins_observed * (variance - mean)) AS disp_den
  FROM hour_stats
  GROUP BY principal
),
overall AS (
  SELECT p.principal, -1 AS how, p.account, p.principal_type, p.first_bin, p.active_bins,
    CAST(${endBin} - p.first_bin AS double) AS bins_observed,
    p.total, p.total_sq,
    p.total / (${endBin} - p.first_bin) AS mean,
    greatest(p.total_sq / (${endBin} - p.first_bin) - (p.total / (${endBin} - p.first_bin)) * (p.total / (${endBin} - p.first_bin)), 0e0) AS variance,
    d.disp_num, d.disp_den
  FROM principals p
  LEFT JOIN dispersion d ON d.principal = p.principal
)
SELECT principal, how, account, principal_type, first_bin, active_bins, bins_observed, total, total_sq, mean, variance,
  disp_num, disp_den
FROM overall
UNION ALL
SELECT principal, how, account, principal_type, first_bin, active_bins, bins_observed, total, total_sq, mean, variance,
  CAST(NULL AS double) AS disp_num, CAST(NULL AS double) AS disp_den
FROM hour_stats`;
}

/** Own history counts as a peer only with at least a day of it. */
export const PEER_MIN_BINS = 144;

/**
 * (3) Window: raw events of the last window, aggregated like the rollup and joined to the principal's overall
 * profile row, its hour-of-week row and the peer prior (same account and principal type).
 */
export function windowSql(query: WindowQuery, tables: Partial<BaselineTables> = {}): string {
  const t = tablesOf(tables);
  const endBin = epochSeconds(query.historyEnd, 'history end') / BIN_SECONDS;
  const minRequests = query.minRequests ?? 1;
  if (!Number.isInteger(minRequests) || minRequests < 1) {
    throw new BaselineSqlError(`minRequests must be a positive integer, got ${minRequests}`);
  }
  return `WITH ${aggregateCtes(query, t)},
peers AS (
  SELECT account, principal_type,
    count(*) AS peer_count,
    approx_percentile(mean, 0.5) AS peer_mean,
    sum(disp_num) AS peer_disp_num,
    sum(disp_den) AS peer_disp_den
  FROM ${t.profile}
  WHERE how = -1 AND bins_observed >= ${PEER_MIN_BINS}
  GROUP BY account, principal_type
)
SELECT
  ${BIN_SELECT},
  t.top_buckets,
  i.top_ips,
  o.first_bin AS own_first_bin,
  o.bins_observed AS own_bins_observed,
  o.active_bins AS own_active_bins,
  o.mean AS own_mean,
  o.variance AS own_variance,
  o.disp_num AS own_disp_num,
  o.disp_den AS own_disp_den,
  coalesce(h.bins_observed, CASE WHEN o.first_bin IS NULL THEN 0e0
    ELSE CAST(${binsAtHourOfWeekSql('o.first_bin', endBin, 'b.how')} AS double) END) AS how_bins_observed,
  coalesce(h.active_bins, 0) AS how_active_bins,
  coalesce(h.mean, 0e0) AS how_mean,
  coalesce(h.variance, 0e0) AS how_variance,
  p.peer_count,
  p.peer_mean,
  p.peer_disp_num,
  p.peer_disp_den
${BIN_JOINS}
LEFT JOIN ${t.profile} o ON o.principal = b.principal AND o.how = -1
LEFT JOIN ${t.profile} h ON h.principal = b.principal AND h.how = b.how
LEFT JOIN peers p ON p.account = b.account AND p.principal_type = b.principal_type
WHERE b.requests >= ${minRequests}
ORDER BY b.bin_start, b.principal`;
}
