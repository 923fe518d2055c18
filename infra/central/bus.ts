/** The central event bus every covered account and region forwards candidate events to. */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { busPolicy } from '../policies';

export const DEFAULT_BUS_NAME = 'exfiltrail';

export interface CentralBusArgs {
  name?: string;
  /** Organization mode: `aws:PrincipalOrgID` scopes who may put events. Single-account mode: undefined. */
  organizationId?: string;
  accountId: pulumi.Input<string>;
  partition: pulumi.Input<string>;
}

export class CentralBus extends pulumi.ComponentResource {
  readonly bus: aws.cloudwatch.EventBus;
  readonly policy: aws.cloudwatch.EventBusPolicy;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: CentralBusArgs, opts?: pulumi.ComponentResourceOptions) {
    super('exfiltrail:central:Bus', name, {}, opts);
    this.bus = new aws.cloudwatch.EventBus(
      name,
      { name: args.name ?? DEFAULT_BUS_NAME, description: 'exfiltrail: exfiltration candidate CloudTrail events from the organization' },
      { parent: this },
    );
    this.policy = new aws.cloudwatch.EventBusPolicy(
      `${name}-policy`,
      {
        eventBusName: this.bus.name,
        policy: pulumi
          .all([this.bus.arn, args.accountId, args.partition])
          .apply(([busArn, accountId, partition]) =>
            JSON.stringify(
              busPolicy({ busArn, accountId, partition, ...(args.organizationId ? { organizationId: args.organizationId } : {}) }),
            ),
          ),
      },
      { parent: this },
    );
    this.name = this.bus.name;
    this.arn = this.bus.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }
}
