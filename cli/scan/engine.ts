/**
 * The scan loop: discover files, read them one at a time, evaluate every record, merge signals into findings.
 * Knows nothing of output formats; reports what it saw in `ScanStats`.
 */
import { findingKey, mergeSignals, type Evaluator } from '../../rules/evaluate';
import type { Signal } from '../../rules/signal';
import { discover, type LogFile } from './discover';
import { prepareLogFile, type PreparedLogFile, type ReadItem, type ReadProblem } from './read';

/** How many problems and invalid events are kept with their location (all are counted). */
export const SAMPLE_LIMIT = 20;

export interface Located {
  location: string;
  reason: string;
}

export interface ScanStats {
  /** Log files opened (including those that turned out unreadable or malformed). */
  filesRead: number;
  /** Log files with a whole-file problem (corrupt gzip, invalid JSON, wrong shape, unreadable). */
  filesFailed: number;
  /** Files not read, by reason (digest files, other extensions). */
  filesSkipped: Map<string, number>;
  /** JSON Lines lines that could not be parsed. */
  badLines: number;
  /** The first problems, with location; `problemCount` counts them all. */
  problems: ReadProblem[];
  problemCount: number;
  bytesCompressed: number;
  bytesUncompressed: number;
  eventsRead: number;
  /** Events no detection could match (the evaluator's pre-filter). */
  eventsSkipped: number;
  eventsEvaluated: number;
  eventsInvalid: number;
  invalidSamples: Located[];
  signals: number;
}

export interface ScanOutcome {
  stats: ScanStats;
  /** One per finding key, merged. */
  findings: Signal[];
  /** Every log file with a whole-file problem (the baseline leaves them out too). */
  failedFiles: string[];
}

export function emptyStats(): ScanStats {
  return {
    filesRead: 0,
    filesFailed: 0,
    filesSkipped: new Map(),
    badLines: 0,
    problems: [],
    problemCount: 0,
    bytesCompressed: 0,
    bytesUncompressed: 0,
    eventsRead: 0,
    eventsSkipped: 0,
    eventsEvaluated: 0,
    eventsInvalid: 0,
    invalidSamples: [],
    signals: 0,
  };
}

export interface ScanHooks {
  /** Called after each log file with the running totals and the number of findings so far. */
  onFileDone?(stats: ScanStats, findings: number): void;
}

export async function scanPaths(
  paths: readonly string[],
  evaluator: Evaluator,
  hooks: ScanHooks = {},
): Promise<ScanOutcome> {
  const stats = emptyStats();
  const findings = new Map<string, Signal>();
  const failedFiles: string[] = [];
  const scan = async (file: LogFile, prepared: PreparedLogFile) => {
    const failedBefore = stats.filesFailed;
    await scanFile(file, prepared, evaluator, stats, findings);
    if (stats.filesFailed > failedBefore) failedFiles.push(file.path);
    hooks.onFileDone?.(stats, findings.size);
  };
  // One file ahead: the next file is read from disk while this one is parsed and evaluated.
  // At most two files are in memory.
  let previous: { file: LogFile; prepared: PreparedLogFile } | undefined;
  for await (const found of discover(paths)) {
    if (found.kind === 'skipped') {
      stats.filesSkipped.set(found.reason, (stats.filesSkipped.get(found.reason) ?? 0) + 1);
      continue;
    }
    const current = { file: found, prepared: prepareLogFile(found) };
    if (previous) await scan(previous.file, previous.prepared);
    previous = current;
  }
  if (previous) await scan(previous.file, previous.prepared);
  return { stats, findings: [...findings.values()], failedFiles };
}

async function scanFile(
  file: LogFile,
  prepared: PreparedLogFile,
  evaluator: Evaluator,
  stats: ScanStats,
  findings: Map<string, Signal>,
): Promise<void> {
  stats.filesRead += 1;
  stats.bytesCompressed += file.size;
  for await (const item of prepared.read()) {
    if (item.kind === 'problem') recordProblem(item, stats);
    else evaluateBatch(item, evaluator, stats, findings);
  }
}

function recordProblem(problem: ReadProblem, stats: ScanStats): void {
  if (problem.scope === 'file') stats.filesFailed += 1;
  else stats.badLines += 1;
  stats.problemCount += 1;
  if (stats.problems.length < SAMPLE_LIMIT) stats.problems.push(problem);
}

function evaluateBatch(
  batch: Extract<ReadItem, { kind: 'records' }>,
  evaluator: Evaluator,
  stats: ScanStats,
  findings: Map<string, Signal>,
): void {
  stats.bytesUncompressed += batch.bytes;
  const values = batch.values;
  stats.eventsRead += values.length;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const outcome = evaluator.evaluate(value);
    if (outcome.kind === 'skipped') {
      stats.eventsSkipped += 1;
      continue;
    }
    if (outcome.kind === 'invalid') {
      countInvalid(stats, batch.locate(i), outcome.reason);
      continue;
    }
    stats.eventsEvaluated += 1;
    for (const signal of outcome.signals) {
      stats.signals += 1;
      const key = findingKey(signal);
      const seen = findings.get(key);
      findings.set(key, seen ? mergeSignals(seen, signal) : signal);
    }
  }
}

function countInvalid(stats: ScanStats, location: string, reason: string): void {
  stats.eventsInvalid += 1;
  if (stats.invalidSamples.length < SAMPLE_LIMIT) stats.invalidSamples.push({ location, reason });
}

/** Why a value the pre-filter skipped is not a CloudTrail record (or envelope), or undefined when it looks like one. */
