/** ASFF findings for AWS Security Hub: build one from a Signal, validate it against Security Hub's rules. */
export { buildFinding, findingId, findingTimestamp, byteSize, FALLBACK_FINDING_TYPE, PRODUCT_NAME } from './asff';
export type { BuildFindingOptions } from './asff';
export { AsffFindingSchema, validateFinding } from './schema';
export type { AsffFinding, FindingValidation } from './schema';
export { ASFF_SCHEMA_VERSION, ASFF_TIMESTAMP, LIMITS, PARTITIONS } from './limits';
export type { AwsPartition } from './limits';
export { FINDING_TYPE_TAXONOMY, findingTypeProblem } from './taxonomy';
export { callerDetails } from './caller';
export { cloudTrailEventUrl, partitionOf } from './partition';
export { truncate } from './text';
