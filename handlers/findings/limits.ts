/**
 * Security Hub's documented limits for a finding (AwsSecurityFinding in the Security Hub API reference, the
 * ASFF pages of the user guide, and the BatchImportFindings reference). The builder stays inside them and the
 * schema enforces them, so both read from here.
 */
export const ASFF_SCHEMA_VERSION = '2018-10-08';

export const LIMITS = {
  id: 512,
  generatorId: 512,
  productArnMin: 12,
  productArn: 2048,
  productName: 128,
  companyName: 128,
  title: 256,
  description: 1024,
  types: 50,
  resources: 32,
  resourceType: 256,
  resourceRegion: 16,
  /** `Details.Other`: up to 50 pairs, key "fewer than 128" and value "fewer than 1,024" characters. */
  otherEntries: 50,
  otherKey: 127,
  otherValue: 1023,
  /** `ProductFields`: up to 50 pairs, key up to 128 and value up to 2048 characters. */
  productFields: 50,
  productFieldKey: 128,
  productFieldValue: 2048,
  severityOriginal: 64,
  recommendationText: 512,
  apiName: 128,
  serviceName: 128,
  domain: 128,
  /** BatchImportFindings rejects a finding larger than 240 KB. */
  findingBytes: 240 * 1024,
} as const;

/** Partitions Security Hub accepts in `Resources[].Partition` (the SDK's `Partition` enum, AWS part). */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-us-iso', 'aws-us-iso-b'] as const;
export type AwsPartition = (typeof PARTITIONS)[number];

/**
 * ASFF timestamps: `YYYY-MM-DDTHH:MM:SS[.fraction up to 9 digits](Z|+HH:MM|-HHMM)` (the "Timestamps" section
 * of the Security Hub API reference).
 */
export const ASFF_TIMESTAMP =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(([01]\d|2[0-3]):[0-5]\d:[0-5]\d|23:59:60)(\.\d{1,9})?(Z|[+-]\d\d(:?\d\d)?)$/;
