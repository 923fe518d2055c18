/**
 * Scan throughput against its floor.
 *
 *   npm run bench     (= npm run build && node dist/bench/scan.js)
 *
 * Generates (once, cached in bench/out/) a seeded synthetic organization trail of ~400k events as gzipped
 * CloudTrail log files of realistic size, then measures, on the same files:
 *   floor: read + gunzip + JSON.parse only (what any scanner must pay);
 *   scan:  `exfiltrail scan` end to end (discover + read + evaluate + merge + format), output discarded.
 * Each is run once to warm the page cache, then RUNS times; the median is reported.
 */
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { runScan } from '../cli/scan/command';
import { discover } from '../cli/scan/discover';
import type { OrgAccount } from '../samples/actors';
import { ORG_ACCOUNTS } from '../samples/organization';
import { STORY_RECORDS } from '../samples/stories';
import { writeTrail, type TrailSpec, type WrittenTrail } from '../samples/synthetic';

const RUNS = 3;
/** Relative to the working directory: `npm run bench` runs at the repository root. */
const OUT = path.resolve('bench', 'out');

/** Ten accounts (the three sample ones first, so the attack stories land), three regions, six busy hours. */
const EXTRA_ACCOUNTS: OrgAccount[] = Array.from({ length: 7 }, (_, i) => ({
  id: String(610000000000 + i * 1_111_111),
  name: ['payments', 'search', 'ml', 'web', 'mobile', 'analytics', 'sandbox'][i] ?? `team${i}`,
}));
const START = '2025-03-12T00:00:00Z';
const HOURS = 6;

export const BENCH_SPEC: TrailSpec = {
  seed: 424242,
  organizationId: 'o-exfilbench01',
  accounts: [...ORG_ACCOUNTS, ...EXTRA_ACCOUNTS],
  regions: ['eu-west-1', 'us-east-1', 'eu-central-1'],
  start: START,
  hours: HOURS,
  eventsPerHour: 9000,
  deliveryMinutes: 5,
  // The sample attack (day 2, 02:05-03:31 UTC): a dozen exfiltration events among the noise.
  extraRecords: STORY_RECORDS.filter((r) => {
    const t = Date.parse(String(r.eventTime));
    return t >= Date.parse(START) && t < Date.parse(START) + HOURS * 3_600_000;
  }),
};

async function ensureTrail(): Promise<{ dir: string; trail: WrittenTrail }> {
  const dir = path.join(OUT, `trail-${BENCH_SPEC.seed}-${BENCH_SPEC.eventsPerHour}-${BENCH_SPEC.hours}h`);
  // Beside the trail, not in it: the scan would read it as a log file.
  const marker = `${dir}.json`;
  const cached = await fs.readFile(marker, 'utf8').then((t) => JSON.parse(t) as WrittenTrail, () => undefined);
  if (cached) return { dir, trail: cached };
  process.stderr.write(`generating the benchmark trail in ${dir} ...\n`);
  await fs.rm(dir, { recursive: true, force: true });
  const trail = await writeTrail(dir, BENCH_SPEC);
  await fs.writeFile(marker, JSON.stringify(trail));
  return { dir, trail };
}

async function logFilesOf(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const item of discover([dir])) if (item.kind === 'file') files.push(item.path);
  return files;
}

function floor(files: readonly string[]): number {
  let events = 0;
  for (const file of files) {
    const parsed = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { Records: unknown[] };
    events += parsed.Records.length;
  }
  return events;
}

const discard = () =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });

/** `exfiltrail scan`, with or without the GetObject baseline (DuckDB over the same files, after the events). */
async function scan(dir: string, baseline: boolean): Promise<number> {
  const result = await runScan({ paths: [dir], format: 'asff', baseline }, { stdout: discard(), stderr: discard(), isTTY: false });
  if (result.exitCode !== 0) throw new Error(`scan exited ${result.exitCode}: ${result.error ?? 'see stderr'}`);
  return result.stats?.eventsRead ?? 0;
}

async function measure(run: () => Promise<number> | number): Promise<{ seconds: number; events: number }> {
  await run(); // warm the page cache and the JIT
  const samples: { seconds: number; events: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const events = await run();
    samples.push({ seconds: Number(process.hrtime.bigint() - start) / 1e9, events });
  }
  samples.sort((a, b) => a.seconds - b.seconds);
  return samples[Math.floor(samples.length / 2)] as { seconds: number; events: number };
}

async function main(): Promise<void> {
  const { dir, trail } = await ensureTrail();
  const files = await logFilesOf(dir);
  const floorRun = await measure(() => floor(files));
  const scanRun = await measure(() => scan(dir, false));
  const fullRun = await measure(() => scan(dir, true));
  for (const [name, run] of [['floor', floorRun], ['scan', scanRun], ['scan with baseline', fullRun]] as const) {
    if (run.events !== trail.events) throw new Error(`event counts disagree: trail ${trail.events}, ${name} ${run.events}`);
  }
  const row = (name: string, r: { seconds: number }) => {
    const eps = Math.round(trail.events / r.seconds).toLocaleString('en-US');
    const mbIn = (trail.bytesCompressed / 1e6 / r.seconds).toFixed(1);
    const mbOut = (trail.bytesUncompressed / 1e6 / r.seconds).toFixed(1);
    return `| ${name} | ${r.seconds.toFixed(2)} s | ${eps} | ${mbIn} | ${mbOut} |`;
  };
  const ratio = scanRun.seconds / floorRun.seconds;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `Trail: ${trail.files.toLocaleString('en-US')} gzipped CloudTrail files, ${trail.events.toLocaleString('en-US')} events ` +
      `(${(trail.bytesCompressed / 1e6).toFixed(1)} MB gzipped, ${(trail.bytesUncompressed / 1e6).toFixed(1)} MB of JSON, ` +
      `${Math.round(trail.events / trail.files)} events per file on average); ` +
      `Node ${process.version}, ${cpu}, ${os.cpus().length} cores; median of ${RUNS} runs after a warm-up.`,
    '',
    '| run | time | events/s | MB/s gzipped | MB/s JSON |',
    '| --- | ---: | ---: | ---: | ---: |',
    row('floor: read + gunzip + JSON.parse', floorRun),
    row('exfiltrail scan --no-baseline (every event detection, ASFF out)', scanRun),
    row('exfiltrail scan (the above, then the GetObject baseline on DuckDB)', fullRun),
    '',
    `event detections: scan / floor = ${ratio.toFixed(2)}x (target <= 1.5x); ` +
      `the GetObject baseline adds ${(fullRun.seconds - scanRun.seconds).toFixed(2)} s (it re-reads the files in DuckDB).`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
