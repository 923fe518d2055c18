/** What `exfiltrail scan` is asked to do, checked before any file is read. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ConfigError, parseConfig, type ExfiltrailConfig } from '../../rules/config';
import { errorText } from './discover';
import { parseFailOn, FAIL_ON_LEVELS, type FailOnLevel } from './severity';

export const FORMATS = ['table', 'asff'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export interface ScanOptions {
  /** CloudTrail log files or directories, searched recursively. */
  paths: readonly string[];
  /** A JSON config file (see rules/config.ts); the default config when absent. */
  config?: string;
  format?: string;
  /** Write findings to this file instead of stdout. */
  output?: string;
  /** Exit 1 when an unsuppressed finding is at or above this severity. */
  failOn?: string;
  /** Run the S3 GetObject baseline after the event detections (default true; `--no-baseline` sets false). */
  baseline?: boolean;
  /**
   * Score only the last MINUTES before the end of the archive's GetObject data (`--baseline-window`), as the
   * scheduled query does; default: every 10-minute bin after the warm-up.
   */
  baselineWindow?: string | number;
}

export interface CheckedOptions {
  paths: readonly string[];
  config?: ExfiltrailConfig;
  format: OutputFormat;
  output?: string;
  failOn?: FailOnLevel;
  baseline: boolean;
  /** Minutes, a positive integer. */
  baselineWindow?: number;
}

/** A problem with the command line or the config: exit code 2, message on stderr. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export async function checkOptions(options: ScanOptions): Promise<CheckedOptions> {
  if (options.paths.length === 0) throw new UsageError('give at least one PATH (a CloudTrail log file or directory)');
  const format = (options.format ?? 'table').toLowerCase();
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format ${options.format}: expected one of ${FORMATS.join(', ')}`);
  }
  const checked: CheckedOptions = { paths: options.paths, format: format as OutputFormat, baseline: options.baseline ?? true };
  if (options.baselineWindow !== undefined) {
    if (!checked.baseline) throw new UsageError('--baseline-window: the baseline is off (--no-baseline); give one or the other');
    checked.baselineWindow = parseMinutes(options.baselineWindow);
  }
  if (options.failOn !== undefined) {
    const failOn = parseFailOn(options.failOn);
    if (!failOn) throw new UsageError(`--fail-on ${options.failOn}: expected one of ${FAIL_ON_LEVELS.join(', ')}`);
    checked.failOn = failOn;
  }
  if (options.output !== undefined) {
    const dir = path.dirname(path.resolve(options.output));
    // Fail before a long scan, not after it.
    await fs.access(dir, fs.constants.W_OK).catch((error: unknown) => {
      throw new UsageError(`--output ${options.output}: cannot write to ${dir}: ${errorText(error)}`);
    });
    checked.output = options.output;
  }
  if (options.config !== undefined) checked.config = await loadConfig(options.config);
  return checked;
}

function parseMinutes(value: string | number): number {
  const text = String(value).trim();
  const minutes = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(minutes) || minutes < 1) {
    throw new UsageError(`--baseline-window ${String(value)}: expected a positive whole number of minutes (e.g. 10 or 60)`);
  }
  return minutes;
}

export async function loadConfig(file: string): Promise<ExfiltrailConfig> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--config ${file}: cannot read it: ${errorText(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${file}: not valid JSON: ${errorText(error)}`);
  }
  try {
    return parseConfig(json, file);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}
