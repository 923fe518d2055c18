/**
 * A seeded 30-day (by default 31: 30 of history and the day under test) organization GetObject dataset in
 * CloudTrail form, written as gzipped log files in the org trail layout
 * `AWSLogs/<org-id>/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/<account>_CloudTrail_<region>_<delivery>Z_<id>.json.gz`.
 * Files hold 15 minutes of events and sit under the day they were delivered (a few minutes after the chunk):
 * the last minutes of a day land in the next day's folder, as with CloudTrail.
 *
 * Principals with rhythms: a diurnal app, a nightly backup job (02:00-02:30), humans in office hours, an SSO
 * role reading across accounts (its reads are logged in both accounts with one eventID), a weekday/weekend
 * Lambda, an hourly report, a daily ETL. Noise that must not count: service reads on a user's behalf
 * (`invokedBy` athena.amazonaws.com), VPC-endpoint records (`AwsVpceEvent`), failed reads, other S3 calls.
 * `injections` add bursts (the scenarios of the tests and the benchmark).
 *
 *   node dist/samples/getobject-history.js <out-dir> [days] [scale]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRandom, ALNUM, UPPER_ALNUM, type Random } from './random';

export interface BucketRef {
  name: string;
  owner: string;
}

export interface PrincipalSpec {
  name: string;
  account: string;
  type: 'AssumedRole' | 'IAMUser';
  region: string;
  buckets: readonly BucketRef[];
  ips: readonly string[];
  /** Mean reads per 10-minute bin starting at `bin` (before scale). */
  rate(bin: Date): number;
  /** Gamma shape of the bin-to-bin variation (smaller = burstier). */
  shape: number;
  /** Distinct keys it reads from. */
  keySpace: number;
  /** Not multiplied by the dataset scale (jobs with a fixed size). */
  fixedSize?: boolean;
}

export interface GetObjectInjection {
  /** The name of a principal of the model, or a new principal. */
  principal: string | Omit<PrincipalSpec, 'rate' | 'shape' | 'keySpace'>;
  start: Date;
  requests: number;
  /** Spread over this many minutes from start (default 8: inside one bin when start is on a boundary). */
  minutes?: number;
  bucket?: BucketRef;
  keyPrefix?: string;
  bytesPerObject?: number;
  ip?: string;
}

export interface HistoryOptions {
  outDir: string;
  seed?: number;
  /** Days generated, ending at `end`. Default 31. */
  days?: number;
  /** Exclusive end, a UTC midnight. Default 2024-06-01T00:00:00Z. */
  end?: Date;
  /** Multiplies the rates of the rhythmic principals. Default 1. */
  scale?: number;
  injections?: readonly GetObjectInjection[];
}

export interface HistoryTruth {
  start: Date;
  end: Date;
  files: number;
  records: number;
  /** Reads that count: successful, not on a service's behalf, not VPCE, each once. */
  reads: number;
  readsByPrincipal: Record<string, number>;
  /** Second copies of cross-account reads (same eventID in the requester's trail). */
  duplicateRecords: number;
  serviceReads: number;
  vpceRecords: number;
  failedReads: number;
  otherRecords: number;
}

export const ORG_ID = 'o-exfil7demo1';
export const ACCOUNTS = { prod: '111111111111', data: '222222222222', analytics: '333333333333' } as const;
const REGION = 'us-east-1';
const DEFAULT_END = new Date('2024-06-01T00:00:00Z');
const DAY_MS = 86_400_000;
const BIN_MS = 600_000;
const CHUNK_MS = 15 * 60_000;

const hour = (d: Date) => d.getUTCHours();
const minute = (d: Date) => d.getUTCMinutes();
const weekday = (d: Date) => d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
const office = (d: Date) => weekday(d) && hour(d) >= 9 && hour(d) < 17;

