/**
 * Evaluation: event in, scored signals out. The same path serves the Lambda handlers and `exfiltrail scan`.
 *
 *   record or envelope -> candidates by eventName (most events stop here) -> zod validation ->
 *   pattern match (the deployed patterns) -> detection.evaluate -> risk -> Signal
 */
import { accountClassifier } from './accounts';
import { actorOf } from './actor';
import {
  CloudTrailRecordSchema,
  isEventBridgeEnvelope,
  recordId,
  toEventBridgeEvent,
  type CloudTrailEvent,
  type CloudTrailRecord,
} from './cloudtrail';
import { DEFAULT_CONFIG, type ExfiltrailConfig } from './config';
import type { Detection, EvaluationContext, Hit } from './detection';
import { ALL_DETECTIONS } from './detections';
import { matchesPattern } from './pattern';
import { CandidateIndex, compileDetection, enabledDetections, type CompiledDetection } from './registry';
import { assessRisk } from './risk';
import type { Signal } from './signal';

export type EvaluationOutcome =
  | { kind: 'skipped' }
  | { kind: 'evaluated'; signals: Signal[] }
  | { kind: 'invalid'; reason: string };

export interface Evaluator {
  /** One CloudTrail record (as in a log file's Records array) or an EventBridge envelope. Never throws. */
  evaluate(input: unknown): EvaluationOutcome;
  readonly detections: readonly Detection[];
}

export interface EvaluatorOptions {
  config?: ExfiltrailConfig;
  detections?: readonly Detection[];
}

const SKIPPED: EvaluationOutcome = { kind: 'skipped' };

export function createEvaluator(options: EvaluatorOptions = {}): Evaluator {
  const config = options.config ?? DEFAULT_CONFIG;
  const detections = enabledDetections(config, options.detections ?? ALL_DETECTIONS);
  const compiled = detections.map(compileDetection);
  const index = new CandidateIndex(compiled);
  const context = contextFor(config);

  return {
    detections,
    evaluate(input) {
      const envelope = isEventBridgeEnvelope(input) ? input : undefined;
      const rawRecord = envelope ? envelope.detail : input;
      if (rawRecord === null || typeof rawRecord !== 'object' || Array.isArray(rawRecord)) {
        return { kind: 'invalid', reason: envelope ? 'detail: not an object' : 'not a JSON object' };
      }
      const eventName = (rawRecord as { eventName?: unknown }).eventName;
      if (typeof eventName !== 'string') {
        return { kind: 'invalid', reason: `${envelope ? 'detail.' : ''}eventName: missing or not a string` };
      }
      // Only events some detection could match are validated and wrapped: this keeps the scan close to the
      // cost of JSON.parse alone.
      const candidates = index.candidates(eventName);
      if (candidates.length === 0) return SKIPPED;

      const parsed = CloudTrailRecordSchema.safeParse(rawRecord);
      if (!parsed.success) return { kind: 'invalid', reason: describeIssues(parsed.error.issues, envelope) };
      const event: CloudTrailEvent = envelope
        ? { ...toEventBridgeEvent(parsed.data), ...envelope, detail: parsed.data }
        : toEventBridgeEvent(parsed.data);

      const signals: Signal[] = [];
      for (const entry of candidates) signals.push(...signalsFor(entry, event, context));
      return { kind: 'evaluated', signals };
    },
  };
}

/** Run one detection on one event: pattern check, evaluate, scoring. Returns [] when no pattern matches. */
export function runDetection(detection: Detection, event: CloudTrailEvent, config: ExfiltrailConfig): Signal[] {
  return signalsFor(compileDetection(detection), event, contextFor(config));
}

const contexts = new WeakMap<ExfiltrailConfig, EvaluationContext>();

function contextFor(config: ExfiltrailConfig): EvaluationContext {
  let context = contexts.get(config);
  if (!context) {
    context = { config, relationOf: accountClassifier(config) };
    contexts.set(config, context);
  }
  return context;
}

function signalsFor(entry: CompiledDetection, event: CloudTrailEvent, context: EvaluationContext): Signal[] {
  if (!entry.patterns.some((pattern) => matchesPattern(pattern, event))) return [];
  return entry.detection.evaluate(event, context).map((hit) => toSignal(entry.detection, hit, event, context));
}

