/** Load the real CloudTrail records in test/fixtures/cloudtrail (see its README for provenance). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudTrailRecord } from '../../rules/cloudtrail';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'cloudtrail');

export function fixture(name: string): CloudTrailRecord {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8')) as CloudTrailRecord;
}
