/**
 * Organization mode: the member templates deployed by service-managed StackSets to every account under the
 * target root/OUs, and automatically to accounts that join them later.
 * - `forwarding`: one instance per covered region (EventBridge events stay in their region).
 * - `publisher`: one instance in the central region only (IAM is global; one role per account).
 * Service-managed StackSets never deploy to the management account: run single-account mode there if needed.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { FORWARDING_PARAMETERS, PUBLISHER_PARAMETERS, type CfnTemplate } from './template';

export interface MemberStackSetsArgs {
  forwardingTemplate: CfnTemplate;
  publisherTemplate: CfnTemplate;
  centralBusArn: pulumi.Input<string>;
  handlerRoleArns: pulumi.Input<string>[];
  /** Root and/or OU ids. */
  targets: readonly string[];
  regions: readonly string[];
  centralRegion: string;
  callAs: 'DELEGATED_ADMIN' | 'SELF';
}

/** Roll out region by region in parallel, a quarter of the accounts at a time; stop after 10% failures. */
const OPERATION_PREFERENCES = {
  regionConcurrencyType: 'PARALLEL',
  maxConcurrentPercentage: 25,
  failureTolerancePercentage: 10,
};

export class MemberStackSets extends pulumi.ComponentResource {
  readonly forwarding: aws.cloudformation.StackSet;
  readonly publisher: aws.cloudformation.StackSet;
  readonly instances: aws.cloudformation.StackSetInstance[] = [];

  constructor(name: string, args: MemberStackSetsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('exfiltrail:member:StackSets', name, {}, opts);
    const common = {
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: args.callAs,
      managedExecution: { active: true },
      operationPreferences: OPERATION_PREFERENCES,
    };
    // AWS sets an administration role on service-managed stack sets; ignoring it avoids a perpetual diff.
    const setOpts = { parent: this, ignoreChanges: ['administrationRoleArn'] };

    this.forwarding = new aws.cloudformation.StackSet(
      `${name}-forwarding`,
      {
        ...common,
        description: 'exfiltrail: forward exfiltration candidate events to the central bus (every covered region)',
        capabilities: ['CAPABILITY_IAM'],
        templateBody: JSON.stringify(args.forwardingTemplate),
        parameters: { [FORWARDING_PARAMETERS.centralBusArn]: args.centralBusArn },
      },
      setOpts,
    );
    this.publisher = new aws.cloudformation.StackSet(
      `${name}-publisher`,
      {
        ...common,
        description: 'exfiltrail: finding publisher role (once per account)',
        capabilities: ['CAPABILITY_NAMED_IAM'],
        templateBody: JSON.stringify(args.publisherTemplate),
        parameters: {
          [PUBLISHER_PARAMETERS.handlerRoleArns]: pulumi.all(args.handlerRoleArns).apply((arns) => [...arns].sort().join(',')),
        },
      },
      setOpts,
    );

    const deploymentTargets = { organizationalUnitIds: [...args.targets] };
    for (const region of args.regions) {
      this.instances.push(
        new aws.cloudformation.StackSetInstance(
          `${name}-forwarding-${region}`,
          {
            stackSetName: this.forwarding.name,
            stackSetInstanceRegion: region,
            deploymentTargets,
            callAs: args.callAs,
            operationPreferences: OPERATION_PREFERENCES,
            retainStack: false,
          },
          { parent: this },
        ),
      );
    }
    this.instances.push(
      new aws.cloudformation.StackSetInstance(
        `${name}-publisher-${args.centralRegion}`,
        {
          stackSetName: this.publisher.name,
          stackSetInstanceRegion: args.centralRegion,
          deploymentTargets,
          callAs: args.callAs,
          operationPreferences: OPERATION_PREFERENCES,
          retainStack: false,
        },
        { parent: this },
      ),
    );
    this.registerOutputs({ forwardingStackSet: this.forwarding.name, publisherStackSet: this.publisher.name });
  }
}
