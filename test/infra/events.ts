/** Every CloudTrail record the repository has (fixtures and detection cases), as EventBridge delivers them. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailRecordSchema, toEventBridgeEvent, type CloudTrailEvent } from '../../rules/cloudtrail';
import { CASES_BY_DETECTION } from '../../rules/detections/all-cases';
import type { CaseRecord, RawRecord } from '../../rules/detections/cases';

const FIXTURES = join(__dirname, '..', 'fixtures', 'cloudtrail');

function loadFixture(name: string): RawRecord {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as RawRecord;
}

function recordOf(source: CaseRecord): RawRecord {
  if ('inline' in source) return structuredClone(source.inline);
  const record = loadFixture(source.fixture);
  if ('mutate' in source) source.mutate(record);
  return record;
}

export interface LabelledEvent {
  label: string;
  event: CloudTrailEvent;
}

export function allEvents(): LabelledEvent[] {
  const out: LabelledEvent[] = [];
  for (const file of readdirSync(FIXTURES).filter((f) => /^\d+.*\.json$/.test(f))) {
    out.push({ label: file, event: toEventBridgeEvent(CloudTrailRecordSchema.parse(loadFixture(file))) });
  }
  for (const [id, cases] of Object.entries(CASES_BY_DETECTION)) {
    for (const c of cases) {
      out.push({ label: `${id}: ${c.name}`, event: toEventBridgeEvent(CloudTrailRecordSchema.parse(recordOf(c.record))) });
    }
  }
  return out;
}
