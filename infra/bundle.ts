/**
 * The handler code: the esbuild bundle `npm run bundle` writes to `dist/lambda/<name>/` (index.mjs and the chunks it
 * loads). The whole folder is the function's code. The stack never builds code itself; a missing bundle is an
 * error that says what to run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { BUNDLE_ENTRY_FILE } from '../handlers/bundle';

/** Relative to the project root (Pulumi runs the program from the directory of Pulumi.yaml). */
export const DEFAULT_BUNDLE_DIR = path.join('dist', 'lambda', 'cloudtrail');
/** The ES module Lambda loads for `index.handler` (Lambda's Node.js runtimes load `.mjs` as an ES module). */
export const BUNDLE_ENTRY = BUNDLE_ENTRY_FILE;
/** The bundle's exported `handler` (handlers/cloudtrail.ts). */
export const BUNDLE_HANDLER = 'index.handler';

export class BundleMissingError extends Error {
  constructor(readonly dir: string) {
    super(`Lambda bundle not found: ${path.join(dir, BUNDLE_ENTRY)} does not exist; run \`npm run bundle\` first`);
    this.name = 'BundleMissingError';
  }
}

export interface HandlerBundle {
  dir: string;
  code: pulumi.asset.Archive;
  handler: string;
}

/** What every Lambda that publishes findings needs from the stack: its code, the publisher role, its config, where it runs. */
export interface PublishingHandlerArgs {
  bundle: HandlerBundle;
  publisherRoleName: string;
  memberAccountIds: readonly string[];
  configParameterName: pulumi.Input<string>;
  configParameterArn: pulumi.Input<string>;
  accountsFromOrganizations: boolean;
  logRetentionDays: number;
  accountId: pulumi.Input<string>;
  partition: pulumi.Input<string>;
  region: string;
}

export function loadHandlerBundle(dir: string = DEFAULT_BUNDLE_DIR): HandlerBundle {
  const resolved = path.resolve(dir);
  const entry = path.join(resolved, BUNDLE_ENTRY);
  if (!fs.existsSync(entry) || !fs.statSync(entry).isFile()) throw new BundleMissingError(resolved);
  return { dir: resolved, code: new pulumi.asset.FileArchive(resolved), handler: BUNDLE_HANDLER };
}
