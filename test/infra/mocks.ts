/**
 * Runs Pulumi code against `pulumi.runtime.setMocks` (no cloud, no CLI) and records every resource declared,
 * with its inputs as the provider would receive them (outputs resolved).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';

export const ACCOUNT_ID = '111111111111';
export const REGION = 'us-east-1';

export interface MockResource {
  type: string;
  name: string;
  /** Resolved inputs. */
  inputs: Record<string, any>;
  custom: boolean;
}

function arnFor(type: string, name: string, inputs: Record<string, any>): string {
  const n = String(inputs['name'] ?? name);
  switch (type) {
    case 'aws:cloudwatch/eventBus:EventBus':
      return `arn:aws:events:${REGION}:${ACCOUNT_ID}:event-bus/${n}`;
    case 'aws:cloudwatch/eventRule:EventRule':
      return `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/${inputs['eventBusName'] ?? 'default'}/${n}`;
    case 'aws:iam/role:Role':
      return `arn:aws:iam::${ACCOUNT_ID}:role/${n}`;
    case 'aws:sqs/queue:Queue':
      return `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${n}`;
    case 'aws:lambda/function:Function':
      return `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${n}`;
    case 'aws:ssm/parameter:Parameter':
      return `arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter${n}`;
    case 'aws:cloudwatch/logGroup:LogGroup':
      return `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${n}`;
    case 'aws:sns/topic:Topic':
      return `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${n}`;
    case 'aws:kms/key:Key':
      return `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${n}`;
    default:
      return `arn:aws:mock:${REGION}:${ACCOUNT_ID}:${type.split(':').pop()}/${n}`;
  }
}

/** The names the provider would give: physical `name` when set, else the logical name. */
function stateFor(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  const physical = inputs['name'] ?? name;
  const state: Record<string, any> = { ...inputs, name: physical, arn: arnFor(type, name, inputs) };
  if (type === 'aws:sqs/queue:Queue') state['url'] = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/${physical}`;
  return state;
}

/** Declare resources with `build`, wait until every registration is done, and return them with the result. */
export async function runWithMocks<T>(build: () => T): Promise<{ result: T; resources: MockResource[] }> {
  const resources: MockResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({ type: args.type, name: args.name, inputs: unwrapSecrets(args.inputs), custom: args.custom ?? true });
        return { id: `${args.name}-id`, state: stateFor(args.type, args.name, args.inputs) };
      },
      call(args) {
        switch (args.token) {
          case 'aws:index/getCallerIdentity:getCallerIdentity':
            return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/deployer`, userId: 'AIDAEXAMPLE', id: ACCOUNT_ID };
          case 'aws:index/getPartition:getPartition':
            return { partition: 'aws', dnsSuffix: 'amazonaws.com', reverseDnsPrefix: 'com.amazonaws', id: 'aws' };
          default:
            throw new Error(`unexpected invoke ${args.token}`);
        }
      },
    },
    'exfiltrail',
    'test',
    false,
  );
  const result = build();
  await waitForRegistrations();
  return { result, resources };
}

/** Pulumi's own "wait for the RPC queue to drain" (what `pulumi up` does before exiting). */
async function waitForRegistrations(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require('@pulumi/pulumi/runtime/settings') as { waitForRPCs?: () => Promise<void> };
  if (typeof settings.waitForRPCs !== 'function') throw new Error('@pulumi/pulumi no longer exports waitForRPCs');
  await settings.waitForRPCs();
}

/** The provider marks some inputs secret (an SSM parameter's value); tests read the plain value. */
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

function unwrapSecrets(value: any): any {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === 'object') {
    if (value[SIG_KEY] === SECRET_SIG) return unwrapSecrets(value.value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

export function ofType(resources: readonly MockResource[], type: string): MockResource[] {
  return resources.filter((r) => r.type === type);
}

/** A temporary bundle directory with an index.mjs, as `npm run bundle` writes it. */
export function fakeBundleDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exfiltrail-bundle-'));
  fs.writeFileSync(path.join(dir, 'index.mjs'), 'export const handler = async () => ({});\n');
  return dir;
}

export function parseJson(value: unknown): any {
  if (typeof value !== 'string') throw new Error(`expected a JSON string, got ${typeof value}`);
  return JSON.parse(value);
}
