/**
 * `exfiltrail scan PATH... [--config F] [--format table|asff] [--output F] [--fail-on SEVERITY]`
 *
 * Streams: stdout carries the findings only (table or ASFF JSON Lines), so it can be piped or redirected;
 * the progress bar (terminals only), read problems and the summary go to stderr. With `--output F` the
 * findings go to F and stdout stays empty.
 *
 * Exit codes: 0 scanned (with or without findings); 1 `--fail-on` threshold reached; 2 usage or config error.
 */
import { promises as fs } from 'node:fs';
import type { Writable } from 'node:stream';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../../rules/config';
import type { Detection } from '../../rules/detection';
import { createEvaluator, type Evaluator } from '../../rules/evaluate';
import { RegistryError } from '../../rules/registry';
import { countLogFiles, PathNotFoundError } from './discover';
import { scanPaths, type ScanStats } from './engine';
import { formatAsff } from './format-asff';
import { formatTable } from './format-table';
import { checkOptions, FORMATS, UsageError, type CheckedOptions, type ScanOptions } from './options';
import { createProgress } from './progress';
import { breachesThreshold, FAIL_ON_LEVELS } from './severity';
import { formatSummary } from './summary';

export type { ScanOptions } from './options';

export interface ScanIo {
  stdout: Writable;
  stderr: Writable;
  /** Whether stderr is a terminal: the progress bar is drawn only then. */
  isTTY: boolean;
}

export interface ScanResult {
  exitCode: 0 | 1 | 2;
  /** Absent when the scan did not start (usage or config error). */
  stats?: ScanStats;
  /** Unsuppressed findings written. */
  findings: number;
  suppressed: number;
  /** ASFF findings that failed validation (written anyway, reported on stderr). */
  invalidFindings: number;
  /** The usage or config error, when exitCode is 2. */
  error?: string;
}

/** Embedding and tests may run a different set of detections than the shipped registry. */
export interface ScanDependencies {
  detections?: readonly Detection[];
}

export async function runScan(options: ScanOptions, io: ScanIo, deps: ScanDependencies = {}): Promise<ScanResult> {
  const started = performance.now();
  let checked: CheckedOptions;
  let evaluator: Evaluator;
  try {
    checked = await checkOptions(options);
    evaluator = createEvaluator({
      ...(checked.config ? { config: checked.config } : {}),
      ...(deps.detections ? { detections: deps.detections } : {}),
    });
  } catch (error) {
    return usageFailure(error, io);
  }

  let outcome;
  try {
    const total = io.isTTY ? await countLogFiles(checked.paths) : 0;
    const progress = createProgress(io.stderr, io.isTTY, total);
    try {
      outcome = await scanPaths(checked.paths, evaluator, { onFileDone: (s, f) => progress.update(s, f) });
    } finally {
      progress.stop();
    }
  } catch (error) {
    if (error instanceof PathNotFoundError) return usageFailure(new UsageError(error.message), io);
    throw error;
  }
  const { stats, findings } = outcome;

  let text: string;
  let invalidFindings = 0;
  if (checked.format === 'asff') {
    const asff = formatAsff(findings);
    text = asff.text;
    invalidFindings = asff.invalid.length;
    for (const bad of asff.invalid) {
      await write(io.stderr, `exfiltrail scan: invalid ASFF finding (Security Hub would reject it) ${bad.id}: ${bad.problems.join('; ')}\n`);
    }
  } else {
    text = formatTable(findings);
  }
  if (checked.output !== undefined) await fs.writeFile(checked.output, text);
  else await write(io.stdout, text);

  const elapsedMs = performance.now() - started;
  await write(io.stderr, formatSummary({ stats, findings, elapsedMs, invalidFindings }));

  const suppressed = findings.filter((f) => f.suppressed).length;
  const failed = checked.failOn !== undefined && breachesThreshold(findings, checked.failOn);
  return { exitCode: failed ? 1 : 0, stats, findings: findings.length - suppressed, suppressed, invalidFindings };
}

function usageFailure(error: unknown, io: ScanIo): ScanResult {
  const known = error instanceof UsageError || error instanceof ConfigError || error instanceof RegistryError;
  if (!known) throw error;
  const message = (error as Error).message;
  io.stderr.write(`exfiltrail scan: ${message}\n`);
  return { exitCode: 2, findings: 0, suppressed: 0, invalidFindings: 0, error: message };
}

function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));
}

export interface RegisterOptions {
  io?: ScanIo;
  /** Receives the scan's exit code (default: sets process.exitCode). */
  onExitCode?: (code: number) => void;
  /** Called on a command-line error Commander found and printed; must not return (default: process.exit(2)). */
  onUsageError?: (error: CommanderError) => never;
}

export function registerScanCommand(program: Command, register: RegisterOptions = {}): Command {
  const onExitCode = register.onExitCode ?? ((code: number) => void (process.exitCode = code));
  const onUsageError = register.onUsageError ?? ((): never => process.exit(2));
  return program
    .command('scan')
    .description(
      'Run every enabled detection over CloudTrail log files offline (.json/.json.gz log files, JSON Lines, ' +
        'EventBridge envelopes). Findings go to stdout (or --output); progress and the summary to stderr.',
    )
    .argument('<paths...>', 'CloudTrail log files or directories (searched recursively, e.g. a copy of AWSLogs/)')
    .option('-c, --config <file>', 'exfiltrail config JSON (organization accounts, trusted accounts, allowlist)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('table'))
    .option('-o, --output <file>', 'write findings to this file instead of stdout')
    .option('--fail-on <severity>', `exit 1 when a finding is at or above it: ${FAIL_ON_LEVELS.join(', ')}`)
    .exitOverride((error) => {
      // Help and version exit 0 as usual; every command-line mistake exits 2, like a bad config.
      if (error.exitCode !== 0) onUsageError(error);
    })
    .action(async (paths: string[], opts: { config?: string; format: string; output?: string; failOn?: string }) => {
      const io = register.io ?? { stdout: process.stdout, stderr: process.stderr, isTTY: Boolean(process.stderr.isTTY) };
      const scanOptions: ScanOptions = { paths, format: opts.format };
      if (opts.config !== undefined) scanOptions.config = opts.config;
      if (opts.output !== undefined) scanOptions.output = opts.output;
      if (opts.failOn !== undefined) scanOptions.failOn = opts.failOn;
      const result = await runScan(scanOptions, io);
      onExitCode(result.exitCode);
    });
}
