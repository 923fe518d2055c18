/**
 * Bundle each Lambda entry point with esbuild into `dist/lambda/<name>/index.js` (+ .map) and write
 * `dist/lambda/manifest.json` (name, path, bytes, sha256) for the infra to deploy.
 *
 * The AWS SDK v3 clients are bundled (pinned versions, tree-shaken from their ES modules) rather than taken
 * from the Lambda runtime. Module init (parse + compile of the bundle, then its top level) is a cold start's
 * cost, so three plugins keep code out that a Lambda never runs:
 * - `zodEnglishOnly`: zod's translated error messages (only `en` is ever used);
 * - `zodNamespaceImports`: `import { z } from 'zod'` made `import * as z from 'zod'` so esbuild tree-shakes zod;
 * - `lambdaEnvCredentials`: the SDK's default credential chain replaced by the environment provider (a Lambda
 *   function's credentials are always in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN).
 * See docs/handlers.md (Bundles). Run: `npm run bundle` (= `npm run build && node dist/handlers/bundle.js`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Plugin } from 'esbuild';

export interface HandlerEntry {
  /** Function name in the manifest and output folder. */
  name: string;
  /** Entry file, relative to the repository root. */
  entry: string;
}

export const HANDLER_ENTRIES: readonly HandlerEntry[] = [
  { name: 'cloudtrail', entry: 'handlers/cloudtrail.ts' },
  { name: 'getobject', entry: 'handlers/getobject.ts' },
];

/** Deployment budget checked by the bundle step and reported by `npm run bench`. */
export const BUNDLE_BUDGET_BYTES = 1024 * 1024;

export interface BundleRecord {
  name: string;
  /** Relative to the repository root. */
  path: string;
  sourceMap: string;
  handler: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  generatedBy: string;
  bundles: BundleRecord[];
}

/**
 * The repository root: the nearest folder above `start` with package.json and tsconfig.json (works from dist/,
 * which may hold a copied package.json, and from source).
 */
export function repoRoot(start = __dirname): string {
  let dir = resolve(start);
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'tsconfig.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`bundle: no package.json with tsconfig.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** zod v4's `z.locales` pulls in ~40 translations (~260 KB minified); keep only English. */
export const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.c?js$/ }, (args) => {
      if (!/[\\/]zod[\\/]/u.test(args.importer)) return undefined;
      const cjs = args.path.endsWith('.cjs');
      return { path: join(args.resolveDir, args.path), namespace: 'zod-locales', pluginData: { cjs } };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => {
      const cjs = (args.pluginData as { cjs: boolean }).cjs;
      return {
        contents: cjs ? "exports.en = require('./en.cjs').default;" : "export { default as en } from './en.js';",
        resolveDir: dirname(args.path),
        loader: 'js',
      };
    });
  },
};

/**
 * zod's entry exports its API twice: as named exports and as `z`, a re-exported namespace object. esbuild cannot
 * tree-shake a namespace that is re-exported as a value, so `import { z } from 'zod'` (this project and
 * Powertools parser) keeps all of zod (~190 KB minified), while `import * as z from 'zod'` keeps only what
 * `z.<name>` reaches (~95 KB). Both bind the same functions (the `zod` namespace is a superset of `z`: it also
 * has `z` and `default`), so this rewrites the import statement only; nothing else in the file changes.
 */
const ZOD_NAMED_Z_IMPORT = /import\s*\{([^}]*)\}\s*from\s*(['"])zod\2\s*;?/gu;

/** `import { z, ZodError } from 'zod';` -> `import * as z from 'zod'; import { ZodError } from 'zod';` */
export function rewriteZodImports(source: string): string {
  return source.replace(ZOD_NAMED_Z_IMPORT, (statement, names: string) => {
    const specifiers = names
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    if (!specifiers.includes('z')) return statement;
    const others = specifiers.filter((name) => name !== 'z');
    return `import * as z from 'zod';${others.length > 0 ? ` import { ${others.join(', ')} } from 'zod';` : ''}`;
  });
}

export const zodNamespaceImports: Plugin = {
  name: 'zod-namespace-imports',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      // Own sources and Powertools parser; other packages (zod itself included) are left as they are.
      if (/[\\/]node_modules[\\/](?!@aws-lambda-powertools[\\/]parser[\\/])/u.test(args.path)) return undefined;
      if (args.path.endsWith('.d.ts')) return undefined;
      const source = await readFile(args.path, 'utf8');
      const rewritten = rewriteZodImports(source);
      if (rewritten === source) return undefined;
      return { contents: rewritten, loader: /\.[cm]?ts$/u.test(args.path) ? 'ts' : 'js' };
    });
  },
};

