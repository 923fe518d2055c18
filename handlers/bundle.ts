/**
 * Bundle each Lambda entry point with esbuild into `dist/lambda/<name>/index.js` (+ .map) and write
 * `dist/lambda/manifest.json` (name, path, bytes, sha256) for the infra to deploy.
 *
 * The AWS SDK v3 clients are bundled (pinned versions, tree-shaken from their ES modules) rather than taken
 * from the Lambda runtime. zod's translated error messages are left out (only `en` is ever used).
 * Run: `npm run bundle` (= `npm run build && node dist/handlers/bundle.js`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Plugin } from 'esbuild';

export interface HandlerEntry {
  /** Function name in the manifest and output folder. */
  name: string;
  /** Entry file, relative to the repository root. */
  entry: string;
}

export const HANDLER_ENTRIES: readonly HandlerEntry[] = [{ name: 'cloudtrail', entry: 'handlers/cloudtrail.ts' }];

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

export async function bundleAll(root = repoRoot(), entries = HANDLER_ENTRIES): Promise<Manifest> {
  const esbuild = await import('esbuild');
  const outRoot = join(root, 'dist', 'lambda');
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
      // ES module builds of the SDK and Powertools tree-shake; CommonJS builds would not.
      mainFields: ['module', 'main'],
      legalComments: 'none',
      logLevel: 'warning',
      plugins: [zodEnglishOnly],
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
