/**
 * The generic detection suite: metadata of every shipped detection, every case written beside it, and a
 * cross-check against the labelled real CloudTrail fixtures.
 */
import { API_CALL, CloudTrailRecordSchema, SERVICE_EVENT, toEventBridgeEvent, type CloudTrailEvent } from '../rules/cloudtrail';
import { parseConfig } from '../rules/config';
import { runDetection } from '../rules/evaluate';
import { matchesPattern, parsePattern, PATTERN_SIZE_LIMIT } from '../rules/pattern';
import { ALL_DETECTIONS } from '../rules/detections';
import { CASES_BY_DETECTION } from '../rules/detections/all-cases';
import type { RawRecord } from '../rules/detections/cases';
import type { Detection } from '../rules/detection';
import { caseRecord, fixture, fixtureLabels } from './fixtures';

function toEvent(raw: RawRecord, where: string): CloudTrailEvent {
  const parsed = CloudTrailRecordSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${where}: not a CloudTrail record: ${parsed.error.message}`);
  return toEventBridgeEvent(parsed.data);
}

function anyPatternMatches(detection: Detection, event: CloudTrailEvent): boolean {
  return detection.patterns.some((p) => matchesPattern(parsePattern(p), event));
}

/**
 * ASFF type taxonomy: namespace -> categories (Security Hub user guide, "ASFF types taxonomy").
 * There is no TTPs/Exfiltration category: exfiltration is an effect.
 */
const ASFF_TAXONOMY: Record<string, readonly string[]> = {
  'Software and Configuration Checks': [
    'Vulnerabilities', 'AWS Security Best Practices', 'Industry and Regulatory Standards',
  ],
  TTPs: [
    'Initial Access', 'Execution', 'Persistence', 'Privilege Escalation', 'Defense Evasion', 'Credential Access',
    'Discovery', 'Lateral Movement', 'Collection', 'Command and Control',
  ],
  Effects: ['Data Exposure', 'Data Exfiltration', 'Data Destruction', 'Denial of Service', 'Resource Consumption'],
  'Unusual Behaviors': [
    'Application', 'Network Flow', 'IP address', 'User', 'VM', 'Container', 'Serverless', 'Process', 'Database', 'Data',
  ],
  'Sensitive Data Identifications': ['PII', 'Passwords', 'Legal', 'Financial', 'Security', 'Business'],
};

/** Service events that some detections consume: their patterns must name the service-event detail-type. */
const SERVICE_EVENT_NAMES = new Set(['JobCreated', 'SharedSnapshotCopyInitiated', 'SharedSnapshotVolumeCreated']);

interface PatternShape {
  'detail-type'?: unknown;
  detail?: { eventName?: unknown };
}

describe.each(ALL_DETECTIONS.map((d) => [d.id, d] as const))('detection %s', (_id, detection) => {
  describe('metadata', () => {
    it('has a kebab-case id used once in the registry', () => {
      expect(detection.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(ALL_DETECTIONS.filter((d) => d.id === detection.id)).toHaveLength(1);
    });

    it('maps to well-formed ATT&CK tactics and techniques', () => {
      expect(detection.attack.length).toBeGreaterThan(0);
      for (const mapping of detection.attack) {
        expect(mapping.tactic.id).toMatch(/^TA\d{4}$/);
        expect(mapping.technique.id).toMatch(/^T\d{4}(\.\d{3})?$/);
        expect(mapping.tactic.name.length).toBeGreaterThan(0);
        expect(mapping.technique.name.length).toBeGreaterThan(0);
      }
    });

    it('uses finding types from the ASFF taxonomy', () => {
      expect(detection.findingTypes.length).toBeGreaterThan(0);
      for (const type of detection.findingTypes) {
        const [namespace, category, ...rest] = type.split('/');
        expect(rest.length).toBeLessThanOrEqual(1);
        expect(ASFF_TAXONOMY[namespace ?? '']).toContain(category);
      }
    });

    it('has impact and confidence within 0-100', () => {
      for (const value of [detection.impact, detection.confidence]) {
        expect(Number.isInteger(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(100);
      }
    });

    it('has patterns the engine accepts, within the EventBridge size quota', () => {
      expect(detection.patterns.length).toBeGreaterThan(0);
      for (const pattern of detection.patterns) {
        expect(() => parsePattern(pattern)).not.toThrow();
        expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(PATTERN_SIZE_LIMIT);
      }
    });

    it('names the service-event detail-type wherever it consumes a service event', () => {
      for (const pattern of detection.patterns as unknown as readonly PatternShape[]) {
        const names = Array.isArray(pattern.detail?.eventName) ? (pattern.detail.eventName as unknown[]) : [];
        const types = Array.isArray(pattern['detail-type']) ? (pattern['detail-type'] as unknown[]) : [];
        const apiNames = names.filter((n) => typeof n === 'string' && !SERVICE_EVENT_NAMES.has(n));
        const serviceNames = names.filter((n) => typeof n === 'string' && SERVICE_EVENT_NAMES.has(n));
        if (serviceNames.length > 0) expect(types).toContain(SERVICE_EVENT);
        if (apiNames.length > 0) expect(types).toContain(API_CALL);
      }
    });

    it('has guidance for analysts', () => {
      expect(detection.falsePositives.length).toBeGreaterThan(0);
      expect(detection.investigation.length).toBeGreaterThan(0);
      expect(detection.remediation.text.length).toBeGreaterThan(0);
      expect(detection.references.length).toBeGreaterThan(0);
    });

    it('has at least one positive and one negative case', () => {
      const cases = CASES_BY_DETECTION[detection.id] ?? [];
      expect(cases.some((c) => c.signals > 0)).toBe(true);
      expect(cases.some((c) => c.signals === 0)).toBe(true);
    });
  });

  const cases = CASES_BY_DETECTION[detection.id] ?? [];
  describe.each(cases.map((c) => [c.name, c] as const))('case: %s', (name, testCase) => {
    const where = `${detection.id} / ${name}`;
    const event = toEvent(caseRecord(testCase.record), where);
    const config = parseConfig(testCase.config ?? {}, `config of case "${where}"`);

    it(testCase.matchesPattern ? 'matches the pattern' : 'does not match the pattern', () => {
      expect(anyPatternMatches(detection, event)).toBe(testCase.matchesPattern);
    });

    it(`yields ${testCase.signals} signal(s)${testCase.severity ? ` at ${testCase.severity}` : ''}`, () => {
      const signals = runDetection(detection, event, config);
      expect(signals).toHaveLength(testCase.signals);
      for (const signal of signals) {
        expect(signal.detection.id).toBe(detection.id);
        if (testCase.severity) expect(signal.risk.severity).toBe(testCase.severity);
        if (testCase.relation) {
          expect(signal.targets.length).toBeGreaterThan(0);
          for (const target of signal.targets) expect(target.relation).toBe(testCase.relation);
        }
        if (testCase.summaryIncludes) expect(signal.summary).toContain(testCase.summaryIncludes);
        if (testCase.key) expect(signal.key).toBe(testCase.key);
      }
    });

    it('evaluate never throws, even past the pattern', () => {
      expect(() => detection.evaluate(event, { config, relationOf: () => ({ accountId: 'x', relation: 'external' }) })).not.toThrow();
    });
  });
});

describe('odd records never make evaluate throw', () => {
  const oddRecords: RawRecord[] = [
    { eventTime: 't', eventSource: 'ec2.amazonaws.com', eventName: 'ModifySnapshotAttribute', awsRegion: 'xx-nowhere-9' },
    { eventTime: 't', eventSource: 's3.amazonaws.com', eventName: 'CreateJob', awsRegion: 'r', requestParameters: { Operation: 'text' } },
    { eventTime: 't', eventSource: 's3.amazonaws.com', eventName: 'JobCreated', awsRegion: 'r', serviceEventDetails: null },
    {
      eventTime: 't', eventSource: 'ec2.amazonaws.com', eventName: 'ModifyImageAttribute', awsRegion: 'r',
      requestParameters: { launchPermission: { add: { items: 'not-a-list' } } },
    },
    {
      eventTime: 't', eventSource: 'rds.amazonaws.com', eventName: 'ModifyDBSnapshotAttribute', awsRegion: 'r',
      requestParameters: { attributeName: 'restore', valuesToAdd: [null, 5, { a: 1 }] },
    },
    {
      eventTime: 't', eventSource: 's3.amazonaws.com', eventName: 'PutBucketReplication', awsRegion: 'r',
      requestParameters: { ReplicationConfiguration: { Rule: [null, 'x', { Destination: null }] } },
    },
  ];
  const config = parseConfig({});
  it.each(ALL_DETECTIONS.map((d) => [d.id, d] as const))('%s', (_id, detection) => {
    for (const raw of oddRecords) {
      const event = toEvent(raw, 'odd record');
      expect(() => runDetection(detection, event, config)).not.toThrow();
      expect(() =>
        detection.evaluate(event, { config, relationOf: (accountId) => ({ accountId, relation: 'external' }) }),
      ).not.toThrow();
    }
  });
});

/** labels.json uses descriptive names; these are the detections that own them. */
const LABEL_TO_DETECTION: Record<string, string> = {
  'datasync-task': 'datasync-task-created',
  's3-batch-job': 's3-batch-job-created',
  'snapshot-shared': 'ebs-snapshot-shared',
  'shared-snapshot-copied': 'ebs-shared-snapshot-copied',
  'ami-shared': 'ami-shared',
  'rds-snapshot-shared': 'rds-snapshot-shared',
};

describe('labelled real fixtures', () => {
  const labels = fixtureLabels();
  const config = parseConfig({});

  it('cover every fixture file', () => {
    expect(labels.length).toBeGreaterThan(0);
  });

  it.each(labels.map((l) => [l.file, l] as const))('%s fires exactly the detections that own its label', (file, label) => {
    const event = toEvent(fixture(file), file);
    const fired = ALL_DETECTIONS.filter((d) => runDetection(d, event, config).length > 0).map((d) => d.id);
    if (label.should_alert) {
      const owner = LABEL_TO_DETECTION[label.detection];
      if (owner === undefined) throw new Error(`labels.json: no detection owns the label "${label.detection}" (${file})`);
      expect(fired).toEqual([owner]);
    } else {
      expect(fired).toEqual([]);
    }
  });
});
