/** A scripted Athena for the GetObject baseline handler tests (aws-sdk-client-mock), and a window row that flags. */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type QueryExecutionState,
  type Row as AthenaRow,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import type { BaselineSettings } from '../../handlers/baseline/settings';
import { testSettings } from './helpers';

export const athena = mockClient(AthenaClient);

export const DATA_ACCOUNT = '222233334444';
export const PRINCIPAL = `arn:aws:iam::${DATA_ACCOUNT}:role/etl-reader`;

export function baselineTestSettings(overrides: Partial<BaselineSettings> = {}): BaselineSettings {
  return {
    handler: testSettings(),
    workGroup: 'exfiltrail-baseline',
    database: 'exfiltrail_baseline',
    tables: { cloudtrail: 'cloudtrail', bins: 'getobject_bins', profilePrefix: 'getobject_profile' },
    delayMinutes: 15,
    historyDays: 30,
    minHistoryDays: 7,
    rollupMaxHours: 24,
    ...overrides,
  };
}

/** A window-query row (all strings, as Athena returns them) that `assessBin` flags: 5000 reads vs about 2. */
export function flaggedRow(binStart: number, overrides: Record<string, string | null> = {}): Record<string, string | null> {
  return {
    principal: PRINCIPAL,
    bin_start: String(binStart),
    how: '58',
    day: new Date(binStart * 1000).toISOString().slice(0, 10).replace(/-/g, '/'),
    principal_type: 'AssumedRole',
    account: DATA_ACCOUNT,
    data_account: DATA_ACCOUNT,
    data_accounts: '1',
    region: 'eu-west-1',
    requests: '5000',
    bytes_out: null,
    bytes_known: '0',
    distinct_objects: '4800',
    distinct_buckets: '1',
    distinct_ips: '1',
    sensitive_requests: '0',
    sensitive_example: null,
    first_event_time: new Date(binStart * 1000 + 5000).toISOString().replace('.000', ''),
    last_event_time: new Date(binStart * 1000 + 590_000).toISOString().replace('.000', ''),
    first_event_id: '11111111-2222-3333-4444-555555555555',
    last_event_id: '11111111-2222-3333-4444-666666666666',
    top_buckets: 'finance-exports=5000',
    top_ips: '203.0.113.7=5000',
    own_first_bin: String(binStart / 600 - 4000),
    own_bins_observed: '4000.0',
    own_active_bins: '3000',
    own_mean: '2.0',
    own_variance: '2.0',
    own_disp_num: null,
    own_disp_den: null,
    how_bins_observed: '24.0',
    how_active_bins: '20',
    how_mean: '2.0',
    how_variance: '2.0',
    peer_count: null,
    peer_mean: null,
    peer_disp_num: null,
    peer_disp_den: null,
    ...overrides,
  };
}

/** The same row, but a quiet bin (3 reads). */
export function quietRow(binStart: number): Record<string, string | null> {
  return flaggedRow(binStart, { principal: `arn:aws:iam::${DATA_ACCOUNT}:role/quiet`, requests: '3', distinct_objects: '3' });
}

export interface ScriptedQuery {
  /** Which statement this answers (first match wins, in order). */
  match: RegExp;
  states?: QueryExecutionState[];
  reason?: string;
  bytes?: number;
  /** Result rows, split into pages of `pageSize`. */
  rows?: Record<string, string | null>[];
  columns?: string[];
  pageSize?: number;
}

/**
 * Answers StartQueryExecution with ids q1, q2, ...; GetQueryExecution walks the matched script's states; and
 * GetQueryResults pages its rows (header row first on the first page, NextToken between pages). The history span
 * is `historyReady` unless a script answers it first.
 */
export function scriptAthena(given: ScriptedQuery[]) {
  const scripts = [...given, historyReady];
  const started: { id: string; sql: string; workGroup?: string; database?: string }[] = [];
  const byId = new Map<string, { script: ScriptedQuery; polls: number }>();
  athena.on(StartQueryExecutionCommand).callsFake((input) => {
    const id = `q${started.length + 1}`;
    const sql = String(input.QueryString);
    started.push({ id, sql, workGroup: input.WorkGroup, database: input.QueryExecutionContext?.Database });
    const script = scripts.find((s) => s.match.test(sql));
    if (!script) throw new Error(`no scripted answer for:\n${sql.slice(0, 200)}`);
    byId.set(id, { script, polls: 0 });
    return { QueryExecutionId: id };
  });
  athena.on(GetQueryExecutionCommand).callsFake((input) => {
    const entry = byId.get(String(input.QueryExecutionId));
    if (!entry) throw new Error(`unknown query ${String(input.QueryExecutionId)}`);
    const states = entry.script.states ?? ['SUCCEEDED'];
    const state = states[Math.min(entry.polls, states.length - 1)] as QueryExecutionState;
    entry.polls += 1;
    return {
      QueryExecution: {
        QueryExecutionId: input.QueryExecutionId,
        Status: { State: state, ...(entry.script.reason && state !== 'RUNNING' ? { StateChangeReason: entry.script.reason } : {}) },
        Statistics: { DataScannedInBytes: entry.script.bytes ?? 0 },
      },
    };
  });
  athena.on(GetQueryResultsCommand).callsFake((input) => {
    const entry = byId.get(String(input.QueryExecutionId));
    if (!entry) throw new Error(`unknown query ${String(input.QueryExecutionId)}`);
    const rows = entry.script.rows ?? [];
    const columns = entry.script.columns ?? Object.keys(rows[0] ?? {});
    const size = entry.script.pageSize ?? 1000;
    const page = input.NextToken ? Number(input.NextToken) : 0;
    const slice = rows.slice(page * size, (page + 1) * size);
    const toRow = (values: (string | null)[]): AthenaRow => ({
      Data: values.map((v) => (v === null ? {} : { VarCharValue: v })),
    });
    const out: AthenaRow[] = [];
    if (page === 0) out.push(toRow(columns));
    for (const r of slice) out.push(toRow(columns.map((c) => r[c] ?? null)));
    const more = (page + 1) * size < rows.length;
    return {
      ResultSet: { ResultSetMetadata: { ColumnInfo: columns.map((c) => ({ Name: c, Label: c, Type: 'varchar' })) }, Rows: out },
      ...(more ? { NextToken: String(page + 1) } : {}),
    };
  });
  athena.on(StopQueryExecutionCommand).resolves({});
  return {
    started,
    sqlOf: (match: RegExp) => started.filter((s) => match.test(s.sql)).map((s) => s.sql),
    resultCalls: () => athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input),
    stopCalls: () => athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input),
    pollCount: () => athena.commandCalls(GetQueryExecutionCommand).length,
  };
}

export const PROFILE_EXISTS = /information_schema\.tables/;
export const WINDOW_QUERY = /^WITH raw_reads/;
export const PROFILE_CTAS = /^CREATE TABLE getobject_profile_/;
export const WATERMARK = /^SELECT max\(bin_start\)/;
export const ROLLUP_INSERT = /^INSERT INTO getobject_bins/;
export const DROP = /^DROP TABLE IF EXISTS/;
export const HISTORY_SPAN = /^SELECT min\(bin_start\) AS first_bin/;

/** Bins from 2025-01-01 to the end of 2025: the history is ready for every window the tests score. */
export const historyReady: ScriptedQuery = {
  match: HISTORY_SPAN,
  rows: [{ first_bin: String(Date.parse('2025-01-01T00:00:00Z') / 1000), last_bin: String(Date.parse('2025-12-31T23:50:00Z') / 1000) }],
};
