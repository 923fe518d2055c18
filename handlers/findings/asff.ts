/**
 * A scored `Signal` as an AWS Security Finding Format (ASFF) finding for `BatchImportFindings` with the
 * account's default product (`product/<account>/default`). Pure and deterministic: the same signal always gives
 * the same finding, so a redelivered event neither duplicates the finding (same `Id`) nor moves `UpdatedAt`
 * (Security Hub ignores an import whose `UpdatedAt` is not later than the stored one).
 */
import { createHash } from 'node:crypto';
import type { AwsSecurityFinding, Resource } from '@aws-sdk/client-securityhub';
import type { ResourceRef } from '../../rules/detection';
import type { Signal } from '../../rules/signal';
import { callerDetails } from './caller';
import { ASFF_SCHEMA_VERSION, LIMITS, type AwsPartition } from './limits';
import { cloudTrailEventUrl, partitionOf } from './partition';
import { productFieldsOf } from './product-fields';
import { hasText, truncate } from './text';

export interface BuildFindingOptions {
  /** Region of the Security Hub the finding is imported into (the ProductArn's region). Default: the signal's. */
  importRegion?: string;
  /** Default: derived from the import region (`cn-*` -> aws-cn, `us-gov-*` -> aws-us-gov, else aws). */
  partition?: AwsPartition;
}

export const PRODUCT_NAME = 'exfiltrail';
/** Used when a detection declares no finding type, so the required `Types` is never empty. */
export const FALLBACK_FINDING_TYPE = 'Effects/Data Exfiltration';

export function buildFinding(signal: Signal, options: BuildFindingOptions = {}): AwsSecurityFinding {
  const importRegion = options.importRegion ?? signal.region;
  const partition = options.partition ?? partitionOf(importRegion);
  const time = findingTimestamp(signal);
  const firstTime = findingTimestamp({ ...signal, eventTime: signal.firstEventTime });
  const severity = {
    Label: signal.suppressed ? 'INFORMATIONAL' : signal.risk.severity,
    Original: truncate(String(signal.risk.score), LIMITS.severityOriginal),
  } as const;
  const types = findingTypes(signal);
  const resources = resourcesOf(signal, partition);
  const omittedResources = Math.max(0, signal.resources.length - LIMITS.resources);

  const finding: AwsSecurityFinding = {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: findingId(signal),
    ProductArn: `arn:${partition}:securityhub:${importRegion}:${signal.account}:product/${signal.account}/default`,
    ProductName: PRODUCT_NAME,
    CompanyName: PRODUCT_NAME,
    GeneratorId: truncate(`exfiltrail/${signal.detection.id}`, LIMITS.generatorId),
    AwsAccountId: signal.account,
    Types: types,
    // CreatedAt stays at the first event when later events update the finding; UpdatedAt follows the latest
    // event, so a redelivered event (same time) is ignored by Security Hub instead of moving it.
    CreatedAt: firstTime,
    UpdatedAt: time,
    FirstObservedAt: firstTime,
    LastObservedAt: time,
    Severity: severity,
    Title: truncate(firstText(signal.title, signal.detection.title, signal.detection.id), LIMITS.title),
    Description: truncate(descriptionOf(signal), LIMITS.description),
    Resources: resources,
    Action: {
      ActionType: 'AWS_API_CALL',
      AwsApiCallAction: {
        Api: truncate(signal.api.name, LIMITS.apiName),
        ServiceName: truncate(signal.api.service, LIMITS.serviceName),
        ...callerDetails(signal.actor),
        FirstSeen: firstTime,
        LastSeen: time,
      },
    },
    FindingProviderFields: {
      Severity: { ...severity },
      Types: [...types],
      ...score('Confidence', signal.risk.confidence),
      ...score('Criticality', signal.risk.impact),
    },
    ProductFields: productFieldsOf(
      signal,
      omittedResources > 0 ? [['ResourcesOmitted', String(omittedResources)]] : [],
    ),
    RecordState: 'ACTIVE',
  };

  const remediation = remediationOf(signal);
  if (remediation) finding.Remediation = remediation;
  const sourceUrl = sourceUrlOf(signal, partition);
  if (sourceUrl) finding.SourceUrl = sourceUrl;
  return fitSizeLimit(finding);
}

/**
 * `exfiltrail/<detection>/<account>/<region>/<key>`: readable, stable across redeliveries, distinct per key.
 * A key that would push the Id past Security Hub's 512 characters is replaced by its SHA-256.
 */
export function findingId(signal: Signal): string {
  const prefix = `exfiltrail/${signal.detection.id}/${signal.account}/${signal.region}/`;
  const readable = `${prefix}${signal.key}`;
  if (readable.length <= LIMITS.id) return readable;
  const hashedKey = `${prefix}sha256-${sha256(signal.key)}`;
  if (hashedKey.length <= LIMITS.id) return hashedKey;
  return `exfiltrail/sha256-${sha256(readable)}`;
}

