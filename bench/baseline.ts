/**
 * GetObject baseline benchmark: DuckDB rollup and window-query times over 31 generated days, and the monthly
 * Athena cost estimate for an organization of 50 accounts and 10 million GetObject a day.
 *
 *   node dist/bench/baseline.js [scale]      (scale 1: about 0.4 M records; the test suite uses 0.1)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { runGetObjectBaseline } from '../cli/baseline/duckdb';
import { DEFAULT_CONFIG } from '../rules/config';
import { BUCKETS, writeGetObjectHistory } from '../samples/getobject-history';

const TB = 1e12;
const PRICE_PER_TB = 5;
const MIN_BYTES_PER_QUERY = 10 * 1024 * 1024;

export interface CostInputs {
  getObjectPerDay: number;
  /** Compressed bytes per GetObject record as stored in the trail bucket. */
  bytesPerRecord: number;
  /** Bytes of other events in the same partitions, per GetObject byte (management and other data events). */
  otherEventsFactor: number;
  /** Bins table bytes read per day of history by the profile (Parquet, 4 columns). */
  binsBytesPerDay: number;
  profileBytes: number;
  historyDays: number;
}

export function athenaMonthlyCost(c: CostInputs): { lines: string[]; total: number } {
  const days = 30;
  const daily = c.getObjectPerDay * c.bytesPerRecord * (1 + c.otherEventsFactor);
  const q = (bytes: number) => Math.max(bytes, MIN_BYTES_PER_QUERY);
  // The 10-minute window query reads today's partitions: on average half a day, plus the profile.
  const windowRuns = 144 * days;
  const windowBytes = q(daily / 2 + c.profileBytes);
  // The daily rollup reads yesterday's partitions (and the slack of today's); the profile 30 days of bins.
  const rollupBytes = q(daily * (1 + 15 / 1440));
  const profileBytes = q(c.binsBytesPerDay * c.historyDays);
  const items = [
    ['window query (every 10 min)', windowRuns, windowBytes],
    ['rollup (daily)', days, rollupBytes],
    ['profile (daily)', days, profileBytes],
  ] as const;
  let total = 0;
  const lines = items.map(([name, runs, bytes]) => {
    const cost = (runs * bytes * PRICE_PER_TB) / TB;
    total += cost;
    return `  ${name.padEnd(28)} ${(bytes / 1e9).toFixed(3).padStart(8)} GB x ${String(runs).padStart(4)} runs = ${((runs * bytes) / TB).toFixed(3)} TB x $${PRICE_PER_TB}/TB = $${cost.toFixed(2)}`;
  });
  lines.unshift(
    `  raw partitions per day: ${c.getObjectPerDay.toExponential(1)} GetObject x ${c.bytesPerRecord.toFixed(0)} B x (1 + ${c.otherEventsFactor} other) = ${(daily / 1e9).toFixed(2)} GB`,
  );
  return { lines, total };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

async function main(): Promise<void> {
  const scale = Number(process.argv[2] ?? 1);
  const dir = mkdtempSync(path.join(tmpdir(), 'exfiltrail-bench-baseline-'));
  try {
    let started = Date.now();
    const truth = writeGetObjectHistory({
      outDir: dir,
      scale,
      injections: [{ principal: 'analyst', start: new Date('2024-05-31T15:00:00Z'), requests: 5000, bucket: BUCKETS.pii, bytesPerObject: 3e6 }],
    });
    const files = filesUnder(dir);
    const gzBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
    console.log(`generated ${truth.records} records (${truth.reads} counted GetObject) in ${files.length} files, ${(gzBytes / 1e6).toFixed(1)} MB gzipped, ${Date.now() - started} ms`);

    started = Date.now();
    const day = await runGetObjectBaseline([dir], { config: DEFAULT_CONFIG, windowMinutes: 1440, now: new Date('2024-06-01T00:00:00Z') });
    const t = day.stats.timings;
    console.log(`DuckDB, 31 days: rollup ${t.rollupMs.toFixed(0)} ms; profile ${t.profileMs.toFixed(0)} ms; window query (one day, 144 bins) ${t.windowMs.toFixed(0)} ms; scoring ${t.scoringMs.toFixed(1)} ms; ${day.signals.length} signals; total ${Date.now() - started} ms`);
    const bin = await runGetObjectBaseline([dir], { config: DEFAULT_CONFIG, windowMinutes: 10, now: new Date('2024-05-31T15:10:00Z') });
    console.log(`DuckDB, one 10-minute window: window query ${bin.stats.timings.windowMs.toFixed(0)} ms (reads that day's files), ${bin.signals.length} signal(s)`);
    started = Date.now();
    const scan = await runGetObjectBaseline([dir], { config: DEFAULT_CONFIG });
    console.log(`DuckDB, archive scan (every bin after the 7-day warm-up): ${scan.stats.scoredFrom} .. ${scan.stats.scoredTo}, window queries ${scan.stats.timings.windowMs.toFixed(0)} ms, ${scan.signals.length} signal(s), total ${Date.now() - started} ms`);

    // Compressed size per record at CloudTrail's gzip level (the generator writes level 1 for speed).
    const sample = files.slice(0, 200);
    let records = 0;
    let level6 = 0;
    for (const f of sample) {
      const text = gunzipSync(readFileSync(f));
      records += (JSON.parse(text.toString()) as { Records: unknown[] }).Records.length;
      level6 += gzipSync(text).length;
    }
    const measured = level6 / records;
    const inputs: CostInputs = {
      getObjectPerDay: 10e6,
      bytesPerRecord: measured,
      otherEventsFactor: 0.25,
      binsBytesPerDay: 50 * 40 * 144 * 12, // 50 accounts x 40 principals x 144 bins x ~12 B per row in 4 Parquet columns
      profileBytes: 5e6,
      historyDays: 30,
    };
    console.log(`\nAthena, 50 accounts, 10 M GetObject/day (measured ${measured.toFixed(0)} B per gzipped record):`);
    const cost = athenaMonthlyCost(inputs);
    for (const line of cost.lines) console.log(line);
    console.log(`  total $${cost.total.toFixed(2)}/month (target < $30)`);
    const heavy = athenaMonthlyCost({ ...inputs, bytesPerRecord: 250 });
    console.log(`  sensitivity: at 250 B per record (larger real records): $${heavy.total.toFixed(2)}/month`);
    const naive = (144 * 30 * 30 * 10e6 * measured * 1.25 * PRICE_PER_TB) / TB;
    console.log(`  for comparison, 30 days of raw JSON every 10 minutes: $${naive.toFixed(0)}/month`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