function toSignal(detection: Detection, hit: Hit, event: CloudTrailEvent, context: EvaluationContext): Signal {
  const record: CloudTrailRecord = event.detail;
  const actor = actorOf(record);
  const targets = hit.targets ?? [];
  const { risk, suppressed } = assessRisk({
    detectionId: detection.id,
    impact: hit.impact ?? detection.impact,
    confidence: hit.confidence ?? detection.confidence,
    errorCode: record.errorCode,
    targets,
    actor,
    config: context.config,
  });
  const api: Signal['api'] = { service: record.eventSource, name: record.eventName };
  if (record.errorCode) api.errorCode = record.errorCode;
  if (record.errorMessage) api.errorMessage = record.errorMessage;

  const signal: Signal = {
    detection: {
      id: detection.id,
      title: detection.title,
      attack: detection.attack,
      findingTypes: detection.findingTypes,
      remediation: detection.remediation,
    },
    key: hit.key ?? recordId(record),
    title: hit.title ?? detection.title,
    summary: hit.summary,
    message: messageFor(event, actor.principal, actor.sourceIp, hit.summary, record.errorCode),
    account: event.account,
    region: event.region,
    eventTime: record.eventTime,
    firstEventTime: record.eventTime,
    eventIds: [recordId(record)],
    api,
    actor,
    resources: hit.resources,
    targets,
    facts: hit.facts ?? {},
    risk,
  };
  if (suppressed) signal.suppressed = suppressed;
  return signal;
}

function messageFor(
  event: CloudTrailEvent,
  principal: string,
  sourceIp: string | undefined,
  summary: string,
  errorCode: string | undefined,
): string {
  const from = sourceIp ? ` from ${sourceIp}` : '';
  const failed = errorCode ? ` The call failed (${errorCode}): this was an attempt.` : '';
  return `In account ${event.account} (${event.region}), ${principal}${from} ${summary}.${failed}`;
}

function describeIssues(
  issues: readonly { path: PropertyKey[]; message: string }[],
  envelope: unknown,
): string {
  const prefix = envelope ? 'detail.' : '';
  return issues
    .slice(0, 3)
    .map((issue) => `${prefix}${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Signals with equal findingKey describe one finding. */
export function findingKey(signal: Signal): string {
  return `${signal.detection.id}|${signal.account}|${signal.region}|${signal.key}`;
}

/**
 * Merge two signals about one finding (e.g. an S3 Batch job's CreateJob call and its JobCreated service event).
 * The signal that names a real caller leads (service events name none); event ids, resources, targets and facts
 * are united; the highest risk is kept; the times span both.
 */
export function mergeSignals(a: Signal, b: Signal): Signal {
  const [lead, other] = leadOf(a, b);
  // One allowlisted event does not hide the finding: it stays suppressed only when every event behind it is.
  const suppressed = lead.suppressed && other.suppressed ? lead.suppressed : undefined;
  const scored = suppressed ? [lead, other] : [lead, other].filter((s) => !s.suppressed);
  const risk = scored.reduce((best, s) => (s.risk.score > best.risk.score ? s : best)).risk;
  const merged: Signal = {
    ...lead,
    eventTime: lead.eventTime >= other.eventTime ? lead.eventTime : other.eventTime,
    firstEventTime: lead.firstEventTime <= other.firstEventTime ? lead.firstEventTime : other.firstEventTime,
    eventIds: unique([...lead.eventIds, ...other.eventIds]),
    resources: uniqueBy([...lead.resources, ...other.resources], (r) => `${r.type}|${r.id}`),
    targets: uniqueBy([...lead.targets, ...other.targets], (t) => t.accountId),
    facts: { ...other.facts, ...lead.facts },
    risk,
  };
  if (suppressed) merged.suppressed = suppressed;
  else delete merged.suppressed;
  return merged;
}

function leadOf(a: Signal, b: Signal): [Signal, Signal] {
  const aNamed = a.actor.arn !== undefined;
  const bNamed = b.actor.arn !== undefined;
  if (aNamed !== bNamed) return aNamed ? [a, b] : [b, a];
  return a.eventTime <= b.eventTime ? [a, b] : [b, a];
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function uniqueBy<T>(values: T[], keyOf: (value: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const value of values) if (!seen.has(keyOf(value))) seen.set(keyOf(value), value);
  return [...seen.values()];
}
