import { busPolicy, handlerPolicy, type HandlerPolicyOptions } from '../../infra/policies';
import { actionsOf, starResources, statementsOf, wildcardActions } from './iam-checks';

const BASE: HandlerPolicyOptions = {
  partition: 'aws',
  accountId: '111111111111',
  region: 'us-east-1',
  publisherRoleName: 'exfiltrail-finding-publisher',
  organizationId: 'o-abcdefghij',
  memberAccountIds: [],
  configParameterArn: 'arn:aws:ssm:us-east-1:111111111111:parameter/exfiltrail/test/config',
  logGroupArn: 'arn:aws:logs:us-east-1:111111111111:log-group:/exfiltrail/test/ami-shared',
  failureQueueArn: 'arn:aws:sqs:us-east-1:111111111111:failures',
  accountsFromOrganizations: false,
};

describe('handlerPolicy', () => {
  it('grants named actions on named resources only', () => {
    const doc = handlerPolicy(BASE);
    expect(wildcardActions(doc)).toEqual([]);
    expect(starResources(doc)).toEqual([]);
    const bySid = Object.fromEntries(statementsOf(doc).map((s) => [s.Sid, s]));
    expect(actionsOf(bySid['ReadConfig']!)).toEqual(['ssm:GetParameter']);
    expect(bySid['ReadConfig']!.Resource).toBe(BASE.configParameterArn);
    expect(bySid['WriteOwnLogs']!.Resource).toBe(`${BASE.logGroupArn}:*`);
    expect(bySid['SendFailedInvocations']!.Resource).toBe(BASE.failureQueueArn);
    expect(bySid['ImportOwnAccountFindings']!.Resource).toBe(
      'arn:aws:securityhub:us-east-1:111111111111:product/111111111111/default',
    );
    expect(Object.keys(bySid).sort()).toEqual(
      ['AssumePublisherRole', 'ImportOwnAccountFindings', 'ReadConfig', 'SendFailedInvocations', 'WriteOwnLogs'].sort(),
    );
  });

  it('may assume only the publisher role, in accounts of the organization', () => {
    const assume = statementsOf(handlerPolicy(BASE)).find((s) => actionsOf(s).includes('sts:AssumeRole'))!;
    expect(assume.Resource).toBe('arn:aws:iam::*:role/exfiltrail-finding-publisher');
    expect(assume.Condition).toEqual({ StringEquals: { 'aws:ResourceOrgID': 'o-abcdefghij' } });
  });

  it('lists the accounts when the organization accounts are known (the central account publishes directly)', () => {
    const doc = handlerPolicy({ ...BASE, memberAccountIds: ['222222222222', '333333333333', '111111111111'] });
    const assume = statementsOf(doc).find((s) => actionsOf(s).includes('sts:AssumeRole'))!;
    expect(assume.Resource).toEqual([
      'arn:aws:iam::222222222222:role/exfiltrail-finding-publisher',
      'arn:aws:iam::333333333333:role/exfiltrail-finding-publisher',
    ]);
    expect(assume.Condition).toEqual({ StringEquals: { 'aws:ResourceOrgID': 'o-abcdefghij' } });
  });

  it('assumes nothing in single-account mode', () => {
    const { organizationId: _omitted, ...single } = BASE;
    expect(statementsOf(handlerPolicy(single)).flatMap(actionsOf)).not.toContain('sts:AssumeRole');
  });

  it('adds organizations:ListAccounts (which takes no resource ARN) only when account discovery is on', () => {
    expect(statementsOf(handlerPolicy(BASE)).flatMap(actionsOf)).not.toContain('organizations:ListAccounts');
    const doc = handlerPolicy({ ...BASE, accountsFromOrganizations: true });
    expect(starResources(doc).flatMap(actionsOf)).toEqual(['organizations:ListAccounts']);
  });
});

describe('busPolicy', () => {
  const busArn = 'arn:aws:events:us-east-1:111111111111:event-bus/exfiltrail';

  it('lets only principals of the organization put events', () => {
    expect(statementsOf(busPolicy({ busArn, organizationId: 'o-abcdefghij', accountId: '111111111111', partition: 'aws' }))).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: busArn,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
      }),
    ]);
  });

  it('lets only this account put events in single-account mode', () => {
    expect(statementsOf(busPolicy({ busArn, accountId: '111111111111', partition: 'aws' }))).toEqual([
      expect.objectContaining({ Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'events:PutEvents', Resource: busArn }),
    ]);
  });
});
