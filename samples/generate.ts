/**
 * Writes the sample archive: two days of a three-account organization trail with the exfiltration stories of
 * samples/stories.ts, after eight days of S3 GetObject data events only (samples/getobject-story.ts: the history
 * the GetObject baseline learns from, and the attacker's burst), as gzipped CloudTrail log files in the org
 * trail bucket layout.
 *
 *   npm run samples            (= node dist/samples/generate.js samples/archive)
 *
 * Deterministic: the same code writes the same bytes, so the committed archive can be checked by regenerating it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ORG_ACCOUNTS, ORGANIZATION_ID, REGIONS } from './organization';
import { getObjectStoryRecords, HISTORY_LEAD_IN_DAYS } from './getobject-story';
import { STORY_RECORDS } from './stories';
import { writeDigests, writeTrail, type TrailSpec, type WrittenTrail } from './synthetic';

export const SAMPLE_SPEC: TrailSpec = {
  seed: 20250311,
  organizationId: ORGANIZATION_ID,
  accounts: ORG_ACCOUNTS,
  regions: REGIONS,
  start: '2025-03-11T00:00:00Z',
  hours: 48,
  eventsPerHour: 11,
  // Real trails deliver about every 5 minutes; two-hourly files keep the committed archive small.
  deliveryMinutes: 120,
  extraRecords: [...STORY_RECORDS, ...getObjectStoryRecords()],
  // The files of the eight days before hold the GetObject history alone (no management events): small.
  leadInHours: HISTORY_LEAD_IN_DAYS * 24,
};

export async function generateSamples(dir: string): Promise<WrittenTrail & { digests: number }> {
  // Only the generated tree is replaced: a wrong argument cannot wipe anything else.
  await fs.rm(path.join(dir, 'AWSLogs'), { recursive: true, force: true });
  const written = await writeTrail(dir, SAMPLE_SPEC);
  const digests = await writeDigests(dir, SAMPLE_SPEC);
  return { ...written, digests };
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node dist/samples/generate.js <archive-dir>\n');
    process.exitCode = 2;
    return;
  }
  const result = await generateSamples(dir);
  process.stdout.write(
    `wrote ${result.files} log files (${result.events} events, ${(result.bytesCompressed / 1024).toFixed(0)} KiB gzipped) ` +
      `and ${result.digests} digest files under ${path.join(dir, 'AWSLogs')}\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
