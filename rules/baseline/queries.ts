/**
 * The one function that parameterises the three queries for a window: the days lists (partition predicates)
 * and the history range are derived here, so Athena and DuckDB runners cannot disagree about them.
 */
import { DEFAULT_SCORING } from './score';
import { profileSql, rollupSql, windowSql, type BaselineTables } from './sql';
import { DAY_MS, floorToDay, partitionDays } from './time';

export interface BaselineQueryParams {
  /** The scored window [windowStart, windowEnd), on 10-minute boundaries. */
  windowStart: Date;
  windowEnd: Date;
  /** History of the profile: the `historyDays` whole days before the window's day. Default 30. */
  historyDays?: number;
  /** CloudTrail delivery delay covered by the partition predicates of raw-event queries. Default 15. */
  slackMinutes?: number;
  accounts?: readonly string[];
  regions?: readonly string[];
  /** Floor passed to the window query (default: the scoring floor). */
  minRequests?: number;
  tables?: Partial<BaselineTables>;
}

export interface BaselineQueries {
  historyStart: Date;
  historyEnd: Date;
  /** Partitions read by the rollup and window queries (raw CloudTrail). */
  windowDays: string[];
  /** Partitions of the bins table read by the profile query. */
  historyDays: string[];
  /** Rollup of the window's raw events (the scheduled rollup runs it over its own range). */
  rollup: string;
  profile: string;
  window: string;
}

export const DEFAULT_HISTORY_DAYS = 30;
export const DEFAULT_SLACK_MINUTES = 15;

export function baselineQueries(params: BaselineQueryParams): BaselineQueries {
  const historyDayCount = params.historyDays ?? DEFAULT_HISTORY_DAYS;
  if (!Number.isInteger(historyDayCount) || historyDayCount < 1) {
    throw new RangeError(`historyDays must be a positive integer, got ${historyDayCount}`);
  }
  const slack = params.slackMinutes ?? DEFAULT_SLACK_MINUTES;
  const historyEnd = floorToDay(params.windowStart);
  const historyStart = new Date(historyEnd.getTime() - historyDayCount * DAY_MS);
  const windowDays = partitionDays(params.windowStart, params.windowEnd, slack);
  const historyDays = partitionDays(historyStart, historyEnd, 0);
  const raw = {
    start: params.windowStart,
    end: params.windowEnd,
    days: windowDays,
    ...(params.accounts ? { accounts: params.accounts } : {}),
    ...(params.regions ? { regions: params.regions } : {}),
  };
  const tables = params.tables ?? {};
  return {
    historyStart,
    historyEnd,
    windowDays,
    historyDays,
    rollup: rollupSql(raw, tables),
    profile: profileSql({ historyStart, historyEnd, days: historyDays }, tables),
    window: windowSql({ ...raw, historyEnd, minRequests: params.minRequests ?? DEFAULT_SCORING.minRequests }, tables),
  };
}
