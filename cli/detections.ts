/** `exfiltrail detections`: what the registry holds, as a table or as JSON (patterns included). */
import type { Command } from 'commander';
import { ALL_DETECTIONS } from '../rules/detections';
import type { Detection } from '../rules/detection';
import { severityOf } from '../rules/risk';

export function describeDetections(detections: readonly Detection[]): object[] {
  return detections.map((d) => ({
    id: d.id,
    title: d.title,
    impact: d.impact,
    confidence: d.confidence,
    baseSeverity: severityOf(Math.round((d.impact * d.confidence) / 100)),
    attack: d.attack.map((a) => `${a.tactic.id}/${a.technique.id} ${a.technique.name}`),
    patterns: d.patterns,
  }));
}

export function detectionsTable(detections: readonly Detection[]): string {
  const rows = detections.map((d) => {
    const score = Math.round((d.impact * d.confidence) / 100);
    return [d.id, `${score} ${severityOf(score)}`, d.attack.map((a) => a.technique.id).join(','), d.title];
  });
  const header = ['DETECTION', 'BASE RISK', 'ATT&CK', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export function registerDetectionsCommand(program: Command): void {
  program
    .command('detections')
    .description('List the shipped detections (with --json: their EventBridge patterns too)')
    .option('--json', 'print JSON, patterns included')
    .action((options: { json?: boolean }) => {
      const text = options.json
        ? JSON.stringify(describeDetections(ALL_DETECTIONS), null, 2)
        : detectionsTable(ALL_DETECTIONS);
      process.stdout.write(`${text}\n`);
    });
}
