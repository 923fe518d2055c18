import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import fc from 'fast-check';
import { buildFinding, byteSize, LIMITS, validateFinding } from '../../handlers/findings';
import { ELLIPSIS } from '../../handlers/findings/text';
import type { ResourceRef } from '../../rules/detection';
import { snapshotShareRecord, snapshotShareSignal, withActor } from './signal-builder';

/** Build and insist that Security Hub's rules hold, showing the issues when they do not. */
function validFinding(...args: Parameters<typeof buildFinding>): AwsSecurityFinding {
  const finding = buildFinding(...args);
  expect(validateFinding(finding)).toEqual({ ok: true });
  return finding;
}

describe('buildFinding from the EBS snapshot share (fixture 022)', () => {
  const record = snapshotShareRecord();
  const signal = snapshotShareSignal();
  const finding: AwsSecurityFinding = validFinding(signal);

  it('names the affected account, its default product and the detection', () => {
    expect(finding.SchemaVersion).toBe('2018-10-08');
    expect(finding.AwsAccountId).toBe('756680937392');
    expect(finding.ProductArn).toBe(
      'arn:aws:securityhub:me-central-3r:756680937392:product/756680937392/default',
    );
    expect(finding.GeneratorId).toBe('exfiltrail/snapshot-shared');
    expect(finding.Id).toBe(`exfiltrail/snapshot-shared/756680937392/me-central-3r/${record.eventID}`);
    expect(finding.RecordState).toBe('ACTIVE');
  });

  it('takes every timestamp from the event time', () => {
    const time = '2024-08-01T12:28:02.000Z';
    expect([finding.CreatedAt, finding.UpdatedAt, finding.FirstObservedAt, finding.LastObservedAt]).toEqual([
      time,
      time,
      time,
      time,
    ]);
    expect(finding.Action?.AwsApiCallAction?.FirstSeen).toBe(time);
    expect(finding.Action?.AwsApiCallAction?.LastSeen).toBe(time);
  });

  it('sets severity, types, confidence and criticality through FindingProviderFields too', () => {
    expect(finding.Severity).toEqual({ Label: 'HIGH', Original: '72' });
    expect(finding.Types).toEqual(['Effects/Data Exfiltration', 'TTPs/Collection']);
    expect(finding.FindingProviderFields).toEqual({
      Severity: { Label: 'HIGH', Original: '72' },
      Types: ['Effects/Data Exfiltration', 'TTPs/Collection'],
      Confidence: 80,
      Criticality: 90,
    });
  });

  it('describes the snapshot as the resource, with its details', () => {
    expect(finding.Resources).toEqual([
      {
        Type: 'AwsEc2Snapshot',
        Id: 'arn:aws:ec2:me-central-3r::snapshot/snap-041993b54a9b3af6f',
        Partition: 'aws',
        Region: 'me-central-3r',
        ResourceRole: 'Target',
        Details: { Other: { snapshotId: 'snap-041993b54a9b3af6f', attributeType: 'CREATE_VOLUME_PERMISSION' } },
      },
    ]);
  });

  it('records the API call and its remote IP address', () => {
    expect(finding.Action).toMatchObject({
      ActionType: 'AWS_API_CALL',
      AwsApiCallAction: {
        Api: 'ModifySnapshotAttribute',
        ServiceName: 'ec2.amazonaws.com',
        CallerType: 'remoteip',
        RemoteIpDetails: { IpAddressV4: '253.76.43.253' },
      },
    });
  });

  it('puts rule, events, risk, principal, ATT&CK and facts into ProductFields', () => {
    expect(finding.ProductFields).toMatchObject({
      'exfiltrail/RuleId': 'snapshot-shared',
      'exfiltrail/EventIds': record.eventID,
      'exfiltrail/RiskScore': '72',
      'exfiltrail/Principal': 'arn:aws:iam::756680937392:user/christophe',
      'exfiltrail/SourceIp': '253.76.43.253',
      'exfiltrail/Targets': '098797384747 (external)',
      'exfiltrail/AttackTactics': 'TA0010 Exfiltration',
      'exfiltrail/AttackTechniques': 'T1537 Transfer Data to Cloud Account',
      'exfiltrail/snapshotId': 'snap-041993b54a9b3af6f',
      'exfiltrail/sharedWith': '098797384747',
    });
    expect(finding.ProductFields).not.toHaveProperty(['exfiltrail/Suppressed']);
  });

  it('links to the CloudTrail event and carries the remediation', () => {
    expect(finding.SourceUrl).toBe(
      `https://me-central-3r.console.aws.amazon.com/cloudtrailv2/home?region=me-central-3r#/events/${record.eventID}`,
    );
    expect(finding.Remediation?.Recommendation).toEqual({
      Text: signal.detection.remediation.text,
      Url: signal.detection.remediation.url,
    });
  });

  it('leaves the fields that belong to Security Hub users alone', () => {
    expect(finding).not.toHaveProperty('Workflow');
    expect(finding).not.toHaveProperty('Note');
    expect(finding).not.toHaveProperty('UserDefinedFields');
  });

  it('is plain JSON (survives a round trip unchanged)', () => {
    expect(JSON.parse(JSON.stringify(finding))).toEqual(finding);
  });
});

