/**
 * Time arithmetic of the GetObject baseline: 10-minute bins, hour of week, partition days. Bins are named by
 * their start in epoch seconds (UTC); bin index = start / 600. The hour of week counts from Monday 00:00 UTC
 * (0) to Sunday 23:00 (167), as `(day_of_week(ts) - 1) * 24 + hour(ts)` does in Trino.
 */

export const BIN_SECONDS = 600;
export const BINS_PER_HOUR = 6;
export const BINS_PER_DAY = 144;
export const BINS_PER_WEEK = 1008;
export const HOURS_PER_WEEK = 168;
/** 1970-01-01 was a Thursday: the epoch is 3 days (432 bins) after the Monday that starts its week. */
export const EPOCH_BIN_OF_WEEK = 432;
export const DAY_MS = 86_400_000;
/**
 * Days of history before bins are scored: with less, every principal looks new and every busy one stands out.
 * The offline scan skips an archive's first days; the deployed baseline publishes nothing until its bins cover
 * this much.
 */
export const DEFAULT_MIN_HISTORY_DAYS = 7;

export class BaselineTimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineTimeError';
  }
}

function checkDate(value: Date, what: string): number {
  const ms = value.getTime();
  if (!Number.isFinite(ms)) throw new BaselineTimeError(`${what} is not a valid date`);
  return ms;
}

/** Start (epoch seconds) of the 10-minute bin holding `time`. */
export function binStartOf(time: Date): number {
  const ms = checkDate(time, 'bin time');
  return Math.floor(ms / 1000 / BIN_SECONDS) * BIN_SECONDS;
}

/** `time` rounded down to a bin boundary. */
export function floorToBin(time: Date): Date {
  return new Date(binStartOf(time) * 1000);
}

/** `time` rounded down to 00:00 UTC. */
export function floorToDay(time: Date): Date {
  const ms = checkDate(time, 'day time');
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS);
}

/** Hour of week (0 = Monday 00:00-00:59 UTC, 167 = Sunday 23:00-23:59 UTC) of an epoch-seconds instant. */
export function hourOfWeek(epochSeconds: number): number {
  const date = new Date(epochSeconds * 1000);
  const isoDay = (date.getUTCDay() + 6) % 7; // Monday 0
  return isoDay * 24 + date.getUTCHours();
}

/** "Tue 14:00 UTC" for an hour of week. */
export function describeHourOfWeek(how: number): string {
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const day = days[Math.floor(how / 24)] ?? '?';
  return `${day} ${String(how % 24).padStart(2, '0')}:00 UTC`;
}

/**
 * How many 10-minute bins with index in [fromBin, toBin) fall in hour of week `how`. Exact: whole weeks give
 * 6 bins each, the remaining partial week (a cyclic interval of bins of week) is intersected with the hour.
 * `binsAtHourOfWeekSql` is the same arithmetic in SQL.
 */
export function binsAtHourOfWeek(fromBin: number, toBin: number, how: number): number {
  const total = toBin - fromBin;
  if (total <= 0) return 0;
  const weeks = Math.floor(total / BINS_PER_WEEK);
  const rest = total - weeks * BINS_PER_WEEK;
  const start = (((fromBin + EPOCH_BIN_OF_WEEK) % BINS_PER_WEEK) + BINS_PER_WEEK) % BINS_PER_WEEK;
  const lo = how * BINS_PER_HOUR;
  const overlap = (a: number, b: number) => Math.max(0, Math.min(start + rest, b) - Math.max(start, a));
  return weeks * BINS_PER_HOUR + overlap(lo, lo + BINS_PER_HOUR) + overlap(lo + BINS_PER_WEEK, lo + BINS_PER_WEEK + BINS_PER_HOUR);
}

/** `yyyy/MM/dd` of a UTC instant: the day partition value of the CloudTrail layout. */
export function dayPartition(time: Date): string {
  return checkDate(time, 'partition day') >= 0 ? time.toISOString().slice(0, 10).replace(/-/g, '/') : '';
}

/**
 * The day partitions a query over [start, end) must read. A CloudTrail file sits under the day it was
 * delivered, and "can contain records written at any point before that time": events of the last minutes
 * of a day can be in the next day's folder. `slackMinutes` (delivery delay) extends the end accordingly.
 */
export function partitionDays(start: Date, end: Date, slackMinutes = 0): string[] {
  const from = checkDate(start, 'window start');
  const to = checkDate(end, 'window end');
  if (to <= from) throw new BaselineTimeError(`empty window: end ${end.toISOString()} is not after start ${start.toISOString()}`);
  if (!(slackMinutes >= 0)) throw new BaselineTimeError(`slackMinutes must be >= 0, got ${slackMinutes}`);
  const last = to + slackMinutes * 60_000 - 1; // end is exclusive
  const days: string[] = [];
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day <= last; day += DAY_MS) days.push(dayPartition(new Date(day)));
  return days;
}

/** `2024-05-01T10:20:00Z`: the CloudTrail eventTime format, so string comparison orders instants. */
export function eventTimeString(time: Date): string {
  checkDate(time, 'event time');
  return `${time.toISOString().slice(0, 19)}Z`;
}
