/** Every CloudTrail record the repository has (fixtures and detection cases), as EventBridge delivers them. */
import { CloudTrailRecordSchema, toEventBridgeEvent, type CloudTrailEvent } from '../../rules/cloudtrail';
import { CASES_BY_DETECTION } from '../../rules/detections/all-cases';
import { caseRecord, fixture, fixtureFiles } from '../fixtures';

export interface LabelledEvent {
  label: string;
  event: CloudTrailEvent;
}

export function allEvents(): LabelledEvent[] {
  const out: LabelledEvent[] = [];
  for (const file of fixtureFiles()) {
    out.push({ label: file, event: toEventBridgeEvent(CloudTrailRecordSchema.parse(fixture(file))) });
  }
  for (const [id, cases] of Object.entries(CASES_BY_DETECTION)) {
    for (const c of cases) {
      out.push({ label: `${id}: ${c.name}`, event: toEventBridgeEvent(CloudTrailRecordSchema.parse(caseRecord(c.record))) });
    }
  }
  return out;
}
