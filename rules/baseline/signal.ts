/** A flagged bin -> a `Signal` (rules/signal.ts) that explains itself: observed vs expected, basis, buckets, IPs. */
import type { ExfiltrailConfig } from '../config';
import type { ResourceRef } from '../detection';
import { partitionOf, s3BucketArn } from '../detections/lib/arns';
import { assessRisk } from '../risk';
import type { Actor, Signal } from '../signal';
import { GETOBJECT_DETECTION } from './detection';
import { parseTopList } from './rows';
import { formatBytes, type Assessment } from './score';
import { BIN_SECONDS, describeHourOfWeek } from './time';

/** Idempotent per principal and bin: re-running a window re-publishes the same finding. */
export function getObjectSignalKey(principal: string, binStart: number): string {
  return `${principal}/${new Date(binStart * 1000).toISOString()}`;
}

function round(value: number, digits = 1): string {
  return value >= 100 ? String(Math.round(value)) : value.toFixed(digits);
}

export function describeBasis(a: Assessment): string {
  const e = a.expectation;
  switch (e.basis) {
    case 'hour of week':
      return `own history at ${describeHourOfWeek(a.row.how)} (${round(e.hourMean)} per bin over ${e.hourBins} bins, shrunk toward its overall ${round(e.ownMean ?? 0)})`;
    case 'own history':
      return `own history (overall ${round(e.ownMean ?? 0)} per bin over ${e.ownBins} bins; little history at ${describeHourOfWeek(a.row.how)})`;
    case 'peer prior':
      return `peer prior: ${e.peerCount} ${a.row.principal_type} principal(s) of account ${a.row.account ?? '?'} (median ${round(e.priorMean)} per bin); ${e.ownBins} bins of own history`;
    case 'default prior':
      return `default prior (${round(e.priorMean)} per bin): no history and no peers`;
  }
}

export function signalFromAssessment(a: Assessment, config: ExfiltrailConfig): Signal {
  const row = a.row;
  const buckets = parseTopList(row.top_buckets);
  const ips = parseTopList(row.top_ips);
  const region = row.region ?? 'unknown';
  const account = row.data_account ?? row.account ?? 'unknown';
  const actor: Actor = { principal: row.principal, type: row.principal_type };
  if (row.principal.startsWith('arn:')) actor.arn = row.principal;
  if (row.account) actor.accountId = row.account;
  if (ips[0]) actor.sourceIp = ips[0].value;

  const { risk, suppressed } = assessRisk({
    detectionId: GETOBJECT_DETECTION.id,
    impact: a.impact,
    confidence: a.confidence,
    targets: [],
    actor,
    config,
  });

  const binStart = new Date(row.bin_start * 1000).toISOString();
  const binEnd = new Date((row.bin_start + BIN_SECONDS) * 1000).toISOString();
  const bytes = row.bytes_out === null ? 'bytes unknown' : `${formatBytes(row.bytes_out)} out`;
  const bucketText = buckets.map((b) => `${b.value} (${b.count})`).join(', ') || 'unknown buckets';
  const expected = round(a.expectation.mean);
  const summary =
    `read ${row.requests} S3 objects (${row.distinct_objects} distinct, ${bytes}) from ${bucketText} ` +
    `between ${binStart} and ${binEnd}: ${round(a.lift)}x the expected ${expected} ` +
    `(basis: ${a.expectation.basis}; P(X >= ${row.requests}) = ${a.tail.toExponential(1)})`;
  const from = ips.length > 0 ? ` from ${ips.map((i) => i.value).join(', ')}` : '';
  const message = `In account ${account} (${region}), ${row.principal}${from} ${summary}.`;

  const partition = partitionOf(region);
  const resources: ResourceRef[] = buckets.map((b) => ({
    type: 'AwsS3Bucket',
    id: s3BucketArn(b.value, partition),
    region,
    details: { reads: String(b.count) },
  }));
  const principalType = row.principal.includes(':role/') ? 'AwsIamRole' : row.principal.includes(':user/') ? 'AwsIamUser' : 'Other';
  resources.push({ type: principalType, id: row.principal, details: { role: 'reader' } });

  const facts: Record<string, string> = {
    observed: String(row.requests),
    expected,
    lift: round(a.lift),
    basis: a.expectation.basis,
    basisDetail: describeBasis(a),
    tailProbability: a.tail.toExponential(2),
    model: a.expectation.size === null ? 'poisson' : `negative binomial (size ${a.expectation.size.toPrecision(3)})`,
    binStart,
    binEnd,
    hourOfWeek: describeHourOfWeek(row.how),
    distinctObjects: String(row.distinct_objects),
    distinctBuckets: String(row.distinct_buckets),
    distinctSourceIps: String(row.distinct_ips),
    bytesOut: row.bytes_out === null ? 'unknown' : String(Math.round(row.bytes_out)),
    bytesKnownFor: `${row.bytes_known} of ${row.requests} reads`,
    topBuckets: row.top_buckets ?? '',
    topSourceIps: row.top_ips ?? '',
    impactFactors: a.impactFactors.join('; ') || 'none',
  };
  if (row.sensitive_requests > 0) {
    facts.sensitiveReads = String(row.sensitive_requests);
    if (row.sensitive_example) facts.sensitiveExample = `s3://${row.sensitive_example}`;
  }

  const signal: Signal = {
    detection: {
      id: GETOBJECT_DETECTION.id,
      title: GETOBJECT_DETECTION.title,
      attack: GETOBJECT_DETECTION.attack,
      findingTypes: GETOBJECT_DETECTION.findingTypes,
      remediation: GETOBJECT_DETECTION.remediation,
    },
    key: getObjectSignalKey(row.principal, row.bin_start),
    title:
      a.expectation.basis === 'peer prior' || a.expectation.basis === 'default prior'
        ? 'Unusual volume of S3 GetObject by a new principal'
        : GETOBJECT_DETECTION.title,
    summary,
    message,
    account,
    region,
    eventTime: row.last_event_time,
    firstEventTime: row.first_event_time,
    eventIds: [...new Set([row.first_event_id, row.last_event_id].filter((id): id is string => id !== null))],
    api: { service: 's3.amazonaws.com', name: 'GetObject' },
    actor,
    resources,
    targets: [],
    facts,
    risk,
  };
  if (suppressed) signal.suppressed = suppressed;
  return signal;
}