/**
 * What the bundle has in place of `@aws-sdk/credential-provider-node` (the SDK's default chain: environment,
 * SSO, INI files, credential_process, web identity, login, container/IMDS, with `@aws-sdk/nested-clients` for the
 * STS/SSO calls: ~105 KB minified). A Lambda function always gets its role's credentials from the environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), and the chain tries the environment first, so
 * in Lambda both resolve the same credentials. Differences outside Lambda: AWS_PROFILE, ~/.aws files, SSO and
 * IMDS are not consulted, and a client without explicit credentials fails with "Unable to find environment
 * variable credentials". Same exports as the real package; the result is cached like the chain's (read again
 * on `forceRefresh` or within 5 minutes of an AWS_CREDENTIAL_EXPIRATION).
 */
export const LAMBDA_ENV_CREDENTIALS_SOURCE = `import { fromEnv } from '@aws-sdk/credential-provider-env';
export const credentialsWillNeedRefresh = (c) => c?.expiration !== undefined;
export const credentialsTreatedAsExpired = (c) =>
  c?.expiration !== undefined && c.expiration.getTime() - Date.now() < 300000;
export const defaultProvider = (init = {}) => {
  const read = fromEnv(init);
  let credentials;
  return async (options) => {
    if (!credentials || options?.forceRefresh || credentialsTreatedAsExpired(credentials)) credentials = await read();
    return credentials;
  };
};
`;

/** Resolve `@aws-sdk/credential-provider-node` (imported by every client's runtimeConfig) to the shim above. */
export function lambdaEnvCredentials(root: string): Plugin {
  return {
    name: 'lambda-env-credentials',
    setup(build) {
      build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
        path: 'lambda-env-credentials',
        namespace: 'lambda-env-credentials',
      }));
      build.onLoad({ filter: /.*/, namespace: 'lambda-env-credentials' }, () => ({
        contents: LAMBDA_ENV_CREDENTIALS_SOURCE,
        loader: 'js',
        // @aws-sdk/credential-provider-env resolves from the repository's node_modules (the SDK's own copy).
        resolveDir: root,
      }));
    },
  };
}

/** Bundle `entries` into `<outRoot>/<name>/index.js` (tests pass a temporary `outRoot`). */
export async function bundleAll(
  root = repoRoot(),
  entries = HANDLER_ENTRIES,
  outRoot = join(root, 'dist', 'lambda'),
): Promise<Manifest> {
  const esbuild = await import('esbuild');
  const bundles: BundleRecord[] = [];
  for (const { name, entry } of entries) {
    const outfile = join(outRoot, name, 'index.js');
    mkdirSync(dirname(outfile), { recursive: true });
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [join(root, entry)],
      outfile,
      bundle: true,
      minify: true,
      sourcemap: 'external',
      sourcesContent: false,
      treeShaking: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      // ES module builds of the SDK and Powertools tree-shake; CommonJS builds would not. (Measured: these
      // options are already the smallest; `target: 'esnext'`, `conditions` change nothing, `keepNames` adds 37 KB.)
      mainFields: ['module', 'main'],
      legalComments: 'none',
      logLevel: 'warning',
      // Lambda-only: see LAMBDA_ENV_CREDENTIALS_SOURCE. The bundle is not for running outside Lambda.
      plugins: [zodEnglishOnly, zodNamespaceImports, lambdaEnvCredentials(root)],
      tsconfig: join(root, 'tsconfig.json'),
    });
    if (result.errors.length > 0) throw new Error(`bundle ${name}: ${result.errors.length} esbuild error(s)`);
    const code = readFileSync(outfile);
    bundles.push({
      name,
      path: relative(root, outfile),
      sourceMap: relative(root, `${outfile}.map`),
      handler: 'index.handler',
      bytes: code.length,
      sha256: createHash('sha256').update(code).digest('hex'),
    });
  }
  const manifest: Manifest = { generatedBy: 'handlers/bundle.ts', bundles };
  writeFileSync(join(outRoot, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function main(): Promise<void> {
  const manifest = await bundleAll();
  let over = false;
  for (const b of manifest.bundles) {
    const kb = (b.bytes / 1024).toFixed(0);
    const flag = b.bytes > BUNDLE_BUDGET_BYTES ? '  OVER BUDGET (1 MB)' : '';
    if (flag) over = true;
    process.stdout.write(`${b.name.padEnd(12)} ${b.path}  ${kb} KB  sha256 ${b.sha256.slice(0, 16)}…${flag}\n`);
  }
  if (over) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bundle failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
