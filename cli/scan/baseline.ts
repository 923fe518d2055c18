/**
 * The scan's second step: the S3 GetObject baseline (`s3-getobject-anomaly`, docs/getobject-baseline.md) on an
 * in-process DuckDB, over the CloudTrail log files (`.json`, `.json.gz`) the event step read without a
 * whole-file problem (a corrupt file is reported once, by the event step, and costs the baseline nothing).
 *
 * Never throws: a failure (DuckDB error, unreadable file...) is an outcome, so the event findings are still
 * written and the exit code can say the scan is incomplete.
 */
import * as path from 'node:path';
import {
  DEFAULT_MIN_HISTORY_DAYS,
  runGetObjectBaseline,
  type GetObjectBaselineOptions,
  type GetObjectBaselineResult,
  type GetObjectBaselineStats,
} from '../baseline/duckdb';
import { findTrailFiles } from '../baseline/files';
import { DEFAULT_CONFIG, type ExfiltrailConfig } from '../../rules/config';
import type { Signal } from '../../rules/signal';
import { baselineEnabledIn } from './baseline-config';

export type BaselineRunner = (paths: string[], options: GetObjectBaselineOptions) => Promise<GetObjectBaselineResult>;

export type BaselineOutcome =
  /** Not run, and why (`--no-baseline`, disabled in the config, nothing it can read). */
  | { kind: 'off'; reason: string }
  /** Ran; `stats.scoredFrom` is null when nothing could be scored (too little history, no GetObject reads). */
  | { kind: 'ran'; stats: GetObjectBaselineStats; windowMinutes?: number; minHistoryDays: number; elapsedMs: number }
  | { kind: 'failed'; error: string; elapsedMs: number };

export interface BaselineStepInput {
  paths: readonly string[];
  /** Files the event step could not read (whole-file problems): left out. */
  failedFiles: readonly string[];
  config?: ExfiltrailConfig;
  /** False for `--no-baseline`. */
  enabled: boolean;
  windowMinutes?: number;
  runner?: BaselineRunner;
  /** Called just before DuckDB starts, with the number of files it reads. */
  onStart?(files: number): void;
}

export interface BaselineStepResult {
  outcome: BaselineOutcome;
  signals: Signal[];
}

const isLogDocument = (file: string) => /\.json(\.gz)?$/i.test(file);

export async function runBaselineStep(input: BaselineStepInput): Promise<BaselineStepResult> {
  if (!input.enabled) return { outcome: { kind: 'off', reason: 'not run (--no-baseline)' }, signals: [] };
  if (!baselineEnabledIn(input.config)) {
    return { outcome: { kind: 'off', reason: 'not run (disabled in the config: detections.s3-getobject-anomaly)' }, signals: [] };
  }
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  try {
    const failed = new Set(input.failedFiles.map((f) => path.resolve(f)));
    const files = (await findTrailFiles(input.paths))
      .map((f) => f.path)
      .filter((f) => isLogDocument(f) && !failed.has(path.resolve(f)));
    if (files.length === 0) {
      return { outcome: { kind: 'off', reason: 'not run: no CloudTrail log files (.json, .json.gz) to read' }, signals: [] };
    }
    input.onStart?.(files.length);
    const runner = input.runner ?? runGetObjectBaseline;
    const options: GetObjectBaselineOptions = { config: input.config ?? DEFAULT_CONFIG };
    // `now` stays the runner's default: the end of the archive's last GetObject bin, never the wall clock.
    if (input.windowMinutes !== undefined) options.windowMinutes = input.windowMinutes;
    const { signals, stats } = await runner(files, options);
    const outcome: BaselineOutcome = { kind: 'ran', stats, minHistoryDays: DEFAULT_MIN_HISTORY_DAYS, elapsedMs: elapsed() };
    if (input.windowMinutes !== undefined) outcome.windowMinutes = input.windowMinutes;
    return { outcome, signals };
  } catch (error) {
    const text = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
    return { outcome: { kind: 'failed', error: text, elapsedMs: elapsed() }, signals: [] };
  }
}