describe('finding identity', () => {
  it('gives the same signal the same finding, so a redelivery does not move UpdatedAt', () => {
    expect(buildFinding(snapshotShareSignal())).toEqual(buildFinding(snapshotShareSignal()));
  });

  it('moves UpdatedAt forward when a later event updates the same key', () => {
    const first = buildFinding(snapshotShareSignal());
    const later = buildFinding(snapshotShareSignal({ eventTime: '2024-08-01T13:00:00Z' }));
    expect(later.Id).toBe(first.Id);
    expect(Date.parse(later.UpdatedAt ?? '')).toBeGreaterThan(Date.parse(first.UpdatedAt ?? ''));
  });

  it('gives different keys different Ids, always within 512 characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 1200 }), fc.string({ maxLength: 1200 }), (a, b) => {
        fc.pre(a !== b);
        const idA = buildFinding(snapshotShareSignal({ key: a })).Id ?? '';
        const idB = buildFinding(snapshotShareSignal({ key: b })).Id ?? '';
        expect(idA).not.toBe(idB);
        expect(idA.length).toBeLessThanOrEqual(LIMITS.id);
        expect(idB.length).toBeLessThanOrEqual(LIMITS.id);
      }),
    );
  });

  it('hashes an over-long key but keeps the readable prefix', () => {
    const shared = 'k'.repeat(600);
    const a = buildFinding(snapshotShareSignal({ key: `${shared}-a` })).Id ?? '';
    const b = buildFinding(snapshotShareSignal({ key: `${shared}-b` })).Id ?? '';
    expect(a).toMatch(/^exfiltrail\/snapshot-shared\/756680937392\/me-central-3r\/sha256-[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
  });

  it('keeps Ids apart across detections, accounts and regions for the same key', () => {
    const base = snapshotShareSignal();
    const ids = new Set([
      buildFinding(base).Id,
      buildFinding({ ...base, detection: { ...base.detection, id: 'ami-shared' } }).Id,
      buildFinding({ ...base, account: '111122223333' }).Id,
      buildFinding({ ...base, region: 'eu-west-1' }).Id,
    ]);
    expect(ids.size).toBe(4);
  });
});

describe('text limits', () => {
  it('truncates an over-long description with an ellipsis and stays valid', () => {
    const message = `${'exfiltration '.repeat(200)}END`;
    const finding = validFinding(snapshotShareSignal({ message }));
    expect(finding.Description?.length).toBeLessThanOrEqual(LIMITS.description);
    expect(finding.Description?.endsWith(ELLIPSIS)).toBe(true);
    expect(message.startsWith((finding.Description ?? '').slice(0, -1))).toBe(true);
  });

  it('keeps any message and title within the limits', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 3000, size: 'max' }), fc.string({ maxLength: 600, size: 'max' }), (message, title) => {
        fc.pre(/\S/.test(message));
        const finding = buildFinding(snapshotShareSignal({ message, title }));
        expect(validateFinding(finding)).toEqual({ ok: true });
      }),
      { numRuns: 40, endOnFailure: true },
    );
  });

  it('truncates an over-long title', () => {
    const finding = validFinding(snapshotShareSignal({ title: 'T'.repeat(300) }));
    expect(finding.Title).toHaveLength(LIMITS.title);
    expect(finding.Title?.endsWith(ELLIPSIS)).toBe(true);
  });
});

