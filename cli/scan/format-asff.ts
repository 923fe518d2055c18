/**
 * ASFF output: one Security Hub finding per line (JSON Lines), exactly what the Lambda handlers would import.
 * Every finding is validated; an invalid one is a bug in the builder: it is still written (the data is not
 * lost) and returned so the caller reports and counts it.
 */
import { buildFinding, validateFinding } from '../../handlers/findings';
import type { Signal } from '../../rules/signal';
import { compareFindings } from './severity';

export interface InvalidFinding {
  id: string;
  problems: string[];
}

export function formatAsff(findings: readonly Signal[]): { text: string; invalid: InvalidFinding[] } {
  const invalid: InvalidFinding[] = [];
  const lines = [...findings].sort(compareFindings).map((signal) => {
    const finding = buildFinding(signal);
    const validation = validateFinding(finding);
    if (!validation.ok) invalid.push({ id: String(finding.Id), problems: validation.issues });
    return JSON.stringify(finding);
  });
  return { text: lines.length > 0 ? `${lines.join('\n')}\n` : '', invalid };
}
