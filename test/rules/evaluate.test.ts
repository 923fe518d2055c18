import { toEventBridgeEvent, type CloudTrailRecord } from '../../rules/cloudtrail';
import { DEFAULT_CONFIG, parseConfig } from '../../rules/config';
import type { Detection } from '../../rules/detection';
import { createEvaluator, findingKey, mergeSignals, runDetection } from '../../rules/evaluate';
import { RegistryError } from '../../rules/registry';
import { fixture } from '../fixtures';

/** A minimal detection: flags ModifySnapshotAttribute adds, one target per added userId. */
const shareDetection: Detection = {
  id: 'test-snapshot-share',
  title: 'Test snapshot share',
  description: 'test',
  attack: [{ tactic: { id: 'TA0010', name: 'Exfiltration' }, technique: { id: 'T1537', name: 'Transfer Data to Cloud Account' } }],
  findingTypes: ['Effects/Data Exfiltration'],
  patterns: [{ source: ['aws.ec2'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: ['ModifySnapshotAttribute'] } }],
  impact: 60,
  confidence: 80,
  evaluate(event, context) {
    const items = (event.detail.requestParameters?.createVolumePermission as { add?: { items?: { userId?: string }[] } } | undefined)?.add?.items ?? [];
    const targets = items.flatMap((i) => (i.userId ? [context.relationOf(i.userId, event.account)] : []));
    if (targets.every((t) => t.relation === 'self')) return [];
    return [{ summary: 'shared a snapshot', resources: [{ type: 'AwsEc2Snapshot', id: 'snap-1' }], targets }];
  },
  falsePositives: [],
  investigation: [],
  remediation: { text: 'revoke' },
  references: [],
};

/** A detection that pins nothing about eventName: it is a candidate for every event. */
const everyEventDetection: Detection = {
  ...shareDetection,
  id: 'test-any-failed-call',
  patterns: [{ detail: { errorCode: [{ exists: true }] } }],
  evaluate: () => [{ summary: 'failed', resources: [] }],
};

const shared = fixture('022-ebs-snapshot-shared-stratus.json');

