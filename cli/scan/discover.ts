/**
 * Finds the files a scan reads under each PATH, lazily (an org trail can hold millions of log files; we never
 * hold their list), in a stable order (directory entries sorted by name).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** How a file's content is laid out. */
export type FileFormat = 'json' | 'jsonl';

export interface LogFile {
  kind: 'file';
  path: string;
  format: FileFormat;
  /** Bytes on disk (compressed when gzipped). */
  size: number;
}

export interface SkippedFile {
  kind: 'skipped';
  path: string;
  /** Short and groupable: files are counted per reason in the summary. */
  reason: string;
}

export type Discovered = LogFile | SkippedFile;

export class PathNotFoundError extends Error {
  constructor(readonly target: string) {
    super(`no such file or directory: ${target}`);
    this.name = 'PathNotFoundError';
  }
}

export const SKIP_DIGEST = 'CloudTrail digest file';
export const SKIP_NOT_LOG = 'not a log file (expected .json, .jsonl or .ndjson, optionally .gz)';
export const SKIP_HIDDEN = 'hidden file';
export const SKIP_UNREADABLE_DIR = 'unreadable directory';

/** Classify a file by its name alone; content problems are found when it is read. */
export function classify(filePath: string): { format: FileFormat } | { skip: string } {
  const name = path.basename(filePath);
  // Digests sit under AWSLogs/<acct>/CloudTrail-Digest/ and are named <acct>_CloudTrail-Digest_...json.gz.
  if (name.includes('CloudTrail-Digest') || filePath.split(path.sep).includes('CloudTrail-Digest')) {
    return { skip: SKIP_DIGEST };
  }
  if (name.startsWith('.')) return { skip: SKIP_HIDDEN };
  const lower = name.toLowerCase();
  const bare = lower.endsWith('.gz') ? lower.slice(0, -3) : lower;
  if (bare.endsWith('.json')) return { format: 'json' };
  if (bare.endsWith('.jsonl') || bare.endsWith('.ndjson')) return { format: 'jsonl' };
  return { skip: SKIP_NOT_LOG };
}

/**
 * Every file under `targets` (files or directories, recursively), log files and skipped ones alike.
 * Throws PathNotFoundError before yielding anything when a target does not exist (a usage error).
 */
export async function* discover(targets: readonly string[]): AsyncGenerator<Discovered> {
  const roots: { path: string; isDirectory: boolean; size: number }[] = [];
  for (const target of targets) {
    const stat = await fs.stat(target).catch(() => undefined);
    if (!stat) throw new PathNotFoundError(target);
    roots.push({ path: target, isDirectory: stat.isDirectory(), size: stat.size });
  }
  // Directories already walked, by real path: symlink loops and overlapping PATHs are read once.
  const seen = new Set<string>();
  for (const root of roots) {
    if (root.isDirectory) yield* walk(root.path, seen);
    else yield* fileEntry(root.path, root.size);
  }
}

async function* walk(dir: string, seen: Set<string>): AsyncGenerator<Discovered> {
  const real = await fs.realpath(dir).catch(() => dir);
  if (seen.has(real)) return;
  seen.add(real);
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    yield { kind: 'skipped', path: dir, reason: `${SKIP_UNREADABLE_DIR}: ${errorText(error)}` };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await fs.stat(full).catch(() => undefined);
      isDirectory = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDirectory) yield* walk(full, seen);
    else if (isFile) yield* fileEntry(full);
  }
}

async function* fileEntry(filePath: string, knownSize?: number): AsyncGenerator<Discovered> {
  const kind = classify(filePath);
  if ('skip' in kind) {
    yield { kind: 'skipped', path: filePath, reason: kind.skip };
    return;
  }
  const size = knownSize ?? (await fs.stat(filePath).then((s) => s.size, () => 0));
  yield { kind: 'file', path: filePath, format: kind.format, size };
}

/** Count log files (for the progress bar's total) without keeping their names. */
export async function countLogFiles(targets: readonly string[]): Promise<number> {
  let count = 0;
  for await (const item of discover(targets)) if (item.kind === 'file') count += 1;
  return count;
}

export function errorText(error: unknown): string {
  // Duck-typed: errors from another realm (jest's sandbox, worker threads) fail `instanceof Error`.
  if (error !== null && typeof error === 'object' && 'message' in error) {
    const message = String(error.message);
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    return code && !message.startsWith(code) ? `${code}: ${message}` : message;
  }
  return String(error);
}
