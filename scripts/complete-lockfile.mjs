#!/usr/bin/env node
// npm 11 records only the host platform's optional native packages in package-lock.json, and then `npm ci`
// rejects the lockfile as out of sync on every platform (npm/cli#8805, #4828). This adds the missing
// optional platform entries with their registry metadata, so `npm ci` works on a fresh clone anywhere.
// Run after `npm install` changes dependencies: node scripts/complete-lockfile.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

/** Where node would resolve `name` from the package at `from` (its own node_modules, then up the tree). */
function resolves(from, name) {
  let dir = from;
  for (;;) {
    if (packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (!dir) return false;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i === -1 ? '' : dir.slice(0, i);
  }
}

function view(spec) {
  try {
    const meta = JSON.parse(execFileSync('npm', ['view', spec, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return Array.isArray(meta) ? meta.at(-1) : meta;
  } catch {
    return undefined;
  }
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolves(location, name)) continue;
    // The exact version may be missing from a partial registry mirror; the platform fields (os, cpu, libc) do
    // not change between versions, so they are taken from whatever version the registry has.
    const exact = view(`${name}@${version}`);
    const info = exact ?? view(name);
    if (!info) throw new Error(`${name}: not in the registry, cannot record its platform`);
    const record = { version };
    if (exact) record.integrity = exact.dist.integrity;
    for (const key of ['cpu', 'os', 'libc']) if (info[key] !== undefined) record[key] = info[key];
    record.optional = true;
    packages[`node_modules/${name}`] = record;
    added += 1;
    process.stdout.write(`added ${name}@${version}${exact ? '' : ' (platform from another version)'}\n`);
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`${added} optional platform entries added\n`);
