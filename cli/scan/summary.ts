/** The end-of-scan summary: what was read, what was not and why, what was found, how fast. */
import type { Signal } from '../../rules/signal';
import type { BaselineOutcome } from './baseline';
import type { ScanStats } from './engine';
import { countBySeverity } from './severity';
import { baselineNote, baselineRows } from './summary-baseline';

export interface SummaryInput {
  stats: ScanStats;
  findings: readonly Signal[];
  elapsedMs: number;
  /** ASFF findings that failed validation (a bug in the finding builder). */
  invalidFindings?: number;
  /** The GetObject baseline step; absent when the scan predates it (embedding). */
  baseline?: BaselineOutcome;
}

const n = (value: number) => value.toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function formatSummary({ stats, findings, elapsedMs, invalidFindings = 0, baseline }: SummaryInput): string {
  const seconds = elapsedMs / 1000;
  const baselineMs = baseline && baseline.kind !== 'off' ? baseline.elapsedMs : 0;
  const eventSeconds = Math.max(0, elapsedMs - baselineMs) / 1000;
  const rate = eventSeconds > 0 ? Math.round(stats.eventsRead / eventSeconds) : stats.eventsRead;
  const active = findings.filter((f) => !f.suppressed);
  const suppressed = findings.length - active.length;
  const skippedFiles = [...stats.filesSkipped.values()].reduce((a, b) => a + b, 0);
  const bySeverity = countBySeverity(findings).map(([label, count]) => `${count} ${label}`).join(', ');

  const out = ['', 'Scan summary'];
  const row = (label: string, value: string) => out.push(`  ${label.padEnd(26)}${value}`);
  row('files read', `${n(stats.filesRead)} (${mb(stats.bytesCompressed)} on disk, ${mb(stats.bytesUncompressed)} of JSON)`);
  if (stats.filesFailed > 0) row('files with problems', `${n(stats.filesFailed)} (skipped, see below)`);
  row('files skipped', n(skippedFiles));
  for (const [reason, count] of [...stats.filesSkipped].sort((a, b) => b[1] - a[1])) {
    out.push(`    ${n(count).padStart(8)}  ${reason}`);
  }
  if (stats.badLines > 0) row('bad JSON Lines lines', `${n(stats.badLines)} (skipped, see below)`);
  row('events read', n(stats.eventsRead));
  row('  skipped (pre-filter)', n(stats.eventsSkipped));
  row('  evaluated', n(stats.eventsEvaluated));
  row('  invalid', `${n(stats.eventsInvalid)}${stats.eventsInvalid > 0 ? ' (see below)' : ''}`);
  if (baseline) for (const [label, value] of baselineRows(baseline)) row(label, value);
  row('findings', active.length === 0 ? '0' : `${n(active.length)}: ${bySeverity}`);
  row('suppressed', `${n(suppressed)}${suppressed > 0 ? ' (allowlisted)' : ''}`);
  if (invalidFindings > 0) row('invalid ASFF findings', `${n(invalidFindings)} (written, but Security Hub would reject them; see above)`);
  const baselineTime = baselineMs > 0 ? `; GetObject baseline ${(baselineMs / 1000).toFixed(2)} s` : '';
  row('elapsed', `${seconds.toFixed(2)} s (${n(rate)} events/s${baselineTime})`);
  const note = baseline && baselineNote(baseline);
  if (note) out.push('', note);

  if (stats.problemCount > 0) {
    out.push('', heading('Problems', stats.problems.length, stats.problemCount));
    for (const p of stats.problems) out.push(`  ${p.location}: ${p.reason}`);
  }
  if (stats.eventsInvalid > 0) {
    out.push('', heading('Invalid events', stats.invalidSamples.length, stats.eventsInvalid));
    for (const s of stats.invalidSamples) out.push(`  ${s.location}: ${s.reason}`);
  }
  return `${out.join('\n')}\n`;
}

function heading(what: string, shown: number, total: number): string {
  return shown < total ? `${what} (first ${shown} of ${n(total)}):` : `${what} (${n(total)}):`;
}
