import { actorOf, principalOf } from '../../rules/actor';
import { accountClassifier } from '../../rules/accounts';
import { parseConfig } from '../../rules/config';
import { fixture } from '../fixtures';

describe('principalOf', () => {
  it('keys an assumed role by the role, not the churning session', () => {
    expect(principalOf(fixture('019-s3-putobject-cdk-sample.json'))).toBe('arn:aws:iam::123456789012:role/SomeRole');
  });
  it('keys an IAM user by its ARN', () => {
    expect(principalOf(fixture('022-ebs-snapshot-shared-stratus.json'))).toBe('arn:aws:iam::756680937392:user/christophe');
  });
  it('names the account behind an AWSAccount identity and the service behind a service event', () => {
    expect(principalOf(fixture('030-ebs-sharedsnapshotcopyinitiated-doc.json'))).toBe('account:999999999999');
    expect(principalOf(fixture('005-s3batch-jobcreated-doc.json'))).toBe('service:s3.amazonaws.com');
  });
});

describe('actorOf', () => {
  it('keeps caller, key, source IP and user agent', () => {
    expect(actorOf(fixture('001-datasync-createtask-doc.json'))).toEqual({
      principal: 'arn:aws:iam::123456789012:user/user1',
      type: 'IAMUser',
      arn: 'arn:aws:iam::123456789012:user/user1',
      accountId: '123456789012',
      userName: 'user1',
      accessKeyId: 'access key',
      invokedBy: 'signin.amazonaws.com',
      sourceIp: '12.345.123.45',
      userAgent: 'signin.amazonaws.com',
    });
  });
});

describe('accountClassifier', () => {
  const classify = accountClassifier(
    parseConfig({
      organizationAccountIds: ['111111111111', '222222222222', '333333333333'],
      trustedAccounts: [{ accountId: '333333333333', reason: 'backup vault' }],
    }),
  );
  it.each([
    ['all', 'public'],
    ['ALL', 'public'],
    ['111111111111', 'self'],
    ['222222222222', 'organization'],
    ['333333333333', 'trusted'],
    ['444444444444', 'external'],
  ])('%s seen from 111111111111 is %s', (account, relation) => {
    expect(classify(account, '111111111111').relation).toBe(relation);
  });
  it('keeps the reason a trusted account is trusted', () => {
    expect(classify('333333333333', '111111111111').reason).toBe('backup vault');
  });
  it('treats every other account as external when no organization is configured', () => {
    const bare = accountClassifier(parseConfig({}));
    expect(bare('222222222222', '111111111111').relation).toBe('external');
    expect(bare('111111111111', '111111111111').relation).toBe('self');
  });
});
