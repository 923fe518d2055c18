/**
 * `ExfiltrationDetection`: the whole pipeline from one validated stack configuration.
 *
 * Central account (the provider's region): the `exfiltrail` bus (policy scoped to the organization), one rule and
 * handler per enabled detection, the config parameter, alarms, Security Hub insights (and optional allowlist
 * automation rules). Member accounts: forwarding rules in every covered region and the finding publisher role,
 * through service-managed StackSets; in single-account mode, plain CloudFormation stacks in this account.
 */
import * as path from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Detection } from '../rules/detection';
import { ALL_DETECTIONS } from '../rules/detections';
import { ConfigError } from '../rules/config';
import { enabledDetections } from '../rules/registry';
import { DEFAULT_BUNDLE_DIR, loadHandlerBundle, type PublishingHandlerArgs } from './bundle';
import { baselineQueryFailuresAlarm } from './baseline/alarms';
import { GetObjectBaseline } from './baseline/component';
import { Alarms, type WatchedFunction, type WatchedQueue } from './central/alarms';
import { CentralBus } from './central/bus';
import { ConfigParameter } from './central/config-parameter';
import { DetectionHandler } from './central/detection-handler';
import { FindingInsights } from './central/insights';
import { SingleAccountForwarding } from './member/single-account';
import { MemberStackSets } from './member/stacksets';
import { forwardingTemplate, publisherTemplate } from './member/template';
import { StackConfigError, type StackConfig } from './stack-config';

export interface ExfiltrationDetectionArgs {
  /** The validated stack configuration (`parseStackConfig`). */
  config: StackConfig;
  /** Where the central bus and handlers live: the provider's region. */
  centralRegion: string;
  /** Directory of the handler bundle (`dist/lambda/cloudtrail` by default). */
  bundleDir?: string;
  /** Directory of the GetObject baseline bundle (`dist/lambda/getobject` by default); read only when enabled. */
  baselineBundleDir?: string;
  /** The detection registry; `ALL_DETECTIONS` unless a test passes its own. */
  detections?: readonly Detection[];
}

export class ExfiltrationDetection extends pulumi.ComponentResource {
  readonly bus: CentralBus;
  readonly handlers: DetectionHandler[];
  readonly configParameter: ConfigParameter;
  readonly alarms: Alarms;
  readonly insights: FindingInsights;
  readonly stackSets?: MemberStackSets;
  readonly singleAccount?: SingleAccountForwarding;
  /** The S3 GetObject baseline on Athena, when `exfiltrail:baseline` is set and enabled. */
  readonly baseline?: GetObjectBaseline;
  /** Detection ids deployed, in registry order. */
  readonly enabledDetectionIds: readonly string[];
  readonly busArn: pulumi.Output<string>;
  readonly handlerRoleArns: pulumi.Output<string[]>;