export const BUCKETS = {
  orders: { name: 'orders-prod', owner: ACCOUNTS.prod },
  media: { name: 'media-prod', owner: ACCOUNTS.prod },
  warehouse: { name: 'warehouse-prod', owner: ACCOUNTS.data },
  reports: { name: 'reports-analytics', owner: ACCOUNTS.analytics },
  pii: { name: 'customer-pii-exports', owner: ACCOUNTS.data },
} as const;

export function principalArn(p: { name: string; account: string; type: string }): string {
  return p.type === 'IAMUser' ? `arn:aws:iam::${p.account}:user/${p.name}` : `arn:aws:iam::${p.account}:role/${p.name}`;
}

export const PRINCIPALS: readonly PrincipalSpec[] = [
  {
    name: 'app-orders',
    account: ACCOUNTS.prod,
    type: 'AssumedRole',
    region: REGION,
    buckets: [BUCKETS.orders],
    ips: ['10.0.1.15', '10.0.2.31'],
    rate: (t) => 30 * (1 + 0.6 * Math.sin((2 * Math.PI * (hour(t) - 8)) / 24)),
    shape: 8,
    keySpace: 50_000,
  },
  {
    name: 'nightly-backup',
    account: ACCOUNTS.data,
    type: 'AssumedRole',
    region: REGION,
    buckets: [BUCKETS.warehouse],
    ips: ['10.20.0.8'],
    rate: (t) => (hour(t) === 2 && minute(t) < 30 ? 600 : 0),
    shape: 40,
    keySpace: 200_000,
    fixedSize: true,
  },
  {
    name: 'lambda-thumbnails',
    account: ACCOUNTS.prod,
    type: 'AssumedRole',
    region: REGION,
    buckets: [BUCKETS.media],
    ips: ['10.0.3.40'],
    rate: (t) => (weekday(t) ? 12 : 4),
    shape: 10,
    keySpace: 20_000,
  },
  {
    name: 'reporting',
    account: ACCOUNTS.analytics,
    type: 'AssumedRole',
    region: REGION,
    buckets: [BUCKETS.reports],
    ips: ['10.30.0.12'],
    rate: (t) => (minute(t) < 10 ? 60 : 0),
    shape: 20,
    keySpace: 500,
  },
  {
    name: 'etl-analytics',
    account: ACCOUNTS.analytics,
    type: 'AssumedRole',
    region: REGION,
    buckets: [BUCKETS.reports],
    ips: ['10.30.0.40'],
    rate: (t) => (hour(t) === 6 && minute(t) < 10 ? 150 : 0),
    shape: 20,
    keySpace: 2_000,
  },
  {
    name: 'analyst',
    account: ACCOUNTS.analytics,
    type: 'AssumedRole',
    region: REGION,
    buckets: [BUCKETS.reports, BUCKETS.warehouse],
    ips: ['203.0.113.10', '203.0.113.24'],
    rate: (t) => (office(t) ? 6 : 0),
    shape: 1.5,
    keySpace: 3_000,
  },
  {
    name: 'alice',
    account: ACCOUNTS.analytics,
    type: 'IAMUser',
    region: REGION,
    buckets: [BUCKETS.reports],
    ips: ['198.51.100.7'],
    rate: (t) => (office(t) ? 4 : 0),
    shape: 1,
    keySpace: 800,
  },
  {
    name: 'bob',
    account: ACCOUNTS.analytics,
    type: 'IAMUser',
    region: REGION,
    buckets: [BUCKETS.reports],
    ips: ['198.51.100.9'],
    rate: (t) => (office(t) ? 3 : 0),
    shape: 1,
    keySpace: 800,
  },
];