describe('createEvaluator', () => {
  const evaluator = createEvaluator({ detections: [shareDetection] });

  it('scores a matching record into a signal naming account, principal, IP and event', () => {
    const outcome = evaluator.evaluate(shared);
    expect(outcome.kind).toBe('evaluated');
    if (outcome.kind !== 'evaluated') return;
    expect(outcome.signals).toHaveLength(1);
    const signal = outcome.signals[0]!;
    expect(signal).toMatchObject({
      account: '756680937392',
      region: 'me-central-3r',
      key: '6897ff63-d738-445c-9e86-43e5b1f8e12f',
      eventIds: ['6897ff63-d738-445c-9e86-43e5b1f8e12f'],
      eventTime: '2024-08-01T12:28:02Z',
      api: { service: 'ec2.amazonaws.com', name: 'ModifySnapshotAttribute' },
      targets: [{ accountId: '098797384747', relation: 'external' }],
      risk: { score: 48, severity: 'MEDIUM' },
    });
    expect(signal.message).toBe(
      'In account 756680937392 (me-central-3r), arn:aws:iam::756680937392:user/christophe from 253.76.43.253 shared a snapshot.',
    );
  });

  it('accepts the same record inside an EventBridge envelope, keeping the envelope account', () => {
    const envelope = { ...toEventBridgeEvent(shared), id: 'eb-1', account: '756680937392' };
    const outcome = evaluator.evaluate(envelope);
    expect(outcome.kind === 'evaluated' && outcome.signals[0]?.account).toBe('756680937392');
  });

  it('skips, without validating, records no detection can match', () => {
    expect(evaluator.evaluate(fixture('021-s3-listbuckets-doc.json'))).toEqual({ kind: 'skipped' });
    expect(evaluator.evaluate({ eventName: 'DescribeInstances', junk: true })).toEqual({ kind: 'skipped' });
  });

  it('calls an object without a string eventName invalid rather than skipping it unseen', () => {
    expect(evaluator.evaluate({ foo: 1 })).toEqual({ kind: 'invalid', reason: 'eventName: missing or not a string' });
    const envelope = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
    expect(evaluator.evaluate(envelope)).toEqual({ kind: 'invalid', reason: 'detail.eventName: missing or not a string' });
  });

  it('evaluates candidates whose pattern then does not match to zero signals', () => {
    const rds = { ...shared, eventSource: 'rds.amazonaws.com' };
    expect(evaluator.evaluate(rds)).toEqual({ kind: 'evaluated', signals: [] });
  });

  it('reports invalid candidates with the offending field, and non-objects', () => {
    const broken = { ...shared, awsRegion: 42 };
    const outcome = evaluator.evaluate(broken);
    expect(outcome.kind).toBe('invalid');
    expect(outcome.kind === 'invalid' && outcome.reason).toMatch(/^awsRegion: /);
    expect(evaluator.evaluate('text')).toEqual({ kind: 'invalid', reason: 'not a JSON object' });
    expect(evaluator.evaluate([shared])).toEqual({ kind: 'invalid', reason: 'not a JSON object' });
    const badEnvelope = { 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ec2', detail: { ...shared, eventTime: null } };
    const envelopeOutcome = evaluator.evaluate(badEnvelope);
    expect(envelopeOutcome.kind === 'invalid' && envelopeOutcome.reason).toMatch(/^detail\.eventTime: /);
  });

  it('never throws on garbage input', () => {
    for (const input of [null, undefined, 0, true, {}, { eventName: 'ModifySnapshotAttribute' }, { detail: null, 'detail-type': 'x', source: 'y' }]) {
      expect(() => evaluator.evaluate(input)).not.toThrow();
    }
  });

  it('runs detections that pin no eventName on every event', () => {
    const both = createEvaluator({ detections: [shareDetection, everyEventDetection] });
    const failed = fixture('069-sts-assumerole-denied-stratus.json');
    const outcome = both.evaluate(failed);
    expect(outcome.kind === 'evaluated' && outcome.signals.map((s) => s.detection.id)).toEqual(['test-any-failed-call']);
  });

  it('leaves disabled detections out and rejects config naming unknown detections', () => {
    const disabled = createEvaluator({
      detections: [shareDetection],
      config: parseConfig({ detections: { 'test-snapshot-share': { enabled: false } } }),
    });
    expect(disabled.detections).toHaveLength(0);
    expect(disabled.evaluate(shared)).toEqual({ kind: 'skipped' });
    expect(() =>
      createEvaluator({ detections: [shareDetection], config: parseConfig({ detections: { 'no-such': { enabled: false } } }) }),
    ).toThrow(/detections\.no-such: no such detection/);
  });

  it('rejects a detection whose pattern is invalid, naming it', () => {
    const bad: Detection = { ...shareDetection, id: 'bad', patterns: [{ detail: { eventName: 'not-a-list' } }] };
    expect(() => createEvaluator({ detections: [bad] })).toThrow(RegistryError);
    expect(() => createEvaluator({ detections: [bad] })).toThrow(/detection bad, pattern 0/);
  });

  it('rejects two detections with one id', () => {
    expect(() => createEvaluator({ detections: [shareDetection, shareDetection] })).toThrow(/share the id/);
  });
});

describe('runDetection', () => {
  it('lowers a failed call and keeps it visible', () => {
    const failed: CloudTrailRecord = { ...shared, errorCode: 'Client.UnauthorizedOperation' };
    const [signal] = runDetection(shareDetection, toEventBridgeEvent(failed), DEFAULT_CONFIG);
    expect(signal?.risk).toMatchObject({ score: 24, severity: 'LOW' });
    expect(signal?.api.errorCode).toBe('Client.UnauthorizedOperation');
    expect(signal?.message).toContain('The call failed (Client.UnauthorizedOperation)');
  });

  it('uses the config: trusted targets lower, allowlisted principals are suppressed with a trace', () => {
    const config = parseConfig({
      trustedAccounts: [{ accountId: '098797384747', reason: 'DR account' }],
      allowlist: [{ principal: 'arn:aws:iam::756680937392:user/christophe', reason: 'red team exercise' }],
    });
    const [signal] = runDetection(shareDetection, toEventBridgeEvent(shared), config);
    expect(signal?.targets).toEqual([{ accountId: '098797384747', relation: 'trusted', reason: 'DR account' }]);
    expect(signal?.risk.score).toBe(24);
    expect(signal?.risk.severity).toBe('INFORMATIONAL');
    expect(signal?.suppressed?.reason).toContain('red team exercise');
  });

  it('returns nothing when the pattern does not match', () => {
    expect(runDetection(shareDetection, toEventBridgeEvent(fixture('033-ami-shared-stratus.json')), DEFAULT_CONFIG)).toEqual([]);
  });

  it('processes records with masked account ids', () => {
    const masked: CloudTrailRecord = {
      ...shared,
      recipientAccountId: '12345',
      requestParameters: { createVolumePermission: { add: { items: [{ userId: '67890' }] } } },
    };
    const [signal] = runDetection(shareDetection, toEventBridgeEvent(masked), DEFAULT_CONFIG);
    expect(signal?.account).toBe('12345');
    expect(signal?.targets[0]).toEqual({ accountId: '67890', relation: 'external' });
  });
});

describe('mergeSignals', () => {
  const [first] = runDetection(shareDetection, toEventBridgeEvent(shared), DEFAULT_CONFIG);
  const serviceRecord: CloudTrailRecord = {
    ...shared,
    eventID: 'later-event',
    eventTime: '2024-08-01T12:29:00Z',
    userIdentity: { accountId: '756680937392', invokedBy: 'ec2.amazonaws.com' },
    requestParameters: { createVolumePermission: { add: { items: [{ userId: '111122223333' }] } } },
  };
  const [second] = runDetection(shareDetection, toEventBridgeEvent(serviceRecord), DEFAULT_CONFIG);

  it('lets the signal naming a real caller lead and unites the rest', () => {
    const merged = mergeSignals(second!, first!);
    expect(merged.actor.arn).toBe('arn:aws:iam::756680937392:user/christophe');
    expect(merged.eventIds).toEqual(['6897ff63-d738-445c-9e86-43e5b1f8e12f', 'later-event']);
    expect(merged.eventTime).toBe('2024-08-01T12:29:00Z');
    expect(merged.targets.map((t) => t.accountId)).toEqual(['098797384747', '111122223333']);
  });

  it('is unsuppressed unless every merged signal is suppressed', () => {
    const suppressed = { ...first!, suppressed: { reason: 'x' }, risk: { ...first!.risk, severity: 'INFORMATIONAL' as const } };
    const merged = mergeSignals(suppressed, second!);
    expect(merged.suppressed).toBeUndefined();
    expect(merged.risk.severity).toBe('MEDIUM');
    expect(mergeSignals(suppressed, { ...second!, suppressed: { reason: 'y' } }).suppressed).toEqual({ reason: 'x' });
  });

  it('keys findings by detection, account, region and key', () => {
    expect(findingKey(first!)).toBe('test-snapshot-share|756680937392|me-central-3r|6897ff63-d738-445c-9e86-43e5b1f8e12f');
  });
});

describe('mergeSignals times', () => {
  it('spans the earliest and the latest event', () => {
    const early = runDetection(shareDetection, toEventBridgeEvent({ ...shared, eventID: 'a', eventTime: '2024-08-01T12:00:00Z' }), DEFAULT_CONFIG)[0]!;
    const late = runDetection(shareDetection, toEventBridgeEvent({ ...shared, eventID: 'b', eventTime: '2024-08-01T13:00:00Z' }), DEFAULT_CONFIG)[0]!;
    for (const merged of [mergeSignals(early, late), mergeSignals(late, early)]) {
      expect(merged.firstEventTime).toBe('2024-08-01T12:00:00Z');
      expect(merged.eventTime).toBe('2024-08-01T13:00:00Z');
    }
  });
});
