import { ConfigError, DEFAULT_CONFIG, parseConfig } from '../../rules/config';

describe('parseConfig', () => {
  it('fills defaults for an empty config', () => {
    expect(parseConfig({})).toEqual({ organizationAccountIds: [], trustedAccounts: [], allowlist: [], detections: {} });
    expect(parseConfig(undefined)).toEqual(DEFAULT_CONFIG);
  });

  it('accepts a full config and defaults a detection to enabled', () => {
    const config = parseConfig({
      organizationAccountIds: ['111111111111', '222222222222'],
      trustedAccounts: [{ accountId: '333333333333', reason: 'AWS Backup vault account' }],
      allowlist: [{ principal: 'arn:aws:iam::111111111111:role/migration-*', reason: 'migration project', detections: ['datasync-task-created'] }],
      detections: { 'ebs-snapshot-shared': { severity: 'HIGH' } },
    });
    expect(config.detections['ebs-snapshot-shared']).toEqual({ enabled: true, severity: 'HIGH' });
    expect(config.trustedAccounts[0]?.reason).toBe('AWS Backup vault account');
  });

  it('keeps masked account ids from test data', () => {
    expect(parseConfig({ organizationAccountIds: ['12345'] }).organizationAccountIds).toEqual(['12345']);
  });

  it('reports every problem with its path', () => {
    let error: unknown;
    try {
      parseConfig(
        {
          organizationAccountIds: ['not-an-account'],
          trustedAccounts: [{ accountId: '333333333333', reason: '' }],
          detections: { x: { severity: 'URGENT' } },
          typo: true,
        },
        'exfiltrail.json',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.join('\n');
    expect((error as ConfigError).message).toContain('invalid exfiltrail.json');
    expect(issues).toMatch(/organizationAccountIds\.0: an AWS account id/);
    expect(issues).toMatch(/trustedAccounts\.0\.reason: say why/);
    expect(issues).toMatch(/detections\.x\.severity/);
    expect(issues).toMatch(/typo/);
  });
});