/** A gamma(shape, 1) variate (Marsaglia-Tsang; boosted for shape < 1). */
function gamma(random: Random, shape: number): number {
  if (shape < 1) return gamma(random, shape + 1) * Math.pow(random.next() || 1e-12, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

function normal(random: Random): number {
  const u = random.next() || 1e-12;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

function poisson(random: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random.next();
  while (p > limit) {
    k += 1;
    p *= random.next();
  }
  return k;
}

/** Negative binomial draw: Poisson with a gamma-distributed mean (also drives the sample archive's GetObject rhythm). */
export function countFor(random: Random, mean: number, shape: number): number {
  if (mean <= 0) return 0;
  return poisson(random, (mean * gamma(random, shape)) / shape);
}

interface Identity {
  name: string;
  account: string;
  type: 'AssumedRole' | 'IAMUser';
}

function userIdentity(random: Random, p: Identity, time: Date, invokedBy?: string): Record<string, unknown> {
  const accessKeyId = `${p.type === 'IAMUser' ? 'AKIA' : 'ASIA'}${random.chars(16, UPPER_ALNUM)}`;
  if (p.type === 'IAMUser') {
    return {
      type: 'IAMUser',
      principalId: `AIDA${p.name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
      arn: principalArn(p),
      accountId: p.account,
      accessKeyId,
      userName: p.name,
      ...(invokedBy ? { invokedBy } : {}),
    };
  }
  const session = p.name === 'analyst' ? random.pick(['alice@corp.example', 'bob@corp.example', 'carol@corp.example']) : `i-${random.chars(17, '0123456789abcdef')}`;
  const roleId = `AROA${p.name.toUpperCase().replace(/[^A-Z]/g, '').padEnd(17, 'Q').slice(0, 17)}`;
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${session}`,
    arn: `arn:aws:sts::${p.account}:assumed-role/${p.name}/${session}`,
    accountId: p.account,
    accessKeyId,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: roleId, arn: principalArn(p), accountId: p.account, userName: p.name },
      attributes: { creationDate: new Date(time.getTime() - 1_800_000).toISOString().slice(0, 19) + 'Z', mfaAuthenticated: 'false' },
    },
    ...(invokedBy ? { invokedBy } : {}),
  };
}

interface ReadSpec {
  identity: Identity;
  time: Date;
  bucket: BucketRef;
  key: string;
  bytes: number;
  ip: string;
  region: string;
  errorCode?: string;
  invokedBy?: string;
  eventName?: string;
}

function s3Record(random: Random, spec: ReadSpec, recipient: string, eventID: string): Record<string, unknown> {
  const eventTime = `${spec.time.toISOString().slice(0, 19)}Z`;
  const additional: Record<string, unknown> = {
    SignatureVersion: 'SigV4',
    CipherSuite: 'TLS_AES_128_GCM_SHA256',
    bytesTransferredIn: 0,
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': random.chars(24, ALNUM),
  };
  // bytesTransferredOut is often absent from real records: keep it on about three reads in four.
  if (!spec.errorCode && random.next() < 0.75) additional.bytesTransferredOut = spec.bytes;
  const record: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity: userIdentity(random, spec.identity, spec.time, spec.invokedBy),
    eventTime,
    eventSource: 's3.amazonaws.com',
    eventName: spec.eventName ?? 'GetObject',
    awsRegion: spec.region,
    sourceIPAddress: spec.invokedBy ?? spec.ip,
    userAgent: spec.invokedBy ?? '[aws-sdk-java/2.25.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/17]',
    requestParameters: { bucketName: spec.bucket.name, Host: `${spec.bucket.name}.s3.${spec.region}.amazonaws.com`, key: spec.key },
    responseElements: null,
    additionalEventData: additional,
    requestID: random.chars(16, UPPER_ALNUM),
    eventID,
    readOnly: true,
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${spec.bucket.name}/${spec.key}` },
      { accountId: spec.bucket.owner, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${spec.bucket.name}` },
    ],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: recipient,
    eventCategory: 'Data',
  };
  if (spec.errorCode) {
    record.errorCode = spec.errorCode;
    record.errorMessage = 'Access Denied';
  }
  return record;
}

