/**
 * The detection context (rules/config.ts schema) in an SSM parameter the handlers read
 * (EXFILTRAIL_CONFIG_PARAMETER). A plain String: the context holds account ids and reasons, no secrets.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { ExfiltrailConfig } from '../../rules/config';

/** Standard parameters hold 4 KB, advanced ones 8 KB (and cost $0.05 a month). */
export const STANDARD_PARAMETER_LIMIT = 4096;
export const ADVANCED_PARAMETER_LIMIT = 8192;

export function parameterTierFor(value: string): 'Standard' | 'Advanced' {
  const size = Buffer.byteLength(value, 'utf8');
  if (size <= STANDARD_PARAMETER_LIMIT) return 'Standard';
  if (size <= ADVANCED_PARAMETER_LIMIT) return 'Advanced';
  throw new Error(
    `exfiltrail:detection is ${size} bytes as JSON, over the ${ADVANCED_PARAMETER_LIMIT}-byte SSM parameter limit: ` +
      'shorten allowlist reasons, or leave organizationAccountIds empty and set exfiltrail:accountsFromOrganizations',
  );
}

export interface ConfigParameterArgs {
  config: ExfiltrailConfig;
}

export class ConfigParameter extends pulumi.ComponentResource {
  readonly parameter: aws.ssm.Parameter;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: ConfigParameterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('exfiltrail:central:ConfigParameter', name, {}, opts);
    const value = JSON.stringify(args.config);
    this.parameter = new aws.ssm.Parameter(
      name,
      {
        name: `/exfiltrail/${pulumi.getStack()}/config`,
        description: 'exfiltrail detection context: organization accounts, trusted accounts, allowlist, detection settings',
        type: 'String',
        tier: parameterTierFor(value),
        value,
      },
      { parent: this },
    );
    this.name = this.parameter.name;
    this.arn = this.parameter.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }
}
