/**
 * `exfiltrail scan PATH... [--config F] [--format table|asff] [--output F] [--fail-on SEVERITY]
 *                          [--no-baseline] [--baseline-window MINUTES]`
 *
 * Two steps: the event detections over every record, then the S3 GetObject baseline (`s3-getobject-anomaly`)
 * on an in-process DuckDB over the same CloudTrail log files (baseline.ts). Their findings are written together.
 *
 * Streams: stdout carries the findings only (table or ASFF JSON Lines), so it can be piped or redirected;
 * the progress bar and baseline status (terminals only), read problems and the summary go to stderr. With
 * `--output F` the findings go to F and stdout stays empty.
 *
 * Exit codes: 0 scanned (with or without findings); 1 `--fail-on` threshold reached; 2 usage or config error;
 * 3 incomplete: the baseline failed (the event findings are still written). 3 wins over 1: a partial scan
 * must neither pass a gate nor be taken for a complete one.
 */
import { promises as fs } from 'node:fs';
import type { Writable } from 'node:stream';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../../rules/config';
import type { Detection } from '../../rules/detection';
import { createEvaluator, type Evaluator } from '../../rules/evaluate';
import { RegistryError } from '../../rules/registry';
import { runBaselineStep, type BaselineOutcome, type BaselineRunner } from './baseline';
import { countLogFiles, PathNotFoundError } from './discover';
import { scanPaths, type ScanStats } from './engine';
import { formatAsff } from './format-asff';
import { formatTable } from './format-table';
import { checkOptions, FORMATS, UsageError, type CheckedOptions, type ScanOptions } from './options';
import { baselineStatus, createProgress } from './progress';
import { breachesThreshold, FAIL_ON_LEVELS } from './severity';
import { formatSummary } from './summary';

export type { ScanOptions } from './options';

export interface ScanIo {
  stdout: Writable;
  stderr: Writable;
  /** Whether stderr is a terminal: the progress bar is drawn only then. */
  isTTY: boolean;
}

/** Exit code of a scan whose GetObject baseline failed: the findings written are not all there could be. */
export const EXIT_INCOMPLETE = 3;

export interface ScanResult {
  exitCode: 0 | 1 | 2 | typeof EXIT_INCOMPLETE;
  /** Absent when the scan did not start (usage or config error). */
  stats?: ScanStats;
  /** Unsuppressed findings written. */
  findings: number;
  suppressed: number;
  /** ASFF findings that failed validation (written anyway, reported on stderr). */
  invalidFindings: number;
  /** The usage or config error, when exitCode is 2. */
  error?: string;
  /** What the GetObject baseline did (absent when the scan did not start). */
  baseline?: BaselineOutcome;
}

/** Embedding and tests may run a different set of detections, or another baseline runner, than the shipped ones. */
export interface ScanDependencies {
  detections?: readonly Detection[];
  baseline?: BaselineRunner;
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
  const { stats } = outcome;

  const status = baselineStatus(io.stderr, io.isTTY);
  const baseline = await runBaselineStep({
    paths: checked.paths,
    failedFiles: outcome.failedFiles,
    ...(checked.config ? { config: checked.config } : {}),
    enabled: checked.baseline,
    ...(checked.baselineWindow !== undefined ? { windowMinutes: checked.baselineWindow } : {}),
    ...(deps.baseline ? { runner: deps.baseline } : {}),
    onStart: (files) => status.start(files),
  }).finally(() => status.stop());
  if (baseline.outcome.kind === 'failed') {
    await write(io.stderr, `exfiltrail scan: the GetObject baseline failed; the event detections' findings are written, the scan is incomplete (exit code ${EXIT_INCOMPLETE}):\n  ${baseline.outcome.error.replace(/\n/g, '\n  ')}\n`);
  }
  const findings = [...outcome.findings, ...baseline.signals];

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
  await write(io.stderr, formatSummary({ stats, findings, elapsedMs, invalidFindings, baseline: baseline.outcome }));

  const suppressed = findings.filter((f) => f.suppressed).length;
  const failed = checked.failOn !== undefined && breachesThreshold(findings, checked.failOn);
  const exitCode = baseline.outcome.kind === 'failed' ? EXIT_INCOMPLETE : failed ? 1 : 0;
  return { exitCode, stats, findings: findings.length - suppressed, suppressed, invalidFindings, baseline: baseline.outcome };
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
  deps?: ScanDependencies;
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
        'EventBridge envelopes), then the S3 GetObject baseline on DuckDB over the log files. Findings go to ' +
        'stdout (or --output); progress and the summary to stderr. Exit codes: 0 done, 1 --fail-on reached, ' +
        '2 usage or config error, 3 incomplete (the baseline failed).',
    )
    .argument('<paths...>', 'CloudTrail log files or directories (searched recursively, e.g. a copy of AWSLogs/)')
    .option('-c, --config <file>', 'exfiltrail config JSON (organization accounts, trusted accounts, allowlist)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('table'))
    .option('-o, --output <file>', 'write findings to this file instead of stdout')
    .option('--fail-on <severity>', `exit 1 when a finding is at or above it: ${FAIL_ON_LEVELS.join(', ')}`)
    .option('--no-baseline', 'skip the S3 GetObject baseline (s3-getobject-anomaly, run on DuckDB after the event detections)')
    .option(
      '--baseline-window <minutes>',
      "score only the last MINUTES before the end of the archive's GetObject data, like the scheduled query " +
        '(default: every 10-minute bin after the 7-day warm-up)',
    )
    .exitOverride((error) => {
      // Help and version exit 0 as usual; every command-line mistake exits 2, like a bad config.
      if (error.exitCode !== 0) onUsageError(error);
    })
    .action(async (paths: string[], opts: { config?: string; format: string; output?: string; failOn?: string; baseline: boolean; baselineWindow?: string }) => {
      const io = register.io ?? { stdout: process.stdout, stderr: process.stderr, isTTY: Boolean(process.stderr.isTTY) };
      const scanOptions: ScanOptions = { paths, format: opts.format, baseline: opts.baseline };
      if (opts.baselineWindow !== undefined) scanOptions.baselineWindow = opts.baselineWindow;
      if (opts.config !== undefined) scanOptions.config = opts.config;
      if (opts.output !== undefined) scanOptions.output = opts.output;
      if (opts.failOn !== undefined) scanOptions.failOn = opts.failOn;
      const result = await runScan(scanOptions, io, register.deps);
      onExitCode(result.exitCode);
    });
}
