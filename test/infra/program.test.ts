/** The Pulumi program itself (infra/index.ts): stack config in, validated, component out. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { ofType, runWithMocks } from './mocks';

jest.setTimeout(120_000);

const cwd = process.cwd();
let project: string;

beforeAll(() => {
  // Pulumi runs the program from the project directory; the default bundle path is relative to it.
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'exfiltrail-project-'));
  fs.mkdirSync(path.join(project, 'dist', 'lambda', 'cloudtrail'), { recursive: true });
  fs.writeFileSync(path.join(project, 'dist', 'lambda', 'cloudtrail', 'index.mjs'), 'export const handler = async () => ({});\n');
  process.chdir(project);
});

afterAll(() => process.chdir(cwd));

it('refuses an invalid stack configuration before declaring anything, naming the key', () => {
  pulumi.runtime.setAllConfig({ 'aws:region': 'us-east-1', 'exfiltrail:regions': '["us-east-1"]', 'exfiltrail:organizationId': 'acme' });
  let thrown: unknown;
  jest.isolateModules(() => {
    try {
      require('../../infra/index');
    } catch (error) {
      thrown = error;
    }
  });
  expect(thrown).toBeInstanceOf(Error);
  expect((thrown as Error).name).toBe('StackConfigError');
  expect((thrown as Error).message).toMatch(/exfiltrail:organizationId: an organization id looks like/);
});

it('deploys from the stack configuration with the bundle at its default place', async () => {
  pulumi.runtime.setAllConfig({
    'aws:region': 'us-east-1',
    'exfiltrail:mode': 'single-account',
    'exfiltrail:regions': '["us-east-1"]',
    'exfiltrail:detection': '{"detections":{"ec2-vm-export":{"enabled":false}}}',
  });
  const { result, resources } = await runWithMocks(() => require('../../infra/index') as Record<string, unknown>);
  expect(result['detections']).not.toContain('ec2-vm-export');
  expect(ofType(resources, 'aws:lambda/function:Function')).toHaveLength((result['detections'] as string[]).length);
  expect(ofType(resources, 'aws:cloudformation/stack:Stack')).toHaveLength(1);
});
