import { parseConfig } from '../../rules/config';
import { assessRisk, principalMatches, severityOf } from '../../rules/risk';

const actor = { principal: 'arn:aws:iam::111111111111:role/ops', arn: 'arn:aws:sts::111111111111:assumed-role/ops/alice' };
const base = { detectionId: 'ebs-snapshot-shared', impact: 60, confidence: 80, targets: [], actor, config: parseConfig({}) };

describe('severityOf', () => {
  it.each([
    [0, 'INFORMATIONAL'],
    [1, 'LOW'],
    [39, 'LOW'],
    [40, 'MEDIUM'],
    [69, 'MEDIUM'],
    [70, 'HIGH'],
    [89, 'HIGH'],
    [90, 'CRITICAL'],
    [100, 'CRITICAL'],
  ])('score %d is %s (Security Hub label bands)', (score, label) => {
    expect(severityOf(score)).toBe(label);
  });
});

describe('assessRisk', () => {
  it('is impact x confidence / 100', () => {
    const { risk } = assessRisk(base);
    expect(risk).toMatchObject({ base: 48, score: 48, severity: 'MEDIUM', adjustments: [] });
  });

  it('halves a failed call and says why', () => {
    const { risk } = assessRisk({ ...base, errorCode: 'AccessDenied' });
    expect(risk.score).toBe(24);
    expect(risk.severity).toBe('LOW');
    expect(risk.adjustments).toEqual([expect.objectContaining({ kind: 'failed-call', factor: 0.5 })]);
    expect(risk.adjustments[0]?.reason).toContain('AccessDenied');
  });

  it('halves a share that only reaches trusted or organization accounts, keeping the reason', () => {
    const { risk, suppressed } = assessRisk({
      ...base,
      targets: [
        { accountId: '333333333333', relation: 'trusted', reason: 'backup vault' },
        { accountId: '222222222222', relation: 'organization' },
      ],
    });
    expect(suppressed).toBeUndefined();
    expect(risk.score).toBe(24);
    expect(risk.adjustments[0]?.reason).toContain('333333333333 (trusted: backup vault)');
  });

  it('does not lower a share when any target is external', () => {
    const { risk } = assessRisk({
      ...base,
      targets: [
        { accountId: '333333333333', relation: 'trusted', reason: 'backup vault' },
        { accountId: '999999999999', relation: 'external' },
      ],
    });
    expect(risk.score).toBe(48);
  });

  it('applies a configured severity override and records it', () => {
    const config = parseConfig({ detections: { 'ebs-snapshot-shared': { severity: 'HIGH' } } });
    const { risk } = assessRisk({ ...base, config });
    expect(risk.severity).toBe('HIGH');
    expect(risk.score).toBe(48);
    expect(risk.adjustments.map((a) => a.kind)).toEqual(['severity-override']);
  });

  it('keeps an allowlisted principal visible at INFORMATIONAL with the reason', () => {
    const config = parseConfig({
      allowlist: [{ principal: 'arn:aws:iam::111111111111:role/op*', reason: 'ops runbook shares snapshots', detections: ['ebs-snapshot-shared'] }],
    });
    const { risk, suppressed } = assessRisk({ ...base, config });
    expect(risk.severity).toBe('INFORMATIONAL');
    expect(risk.score).toBe(48);
    expect(suppressed?.reason).toContain('ops runbook shares snapshots');
  });

  it('ignores an allowlist entry scoped to other detections', () => {
    const config = parseConfig({
      allowlist: [{ principal: actor.principal, reason: 'migration', detections: ['datasync-task-created'] }],
    });
    expect(assessRisk({ ...base, config }).suppressed).toBeUndefined();
  });
});

describe('principalMatches', () => {
  it('matches exactly, or by prefix with a trailing *', () => {
    expect(principalMatches('arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/a')).toBe(true);
    expect(principalMatches('arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/ab')).toBe(false);
    expect(principalMatches('arn:aws:iam::1:role/a*', 'arn:aws:iam::1:role/ab')).toBe(true);
    expect(principalMatches('arn:aws:iam::1:role/a*', 'arn:aws:iam::2:role/ab')).toBe(false);
  });
});
