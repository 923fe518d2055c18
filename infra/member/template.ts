/**
 * The CloudFormation templates deployed in member accounts, as pure functions of the detection registry and a
 * few settings (unit-tested directly, no Pulumi involved). Values only known at deploy time (the central bus ARN,
 * the handler role ARNs) are template parameters, so the template text changes only when the detections do.
 *
 * - `forwardingTemplate` (every covered region): rule(s) on the default bus whose patterns are the enabled
 *   detections' patterns, so only candidate events leave the account (forwarded events are billed as custom
 *   events); the target is the central bus, through a role allowed only `events:PutEvents` on that bus, with a
 *   retry policy and an encrypted dead-letter queue.
 * - `publisherTemplate` (once per account, IAM is global): the role the central handlers assume to call
 *   `securityhub:BatchImportFindings` as the account (Security Hub accepts a finding only from the account it
 *   names).
 */
import type { Detection } from '../../rules/detection';
import { forwardingRules, type PackedRule } from '../patterns';

export interface CfnTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Parameters: Record<string, { Type: string; Description: string; AllowedPattern?: string }>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  Outputs?: Record<string, { Description: string; Value: unknown }>;
}

/** How long EventBridge keeps retrying a forwarded event, and how often, before it goes to the DLQ. */
export const FORWARDING_RETRY_POLICY = { MaximumRetryAttempts: 24, MaximumEventAgeInSeconds: 3600 } as const;
/** Dead-letter queues keep messages for the SQS maximum, 14 days: time to notice and redrive. */
export const DLQ_RETENTION_SECONDS = 1_209_600;

export const FORWARDING_PARAMETERS = { centralBusArn: 'CentralBusArn' } as const;
export const PUBLISHER_PARAMETERS = { handlerRoleArns: 'HandlerRoleArns' } as const;

export interface ForwardingTemplateOptions {
  detections: readonly Detection[];
}

const sub = (text: string) => ({ 'Fn::Sub': text });
const ref = (name: string) => ({ Ref: name });
const getAtt = (resource: string, attribute: string) => ({ 'Fn::GetAtt': [resource, attribute] });

export function forwardingRuleLogicalId(index: number): string {
  return `ForwardingRule${index}`;
}

export function forwardingTemplate(options: ForwardingTemplateOptions): CfnTemplate {
  const rules: PackedRule[] = forwardingRules(options.detections);
  if (rules.length === 0) throw new Error('member forwarding template: no detection is enabled, nothing to forward');
  const ruleIds = rules.map((_, i) => forwardingRuleLogicalId(i));
  const resources: CfnTemplate['Resources'] = {
    ForwardingRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: 'exfiltrail: lets EventBridge forward candidate events to the central exfiltrail bus',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sts:AssumeRole',
              // Only this account's rules (confused-deputy guard).
              Condition: { StringEquals: { 'aws:SourceAccount': sub('${AWS::AccountId}') } },
            },
          ],
        },
        Policies: [
          {
            PolicyName: 'put-events-on-central-bus',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: ref(FORWARDING_PARAMETERS.centralBusArn) }],
            },
          },
        ],
      },
    },
    ForwardingDeadLetterQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: DLQ_RETENTION_SECONDS },
    },
    ForwardingDeadLetterQueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [ref('ForwardingDeadLetterQueue')],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ForwardingRulesDeadLetters',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: getAtt('ForwardingDeadLetterQueue', 'Arn'),
              Condition: { ArnEquals: { 'aws:SourceArn': ruleIds.map((id) => getAtt(id, 'Arn')) } },
            },
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sqs:*',
              Resource: getAtt('ForwardingDeadLetterQueue', 'Arn'),
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
  };
  rules.forEach((rule, i) => {
    resources[forwardingRuleLogicalId(i)] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Description: `exfiltrail: forward candidate events (${rule.detectionIds.join(', ')})`.slice(0, 512),
        EventBusName: 'default',
        State: rule.state,
        // The engine-validated pattern; JSON.stringify of this object is byte-for-byte `rule.pattern.json`.
        EventPattern: JSON.parse(rule.pattern.json) as unknown,
        Targets: [
          {
            Id: 'central-bus',
            Arn: ref(FORWARDING_PARAMETERS.centralBusArn),
            RoleArn: getAtt('ForwardingRole', 'Arn'),
            RetryPolicy: { ...FORWARDING_RETRY_POLICY },
            DeadLetterConfig: { Arn: getAtt('ForwardingDeadLetterQueue', 'Arn') },
          },
        ],
      },
    };
  });
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'exfiltrail member region: forward exfiltration candidate CloudTrail events to the central bus',
    Parameters: {
      [FORWARDING_PARAMETERS.centralBusArn]: {
        Type: 'String',
        Description: 'ARN of the central exfiltrail event bus',
        AllowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[.\\-_A-Za-z0-9]+$',
      },
    },
    Resources: resources,
    Outputs: {
      DeadLetterQueueUrl: { Description: 'Forwarded events EventBridge could not deliver', Value: ref('ForwardingDeadLetterQueue') },
    },
  };
}

export interface PublisherTemplateOptions {
  roleName: string;
  /** The organization whose principals may assume the role; omitted in single-account mode. */
  organizationId?: string;
  /**
   * Regions the handlers import findings in. A handler imports into its own region (the ProductArn region), so
   * this is the central region: the role can import nowhere else.
   */
  importRegions: readonly string[];
}

export function publisherTemplate(options: PublisherTemplateOptions): CfnTemplate {
  if (options.importRegions.length === 0) throw new Error('publisher template: importRegions is empty');
  const trust: Record<string, unknown> = {
    Effect: 'Allow',
    // Only the central handler roles, by ARN (a comma-separated template parameter).
    Principal: { AWS: ref(PUBLISHER_PARAMETERS.handlerRoleArns) },
    Action: 'sts:AssumeRole',
  };
  if (options.organizationId) {
    trust['Condition'] = { StringEquals: { 'aws:PrincipalOrgID': options.organizationId } };
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'exfiltrail member account: the role the central handlers assume to import findings into Security Hub',
    Parameters: {
      [PUBLISHER_PARAMETERS.handlerRoleArns]: {
        Type: 'CommaDelimitedList',
        Description: 'ARNs of the central exfiltrail handler roles allowed to assume the publisher role',
      },
    },
    Resources: {
      FindingPublisherRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: options.roleName,
          Description: 'exfiltrail: import findings about this account into its Security Hub',
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [trust] },
          Policies: [
            {
              PolicyName: 'import-findings',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: 'securityhub:BatchImportFindings',
                    Resource: options.importRegions.map((region) =>
                      sub(`arn:\${AWS::Partition}:securityhub:${region}:\${AWS::AccountId}:product/\${AWS::AccountId}/default`),
                    ),
                  },
                ],
              },
            },
          ],
        },
      },
    },
    Outputs: {
      FindingPublisherRoleArn: { Description: 'The publisher role', Value: getAtt('FindingPublisherRole', 'Arn') },
    },
  };
}
