import { buildFinding } from '../../handlers/findings';
import { principalOf } from '../../rules/actor';
import { CloudTrailRecordSchema, toEventBridgeEvent } from '../../rules/cloudtrail';
import { parseConfig } from '../../rules/config';
import { ebsSnapshotShared } from '../../rules/detections';
import { runDetection } from '../../rules/evaluate';
import { automationRuleSpec, GENERATOR_PREFIX, insightFilters } from '../../infra/central/insights';
import { fixture } from '../fixtures';

const record = CloudTrailRecordSchema.parse(fixture('022-ebs-snapshot-shared-stratus.json'));
const event = toEventBridgeEvent(record);

interface StringFilter {
  comparison: string;
  value: string;
}

/** Security Hub string-filter semantics for the comparisons the rules use; values in one list are OR'ed. */
function matches(filters: readonly StringFilter[] | undefined, value: string | undefined): boolean {
  if (!filters) return true;
  return filters.some((f) => {
    if (value === undefined) return false;
    if (f.comparison === 'EQUALS') return value === f.value;
    if (f.comparison === 'PREFIX') return value.startsWith(f.value);
    throw new Error(`comparison ${f.comparison} not modelled`);
  });
}

function findingsFor(allowlist: unknown[]) {
  const config = parseConfig({ allowlist });
  return runDetection(ebsSnapshotShared, event, config).map((signal) => buildFinding(signal, { importRegion: 'us-east-1' }));
}

function ruleMatches(spec: ReturnType<typeof automationRuleSpec>, finding: ReturnType<typeof buildFinding>): boolean {
  const c = spec.criteria as Record<string, StringFilter[] | undefined>;
  return (
    matches(c['generatorIds'], finding.GeneratorId) &&
    matches(c['severityLabels'], finding.FindingProviderFields?.Severity?.Label ?? finding.Severity?.Label) &&
    matches(c['descriptions'], finding.Description) &&
    matches(c['recordStates'], finding.RecordState ?? 'ACTIVE')
  );
}

describe('allowlist automation rules', () => {
  const principal = principalOf(record);
  const entry = { principal, detections: ['ebs-snapshot-shared'], reason: 'snapshot copies to the DR account' };

  it('match the finding the handlers publish for an allowlisted principal', () => {
    const findings = findingsFor([entry]);
    expect(findings.length).toBeGreaterThan(0);
    const spec = automationRuleSpec(parseConfig({ allowlist: [entry] }).allowlist[0]!, 0);
    for (const finding of findings) expect(ruleMatches(spec, finding)).toBe(true);
  });

  it('do not match the same event when the principal is not allowlisted', () => {
    const findings = findingsFor([]);
    expect(findings.length).toBeGreaterThan(0);
    const spec = automationRuleSpec(parseConfig({ allowlist: [entry] }).allowlist[0]!, 0);
    for (const finding of findings) expect(ruleMatches(spec, finding)).toBe(false);
  });

  it('do not match a finding allowlisted for another principal', () => {
    const other = { ...entry, principal: 'arn:aws:iam::999999999999:role/someone-else' };
    const findings = findingsFor([entry]);
    const spec = automationRuleSpec(parseConfig({ allowlist: [other] }).allowlist[0]!, 0);
    for (const finding of findings) expect(ruleMatches(spec, finding)).toBe(false);
  });

  it('suppress with a note that says why, within Security Hub limits', () => {
    const spec = automationRuleSpec({ principal, reason: 'r'.repeat(2000) }, 4);
    const update = spec.actions[0]!.findingFieldsUpdate as { workflow: { status: string }; note: { text: string } };
    expect(update.workflow.status).toBe('SUPPRESSED');
    expect(update.note.text.length).toBeLessThanOrEqual(512);
    expect(update.note.text).toContain(principal);
    expect(spec.ruleOrder).toBe(5);
    expect(spec.criteria.generatorIds).toEqual([{ comparison: 'PREFIX', value: GENERATOR_PREFIX }]);
  });
});

describe('insight filters', () => {
  it('select exfiltrail findings that are active and not yet handled', () => {
    const filters = insightFilters();
    expect(filters.generatorIds).toEqual([{ comparison: 'PREFIX', value: 'exfiltrail/' }]);
    const finding = findingsFor([])[0]!;
    expect(matches(filters.generatorIds as StringFilter[], finding.GeneratorId)).toBe(true);
    expect(matches(filters.workflowStatuses as StringFilter[], 'NEW')).toBe(true);
    expect(matches(filters.workflowStatuses as StringFilter[], 'SUPPRESSED')).toBe(false);
  });
});
