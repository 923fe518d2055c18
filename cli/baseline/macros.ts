/**
 * DuckDB setup so the Trino SQL of rules/baseline/sql.ts runs unchanged: macros for the Trino functions the
 * queries use, UTC as the session time zone (Trino's from_iso8601_timestamp keeps the `Z`), and the
 * `top_n_window_elimination` optimizer disabled (DuckDB 1.5.x fails inside it on a row_number() de-duplication).
 */
/** approx_distinct is exact here (count DISTINCT): Athena estimates it (HyperLogLog, 2.3% standard error). */
export const TRINO_MACROS: readonly string[] = [
  `CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)`,
  `CREATE OR REPLACE MACRO to_unixtime(t) AS epoch(t)`,
  `CREATE OR REPLACE MACRO from_unixtime(x) AS to_timestamp(x)`,
  `CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)`,
  `CREATE OR REPLACE MACRO approx_distinct(x) AS count(DISTINCT x)`,
  `CREATE OR REPLACE MACRO approx_percentile(x, p) AS approx_quantile(x, p)`,
  `CREATE OR REPLACE MACRO day_of_week(t) AS isodow(t)`,
  `CREATE OR REPLACE MACRO array_join(a, sep) AS array_to_string(a, sep)`,
  `CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)`,
];

export const SESSION_SETTINGS: readonly string[] = [
  `SET TimeZone = 'UTC'`,
  `SET disabled_optimizers = 'top_n_window_elimination'`,
];
