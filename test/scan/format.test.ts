import { emptyStats } from '../../cli/scan/engine';
import { formatTable } from '../../cli/scan/format-table';
import { breachesThreshold, countBySeverity, parseFailOn } from '../../cli/scan/severity';
import { formatSummary } from '../../cli/scan/summary';
import type { SeverityLabel } from '../../rules/config';
import type { Signal } from '../../rules/signal';

function signal(key: string, severity: SeverityLabel, eventTime: string, extra: Partial<Signal> = {}): Signal {
  return {
    detection: { id: 'ebs-snapshot-shared', title: 'EBS snapshot shared', attack: [], findingTypes: [], remediation: { text: 'x' } },
    key,
    title: 'EBS snapshot shared',
    summary: `shared ${key}`,
    message: `message of ${key}`,
    account: '111122223333',
    region: 'eu-west-1',
    eventTime,
    firstEventTime: eventTime,
    eventIds: [key],
    api: { service: 'ec2.amazonaws.com', name: 'ModifySnapshotAttribute' },
    actor: { principal: 'arn:aws:iam::111122223333:user/dana', sourceIp: '203.0.113.1' },
    resources: [{ type: 'AwsEc2Snapshot', id: `arn:aws:ec2:eu-west-1::snapshot/${key}` }],
    targets: [],
    facts: {},
    risk: { impact: 60, confidence: 80, base: 48, score: 48, severity, adjustments: [] },
    ...extra,
  };
}

describe('formatTable', () => {
  it('sorts by severity, then time, and prints each message under its row', () => {
    const text = formatTable([
      signal('snap-low', 'LOW', '2025-01-01T00:00:00Z'),
      signal('snap-late', 'HIGH', '2025-01-02T00:00:00Z'),
      signal('snap-early', 'HIGH', '2025-01-01T00:00:00Z'),
      signal('snap-crit', 'CRITICAL', '2025-01-03T00:00:00Z'),
    ]);
    const order = ['snap-crit', 'snap-early', 'snap-late', 'snap-low'].map((k) => text.indexOf(`snapshot/${k}`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).toMatch(/^Findings \(4\)\n\nSEVERITY +DETECTION +ACCOUNT +REGION +PRINCIPAL +SOURCE IP +RESOURCE +TIME\n/);
    expect(text).toMatch(/CRITICAL +ebs-snapshot-shared +111122223333 +eu-west-1 +arn:aws:iam::111122223333:user\/dana +203\.0\.113\.1 +\S+snap-crit +2025-01-03T00:00:00Z\n {4}message of snap-crit\n/);
  });

  it('lists suppressed findings apart, with their reason, and says when there is nothing else', () => {
    const text = formatTable([signal('snap-ok', 'INFORMATIONAL', '2025-01-01T00:00:00Z', { suppressed: { reason: 'backup role' } })]);
    expect(text).toMatch(/^No findings\.\n\nSuppressed by the allowlist \(1\)\n/);
    expect(text).toContain('suppressed: backup role | message of snap-ok');
  });

  it('counts extra resources instead of hiding them', () => {
    const two = signal('snap-a', 'LOW', '2025-01-01T00:00:00Z', {
      resources: [
        { type: 'Other', id: 'job-1' },
        { type: 'AwsS3Bucket', id: 'arn:aws:s3:::b' },
      ],
    });
    expect(formatTable([two])).toContain('job-1 (+1)');
  });
});

describe('severity thresholds', () => {
  it('parses --fail-on case-insensitively and rejects other words', () => {
    expect(parseFailOn('high')).toBe('HIGH');
    expect(parseFailOn('INFORMATIONAL')).toBeUndefined();
    expect(parseFailOn('severe')).toBeUndefined();
  });

  it('breaches at or above the threshold, never on suppressed findings', () => {
    const medium = signal('a', 'MEDIUM', '2025-01-01T00:00:00Z');
    expect(breachesThreshold([medium], 'MEDIUM')).toBe(true);
    expect(breachesThreshold([medium], 'HIGH')).toBe(false);
    expect(breachesThreshold([{ ...medium, suppressed: { reason: 'r' } }], 'LOW')).toBe(false);
    expect(countBySeverity([medium, medium, signal('b', 'CRITICAL', '2025-01-01T00:00:00Z')])).toEqual([
      ['CRITICAL', 1],
      ['MEDIUM', 2],
    ]);
  });
});

describe('formatSummary', () => {
  it('groups skipped files by reason and lists problems and invalid events with their location', () => {
    const stats = emptyStats();
    Object.assign(stats, { filesRead: 3, filesFailed: 1, eventsRead: 10, eventsSkipped: 7, eventsEvaluated: 2, eventsInvalid: 1, problemCount: 1 });
    stats.filesSkipped.set('CloudTrail digest file', 4).set('hidden file', 1);
    stats.problems.push({ kind: 'problem', file: '/a.json.gz', location: '/a.json.gz', reason: 'corrupt gzip: unexpected end of file', scope: 'file' });
    stats.invalidSamples.push({ location: '/b.json#Records[3]', reason: 'eventTime: expected string' });
    const text = formatSummary({ stats, findings: [signal('x', 'HIGH', '2025-01-01T00:00:00Z')], elapsedMs: 2000 });
    expect(text).toMatch(/files skipped +5\n +4 {2}CloudTrail digest file\n +1 {2}hidden file\n/);
    expect(text).toMatch(/findings +1: 1 HIGH/);
    expect(text).toMatch(/elapsed +2\.00 s \(5 events\/s\)/);
    expect(text).toContain('Problems (1):\n  /a.json.gz: corrupt gzip: unexpected end of file');
    expect(text).toContain('Invalid events (1):\n  /b.json#Records[3]: eventTime: expected string');
  });

  it('says how many problems it leaves out', () => {
    const stats = emptyStats();
    stats.problemCount = 30;
    stats.problems.push({ kind: 'problem', file: 'f', location: 'f:1', reason: 'invalid JSON', scope: 'line' });
    expect(formatSummary({ stats, findings: [], elapsedMs: 1 })).toContain('Problems (first 1 of 30):');
  });
});
