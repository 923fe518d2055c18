/**
 * The human-readable report: one row per finding (most severe first), its one-line message beneath, and the
 * allowlisted findings in a section of their own with the reason they were suppressed.
 */
import type { Signal } from '../../rules/signal';
import { compareFindings } from './severity';

const COLUMNS = ['SEVERITY', 'DETECTION', 'ACCOUNT', 'REGION', 'PRINCIPAL', 'SOURCE IP', 'RESOURCE', 'TIME'] as const;

function resourceOf(signal: Signal): string {
  const [first, ...rest] = signal.resources;
  if (!first) return '-';
  return rest.length > 0 ? `${first.id} (+${rest.length})` : first.id;
}

function rowOf(signal: Signal): string[] {
  return [
    signal.risk.severity,
    signal.detection.id,
    signal.account,
    signal.region,
    signal.actor.principal,
    signal.actor.sourceIp ?? '-',
    resourceOf(signal),
    signal.eventTime,
  ];
}

function table(signals: readonly Signal[], noteOf: (signal: Signal) => string): string[] {
  const rows = signals.map(rowOf);
  const widths = COLUMNS.map((title, c) => Math.max(title.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ');
  const out = [line(COLUMNS)];
  rows.forEach((row, i) => {
    out.push(line(row));
    out.push(`    ${noteOf(signals[i] as Signal)}`);
  });
  return out;
}

export function formatTable(findings: readonly Signal[]): string {
  const active = findings.filter((f) => !f.suppressed).sort(compareFindings);
  const suppressed = findings.filter((f) => f.suppressed).sort(compareFindings);
  const out: string[] = [];
  if (active.length === 0) out.push('No findings.');
  else {
    out.push(`Findings (${active.length})`, '');
    out.push(...table(active, (f) => f.message));
  }
  if (suppressed.length > 0) {
    out.push('', `Suppressed by the allowlist (${suppressed.length})`, '');
    out.push(...table(suppressed, (f) => `suppressed: ${f.suppressed?.reason ?? ''} | ${f.message}`));
  }
  return `${out.join('\n')}\n`;
}
