import { parseStackConfig, StackConfigError } from '../../infra/stack-config';

const ORG = {
  'exfiltrail:organizationId': 'o-abcdefghij',
  'exfiltrail:targets': '["r-ab12","ou-ab12-cd34ef56"]',
  'exfiltrail:regions': '["us-east-1","eu-west-1"]',
};

function issuesOf(raw: Record<string, string>): string[] {
  try {
    parseStackConfig(raw);
  } catch (error) {
    if (error instanceof StackConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseStackConfig', () => {
  it('reads an organization stack and fills the defaults', () => {
    const config = parseStackConfig({ ...ORG, 'aws:region': 'us-east-1', 'exfiltrail:alarmEmail': 'soc@example.com' });
    expect(config).toMatchObject({
      mode: 'organization',
      organizationId: 'o-abcdefghij',
      targets: ['r-ab12', 'ou-ab12-cd34ef56'],
      regions: ['us-east-1', 'eu-west-1'],
      publisherRoleName: 'exfiltrail-finding-publisher',
      stackSetCallAs: 'DELEGATED_ADMIN',
      automationRules: false,
      logRetentionDays: 90,
      alarmEmail: 'soc@example.com',
    });
    expect(config.detection).toEqual({ organizationAccountIds: [], trustedAccounts: [], allowlist: [], detections: {} });
  });

  it('reads the detection context with the shared schema (rules/config.ts)', () => {
    const config = parseStackConfig({
      ...ORG,
      'exfiltrail:detection': JSON.stringify({
        organizationAccountIds: ['222222222222'],
        allowlist: [{ principal: 'arn:aws:iam::222222222222:role/backup', reason: 'AWS Backup copies' }],
        detections: { 'ami-shared': { enabled: false }, 'ec2-vm-export': { severity: 'HIGH' } },
      }),
      'exfiltrail:automationRules': 'true',
      'exfiltrail:logRetentionDays': '30',
    });
    expect(config.detection.detections['ami-shared']).toEqual({ enabled: false });
    expect(config.detection.detections['ec2-vm-export']).toEqual({ enabled: true, severity: 'HIGH' });
    expect(config.automationRules).toBe(true);
    expect(config.logRetentionDays).toBe(30);
  });

  it('accepts single-account mode without organization or targets', () => {
    const config = parseStackConfig({ 'exfiltrail:mode': 'single-account', 'exfiltrail:regions': '["eu-west-1"]' });
    expect(config.mode).toBe('single-account');
    expect(config.organizationId).toBeUndefined();
  });

  it('names the missing keys of organization mode', () => {
    expect(issuesOf({ 'exfiltrail:regions': '["us-east-1"]' })).toEqual([
      'exfiltrail:organizationId: required in organization mode',
      'exfiltrail:targets: required in organization mode (root or OU ids)',
    ]);
  });

  it('names the key of a nested problem in the detection context', () => {
    const issues = issuesOf({
      ...ORG,
      'exfiltrail:detection': JSON.stringify({ allowlist: [{ principal: 'arn:aws:iam::1:role/x', reason: ' ' }] }),
    });
    expect(issues).toEqual([expect.stringMatching(/^exfiltrail:detection\.allowlist\.0\.reason: say why/)]);
  });

  it('refuses unknown keys (a typo must not silently fall back to a default)', () => {
    expect(issuesOf({ ...ORG, 'exfiltrail:regoins': '["us-east-1"]' })).toEqual(['exfiltrail:regoins: unknown key']);
    expect(issuesOf({ ...ORG, 'exfiltrail:detection': '{"allowList":[]}' })).toEqual(['exfiltrail:detection.allowList: unknown key']);
  });

  it('explains malformed values', () => {
    expect(issuesOf({ ...ORG, 'exfiltrail:organizationId': 'my-org' })).toEqual([
      expect.stringMatching(/^exfiltrail:organizationId: an organization id looks like o-/),
    ]);
    expect(issuesOf({ ...ORG, 'exfiltrail:targets': '["ou-nope"]' })[0]).toMatch(/^exfiltrail:targets\.0: a root id/);
    expect(issuesOf({ ...ORG, 'exfiltrail:regions': '["us-east-1","us-east-1"]' })).toEqual([
      'exfiltrail:regions.1: us-east-1 is listed twice',
    ]);
    expect(issuesOf({ ...ORG, 'exfiltrail:detection': '{"allowlist": [' })[0]).toMatch(/^exfiltrail:detection: not valid JSON/);
    expect(issuesOf({ ...ORG, 'exfiltrail:logRetentionDays': '42' })[0]).toMatch(/^exfiltrail:logRetentionDays: one of/);
  });

  it('refuses contradictory settings', () => {
    expect(
      issuesOf({ ...ORG, 'exfiltrail:alarmEmail': 'a@b.co', 'exfiltrail:alarmTopicArn': 'arn:aws:sns:us-east-1:111111111111:t' }),
    ).toEqual([expect.stringMatching(/^exfiltrail:alarmEmail: give alarmEmail or alarmTopicArn, not both/)]);
    expect(issuesOf({ 'exfiltrail:mode': 'single-account', 'exfiltrail:regions': '["eu-west-1"]', 'exfiltrail:organizationId': 'o-abcdefghij' })).toEqual([
      expect.stringMatching(/^exfiltrail:organizationId: only used in organization mode/),
    ]);
  });

  it('says which configuration is wrong in the error message', () => {
    expect(() => parseStackConfig({})).toThrow(/invalid stack configuration \(pulumi config, namespace "exfiltrail"\):\n  exfiltrail:regions: /);
  });
});

describe('Pulumi.example.yaml', () => {
  it('documents a configuration the program accepts', () => {
    // js-yaml comes with @pulumi/pulumi (it reads stack files with it).
    const yaml = require('js-yaml') as { load(text: string): unknown };
    const { readFileSync } = require('node:fs') as typeof import('node:fs');
    const file = yaml.load(readFileSync(require('node:path').join(__dirname, '..', '..', 'Pulumi.example.yaml'), 'utf8')) as {
      config: Record<string, unknown>;
    };
    // What Pulumi hands the program: structured values as JSON text, scalars as strings.
    const raw = Object.fromEntries(
      Object.entries(file.config).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]),
    );
    const config = parseStackConfig(raw);
    expect(config.regions).toContain(raw['aws:region']);
    expect(config.detection.allowlist).toHaveLength(1);
  });
});
