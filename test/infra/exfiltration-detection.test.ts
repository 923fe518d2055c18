import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALL_DETECTIONS } from '../../rules/detections';
import { parsePattern, PATTERN_SIZE_LIMIT } from '../../rules/pattern';
import { compileDetection } from '../../rules/registry';
import { BundleMissingError } from '../../infra/bundle';
import { ExfiltrationDetection } from '../../infra/exfiltration-detection';
import { parseStackConfig, StackConfigError, type StackConfig } from '../../infra/stack-config';
import { actionsOf, starResources, statementsOf, wildcardActions } from './iam-checks';
import { ACCOUNT_ID, fakeBundleDir, ofType, parseJson, REGION, runWithMocks, type MockResource } from './mocks';

// Declaring ~150 mocked resources takes a few seconds on a shared machine; this is a ceiling, not an assertion.
jest.setTimeout(120_000);

const T = {
  rule: 'aws:cloudwatch/eventRule:EventRule',
  target: 'aws:cloudwatch/eventTarget:EventTarget',
  fn: 'aws:lambda/function:Function',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  queue: 'aws:sqs/queue:Queue',
  topic: 'aws:sns/topic:Topic',
  busPolicy: 'aws:cloudwatch/eventBusPolicy:EventBusPolicy',
  stackSet: 'aws:cloudformation/stackSet:StackSet',
  stackSetInstance: 'aws:cloudformation/stackSetInstance:StackSetInstance',
  stack: 'aws:cloudformation/stack:Stack',
  permission: 'aws:lambda/permission:Permission',
  invokeConfig: 'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  alarm: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  insight: 'aws:securityhub/insight:Insight',
  automationRule: 'aws:securityhub/automationRule:AutomationRule',
  parameter: 'aws:ssm/parameter:Parameter',
  kmsKey: 'aws:kms/key:Key',
} as const;

const ORG_RAW = {
  'exfiltrail:organizationId': 'o-abcdefghij',
  'exfiltrail:targets': '["r-ab12"]',
  'exfiltrail:regions': '["us-east-1","eu-west-1","ap-southeast-2"]',
  'exfiltrail:alarmEmail': 'soc@example.com',
  'exfiltrail:automationRules': 'true',
  'exfiltrail:detection': JSON.stringify({
    allowlist: [{ principal: 'arn:aws:iam::222222222222:role/backup', detections: ['ebs-snapshot-shared'], reason: 'AWS Backup copies' }],
  }),
};

async function deploy(config: StackConfig, bundleDir = fakeBundleDir()) {
  return runWithMocks(() => new ExfiltrationDetection('exfiltrail', { config, centralRegion: REGION, bundleDir }));
}

function byName(resources: readonly MockResource[], type: string, name: string): MockResource {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
}

/** Every managed policy document in the stack: role policies, trust policies, bus, queue, topic and key policies. */
function policyDocuments(resources: readonly MockResource[]): { where: string; doc: unknown }[] {
  const docs: { where: string; doc: unknown }[] = [];
  for (const r of resources) {
    if (r.type === T.rolePolicy || r.type === T.busPolicy || r.type.endsWith('Policy:QueuePolicy') || r.type.endsWith('topicPolicy:TopicPolicy')) {
      docs.push({ where: `${r.type} ${r.name}`, doc: parseJson(r.inputs['policy']) });
    }
    if (r.type === T.role) docs.push({ where: `${r.name} trust`, doc: parseJson(r.inputs['assumeRolePolicy']) });
  }
  return docs;
}

function templateOf(stackSet: MockResource): any {
  return parseJson(stackSet.inputs['templateBody']);
}

