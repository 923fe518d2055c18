/** The GetObject baseline's part of the scan summary: what it read, what it scored, or why it did not. */
import { DEFAULT_SCORING } from '../../rules/baseline/score';
import type { BaselineOutcome } from './baseline';

const n = (value: number) => value.toLocaleString('en-US');
/** `2025-03-12T03:10Z`: bins start on whole minutes. */
const minute = (iso: string) => `${iso.slice(0, 16)}Z`;

/** Why a baseline that ran scored nothing, as a line of its own under the summary; undefined when it scored. */
export function baselineNote(outcome: BaselineOutcome): string | undefined {
  if (outcome.kind !== 'ran') return undefined;
  const s = outcome.stats;
  if (s.reads === 0) return 'baseline: no S3 GetObject data events in these files (is the trail logging S3 data events?): not scored';
  if (s.scoredFrom !== null) return undefined;
  if (outcome.windowMinutes !== undefined) {
    return `baseline: the last ${n(outcome.windowMinutes)} minutes fall in the warm-up (the archive's first ${outcome.minHistoryDays} days): not scored`;
  }
  const days = s.warmupDaysSkipped;
  return `baseline: ${days} day${days === 1 ? '' : 's'} of GetObject history, needs ${outcome.minHistoryDays}: not scored`;
}

/** Summary rows (label, value), indented under "GetObject baseline". */
export function baselineRows(outcome: BaselineOutcome): [string, string][] {
  if (outcome.kind === 'off') return [['GetObject baseline', outcome.reason]];
  if (outcome.kind === 'failed') {
    const first = outcome.error.split('\n')[0] ?? outcome.error;
    return [['GetObject baseline', `FAILED, the scan is incomplete (exit code 3): ${first}`]];
  }
  const s = outcome.stats;
  const rows: [string, string][] = [['GetObject baseline', `s3-getobject-anomaly on DuckDB, ${n(s.files)} log file${s.files === 1 ? '' : 's'}`]];
  rows.push(['  GetObject reads', `${n(s.reads)} by ${n(s.principals)} principal${s.principals === 1 ? '' : 's'} in ${n(s.bins)} bins of 10 minutes`]);
  rows.push(['  warm-up days skipped', n(s.warmupDaysSkipped)]);
  const note = baselineNote(outcome);
  if (note) {
    rows.push(['  scored', 'nothing (see the note below)']);
    return rows;
  }
  const window = outcome.windowMinutes !== undefined ? ` (the last ${n(outcome.windowMinutes)} minutes)` : '';
  rows.push(['  scored range', `${minute(s.scoredFrom ?? '')} to ${minute(s.scoredTo ?? '')}${window}`]);
  rows.push(['  bins scored', `${n(s.scoredBins)} (those of ${DEFAULT_SCORING.minRequests} reads or more)`]);
  rows.push(['  flagged', `${n(s.flagged)}${s.suppressed > 0 ? ` (${n(s.suppressed)} allowlisted)` : ''}`]);
  return rows;
}