function vpceRecord(random: Random, time: Date, owner: string): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'AWSAccount', principalId: '', accountId: '999988887777' },
    eventTime: `${time.toISOString().slice(0, 19)}Z`,
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: REGION,
    sourceIPAddress: '10.0.9.9',
    userAgent: 'aws-cli/2.15',
    requestParameters: { bucketName: BUCKETS.orders.name, key: `exports/${random.int(0, 999)}.csv` },
    responseElements: null,
    eventID: random.uuid(),
    readOnly: true,
    eventType: 'AwsVpceEvent',
    managementEvent: false,
    recipientAccountId: owner,
    vpcEndpointId: 'vpce-0a1b2c3d4e5f67890',
    vpcEndpointAccountId: owner,
    eventCategory: 'NetworkActivity',
  };
}

/** Collects records per delivered file; flushes a day at a time. */
class Trail {
  private files = new Map<string, { account: string; delivered: Date; records: Record<string, unknown>[] }>();
  fileCount = 0;
  recordCount = 0;
  constructor(
    private readonly outDir: string,
    private readonly random: Random,
  ) {}

  add(account: string, time: Date, record: Record<string, unknown>): void {
    const chunkEnd = Math.floor(time.getTime() / CHUNK_MS) * CHUNK_MS + CHUNK_MS;
    const key = `${account}|${chunkEnd}`;
    let file = this.files.get(key);
    if (!file) {
      file = { account, delivered: new Date(chunkEnd + 3 * 60_000), records: [] };
      this.files.set(key, file);
    }
    file.records.push(record);
  }

  flush(): void {
    for (const file of this.files.values()) {
      const d = file.delivered.toISOString();
      const dir = path.join(this.outDir, 'AWSLogs', ORG_ID, file.account, 'CloudTrail', REGION, d.slice(0, 4), d.slice(5, 7), d.slice(8, 10));
      mkdirSync(dir, { recursive: true });
      const stamp = `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}T${d.slice(11, 13)}${d.slice(14, 16)}Z`;
      const name = `${file.account}_CloudTrail_${REGION}_${stamp}_${this.random.chars(16, ALNUM)}.json.gz`;
      file.records.sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)));
      writeFileSync(path.join(dir, name), gzipSync(JSON.stringify({ Records: file.records }), { level: 1 }));
      this.fileCount += 1;
      this.recordCount += file.records.length;
    }
    this.files.clear();
  }
}

