/**
 * The real CloudTrail records in `test/fixtures/cloudtrail/` (provenance in its README and `labels.json`), and
 * the records the detection cases describe. Every suite loads them from here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudTrailRecord } from '../rules/cloudtrail';
import type { CaseRecord, RawRecord } from '../rules/detections/cases';

export const FIXTURE_DIR = join(__dirname, 'fixtures', 'cloudtrail');

/** One fixture record, parsed afresh on every call: callers may mutate it. */
export function fixture(name: string): CloudTrailRecord {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8')) as CloudTrailRecord;
}

/** The files holding one record each (`labels.json` and the README are not records). */
export function fixtureFiles(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => /^\d+-.*\.json$/u.test(f))
    .sort();
}

export interface FixtureLabel {
  file: string;
  /** A descriptive name, not one of our detection ids (`snapshot-shared`, `none`, ...). */
  detection: string;
  should_alert: boolean;
}

export function fixtureLabels(): FixtureLabel[] {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, 'labels.json'), 'utf8')) as FixtureLabel[];
}

/** The record a detection case describes: written inline, a fixture, or a fixture the case mutates. */
export function caseRecord(source: CaseRecord): RawRecord {
  if ('inline' in source) return structuredClone(source.inline);
  const record: RawRecord = fixture(source.fixture);
  if ('mutate' in source) source.mutate(record);
  return record;
}