describe('organization mode', () => {
  let resources: MockResource[];
  let component: ExfiltrationDetection;
  const config = parseStackConfig(ORG_RAW);

  beforeAll(async () => {
    const run = await deploy(config);
    resources = run.resources;
    component = run.result;
  });

  it('deploys every detection of the registry', () => {
    expect(component.enabledDetectionIds).toEqual(ALL_DETECTIONS.map((d) => d.id));
  });

  it('gives every enabled detection a central rule with the registry pattern, targeting its own handler', () => {
    for (const detection of ALL_DETECTIONS) {
      const rule = byName(resources, T.rule, `exfiltrail-${detection.id}`);
      expect(rule.inputs['eventBusName']).toBe('exfiltrail');
      expect(rule.inputs['eventPattern']).toBe(compileDetection(detection).patterns[0]!.json);
      expect(rule.inputs['state']).toBe('ENABLED');
      const target = byName(resources, T.target, `exfiltrail-${detection.id}-target`);
      const fn = byName(resources, T.fn, `exfiltrail-${detection.id}-fn`);
      expect(target.inputs['arn']).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:exfiltrail-${detection.id}-fn`);
      expect(fn.inputs['environment'].variables).toMatchObject({
        DETECTION_ID: detection.id,
        PUBLISHER_ROLE_NAME: 'exfiltrail-finding-publisher',
        EXFILTRAIL_CONFIG_PARAMETER: '/exfiltrail/test/config',
      });
      const permission = byName(resources, T.permission, `exfiltrail-${detection.id}-invoke`);
      expect(permission.inputs).toMatchObject({
        action: 'lambda:InvokeFunction',
        principal: 'events.amazonaws.com',
        sourceArn: `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/exfiltrail/exfiltrail-${detection.id}`,
      });
    }
    expect(ofType(resources, T.rule)).toHaveLength(ALL_DETECTIONS.length);
  });

  it('deploys only patterns the engine validates, within the quota', () => {
    for (const rule of ofType(resources, T.rule)) {
      const text = rule.inputs['eventPattern'] as string;
      expect(text.length).toBeLessThanOrEqual(PATTERN_SIZE_LIMIT);
      expect(parsePattern(text).json).toBe(text);
    }
  });

  it('gives every rule target a retry policy and a dead-letter queue of the stack', () => {
    const queueArns = ofType(resources, T.queue).map((q) => `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${q.name}`);
    for (const target of ofType(resources, T.target)) {
      expect(target.inputs['retryPolicy']).toEqual({ maximumRetryAttempts: expect.any(Number), maximumEventAgeInSeconds: expect.any(Number) });
      expect(queueArns).toContain(target.inputs['deadLetterConfig']?.arn);
    }
    expect(ofType(resources, T.target)).toHaveLength(ALL_DETECTIONS.length);
  });

  it('sends failed asynchronous invocations to an on-failure queue after few retries', () => {
    const configs = ofType(resources, T.invokeConfig);
    expect(configs).toHaveLength(ALL_DETECTIONS.length);
    for (const c of configs) {
      expect(c.inputs['maximumRetryAttempts']).toBeLessThanOrEqual(1);
      expect(c.inputs['destinationConfig'].onFailure.destination).toMatch(/^arn:aws:sqs:/);
    }
  });

  it('encrypts every queue and topic', () => {
    const queues = ofType(resources, T.queue);
    expect(queues.length).toBe(2 * ALL_DETECTIONS.length);
    for (const q of queues) expect(q.inputs['sqsManagedSseEnabled'] === true || Boolean(q.inputs['kmsMasterKeyId'])).toBe(true);
    const topics = ofType(resources, T.topic);
    expect(topics).toHaveLength(1);
    expect(topics[0]!.inputs['kmsMasterKeyId']).toMatch(/^arn:aws:kms:/);
    expect(ofType(resources, T.kmsKey)[0]!.inputs['enableKeyRotation']).toBe(true);
    expect(ofType(resources, 'aws:sns/topicSubscription:TopicSubscription')[0]!.inputs).toMatchObject({ protocol: 'email', endpoint: 'soc@example.com' });
  });

  it('runs handlers on Node 20+ arm64 with log groups that expire', () => {
    for (const fn of ofType(resources, T.fn)) {
      expect(Number(/^nodejs(\d+)\.x$/.exec(fn.inputs['runtime'])?.[1])).toBeGreaterThanOrEqual(20);
      expect(fn.inputs['architectures']).toEqual(['arm64']);
      expect(fn.inputs['loggingConfig'].logGroup).toMatch(/^\/exfiltrail\/test\//);
    }
    for (const lg of ofType(resources, T.logGroup)) expect(lg.inputs['retentionInDays']).toBe(90);
  });

  it('grants no wildcard action, and no * resource beyond the key policy (where * means the key itself)', () => {
    const docs = policyDocuments(resources);
    expect(docs.length).toBeGreaterThan(ALL_DETECTIONS.length * 2);
    for (const { where, doc } of docs) {
      expect({ where, wildcards: wildcardActions(doc) }).toEqual({ where, wildcards: [] });
      expect({ where, star: starResources(doc) }).toEqual({ where, star: [] });
    }
    const keyPolicy = parseJson(ofType(resources, T.kmsKey)[0]!.inputs['policy']);
    expect(wildcardActions(keyPolicy)).toEqual([]);
  });

  it('gives each handler role exactly its own log group, failure queue, the config parameter and the publisher role', () => {
    for (const detection of ALL_DETECTIONS) {
      const doc = parseJson(byName(resources, T.rolePolicy, `exfiltrail-${detection.id}-role-policy`).inputs['policy']);
      const resourcesByAction = Object.fromEntries(statementsOf(doc).flatMap((s) => actionsOf(s).map((a) => [a, s.Resource])));
      expect(Object.keys(resourcesByAction).sort()).toEqual(
        ['logs:CreateLogStream', 'logs:PutLogEvents', 'securityhub:BatchImportFindings', 'sqs:SendMessage', 'ssm:GetParameter', 'sts:AssumeRole'].sort(),
      );
      expect(resourcesByAction['ssm:GetParameter']).toBe(`arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter/exfiltrail/test/config`);
      expect(resourcesByAction['logs:PutLogEvents']).toBe(`arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/exfiltrail/test/${detection.id}:*`);
      expect(resourcesByAction['sqs:SendMessage']).toBe(`arn:aws:sqs:${REGION}:${ACCOUNT_ID}:exfiltrail-${detection.id}-failures`);
      expect(resourcesByAction['sts:AssumeRole']).toBe('arn:aws:iam::*:role/exfiltrail-finding-publisher');
    }
  });

  it('lets only the organization put events on the central bus', () => {
    const [policy] = ofType(resources, T.busPolicy);
    expect(statementsOf(parseJson(policy!.inputs['policy']))).toEqual([
      expect.objectContaining({
        Action: 'events:PutEvents',
        Resource: `arn:aws:events:${REGION}:${ACCOUNT_ID}:event-bus/exfiltrail`,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
      }),
    ]);
  });

  it('deploys the member templates with service-managed, auto-deployed StackSets', () => {
    const sets = ofType(resources, T.stackSet);
    expect(sets).toHaveLength(2);
    for (const set of sets) {
      expect(set.inputs).toMatchObject({ permissionModel: 'SERVICE_MANAGED', autoDeployment: { enabled: true }, callAs: 'DELEGATED_ADMIN' });
    }
    const forwarding = byName(resources, T.stackSet, 'exfiltrail-members-forwarding');
    expect(forwarding.inputs['parameters']).toEqual({ CentralBusArn: `arn:aws:events:${REGION}:${ACCOUNT_ID}:event-bus/exfiltrail` });
    const text = forwarding.inputs['templateBody'] as string;
    for (const d of ALL_DETECTIONS) for (const p of compileDetection(d).patterns) expect(text).toContain(p.json);

    const instances = ofType(resources, T.stackSetInstance);
    const forwardingRegions = instances
      .filter((i) => i.name.startsWith('exfiltrail-members-forwarding-'))
      .map((i) => i.inputs['stackSetInstanceRegion'])
      .sort();
    expect(forwardingRegions).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
    const publisherInstances = instances.filter((i) => i.name.startsWith('exfiltrail-members-publisher-'));
    expect(publisherInstances.map((i) => i.inputs['stackSetInstanceRegion'])).toEqual([REGION]);
    for (const i of instances) expect(i.inputs['deploymentTargets']).toEqual({ organizationalUnitIds: ['r-ab12'] });
  });

  it('trusts the publisher role to the handler roles only, within the organization', () => {
    const publisher = byName(resources, T.stackSet, 'exfiltrail-members-publisher');
    const handlerRoleArns = ALL_DETECTIONS.map((d) => `arn:aws:iam::${ACCOUNT_ID}:role/exfiltrail-${d.id}-role`).sort();
    expect(String(publisher.inputs['parameters'].HandlerRoleArns).split(',')).toEqual(handlerRoleArns);
    const role = templateOf(publisher).Resources.FindingPublisherRole;
    expect(role.Properties.RoleName).toBe('exfiltrail-finding-publisher');
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: { Ref: 'HandlerRoleArns' } },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
      }),
    ]);
    expect(JSON.stringify(role.Properties.Policies)).toContain(`:securityhub:${REGION}:\${AWS::AccountId}:product/\${AWS::AccountId}/default`);
  });

  it('alarms on every queue, every handler and PublishFailures, to the created topic', () => {
    const alarms = ofType(resources, T.alarm);
    const queueAlarms = alarms.filter((a) => a.inputs['namespace'] === 'AWS/SQS').map((a) => a.inputs['dimensions'].QueueName);
    expect(queueAlarms.sort()).toEqual(ofType(resources, T.queue).map((q) => q.name).sort());
    const fnAlarms = alarms.filter((a) => a.inputs['namespace'] === 'AWS/Lambda').map((a) => a.inputs['dimensions'].FunctionName);
    expect(fnAlarms.sort()).toEqual(ofType(resources, T.fn).map((f) => f.name).sort());
    const publish = alarms.filter((a) => JSON.stringify(a.inputs['metricQueries'] ?? '').includes('PublishFailures'));
    expect(publish).toHaveLength(1);
    expect(publish[0]!.inputs['metricQueries'][0].expression).toBe('SELECT SUM(PublishFailures) FROM "exfiltrail"');
    const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:exfiltrail-alarms-topic`;
    for (const a of alarms) expect(a.inputs['alarmActions']).toEqual([topicArn]);
  });

  it('makes every alarm fire on anything above zero in one period, and notify again when it clears', () => {
    const alarms = ofType(resources, T.alarm);
    expect(alarms.length).toBeGreaterThan(0);
    const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:exfiltrail-alarms-topic`;
    for (const a of alarms) {
      expect(a.inputs).toMatchObject({
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
        okActions: [topicArn],
      });
    }
  });

  it('creates exfiltrail insights and one automation rule per allowlist entry and region', () => {
    const insights = ofType(resources, T.insight);
    expect(insights.map((i) => i.inputs['groupByAttribute']).sort()).toEqual(
      ['AwsAccountId', 'GeneratorId', 'ResourceId', 'ResourceType', 'SeverityLabel'].sort(),
    );
    for (const i of insights) expect(i.inputs['filters'].generatorIds).toEqual([{ comparison: 'PREFIX', value: 'exfiltrail/' }]);
    const rules = ofType(resources, T.automationRule);
    expect(rules.map((r) => r.inputs['region']).sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
    for (const r of rules) {
      expect(r.inputs['criteria'].generatorIds).toEqual([{ comparison: 'EQUALS', value: 'exfiltrail/ebs-snapshot-shared' }]);
      expect(r.inputs['actions'][0].findingFieldsUpdate.note.text).toContain('AWS Backup copies');
    }
  });

  it('stores the detection context in the SSM parameter the handlers read', () => {
    const [parameter] = ofType(resources, T.parameter);
    expect(parameter!.inputs).toMatchObject({ name: '/exfiltrail/test/config', type: 'String', tier: 'Standard' });
    expect(JSON.parse(parameter!.inputs['value'])).toEqual(config.detection);
  });
});

describe('disabling a detection', () => {
  const disabled = 'ami-shared';
  let resources: MockResource[];

  beforeAll(async () => {
    const config = parseStackConfig({
      ...ORG_RAW,
      'exfiltrail:detection': JSON.stringify({ organizationAccountIds: ['222222222222'], detections: { [disabled]: { enabled: false } } }),
    });
    resources = (await deploy(config)).resources;
  });

  it('removes it everywhere: central rule, handler, alarms, member template, publisher trust', () => {
    const all = JSON.stringify(resources.map((r) => [r.name, r.inputs]));
    const pattern = compileDetection(ALL_DETECTIONS.find((d) => d.id === disabled)!).patterns[0]!.json;
    expect(resources.some((r) => r.name.includes(disabled))).toBe(false);
    expect(all).not.toContain(pattern);
    expect(ofType(resources, T.rule)).toHaveLength(ALL_DETECTIONS.length - 1);
    const forwarding = byName(resources, T.stackSet, 'exfiltrail-members-forwarding');
    expect(forwarding.inputs['templateBody']).not.toContain('ModifyImageAttribute');
    const publisher = byName(resources, T.stackSet, 'exfiltrail-members-publisher');
    expect(publisher.inputs['parameters'].HandlerRoleArns).not.toContain(disabled);
  });

  it('lists the known organization accounts as assume-role targets', () => {
    const policy = ofType(resources, T.rolePolicy)[0]!;
    const assume = statementsOf(parseJson(policy.inputs['policy'])).find((s) => actionsOf(s).includes('sts:AssumeRole'))!;
    expect(assume.Resource).toEqual(['arn:aws:iam::222222222222:role/exfiltrail-finding-publisher']);
  });
});

describe('single-account mode', () => {
  let resources: MockResource[];

  beforeAll(async () => {
    const config = parseStackConfig({
      'exfiltrail:mode': 'single-account',
      'exfiltrail:regions': '["us-east-1","eu-west-1"]',
      'exfiltrail:alarmTopicArn': 'arn:aws:sns:us-east-1:111111111111:secops',
    });
    resources = (await deploy(config)).resources;
  });

  it('uses no StackSet and forwards with one CloudFormation stack per region, from the same template', () => {
    expect(ofType(resources, T.stackSet)).toHaveLength(0);
    expect(ofType(resources, T.stackSetInstance)).toHaveLength(0);
    const stacks = ofType(resources, T.stack);
    expect(stacks.map((s) => s.inputs['region']).sort()).toEqual(['eu-west-1', 'us-east-1']);
    for (const s of stacks) {
      expect(s.inputs['parameters']).toEqual({ CentralBusArn: `arn:aws:events:${REGION}:${ACCOUNT_ID}:event-bus/exfiltrail` });
      const template = parseJson(s.inputs['templateBody']);
      expect(Object.values(template.Resources).some((r: any) => r.Type === 'AWS::Events::Rule')).toBe(true);
      expect(JSON.stringify(template)).not.toContain('FindingPublisherRole');
    }
  });

  it('still has every central rule, handler and alarm', () => {
    expect(ofType(resources, T.rule)).toHaveLength(ALL_DETECTIONS.length);
    expect(ofType(resources, T.fn)).toHaveLength(ALL_DETECTIONS.length);
    expect(ofType(resources, T.alarm).length).toBe(3 * ALL_DETECTIONS.length + 1);
  });

  it('scopes the bus to this account and assumes no role', () => {
    const [policy] = ofType(resources, T.busPolicy);
    expect(statementsOf(parseJson(policy!.inputs['policy']))[0]!.Principal).toEqual({ AWS: `arn:aws:iam::${ACCOUNT_ID}:root` });
    for (const p of ofType(resources, T.rolePolicy)) {
      expect(statementsOf(parseJson(p.inputs['policy'])).flatMap(actionsOf)).not.toContain('sts:AssumeRole');
    }
  });

  it('notifies the given topic instead of creating one', () => {
    expect(ofType(resources, T.topic)).toHaveLength(0);
    expect(ofType(resources, T.kmsKey)).toHaveLength(0);
    for (const a of ofType(resources, T.alarm)) expect(a.inputs['alarmActions']).toEqual(['arn:aws:sns:us-east-1:111111111111:secops']);
  });
});

describe('refusing to deploy', () => {
  const config = parseStackConfig(ORG_RAW);

  it('without the handler bundle, saying what to run', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'exfiltrail-empty-'));
    await expect(deploy(config, empty)).rejects.toThrow(BundleMissingError);
    await expect(deploy(config, empty)).rejects.toThrow(/index\.mjs does not exist; run `npm run bundle` first/);
  });

  it('when the config names a detection that does not exist', async () => {
    const bad = parseStackConfig({ ...ORG_RAW, 'exfiltrail:detection': '{"detections":{"ami-shraed":{"enabled":false}}}' });
    await expect(deploy(bad)).rejects.toThrow(StackConfigError);
    await expect(deploy(bad)).rejects.toThrow(/exfiltrail:detection\.detections\.ami-shraed: no such detection/);
  });

  it('when the central region is not covered', async () => {
    const other = parseStackConfig({ ...ORG_RAW, 'exfiltrail:regions': '["eu-west-1"]' });
    await expect(deploy(other)).rejects.toThrow(/exfiltrail:regions must include the central region us-east-1/);
  });

  it('when every detection is disabled', async () => {
    const detections = Object.fromEntries(ALL_DETECTIONS.map((d) => [d.id, { enabled: false }]));
    const none = parseStackConfig({ ...ORG_RAW, 'exfiltrail:detection': JSON.stringify({ detections }) });
    await expect(deploy(none)).rejects.toThrow(/disables every detection/);
  });
});