/** The event time in ASFF's timestamp format; an unparseable or zone-less time is a bug upstream. */
export function findingTimestamp(signal: Pick<Signal, 'eventTime' | 'key' | 'detection'>): string {
  const raw = signal.eventTime.trim();
  const millis = /(Z|[+-]\d\d:?\d\d)$/iu.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(millis)) {
    throw new Error(
      `buildFinding: signal.eventTime "${signal.eventTime}" is not an ISO-8601 time with a zone ` +
        `(detection ${signal.detection.id}, key ${signal.key})`,
    );
  }
  return new Date(millis).toISOString();
}

function findingTypes(signal: Signal): string[] {
  const declared = [...new Set(signal.detection.findingTypes.filter(hasText))];
  return declared.length > 0 ? declared.slice(0, LIMITS.types) : [FALLBACK_FINDING_TYPE];
}

function descriptionOf(signal: Signal): string {
  const text = firstText(signal.message, signal.summary, signal.title, signal.detection.title);
  if (!signal.suppressed) return text;
  // The suppression reason goes first so that truncation can never hide it.
  return `[Suppressed, kept at INFORMATIONAL: ${signal.suppressed.reason}] ${text}`;
}

function resourcesOf(signal: Signal, partition: AwsPartition): Resource[] {
  const resources = signal.resources
    .filter((ref) => hasText(ref.id) && hasText(ref.type))
    .slice(0, LIMITS.resources)
    .map((ref) => resourceOf(ref, signal.region, partition));
  if (resources.length > 0) return resources;
  // Resources must not be empty: fall back to the affected account itself.
  return [
    {
      Type: 'AwsAccount',
      Id: `AWS::::Account:${signal.account}`,
      Partition: partition,
      ...regionField(signal.region),
    },
  ];
}

function resourceOf(ref: ResourceRef, signalRegion: string, partition: AwsPartition): Resource {
  const other = detailsOther(ref.details);
  return {
    Type: truncate(ref.type, LIMITS.resourceType),
    Id: ref.id,
    Partition: partition,
    ...regionField(ref.region ?? signalRegion),
    ResourceRole: 'Target',
    ...(other ? { Details: { Other: other } } : {}),
  };
}

/** Region is optional in a resource; a value Security Hub would reject (over 16 characters) is left out. */
function regionField(region: string | undefined): { Region?: string } {
  return hasText(region) && region.length <= LIMITS.resourceRegion ? { Region: region } : {};
}

function detailsOther(details: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!details) return undefined;
  const other: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) {
    if (Object.keys(other).length >= LIMITS.otherEntries) break;
    if (!hasText(key) || key.length > LIMITS.otherKey || !hasText(value)) continue;
    other[key] = truncate(value, LIMITS.otherValue);
  }
  return Object.keys(other).length > 0 ? other : undefined;
}

function score<K extends 'Confidence' | 'Criticality'>(name: K, value: number): Partial<Record<K, number>> {
  if (!Number.isFinite(value)) return {};
  return { [name]: Math.min(100, Math.max(0, Math.round(value))) } as Partial<Record<K, number>>;
}

function remediationOf(signal: Signal): AwsSecurityFinding['Remediation'] {
  const { text, url } = signal.detection.remediation;
  if (!hasText(text)) return undefined;
  return {
    Recommendation: {
      Text: truncate(text, LIMITS.recommendationText),
      ...(url && isHttpUrl(url) ? { Url: url } : {}),
    },
  };
}

/** The CloudTrail console page of the latest event; content-hash ids of eventID-less records have none. */
function sourceUrlOf(signal: Signal, partition: AwsPartition): string | undefined {
  const eventId = [...signal.eventIds].reverse().find((id) => hasText(id) && !id.startsWith('sha256-'));
  return eventId ? cloudTrailEventUrl(partition, signal.region, eventId) : undefined;
}

/**
 * BatchImportFindings rejects findings over 240 KB. Resource details go first (Security Hub itself drops
 * `Details` from oversized findings), then trailing resources; the finding says what was dropped.
 */
function fitSizeLimit(finding: AwsSecurityFinding): AwsSecurityFinding {
  const resources = finding.Resources ?? [];
  let trimmed = false;
  for (let i = resources.length - 1; i >= 0 && byteSize(finding) > LIMITS.findingBytes; i -= 1) {
    const resource = resources[i];
    if (resource?.Details) {
      delete resource.Details;
      trimmed = true;
    }
  }
  while (resources.length > 1 && byteSize(finding) > LIMITS.findingBytes) {
    resources.pop();
    trimmed = true;
  }
  const fields = finding.ProductFields;
  if (trimmed && fields && Object.keys(fields).length < LIMITS.productFields) {
    fields['exfiltrail/SizeTrimmed'] = 'resource details or resources removed to stay under 240 KB';
  }
  return finding;
}

export function byteSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

function firstText(...candidates: (string | undefined)[]): string {
  return candidates.find(hasText) ?? 'exfiltrail finding';
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
