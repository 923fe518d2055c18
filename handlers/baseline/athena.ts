/**
 * Athena, the cloud twin of the DuckDB runner (cli/baseline/duckdb.ts): start a query in the configured workgroup
 * and database, wait for it with exponential backoff under a deadline (the Lambda's remaining time), and page
 * its rows. Athena returns every cell as a string (`VarCharValue`) and NULL as a cell without one; a SELECT's
 * first row of the first page repeats the column names. Rows come back as `{ column: string | null }`, which is
 * what `parseWindowRow` reads.
 *
 * Failures name the query execution id and Athena's `StateChangeReason`; a query still running at the deadline
 * is stopped (StopQueryExecution) and reported as a timeout, so no orphan keeps scanning after the Lambda ends.
 */
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import { errorCodeOf, messageOf } from '../publish/errors';

/** What a query is for: the metric dimension and the log label. */
export type QueryLabel = 'window' | 'rollup' | 'watermark' | 'history-span' | 'profile' | 'profile-exists' | 'profile-drop';

export interface AthenaRunnerOptions {
  client: AthenaClient;
  workGroup: string;
  database: string;
  /** Milliseconds: first wait after starting a query, doubled after each poll up to `maxPollMs`. */
  firstPollMs?: number;
  maxPollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface QueryRun {
  queryExecutionId: string;
  label: QueryLabel;
  /** Statistics.DataScannedInBytes (0 when Athena reports none, e.g. DDL). */
  bytesScanned: number;
  /** How many GetQueryExecution polls it took. */
  polls: number;
}

export type Row = Record<string, string | null>;

export interface AthenaRunner {
  /** Run a statement to completion (INSERT, CTAS, DDL). `deadline` is an epoch-ms instant. */
  execute(sql: string, label: QueryLabel, deadline: number): Promise<QueryRun>;
  /** Run a SELECT and return all its rows, header row skipped. */
  rows(sql: string, label: QueryLabel, deadline: number): Promise<{ run: QueryRun; rows: Row[] }>;
}

/** A query that ended FAILED or CANCELLED, or that could not be started or read. */
export class AthenaQueryError extends Error {
  override readonly name: string = 'AthenaQueryError';
  constructor(
    readonly label: QueryLabel,
    readonly queryExecutionId: string,
    readonly state: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Athena ${label} query ${queryExecutionId} ${state}: ${reason}`, options);
  }
}

/** A query still QUEUED or RUNNING at the deadline (it was stopped). */
export class AthenaQueryTimeoutError extends AthenaQueryError {
  override readonly name = 'AthenaQueryTimeoutError';
  constructor(label: QueryLabel, queryExecutionId: string, lastState: string, waitedMs: number) {
    super(
      label,
      queryExecutionId,
      'TIMEOUT',
      `still ${lastState} after ${Math.round(waitedMs / 1000)} s; stopped (StopQueryExecution) to end the scan`,
    );
  }
}

export const DEFAULT_FIRST_POLL_MS = 500;
export const DEFAULT_MAX_POLL_MS = 5000;
/** GetQueryResults returns at most 1000 rows a page. */
export const RESULTS_PAGE_SIZE = 1000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createAthenaRunner(options: AthenaRunnerOptions): AthenaRunner {
  const { client, workGroup, database } = options;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const firstPollMs = options.firstPollMs ?? DEFAULT_FIRST_POLL_MS;
  const maxPollMs = options.maxPollMs ?? DEFAULT_MAX_POLL_MS;

  async function start(sql: string, label: QueryLabel): Promise<string> {
    try {
      // The workgroup enforces its result location, encryption and bytes-scanned cutoff: none is sent here.
      const out = await client.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          WorkGroup: workGroup,
          QueryExecutionContext: { Database: database },
        }),
      );
      if (!out.QueryExecutionId) throw new Error('StartQueryExecution returned no QueryExecutionId');
      return out.QueryExecutionId;
    } catch (error) {
      throw new AthenaQueryError(label, '(not started)', 'NOT_STARTED', `${errorCodeOf(error)}: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  async function execute(sql: string, label: QueryLabel, deadline: number): Promise<QueryRun> {
    const startedAt = now();
    const id = await start(sql, label);
    let wait = firstPollMs;
    let lastState = 'QUEUED';
    for (let polls = 1; ; polls += 1) {
      const remaining = deadline - now();
      if (remaining <= 0) return timeout(label, id, lastState, now() - startedAt);
      await sleep(Math.min(wait, remaining));
      wait = Math.min(wait * 2, maxPollMs);
      let execution;
      try {
        execution = (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution;
      } catch (error) {
        throw new AthenaQueryError(label, id, 'UNKNOWN', `GetQueryExecution: ${errorCodeOf(error)}: ${messageOf(error)}`, {
          cause: error,
        });
      }
      const state = execution?.Status?.State ?? 'UNKNOWN';
      lastState = state;
      if (state === 'SUCCEEDED') {
        return { queryExecutionId: id, label, bytesScanned: execution?.Statistics?.DataScannedInBytes ?? 0, polls };
      }
      if (state === 'FAILED' || state === 'CANCELLED') {
        const error = execution?.Status?.AthenaError;
        const reason = execution?.Status?.StateChangeReason ?? error?.ErrorMessage ?? 'no reason given';
        const type = error?.ErrorType !== undefined ? ` (error type ${error.ErrorType})` : '';
        throw new AthenaQueryError(label, id, state, `${reason}${type}`);
      }
    }
  }

  async function timeout(label: QueryLabel, id: string, lastState: string, waitedMs: number): Promise<never> {
    try {
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    } catch {
      // The timeout is the error worth reporting; a failed stop leaves the workgroup cutoff as the backstop.
    }
    throw new AthenaQueryTimeoutError(label, id, lastState, waitedMs);
  }

  async function rows(sql: string, label: QueryLabel, deadline: number): Promise<{ run: QueryRun; rows: Row[] }> {
    const run = await execute(sql, label, deadline);
    const out: Row[] = [];
    let columns: string[] | undefined;
    let token: string | undefined;
    let first = true;
    do {
      let page: GetQueryResultsCommandOutput;
      try {
        page = await client.send(
          new GetQueryResultsCommand({
            QueryExecutionId: run.queryExecutionId,
            MaxResults: RESULTS_PAGE_SIZE,
            ...(token ? { NextToken: token } : {}),
          }),
        );
      } catch (error) {
        throw new AthenaQueryError(
          label,
          run.queryExecutionId,
          'SUCCEEDED',
          `GetQueryResults: ${errorCodeOf(error)}: ${messageOf(error)}`,
          { cause: error },
        );
      }
      columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? c.Label ?? '');
      const pageRows = page.ResultSet?.Rows ?? [];
      pageRows.forEach((row, index) => {
        const cells = (row.Data ?? []).map((d) => (d.VarCharValue === undefined ? null : d.VarCharValue));
        // A SELECT's first row repeats the column names.
        if (first && index === 0 && isHeader(cells, columns ?? [])) return;
        out.push(Object.fromEntries((columns ?? []).map((name, i) => [name, cells[i] ?? null])));
      });
      first = false;
      token = page.NextToken;
    } while (token);
    return { run, rows: out };
  }

  return { execute, rows };
}

function isHeader(cells: readonly (string | null)[], columns: readonly string[]): boolean {
  return cells.length === columns.length && cells.every((cell, i) => cell === columns[i]);
}
