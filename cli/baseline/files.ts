/**
 * Local CloudTrail log files (`*.json.gz` / `*.json` with a `Records` array) and the partition values their
 * path names in the org trail layout `AWSLogs/<org-id>/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/`
 * (or the single-account `AWSLogs/<account>/CloudTrail/...`). Files elsewhere get their partitions from the
 * records (see view.ts).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface TrailFile {
  /** Absolute, with forward slashes (DuckDB accepts them on every platform). */
  path: string;
  account?: string;
  region?: string;
  /** `yyyy/MM/dd` */
  day?: string;
}

/** RE2 and JavaScript alike: groups 1 account, 2 region, 3 day. */
export const LAYOUT_PATTERN = 'AWSLogs/(?:o-[a-z0-9]+/)?([0-9]+)/CloudTrail/([a-z0-9-]+)/([0-9]{4}/[0-9]{2}/[0-9]{2})/';
const LAYOUT = new RegExp(LAYOUT_PATTERN);

export function partitionsOfPath(filePath: string): Omit<TrailFile, 'path'> {
  const match = LAYOUT.exec(filePath.split(path.sep).join('/'));
  if (!match) return {};
  return { account: match[1], region: match[2], day: match[3] };
}

function isTrailFile(name: string): boolean {
  if (name.startsWith('.') || name.includes('CloudTrail-Digest')) return false;
  return name.endsWith('.json.gz') || name.endsWith('.json');
}

export class TrailPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrailPathError';
  }
}

/** Every CloudTrail log file under `targets` (files or directories), sorted by path. */
export async function findTrailFiles(targets: readonly string[]): Promise<TrailFile[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'CloudTrail-Digest' && !entry.name.startsWith('.')) await walk(full);
      } else if (entry.isFile() && isTrailFile(entry.name)) found.push(full);
    }
  };
  for (const target of targets) {
    const absolute = path.resolve(target);
    const stat = await fs.stat(absolute).catch(() => undefined);
    if (!stat) throw new TrailPathError(`no such file or directory: ${target}`);
    if (stat.isDirectory()) await walk(absolute);
    else found.push(absolute);
  }
  return [...new Set(found)].sort().map((p) => ({ path: p.split(path.sep).join('/'), ...partitionsOfPath(p) }));
}

/** Partition pruning: the files of `days`, plus files whose path names no day (their records decide). */
export function filesForDays(files: readonly TrailFile[], days: readonly string[]): TrailFile[] {
  const wanted = new Set(days);
  return files.filter((f) => f.day === undefined || wanted.has(f.day));
}
