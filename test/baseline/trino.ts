/**
 * dt-sql-parser ships ES modules with extension-less imports that neither Node's require nor Jest's CommonJS
 * runtime can load; esbuild (a dev dependency) bundles its Trino parser into one CommonJS module instead.
 */
import { buildSync } from 'esbuild';
import Module from 'node:module';
import * as path from 'node:path';

interface TrinoParser {
  validate(sql: string): { message: string; startLine: number; startColumn: number }[];
}

let parser: TrinoParser | undefined;

export function trinoParser(): TrinoParser {
  if (parser) return parser;
  const root = path.resolve(__dirname, '..', '..');
  const out = buildSync({
    stdin: { contents: "export { TrinoSQL } from 'dt-sql-parser';", resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]?.text;
  if (!code) throw new Error('esbuild produced no bundle for dt-sql-parser');
  const mod = new Module('dt-sql-parser-bundle') as Module & { _compile(code: string, file: string): void };
  mod._compile(code, path.join(root, 'dt-sql-parser-bundle.js'));
  const { TrinoSQL } = mod.exports as { TrinoSQL: new () => TrinoParser };
  parser = new TrinoSQL();
  return parser;
}

/** Syntax errors of `sql` as Trino, as short strings (empty when it parses). */
export function trinoErrors(sql: string): string[] {
  return trinoParser()
    .validate(sql)
    .map((e) => `${e.startLine}:${e.startColumn} ${e.message}`);
}
