import { ALL_DETECTIONS } from '../../rules/detections';
import { parsePattern, PATTERN_SIZE_LIMIT } from '../../rules/pattern';
import { compileDetection } from '../../rules/registry';
import {
  forwardingTemplate,
  FORWARDING_PARAMETERS,
  publisherTemplate,
  PUBLISHER_PARAMETERS,
  type CfnTemplate,
} from '../../infra/member/template';
import { actionsOf, statementsOf, wildcardActions } from './iam-checks';

function resourcesOfType(template: CfnTemplate, type: string) {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

function branches(pattern: unknown): string[] {
  const source = pattern as Record<string, unknown>;
  const combined = Object.keys(source).length === 1 && Array.isArray(source['$or']);
  return combined ? (source['$or'] as unknown[]).map((b) => JSON.stringify(b)) : [JSON.stringify(pattern)];
}

describe('forwardingTemplate', () => {
  const template = forwardingTemplate({ detections: ALL_DETECTIONS });
  const rules = resourcesOfType(template, 'AWS::Events::Rule');

  it('survives a JSON round trip (what CloudFormation receives)', () => {
    expect(JSON.parse(JSON.stringify(template))).toEqual(template);
  });

  it('puts every enabled detection pattern on the default bus, each rule validated and within the quota', () => {
    expect(rules.length).toBeGreaterThan(0);
    const deployed: string[] = [];
    for (const [, rule] of rules) {
      expect(rule.Properties['EventBusName']).toBe('default');
      const text = JSON.stringify(rule.Properties['EventPattern']);
      expect(text.length).toBeLessThanOrEqual(PATTERN_SIZE_LIMIT);
      expect(parsePattern(text).json).toBe(text);
      deployed.push(...branches(rule.Properties['EventPattern']));
    }
    for (const d of ALL_DETECTIONS) {
      for (const p of compileDetection(d).patterns) expect(deployed).toContain(p.json);
    }
  });

  it('uses the read-only state only where a detection needs it', () => {
    for (const [, rule] of rules) expect(rule.Properties['State']).toBe('ENABLED');
    const reads = { ...ALL_DETECTIONS[0]!, id: 'reads', needsReadOnlyEvents: true };
    const states = resourcesOfType(forwardingTemplate({ detections: [ALL_DETECTIONS[1]!, reads] }), 'AWS::Events::Rule').map(
      ([, r]) => r.Properties['State'],
    );
    expect(states.sort()).toEqual(['ENABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']);
  });

  it('targets the central bus through the forwarding role, with a retry policy and a dead-letter queue', () => {
    for (const [, rule] of rules) {
      const targets = rule.Properties['Targets'] as Record<string, unknown>[];
      expect(targets).toHaveLength(1);
      const target = targets[0]!;
      expect(target['Arn']).toEqual({ Ref: FORWARDING_PARAMETERS.centralBusArn });
      expect(target['RoleArn']).toEqual({ 'Fn::GetAtt': ['ForwardingRole', 'Arn'] });
      expect(target['RetryPolicy']).toEqual({ MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) });
      expect(target['DeadLetterConfig']).toEqual({ Arn: { 'Fn::GetAtt': ['ForwardingDeadLetterQueue', 'Arn'] } });
    }
  });

  it('encrypts the dead-letter queue and lets only its own rules write to it', () => {
    const queues = resourcesOfType(template, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThan(0);
    for (const [, q] of queues) expect(q.Properties['SqsManagedSseEnabled']).toBe(true);
    const [, policy] = resourcesOfType(template, 'AWS::SQS::QueuePolicy')[0]!;
    const allow = statementsOf(policy.Properties['PolicyDocument']).find((s) => s.Effect === 'Allow')!;
    expect(allow.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(actionsOf(allow)).toEqual(['sqs:SendMessage']);
    expect(allow.Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': rules.map(([id]) => ({ 'Fn::GetAtt': [id, 'Arn'] })) },
    });
  });

  it('gives the forwarding role events:PutEvents on the central bus and nothing else', () => {
    const [, role] = resourcesOfType(template, 'AWS::IAM::Role')[0]!;
    const trust = statementsOf(role.Properties['AssumeRolePolicyDocument']);
    expect(trust).toEqual([
      expect.objectContaining({
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { 'Fn::Sub': '${AWS::AccountId}' } } },
      }),
    ]);
    const policies = role.Properties['Policies'] as { PolicyDocument: unknown }[];
    const statements = policies.flatMap((p) => statementsOf(p.PolicyDocument));
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: { Ref: FORWARDING_PARAMETERS.centralBusArn } }]);
  });

  it('leaves out disabled detections', () => {
    const [dropped, ...kept] = ALL_DETECTIONS;
    const text = JSON.stringify(forwardingTemplate({ detections: kept }));
    for (const p of compileDetection(dropped!).patterns) expect(text).not.toContain(p.json);
    for (const d of kept) for (const p of compileDetection(d).patterns) expect(text).toContain(p.json);
  });

  it('refuses to build a template that forwards nothing', () => {
    expect(() => forwardingTemplate({ detections: [] })).toThrow(/no detection is enabled/);
  });
});

describe('publisherTemplate', () => {
  const template = publisherTemplate({ roleName: 'exfiltrail-finding-publisher', organizationId: 'o-abcdefghij', importRegions: ['us-east-1'] });
  const [, role] = resourcesOfType(template, 'AWS::IAM::Role')[0]!;

  it('names the role the handlers assume', () => {
    expect(role.Properties['RoleName']).toBe('exfiltrail-finding-publisher');
    expect(template.Parameters[PUBLISHER_PARAMETERS.handlerRoleArns]?.Type).toBe('CommaDelimitedList');
  });

  it('is trusted only by the handler roles, within the organization', () => {
    expect(statementsOf(role.Properties['AssumeRolePolicyDocument'])).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: { Ref: PUBLISHER_PARAMETERS.handlerRoleArns } },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
      },
    ]);
  });

  it('may only import findings into its own account default product, in the import regions', () => {
    const policies = role.Properties['Policies'] as { PolicyDocument: unknown }[];
    const statements = policies.flatMap((p) => statementsOf(p.PolicyDocument));
    expect(statements).toHaveLength(1);
    expect(actionsOf(statements[0]!)).toEqual(['securityhub:BatchImportFindings']);
    expect(statements[0]!.Resource).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:securityhub:us-east-1:${AWS::AccountId}:product/${AWS::AccountId}/default' },
    ]);
    expect(wildcardActions(policies[0]!.PolicyDocument)).toEqual([]);
  });

  it('lists one product ARN per import region', () => {
    const two = publisherTemplate({ roleName: 'r', importRegions: ['us-east-1', 'eu-west-1'] });
    const [, r] = resourcesOfType(two, 'AWS::IAM::Role')[0]!;
    const resource = statementsOf((r.Properties['Policies'] as { PolicyDocument: unknown }[])[0]!.PolicyDocument)[0]!.Resource;
    expect(JSON.stringify(resource)).toContain(':securityhub:eu-west-1:');
    expect((resource as unknown[]).length).toBe(2);
  });
});
