/**
 * Bundle each Lambda entry point with esbuild into `dist/lambda/<name>/index.mjs` (+ chunks, source maps) and write
 * `dist/lambda/manifest.json` (name, path, bytes, bytes loaded at init, files, sha256) for the infra to deploy.
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
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Metafile, Plugin } from 'esbuild';

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
  /** All code deployed: the entry and every chunk. */
  bytes: number;
  /** What module init loads: the entry and the chunks it imports statically (not those behind `import()`). */
  initBytes: number;
  /** Every code file of the bundle, relative to the repository root. */
  files: string[];
  /** The files module init loads: the entry and the chunks it imports statically. */
  initFiles: string[];
  /** Of the entry file. */
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

/** The entry file Lambda loads (`index.handler` resolves to it); chunks sit beside it in `chunks/`. */
export const BUNDLE_ENTRY_FILE = 'index.mjs';

/**
 * ES module output needs `require` for the CommonJS code bundled with it (dependencies' `require('node:fs')`
 * and the like); Node gives ES modules none, so the bundle makes one.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __exfiltrailCreateRequire } from 'node:module'; " +
  'const require = __exfiltrailCreateRequire(import.meta.url);';

/**
 * Bundle `entries` into `<outRoot>/<name>/index.mjs` plus `chunks/` (tests pass a temporary `outRoot`).
 *
 * ES modules with code splitting: each `import()` in the handlers (handlers/shared/on-demand/) becomes a chunk
 * that Node loads only when that code first runs, so module init parses just what every invocation needs.
 */
export async function bundleAll(
  root = repoRoot(),
  entries = HANDLER_ENTRIES,
  outRoot = join(root, 'dist', 'lambda'),
): Promise<Manifest> {
  const esbuild = await import('esbuild');
  const bundles: BundleRecord[] = [];
  for (const { name, entry } of entries) {
    const outdir = join(outRoot, name);
    rmSync(outdir, { recursive: true, force: true });
    mkdirSync(outdir, { recursive: true });
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: { index: join(root, entry) },
      outdir,
      chunkNames: 'chunks/[name]-[hash]',
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      banner: { js: ESM_REQUIRE_BANNER },
      minify: true,
      sourcemap: 'external',
      sourcesContent: false,
      treeShaking: true,
      platform: 'node',
      target: 'node20',
      // ES module builds of the SDK and Powertools tree-shake; CommonJS builds would not. (Measured: these
      // options are already the smallest; `target: 'esnext'`, `conditions` change nothing, `keepNames` adds 37 KB.)
      mainFields: ['module', 'main'],
      legalComments: 'none',
      logLevel: 'warning',
      metafile: true,
      // Lambda-only: see LAMBDA_ENV_CREDENTIALS_SOURCE. The bundle is not for running outside Lambda.
      plugins: [zodEnglishOnly, zodNamespaceImports, lambdaEnvCredentials(root)],
      tsconfig: join(root, 'tsconfig.json'),
    });
    if (result.errors.length > 0) throw new Error(`bundle ${name}: ${result.errors.length} esbuild error(s)`);
    bundles.push(bundleRecord(root, name, join(outdir, BUNDLE_ENTRY_FILE), result.metafile));
  }
  const manifest: Manifest = { generatedBy: 'handlers/bundle.ts', bundles };
  writeFileSync(join(outRoot, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Sizes from esbuild's metafile: everything deployed, and what module init loads (the entry's static imports). */
function bundleRecord(root: string, name: string, entryFile: string, metafile: Metafile): BundleRecord {
  const outputs = metafile.outputs;
  const code = Object.keys(outputs).filter((file) => file.endsWith('.mjs'));
  const entryKey = code.find((file) => resolve(root, file) === entryFile);
  if (entryKey === undefined) throw new Error(`bundle ${name}: esbuild wrote no ${entryFile}`);
  const atInit = new Set<string>();
  const visit = (file: string): void => {
    if (atInit.has(file)) return;
    atInit.add(file);
    for (const imported of outputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entryKey);
  const bytesOf = (files: Iterable<string>) => [...files].reduce((sum, file) => sum + (outputs[file]?.bytes ?? 0), 0);
  const fromRoot = (files: Iterable<string>) => [...files].map((file) => relative(root, resolve(root, file))).sort();
  const entryCode = readFileSync(entryFile);
  return {
    name,
    path: relative(root, entryFile),
    sourceMap: relative(root, `${entryFile}.map`),
    handler: 'index.handler',
    bytes: bytesOf(code),
    initBytes: bytesOf(atInit),
    files: fromRoot(code),
    initFiles: fromRoot(atInit),
    sha256: createHash('sha256').update(entryCode).digest('hex'),
  };
}

async function main(): Promise<void> {
  const manifest = await bundleAll();
  let over = false;
  for (const b of manifest.bundles) {
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
    const flag = b.bytes > BUNDLE_BUDGET_BYTES ? '  OVER BUDGET (1 MB)' : '';
    if (flag) over = true;
    const sizes = `${kb(b.bytes)} in ${b.files.length} files, ${kb(b.initBytes)} loaded at init`;
    process.stdout.write(`${b.name.padEnd(12)} ${b.path}  ${sizes}  sha256 ${b.sha256.slice(0, 16)}…${flag}\n`);
  }
  if (over) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bundle failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