export function writeGetObjectHistory(options: HistoryOptions): HistoryTruth {
  const random = createRandom(options.seed ?? 7);
  const days = options.days ?? 31;
  const end = options.end ?? DEFAULT_END;
  if (end.getTime() % DAY_MS !== 0) throw new Error(`end must be a UTC midnight, got ${end.toISOString()}`);
  const start = new Date(end.getTime() - days * DAY_MS);
  const scale = options.scale ?? 1;
  const trail = new Trail(options.outDir, random);
  const truth: HistoryTruth = {
    start,
    end,
    files: 0,
    records: 0,
    reads: 0,
    readsByPrincipal: {},
    duplicateRecords: 0,
    serviceReads: 0,
    vpceRecords: 0,
    failedReads: 0,
    otherRecords: 0,
  };
  const byName = new Map(PRINCIPALS.map((p) => [p.name, p]));

  const read = (spec: ReadSpec) => {
    const eventID = random.uuid();
    trail.add(spec.bucket.owner, spec.time, s3Record(random, spec, spec.bucket.owner, eventID));
    if (spec.identity.account !== spec.bucket.owner) {
      // Cross-account: the requester's trail gets the same event, with the same eventID.
      trail.add(spec.identity.account, spec.time, s3Record(random, spec, spec.identity.account, eventID));
      truth.duplicateRecords += 1;
    }
    if (spec.eventName && spec.eventName !== 'GetObject') truth.otherRecords += 1;
    else if (spec.errorCode) truth.failedReads += 1;
    else if (spec.invokedBy) truth.serviceReads += 1;
    else {
      truth.reads += 1;
      const arn = principalArn(spec.identity);
      truth.readsByPrincipal[arn] = (truth.readsByPrincipal[arn] ?? 0) + 1;
    }
  };
  const within = (binStart: number, spanMs = BIN_MS) => new Date(binStart + Math.floor(random.next() * spanMs));

  const injectionsByDay = new Map<number, GetObjectInjection[]>();
  for (const injection of options.injections ?? []) {
    const day = Math.floor(injection.start.getTime() / DAY_MS) * DAY_MS;
    injectionsByDay.set(day, [...(injectionsByDay.get(day) ?? []), injection]);
  }

  for (let day = start.getTime(); day < end.getTime(); day += DAY_MS) {
    for (let bin = day; bin < day + DAY_MS; bin += BIN_MS) {
      const t = new Date(bin);
      for (const p of PRINCIPALS) {
        const n = countFor(random, p.rate(t) * (p.fixedSize ? 1 : scale), p.shape);
        for (let i = 0; i < n; i++) {
          const bucket = random.pick(p.buckets);
          read({
            identity: p,
            time: within(bin),
            bucket,
            key: `data/${p.name}/${random.int(0, p.keySpace - 1)}.parquet`,
            bytes: random.int(2_000, 400_000),
            ip: random.pick(p.ips),
            region: p.region,
            ...(p.name === 'app-orders' && random.next() < 0.03 ? { errorCode: 'AccessDenied' } : {}),
          });
        }
        if (p.name === 'app-orders') {
          const puts = countFor(random, 5 * scale, 10);
          for (let i = 0; i < puts; i++) {
            read({ identity: p, time: within(bin), bucket: BUCKETS.orders, key: `in/${random.uuid()}.json`, bytes: 0, ip: random.pick(p.ips), region: REGION, eventName: 'PutObject' });
          }
        }
      }
      // Athena reading for the analyst on weekdays 11:00-12:00: a service read on a user's behalf.
      if (weekday(t) && hour(t) === 11) {
        const analyst = byName.get('analyst') as PrincipalSpec;
        for (let i = 0; i < 150; i++) {
          read({ identity: analyst, time: within(bin), bucket: BUCKETS.warehouse, key: `tables/part-${random.int(0, 9999)}.parquet`, bytes: random.int(1e6, 8e6), ip: '', region: REGION, invokedBy: 'athena.amazonaws.com' });
        }
      }
      // A VPC endpoint in the prod account sees another account's reads at 03:00-04:00: network activity.
      if (hour(t) === 3) {
        for (let i = 0; i < 60; i++) {
          trail.add(ACCOUNTS.prod, within(bin), vpceRecord(random, within(bin), ACCOUNTS.prod));
          truth.vpceRecords += 1;
        }
      }
    }

    for (const injection of injectionsByDay.get(day) ?? []) {
      const spec = typeof injection.principal === 'string' ? byName.get(injection.principal) : injection.principal;
      if (!spec) throw new Error(`unknown principal in injection: ${String(injection.principal)}`);
      const bucket = injection.bucket ?? spec.buckets[0] ?? BUCKETS.reports;
      const span = (injection.minutes ?? 8) * 60_000;
      for (let i = 0; i < injection.requests; i++) {
        read({
          identity: spec,
          time: within(injection.start.getTime(), span),
          bucket,
          key: `${injection.keyPrefix ?? 'data'}/${i}.csv`,
          bytes: injection.bytesPerObject ?? 1_000_000,
          ip: injection.ip ?? spec.ips[0] ?? '192.0.2.1',
          region: spec.region,
        });
      }
    }
    trail.flush();
  }
  truth.files = trail.fileCount;
  truth.records = trail.recordCount;
  return truth;
}

if (require.main === module && /getobject-history\.[jt]s$/.test(process.argv[1] ?? '')) {
  const [outDir, days, scale] = process.argv.slice(2);
  if (!outDir) {
    process.stderr.write('usage: node dist/samples/getobject-history.js <out-dir> [days] [scale]\n');
    process.exit(2);
  }
  const started = Date.now();
  const truth = writeGetObjectHistory({ outDir, days: days ? Number(days) : undefined, scale: scale ? Number(scale) : undefined });
  process.stdout.write(
    `${truth.files} files, ${truth.records} records (${truth.reads} counted reads) in ${outDir} (${Date.now() - started} ms)\n`,
  );
}