describe('caller', () => {
  it.each(['12.345.123.45', 'AWS Internal', '', 'not an ip'])(
    'leaves out RemoteIpDetails for %j and keeps the raw value in ProductFields',
    (sourceIp) => {
      const finding = validFinding(withActor(snapshotShareSignal(), { sourceIp }));
      const call = finding.Action?.AwsApiCallAction;
      expect(call?.RemoteIpDetails).toBeUndefined();
      expect(call?.CallerType).toBeUndefined();
      expect(call?.Api).toBe('ModifySnapshotAttribute');
      if (/\S/.test(sourceIp)) expect(finding.ProductFields?.['exfiltrail/SourceIp']).toBe(sourceIp);
    },
  );

  it('reports a service principal as a domain caller', () => {
    const signal = withActor(snapshotShareSignal(), { sourceIp: 's3.amazonaws.com', invokedBy: 's3.amazonaws.com' });
    const call = validFinding(signal).Action?.AwsApiCallAction;
    expect(call?.CallerType).toBe('domain');
    expect(call?.DomainDetails).toEqual({ Domain: 's3.amazonaws.com' });
    expect(call?.RemoteIpDetails).toBeUndefined();
  });

  it('falls back to invokedBy when the source is "AWS Internal"', () => {
    const signal = withActor(snapshotShareSignal(), { sourceIp: 'AWS Internal', invokedBy: 'signin.amazonaws.com' });
    expect(validFinding(signal).Action?.AwsApiCallAction?.DomainDetails).toEqual({ Domain: 'signin.amazonaws.com' });
  });

  it('marks an IPv6 caller as remoteip without an IPv4 field', () => {
    const call = validFinding(withActor(snapshotShareSignal(), { sourceIp: '2001:db8::1' })).Action?.AwsApiCallAction;
    expect(call?.CallerType).toBe('remoteip');
    expect(call?.RemoteIpDetails).toBeUndefined();
  });
});

describe('suppressed signals', () => {
  const reason = 'principal allowlisted (arn:aws:iam::756680937392:user/christophe): DR copies';
  const finding = validFinding(snapshotShareSignal({ suppressed: { reason } }));

  it('stay visible at INFORMATIONAL severity with the reason', () => {
    expect(finding.RecordState).toBe('ACTIVE');
    expect(finding.Severity?.Label).toBe('INFORMATIONAL');
    expect(finding.FindingProviderFields?.Severity?.Label).toBe('INFORMATIONAL');
    expect(finding.ProductFields).toMatchObject({
      'exfiltrail/Suppressed': 'true',
      'exfiltrail/SuppressionReason': reason,
      'exfiltrail/ComputedSeverity': 'HIGH',
    });
  });

  it('say why in the description even when it is truncated', () => {
    const long = validFinding(snapshotShareSignal({ suppressed: { reason }, message: 'x '.repeat(900) }));
    expect(long.Description).toContain(reason);
  });
});

describe('partitions and regions', () => {
  it.each([
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['eu-west-1', 'aws'],
  ])('derives the partition of %s', (region, partition) => {
    const finding = validFinding(snapshotShareSignal({ region }));
    expect(finding.ProductArn).toBe(`arn:${partition}:securityhub:${region}:756680937392:product/756680937392/default`);
    expect(finding.Resources?.[0]?.Partition).toBe(partition);
  });

  it('imports into another region when asked, keeping the event region elsewhere', () => {
    const finding = validFinding(snapshotShareSignal(), { importRegion: 'us-east-1' });
    expect(finding.ProductArn).toBe('arn:aws:securityhub:us-east-1:756680937392:product/756680937392/default');
    expect(finding.Resources?.[0]?.Region).toBe('me-central-3r');
    expect(finding.SourceUrl).toContain('region=me-central-3r');
  });

  it('lets the caller force the partition', () => {
    const finding = validFinding(snapshotShareSignal({ region: 'cn-northwest-1' }), { partition: 'aws' });
    expect(finding.ProductArn?.startsWith('arn:aws:securityhub:cn-northwest-1:')).toBe(true);
  });

  it('uses the China console for the CloudTrail link in aws-cn', () => {
    const finding = validFinding(snapshotShareSignal({ region: 'cn-north-1' }));
    expect(finding.SourceUrl?.startsWith('https://console.amazonaws.cn/cloudtrailv2/home?region=cn-north-1#/events/')).toBe(
      true,
    );
  });

  it('has no SourceUrl when the record had no eventID', () => {
    const finding = validFinding(snapshotShareSignal({ eventIds: ['sha256-0123456789abcdef0123456789abcdef'] }));
    expect(finding.SourceUrl).toBeUndefined();
  });
});