  constructor(name: string, args: ExfiltrationDetectionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('exfiltrail:index:ExfiltrationDetection', name, {}, opts);
    const { config, centralRegion } = args;
    // Everything that can be wrong with the inputs fails here, before any resource is declared.
    if (!config.regions.includes(centralRegion)) {
      throw new StackConfigError(
        `exfiltrail:regions must include the central region ${centralRegion} (aws:region), got ${config.regions.join(', ')}`,
        [`exfiltrail:regions: missing ${centralRegion}`],
      );
    }
    const enabled = enabledFromConfig(config, args.detections ?? ALL_DETECTIONS);
    if (enabled.length === 0) {
      throw new StackConfigError('exfiltrail:detection.detections disables every detection: nothing to deploy', [
        'exfiltrail:detection.detections: every detection is disabled',
      ]);
    }
    this.enabledDetectionIds = enabled.map((d) => d.id);
    const organization = config.mode === 'organization';
    const organizationId = organization ? config.organizationId : undefined;
    const forwarding = forwardingTemplate({ detections: enabled });
    const bundle = loadHandlerBundle(args.bundleDir ?? DEFAULT_BUNDLE_DIR);

    const parent = { parent: this };
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    const partition = aws.getPartitionOutput({}, parent).partition;

    this.configParameter = new ConfigParameter(`${name}-config`, { config: config.detection }, parent);
    this.bus = new CentralBus(
      `${name}-bus`,
      { accountId, partition, ...(organizationId ? { organizationId } : {}) },
      parent,
    );
    this.busArn = this.bus.arn;

    // Shared by every handler that publishes findings (the detection handlers and the baseline handler).
    const publishing: Omit<PublishingHandlerArgs, 'bundle'> = {
      publisherRoleName: config.publisherRoleName,
      memberAccountIds: config.detection.organizationAccountIds,
      configParameterName: this.configParameter.name,
      configParameterArn: this.configParameter.arn,
      accountsFromOrganizations: config.accountsFromOrganizations,
      logRetentionDays: config.logRetentionDays,
      accountId,
      partition,
      region: centralRegion,
    };

    this.handlers = enabled.map(
      (detection) =>
        new DetectionHandler(
          `${name}-${detection.id}`,
          {
            ...publishing,
            detection,
            busName: this.bus.name,
            bundle,
            ...(organizationId ? { organizationId } : {}),
          },
          parent,
        ),
    );
    if (config.baseline?.enabled) {
      const b = config.baseline;
      const organizationForTrail = b.trailOrganizationId ?? config.organizationId;
      if (!organizationForTrail) throw new Error('internal: baseline without a trail organization id');
      this.baseline = new GetObjectBaseline(
        `${name}-baseline`,
        {
          config: b,
          organizationId: organizationForTrail,
          accounts: b.accounts ?? config.detection.organizationAccountIds.filter((id) => /^\d{12}$/.test(id)),
          regions: b.regions ?? config.regions,
          ...publishing,
          bundle: loadHandlerBundle(args.baselineBundleDir ?? path.join('dist', 'lambda', 'getobject')),
          ...(organizationId ? { assumeOrganizationId: organizationId } : {}),
        },
        parent,
      );
    }
    // Every role that assumes the member publisher role: the detection handlers and the baseline handler.
    const publisherRoles = [...this.handlers.map((h) => h.role), ...(this.baseline ? [this.baseline.role] : [])];
    this.handlerRoleArns = pulumi.all(publisherRoles.map((r) => r.arn));

    if (organization) {
      if (!config.organizationId || !config.targets) throw new Error('internal: organization mode without organizationId/targets');
      this.stackSets = new MemberStackSets(
        `${name}-members`,
        {
          forwardingTemplate: forwarding,
          publisherTemplate: publisherTemplate({
            roleName: config.publisherRoleName,
            organizationId: config.organizationId,
            importRegions: [centralRegion],
          }),
          centralBusArn: this.bus.arn,
          handlerRoleArns: publisherRoles.map((r) => r.arn),
          targets: config.targets,
          regions: config.regions,
          centralRegion,
          callAs: config.stackSetCallAs,
        },
        // A trust policy naming a role that does not exist yet is refused: roles first.
        { parent: this, dependsOn: publisherRoles },
      );
    } else {
      this.singleAccount = new SingleAccountForwarding(
        `${name}-forwarding`,
        { forwardingTemplate: forwarding, centralBusArn: this.bus.arn, regions: config.regions },
        { parent: this, dependsOn: [this.bus.policy] },
      );
    }

    const queues: WatchedQueue[] = this.handlers.flatMap((h) => [
      { label: `${h.detectionId}-delivery-dlq`, queueName: h.deliveryDeadLetterQueue.name },
      { label: `${h.detectionId}-failures`, queueName: h.failureQueue.name },
    ]);
    const functions: WatchedFunction[] = this.handlers.map((h) => ({ label: h.detectionId, functionName: h.function.name }));
    if (this.baseline) {
      queues.push(
        { label: 's3-getobject-anomaly-failures', queueName: this.baseline.failureQueue.name },
        { label: 's3-getobject-anomaly-schedule-dlq', queueName: this.baseline.scheduleDeadLetterQueue.name },
      );
      functions.push({ label: 's3-getobject-anomaly', functionName: this.baseline.function.name });
    }
    this.alarms = new Alarms(
      `${name}-alarms`,
      {
        ...(config.alarmTopicArn ? { topicArn: config.alarmTopicArn } : {}),
        ...(config.alarmEmail ? { email: config.alarmEmail } : {}),
        queues,
        functions,
        accountId,
        partition,
      },
      parent,
    );
    if (this.baseline) baselineQueryFailuresAlarm(`${name}-alarms-baseline-query-failures`, this.alarms.topicArn, { parent: this.alarms });
    this.insights = new FindingInsights(
      `${name}-insights`,
      { allowlist: config.detection.allowlist, automationRules: config.automationRules, regions: config.regions },
      parent,
    );

    this.registerOutputs({
      busArn: this.busArn,
      handlerRoleArns: this.handlerRoleArns,
      configParameterName: this.configParameter.name,
      alarmTopicArn: this.alarms.topicArn,
    });
  }
}

/** The registry's enabled detections; a config naming an unknown detection fails with the stack key. */
function enabledFromConfig(config: StackConfig, detections: readonly Detection[]): Detection[] {
  try {
    return enabledDetections(config.detection, detections);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const issues = error.issues.map((issue) => `exfiltrail:detection.${issue}`);
    throw new StackConfigError(`invalid stack configuration:\n  ${issues.join('\n  ')}`, issues);
  }
}
