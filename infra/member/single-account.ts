/**
 * Single-account mode: the same forwarding template the StackSet deploys, as one plain CloudFormation stack per
 * covered region in the current account (no organization, no StackSets). No publisher role: the handlers import
 * findings about their own account directly.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { FORWARDING_PARAMETERS, type CfnTemplate } from './template';

export interface SingleAccountForwardingArgs {
  forwardingTemplate: CfnTemplate;
  centralBusArn: pulumi.Input<string>;
  regions: readonly string[];
}

export class SingleAccountForwarding extends pulumi.ComponentResource {
  readonly stacks: aws.cloudformation.Stack[];

  constructor(name: string, args: SingleAccountForwardingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('exfiltrail:member:SingleAccountForwarding', name, {}, opts);
    const templateBody = JSON.stringify(args.forwardingTemplate);
    this.stacks = args.regions.map(
      (region) =>
        new aws.cloudformation.Stack(
          `${name}-${region}`,
          {
            name: `exfiltrail-forwarding-${pulumi.getStack()}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 128),
            region,
            templateBody,
            capabilities: ['CAPABILITY_IAM'],
            parameters: { [FORWARDING_PARAMETERS.centralBusArn]: args.centralBusArn },
            onFailure: 'DELETE',
          },
          { parent: this },
        ),
    );
    this.registerOutputs({ stackIds: this.stacks.map((s) => s.id) });
  }
}
