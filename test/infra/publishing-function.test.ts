/**
 * Every function that publishes findings (one per detection, and the GetObject baseline) is built by
 * infra/publishing-function.ts: the same publishing environment, its own log group, and its own encrypted,
 * TLS-only on-failure queue that its role may write to.
 */
import { ExfiltrationDetection } from '../../infra/exfiltration-detection';
import { parseStackConfig } from '../../infra/stack-config';
import { statementsOf } from './iam-checks';
import { fakeBundleDir, parseJson, REGION, runWithMocks, type MockResource } from './mocks';

jest.setTimeout(120_000);

const T = {
  fn: 'aws:lambda/function:Function',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  queue: 'aws:sqs/queue:Queue',
  queuePolicy: 'aws:sqs/queuePolicy:QueuePolicy',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  invokeConfig: 'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig',
} as const;

const CONFIG = {
  'exfiltrail:organizationId': 'o-abcdefghij',
  'exfiltrail:targets': '["r-ab12"]',
  'exfiltrail:regions': '["us-east-1"]',
  'exfiltrail:accountsFromOrganizations': 'true',
  'exfiltrail:detection': JSON.stringify({ organizationAccountIds: ['111111111111', '222222222222'] }),
  'exfiltrail:baseline': JSON.stringify({ trailBucket: 'org-trail-logs', startDay: '2025/01/01' }),
};

function named(resources: readonly MockResource[], type: string, name: string): MockResource {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
}

describe('publishing functions', () => {
  let resources: MockResource[];
  let functions: MockResource[];
  beforeAll(async () => {
    const config = parseStackConfig(CONFIG);
    resources = (
      await runWithMocks(
        () =>
          new ExfiltrationDetection('exfiltrail', {
            config,
            centralRegion: REGION,
            bundleDir: fakeBundleDir(),
            baselineBundleDir: fakeBundleDir(),
          }),
      )
    ).resources;
    functions = resources.filter((r) => r.type === T.fn);
  });

  it('are the detection handlers and the baseline', () => {
    const names = functions.map((f) => f.name);
    expect(names).toContain('exfiltrail-baseline-fn');
    expect(names).toContain('exfiltrail-datasync-task-created-fn');
    expect(names.length).toBeGreaterThan(2);
  });

  it('each get the publishing environment, account discovery included', () => {
    for (const fn of functions) {
      expect(fn.inputs['environment'].variables).toMatchObject({
        PUBLISHER_ROLE_NAME: 'exfiltrail-finding-publisher',
        EXFILTRAIL_CONFIG_PARAMETER: expect.stringMatching(/^\/exfiltrail\//u),
        EXFILTRAIL_ORG_ACCOUNTS_FROM_ORGANIZATIONS: 'true',
      });
    }
  });

  it('each log to their own group and fail over to their own TLS-only, encrypted queue, which their role may write', () => {
    for (const fn of functions) {
      const base = fn.name.replace(/-fn$/u, '');
      const logGroup = named(resources, T.logGroup, `${base}-logs`);
      expect(fn.inputs['loggingConfig'].logGroup).toBe(logGroup.inputs['name']);

      const queue = named(resources, T.queue, `${base}-failures`);
      expect(queue.inputs['sqsManagedSseEnabled']).toBe(true);
      const queueArn = `arn:aws:sqs:${REGION}:111111111111:${base}-failures`;
      const invoke = resources.find((r) => r.type === T.invokeConfig && r.name === `${base}-async`);
      expect(invoke?.inputs['destinationConfig'].onFailure.destination).toBe(queueArn);
      const queuePolicy = statementsOf(parseJson(named(resources, T.queuePolicy, `${base}-failures-policy`).inputs['policy']));
      expect(queuePolicy).toEqual([
        expect.objectContaining({ Effect: 'Deny', Resource: queueArn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]);

      const role = statementsOf(parseJson(named(resources, T.rolePolicy, `${base}-role-policy`).inputs['policy']));
      const grants = (action: string) =>
        role.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat());
      expect(grants('sqs:SendMessage')).toEqual([queueArn]);
      expect(grants('logs:PutLogEvents').some((arn) => String(arn).includes(String(logGroup.inputs['name'])))).toBe(true);
    }
  });
});
