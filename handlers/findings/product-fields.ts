/**
 * `ProductFields`: what ASFF has no field for (risk arithmetic, principal, raw source IP, ATT&CK mapping, the
 * detection's facts), as `exfiltrail/<Name>` strings. At most 50 pairs, keys up to 128 and values up to 2048
 * characters, no blank values, nothing under the reserved `aws/` prefix. Our own fields come first; facts fill
 * what is left and a count says how many did not fit.
 */
import type { Signal } from '../../rules/signal';
import { LIMITS } from './limits';
import { hasText, truncate } from './text';

export const FIELD_PREFIX = 'exfiltrail/';
export const FACTS_OMITTED_FIELD = `${FIELD_PREFIX}FactsOmitted`;

type Entry = readonly [name: string, value: string | undefined];

/** `extra` holds fields known only while building the finding (e.g. how many resources did not fit). */
export function productFieldsOf(signal: Signal, extra: readonly Entry[] = []): Record<string, string> {
  const fields: Record<string, string> = {};
  const put = (key: string, value: string | undefined): boolean => {
    if (!hasText(value) || key.length > LIMITS.productFieldKey || key in fields) return false;
    fields[key] = truncate(value, LIMITS.productFieldValue);
    return true;
  };

  for (const [name, value] of [...coreEntries(signal), ...extra]) put(`${FIELD_PREFIX}${name}`, value);
  // The provider name is the field Security Hub recommends for custom integrations.
  put('ProviderName', 'exfiltrail');

  const facts = Object.entries(signal.facts).filter(([, value]) => hasText(value));
  const free = LIMITS.productFields - Object.keys(fields).length;
  // When not every fact fits, one slot is kept for the count of those left out.
  const budget = facts.length <= free ? free : free - 1;
  let taken = 0;
  let omitted = 0;
  for (const [name, value] of facts) {
    if (taken < budget && put(`${FIELD_PREFIX}${name}`, value)) taken += 1;
    else omitted += 1;
  }
  if (omitted > 0) fields[FACTS_OMITTED_FIELD] = String(omitted);
  return fields;
}

function coreEntries(signal: Signal): Entry[] {
  const { actor, risk, detection } = signal;
  return [
    ['RuleId', detection.id],
    ['SignalKey', signal.key],
    ['EventIds', signal.eventIds.join(',')],
    ['RiskScore', String(risk.score)],
    ['RiskBase', String(risk.base)],
    ['Impact', String(risk.impact)],
    ['Confidence', String(risk.confidence)],
    ['ComputedSeverity', risk.severity],
    ['Adjustments', adjustmentsText(signal)],
    ['Suppressed', signal.suppressed ? 'true' : undefined],
    ['SuppressionReason', signal.suppressed?.reason],
    ['Principal', actor.principal],
    ['PrincipalType', actor.type],
    ['PrincipalArn', actor.arn],
    ['PrincipalAccountId', actor.accountId],
    ['UserName', actor.userName],
    ['AccessKeyId', actor.accessKeyId],
    ['InvokedBy', actor.invokedBy],
    ['SourceIp', actor.sourceIp],
    ['UserAgent', actor.userAgent],
    ['Api', `${signal.api.service}:${signal.api.name}`],
    ['ErrorCode', signal.api.errorCode],
    ['ErrorMessage', signal.api.errorMessage],
    ['Targets', targetsText(signal)],
    ['AttackTactics', unique(detection.attack.map((a) => `${a.tactic.id} ${a.tactic.name}`)).join(', ')],
    ['AttackTechniques', unique(detection.attack.map((a) => `${a.technique.id} ${a.technique.name}`)).join(', ')],
  ];
}

function adjustmentsText(signal: Signal): string {
  return signal.risk.adjustments
    .map((a) => `${a.kind}${a.factor === undefined ? '' : ` x${a.factor}`}: ${a.reason}`)
    .join('; ');
}

function targetsText(signal: Signal): string {
  return signal.targets
    .map((t) => `${t.accountId} (${t.relation}${t.reason ? `: ${t.reason}` : ''})`)
    .join(', ');
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