describe('resources and ProductFields limits', () => {
  const snapshot = (n: number, details?: Record<string, string>): ResourceRef => ({
    type: 'AwsEc2Snapshot',
    id: `arn:aws:ec2:me-central-3r::snapshot/snap-${n}`,
    ...(details ? { details } : {}),
  });

  it('falls back to the account when the signal names no resource', () => {
    const finding = validFinding(snapshotShareSignal({ resources: [] }));
    expect(finding.Resources).toEqual([
      { Type: 'AwsAccount', Id: 'AWS::::Account:756680937392', Partition: 'aws', Region: 'me-central-3r' },
    ]);
  });

  it('keeps at most 32 resources and counts the rest', () => {
    const resources = Array.from({ length: 40 }, (_, n) => snapshot(n));
    const finding = validFinding(snapshotShareSignal({ resources }));
    expect(finding.Resources).toHaveLength(32);
    expect(finding.ProductFields?.['exfiltrail/ResourcesOmitted']).toBe('8');
  });

  it('keeps Details.Other within 50 entries and 1023-character values', () => {
    const details = Object.fromEntries(Array.from({ length: 70 }, (_, n) => [`key${n}`, 'v'.repeat(2000)]));
    const other = validFinding(snapshotShareSignal({ resources: [snapshot(1, details)] })).Resources?.[0]?.Details
      ?.Other;
    expect(Object.keys(other ?? {})).toHaveLength(50);
    expect(Object.values(other ?? {}).every((v) => v.length <= 1023)).toBe(true);
  });

  it('keeps at most 50 ProductFields and counts the facts left out', () => {
    const facts = Object.fromEntries(Array.from({ length: 60 }, (_, n) => [`fact${n}`, `value ${n}`]));
    const fields = validFinding(snapshotShareSignal({ facts })).ProductFields ?? {};
    expect(Object.keys(fields)).toHaveLength(50);
    const kept = Object.keys(fields).filter((k) => /^exfiltrail\/fact\d+$/.test(k)).length;
    expect(Number(fields['exfiltrail/FactsOmitted'])).toBe(60 - kept);
    expect(fields['exfiltrail/RuleId']).toBe('snapshot-shared');
  });

  it('never lets a fact overwrite one of our own fields', () => {
    const fields = validFinding(snapshotShareSignal({ facts: { RuleId: 'spoofed' } })).ProductFields ?? {};
    expect(fields['exfiltrail/RuleId']).toBe('snapshot-shared');
  });

  it('drops resource details to stay under 240 KB', () => {
    const details = Object.fromEntries(Array.from({ length: 50 }, (_, n) => [`key${n}`, 'd'.repeat(1023)]));
    const resources = Array.from({ length: 32 }, (_, n) => snapshot(n, details));
    const finding = validFinding(snapshotShareSignal({ resources }));
    expect(byteSize(finding)).toBeLessThanOrEqual(LIMITS.findingBytes);
    expect(finding.Resources).toHaveLength(32);
    expect(finding.Resources?.[0]?.Details?.Other).toBeDefined();
    expect(finding.Resources?.[31]?.Details).toBeUndefined();
    expect(finding.ProductFields?.['exfiltrail/SizeTrimmed']).toBeDefined();
  });
});

describe('bad input', () => {
  it('refuses an event time without a zone, naming the field', () => {
    expect(() => buildFinding(snapshotShareSignal({ eventTime: '2024-08-01 12:28:02' }))).toThrow(
      /signal\.eventTime "2024-08-01 12:28:02".*snapshot-shared/,
    );
  });

  it('passes a detection type outside the taxonomy through so the schema catches it', () => {
    const base = snapshotShareSignal();
    const finding = buildFinding({ ...base, detection: { ...base.detection, findingTypes: ['TTPs/Exfiltration'] } });
    const result = validateFinding(finding);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Types\[0\]: "TTPs\/Exfiltration": category "Exfiltration"/)]),
    );
  });

  it('falls back to Effects/Data Exfiltration when a detection declares no type', () => {
    const base = snapshotShareSignal();
    const finding = validFinding({ ...base, detection: { ...base.detection, findingTypes: [] } });
    expect(finding.Types).toEqual(['Effects/Data Exfiltration']);
  });
});

describe('a finding updated by later events', () => {
  it('keeps CreatedAt and FirstObservedAt at the first event and moves UpdatedAt to the latest', () => {
    const first = '2024-08-01T12:28:02Z';
    const latest = '2024-08-01T12:40:00Z';
    const finding = buildFinding(snapshotShareSignal({ firstEventTime: first, eventTime: latest }));
    expect(finding.CreatedAt).toBe('2024-08-01T12:28:02.000Z');
    expect(finding.FirstObservedAt).toBe('2024-08-01T12:28:02.000Z');
    expect(finding.UpdatedAt).toBe('2024-08-01T12:40:00.000Z');
    expect(finding.LastObservedAt).toBe('2024-08-01T12:40:00.000Z');
    expect(finding.Action?.AwsApiCallAction?.FirstSeen).toBe('2024-08-01T12:28:02.000Z');
  });
});
