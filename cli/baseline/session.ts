/** An in-memory DuckDB connection prepared to run the baseline's Trino SQL (macros, UTC, optimizer setting). */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SESSION_SETTINGS, TRINO_MACROS } from './macros';

export class BaselineQueryError extends Error {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super(`DuckDB failed in ${step}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'BaselineQueryError';
  }
}

export interface DuckSession {
  /** Run a statement, discarding its result. */
  exec(sql: string, step: string): Promise<void>;
  /** Run a query; values are JSON-safe (BIGINT as strings, NULL as null). */
  rows(sql: string, step: string): Promise<Record<string, unknown>[]>;
  close(): void;
}

export async function openDuckSession(): Promise<DuckSession> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection: DuckDBConnection = await instance.connect();
  const session: DuckSession = {
    async exec(sql, step) {
      try {
        await connection.run(sql);
      } catch (error) {
        throw new BaselineQueryError(step, error);
      }
    },
    async rows(sql, step) {
      try {
        const reader = await connection.runAndReadAll(sql);
        return reader.getRowObjectsJson() as Record<string, unknown>[];
      } catch (error) {
        throw new BaselineQueryError(step, error);
      }
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
  try {
    for (const statement of [...SESSION_SETTINGS, ...TRINO_MACROS]) await session.exec(statement, 'session setup');
  } catch (error) {
    session.close();
    throw error;
  }
  return session;
}
