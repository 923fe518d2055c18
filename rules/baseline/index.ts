/** The S3 GetObject baseline: SQL text for Athena and DuckDB, row parsing, scoring and signals (no SDKs). */
export * from './detection';
export * from './time';
export * from './sql';
export * from './rows';
export * from './score';
export * from './signal';
export { baselineQueries, type BaselineQueries, type BaselineQueryParams } from './queries';
