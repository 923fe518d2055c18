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
}

export interface CheckedOptions {
  paths: readonly string[];
  config?: ExfiltrailConfig;
  format: OutputFormat;
  output?: string;
  failOn?: FailOnLevel;
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
  const checked: CheckedOptions = { paths: options.paths, format: format as OutputFormat };
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
