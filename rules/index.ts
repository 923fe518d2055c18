/** The public API of exfiltrail's rules: the pattern engine, the detection registry, evaluation, config. */
export { parsePattern, matchesPattern, PatternError, PATTERN_SIZE_LIMIT, requiredExactValues } from './pattern';
export type { EventPattern } from './pattern';
export * from './cloudtrail';
export * from './config';
export type * from './detection';
export type * from './signal';
export { ALL_DETECTIONS } from './detections';
export { createEvaluator, runDetection, findingKey, mergeSignals } from './evaluate';
export type { Evaluator, EvaluationOutcome, EvaluatorOptions } from './evaluate';
export { severityOf, SEVERITY_RANK, assessRisk } from './risk';
export { actorOf, principalOf } from './actor';
export { accountClassifier } from './accounts';
