/**
 * Security Hub views of exfiltrail findings (GeneratorId `exfiltrail/<detection>`), and, optionally, automation
 * rules generated from the allowlist: suppression as code.
 *
 * Insights can group only by ASFF attributes, not by ProductFields, so "by principal" is not possible as such
 * (the principal is in ProductFields `exfiltrail/Principal`); "by resource" groups by `ResourceId` (the shared
 * snapshot, image, bucket...). Insights are created in the central region: with cross-region aggregation they
 * see every linked region.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AllowlistEntry } from '../../rules/config';

export const GENERATOR_PREFIX = 'exfiltrail/';
/**
 * How the handlers open the Description of an allowlisted finding (rules/risk.ts gives the reason,
 * handlers/findings/asff.ts puts it first so truncation never hides it). The provider's automation-rule
 * criteria have no ProductFields filter, so the rule matches on this prefix.
 */
export function allowlistedDescriptionPrefix(principal: string): string {
  return `[Suppressed, kept at INFORMATIONAL: principal allowlisted (${principal})`;
}

export interface InsightSpec {
  key: string;
  name: string;
  groupByAttribute: string;
}

export const INSIGHTS: readonly InsightSpec[] = [
  { key: 'by-detection', name: 'exfiltrail: active findings by detection', groupByAttribute: 'GeneratorId' },
  { key: 'by-account', name: 'exfiltrail: active findings by account', groupByAttribute: 'AwsAccountId' },
  { key: 'by-resource', name: 'exfiltrail: active findings by resource', groupByAttribute: 'ResourceId' },
  { key: 'by-severity', name: 'exfiltrail: active findings by severity', groupByAttribute: 'SeverityLabel' },
  { key: 'by-resource-type', name: 'exfiltrail: active findings by resource type', groupByAttribute: 'ResourceType' },
];

/** Filters shared by every insight: exfiltrail's findings that are active and not suppressed or resolved. */
export function insightFilters(): aws.types.input.securityhub.InsightFilters {
  return {
    generatorIds: [{ comparison: 'PREFIX', value: GENERATOR_PREFIX }],
    recordStates: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
    workflowStatuses: [
      { comparison: 'EQUALS', value: 'NEW' },
      { comparison: 'EQUALS', value: 'NOTIFIED' },
    ],
  };
}

export interface AutomationRuleSpec {
  ruleName: string;
  description: string;
  ruleOrder: number;
  criteria: aws.types.input.securityhub.AutomationRuleCriteria;
  actions: aws.types.input.securityhub.AutomationRuleAction[];
}

/** Security Hub keeps a note to 512 characters. */
const NOTE_LIMIT = 512;

/**
 * One automation rule per allowlist entry. The handlers already publish allowlisted findings at INFORMATIONAL,
 * their Description opening with the entry's principal and reason; the rule sets them SUPPRESSED with a note
 * giving the reason, so the exception is visible where analysts work and is reviewed like code. Criteria:
 * exfiltrail's generator (the entry's detections, or all), severity INFORMATIONAL, and the Description prefix
 * naming the entry's principal.
 */
export function automationRuleSpec(entry: AllowlistEntry, index: number): AutomationRuleSpec {
  const generators = entry.detections
    ? entry.detections.map((id) => ({ comparison: 'EQUALS', value: `${GENERATOR_PREFIX}${id}` }))
    : [{ comparison: 'PREFIX', value: GENERATOR_PREFIX }];
  const note = `exfiltrail allowlist (${entry.principal}): ${entry.reason}`;
  return {
    ruleName: `exfiltrail allowlist ${index + 1}`,
    description: `Suppress exfiltrail findings of allowlisted principal ${entry.principal}: ${entry.reason}`.slice(0, 1024),
    ruleOrder: index + 1,
    criteria: {
      generatorIds: generators,
      severityLabels: [{ comparison: 'EQUALS', value: 'INFORMATIONAL' }],
      descriptions: [{ comparison: 'PREFIX', value: allowlistedDescriptionPrefix(entry.principal) }],
      recordStates: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
    },
    actions: [
      {
        type: 'FINDING_FIELDS_UPDATE',
        findingFieldsUpdate: {
          workflow: { status: 'SUPPRESSED' },
          note: { text: note.length > NOTE_LIMIT ? `${note.slice(0, NOTE_LIMIT - 3)}...` : note, updatedBy: 'exfiltrail' },
        },
      },
    ],
  };
}

export interface FindingInsightsArgs {
  allowlist: readonly AllowlistEntry[];
  automationRules: boolean;
  /** Automation rules apply in the region they are created in: one set per covered region. */
  regions: readonly string[];
}

export class FindingInsights extends pulumi.ComponentResource {
  readonly insights: aws.securityhub.Insight[];
  readonly automationRules: aws.securityhub.AutomationRule[] = [];

  constructor(name: string, args: FindingInsightsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('exfiltrail:central:FindingInsights', name, {}, opts);
    this.insights = INSIGHTS.map(
      (spec) =>
        new aws.securityhub.Insight(
          `${name}-${spec.key}`,
          { name: spec.name, groupByAttribute: spec.groupByAttribute, filters: insightFilters() },
          { parent: this },
        ),
    );
    if (args.automationRules) {
      for (const region of args.regions) {
        args.allowlist.forEach((entry, i) => {
          this.automationRules.push(
            new aws.securityhub.AutomationRule(
              `${name}-allowlist-${region}-${i + 1}`,
              { ...automationRuleSpec(entry, i), ruleStatus: 'ENABLED', isTerminal: false, region },
              { parent: this },
            ),
          );
        });
      }
    }
    this.registerOutputs({ insightArns: this.insights.map((i) => i.arn) });
  }
}
