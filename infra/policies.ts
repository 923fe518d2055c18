/**
 * The IAM and resource policies of the central account, as pure functions of plain strings (the components feed
 * them resolved outputs). Every statement names its actions and the narrowest resources IAM supports.
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action: string | string[];
  /** Absent in trust policies. */
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

const doc = (...statements: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

export interface BusPolicyOptions {
  busArn: string;
  /** Organization mode: any principal of the organization (member forwarding roles). */
  organizationId?: string;
  /** Single-account mode: this account only. */
  accountId: string;
  partition: string;
}

/** Who may put events on the central bus: the organization's principals, or this account alone. */
export function busPolicy(options: BusPolicyOptions): PolicyDocument {
  if (options.organizationId) {
    return doc({
      Sid: 'OrganizationForwarding',
      Effect: 'Allow',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: options.busArn,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': options.organizationId } },
    });
  }
  return doc({
    Sid: 'SameAccountForwarding',
    Effect: 'Allow',
    Principal: { AWS: `arn:${options.partition}:iam::${options.accountId}:root` },
    Action: 'events:PutEvents',
    Resource: options.busArn,
  });
}

export interface HandlerPolicyOptions {
  partition: string;
  /** The central account and the handler's region: where the handler imports its own account's findings. */
  accountId: string;
  region: string;
  publisherRoleName: string;
  /** Organization mode: the roles the handler may assume are in this organization. */
  organizationId?: string;
  /** When known (detection config organizationAccountIds), assume-role targets are listed account by account. */
  memberAccountIds: readonly string[];
  configParameterArn: string;
  logGroupArn: string;
  failureQueueArn: string;
  /** EXFILTRAIL_ORG_ACCOUNTS_FROM_ORGANIZATIONS: organizations:ListAccounts has no resource-level permission. */
  accountsFromOrganizations: boolean;
}

/**
 * The detection handler's permissions:
 * - `sts:AssumeRole` on the publisher role in the organization's accounts (organization mode only);
 * - `securityhub:BatchImportFindings` on its own account's default product in its region (findings about the
 *   central account itself are imported without assuming a role, handlers/publish/security-hub.ts);
 * - `ssm:GetParameter` on its config parameter; `logs:CreateLogStream`/`PutLogEvents` on its log group;
 * - `sqs:SendMessage` on its own on-failure queue (Lambda sends failed asynchronous invocations with the
 *   function's role);
 * - `organizations:ListAccounts` only when account discovery is switched on (the action takes no resource ARN).
 */
export function handlerPolicy(o: HandlerPolicyOptions): PolicyDocument {
  const statements: PolicyStatement[] = [];
  if (o.organizationId) {
    const explicit = o.memberAccountIds.filter((id) => /^\d{12}$/.test(id) && id !== o.accountId);
    statements.push({
      Sid: 'AssumePublisherRole',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource:
        explicit.length > 0
          ? explicit.map((id) => `arn:${o.partition}:iam::${id}:role/${o.publisherRoleName}`)
          : `arn:${o.partition}:iam::*:role/${o.publisherRoleName}`,
      Condition: { StringEquals: { 'aws:ResourceOrgID': o.organizationId } },
    });
  }
  statements.push(
    {
      Sid: 'ImportOwnAccountFindings',
      Effect: 'Allow',
      Action: 'securityhub:BatchImportFindings',
      Resource: `arn:${o.partition}:securityhub:${o.region}:${o.accountId}:product/${o.accountId}/default`,
    },
    { Sid: 'ReadConfig', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: o.configParameterArn },
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `${o.logGroupArn}:*`,
    },
    { Sid: 'SendFailedInvocations', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: o.failureQueueArn },
  );
  if (o.accountsFromOrganizations) {
    statements.push({ Sid: 'ListOrganizationAccounts', Effect: 'Allow', Action: 'organizations:ListAccounts', Resource: '*' });
  }
  return doc(...statements);
}

/** Only Lambda may assume a handler role. */
export function lambdaTrustPolicy(): PolicyDocument {
  return doc({
    Effect: 'Allow',
    Principal: { Service: 'lambda.amazonaws.com' },
    Action: 'sts:AssumeRole',
  });
}

/** EventBridge may send undeliverable events of the given rules to the queue; nothing goes over plain HTTP. */
export function deadLetterQueuePolicy(queueArn: string, ruleArns: readonly string[]): PolicyDocument {
  return doc(
    {
      Sid: 'EventBridgeDeadLetters',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: queueArn,
      Condition: { ArnEquals: { 'aws:SourceArn': [...ruleArns] } },
    },
    denyInsecureTransport('sqs:*', queueArn),
  );
}

export function denyInsecureTransport(action: string, resource: string): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: action,
    Resource: resource,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** CloudWatch alarms in this account may publish to the alarm topic. */
export function alarmTopicPolicy(topicArn: string, accountId: string): PolicyDocument {
  return doc(
    {
      Sid: 'CloudWatchAlarms',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: topicArn,
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
    denyInsecureTransport('sns:Publish', topicArn),
  );
}

/**
 * What the account's IAM principals may do with the alarm key (delegated to IAM policies through the account
 * principal): administer it, which is what deploying and removing the stack needs, and nothing with data. Listed
 * one by one instead of the usual `kms:*`.
 */
export const KEY_ADMIN_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:ListKeyPolicies',
  'kms:GetKeyRotationStatus',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:UpdateKeyDescription',
  'kms:ListResourceTags',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
] as const;

/**
 * The alarm topic's KMS key policy (in a key policy, `Resource: "*"` means this key): the account administers
 * it, and CloudWatch may use it for this account's alarms (the AWS-managed aws/sns key does not let CloudWatch
 * publish to an encrypted topic).
 */
export function alarmKeyPolicy(accountId: string, partition: string): PolicyDocument {
  return doc(
    {
      Sid: 'AccountAdministersKey',
      Effect: 'Allow',
      Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
      Action: [...KEY_ADMIN_ACTIONS],
      Resource: '*',
    },
    {
      Sid: 'CloudWatchAlarmsEncrypt',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  );
}
