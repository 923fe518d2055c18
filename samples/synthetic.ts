/**
 * A synthetic organization trail, laid out as CloudTrail delivers it to an org trail bucket:
 * `AWSLogs/<org-id>/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/<account>_CloudTrail_<region>_<yyyyMMddTHHmmZ>_<16 chars>.json.gz`,
 * each file a gzipped `{"Records":[...]}` of the events of one delivery window. Seeded: same spec, same bytes.
 * Used by `samples/generate.ts` (the committed sample archive) and `bench/scan.ts` (a large trail).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { accountActors, type Actor, type OrgAccount } from './actors';
import { noiseRecord, type RawRecord } from './noise';
import { ALNUM, createRandom, HEX, type Random } from './random';

export interface TrailSpec {
  seed: number;
  organizationId: string;
  accounts: readonly OrgAccount[];
  regions: readonly string[];
  /** Start of the trail, on a whole hour (UTC), e.g. `2025-03-11T00:00:00Z`. */
  start: string;
  hours: number;
  /** Average benign events per account, region and hour (the first region gets this, others less). */
  eventsPerHour: number;
  /** CloudTrail delivers a file about every 5 minutes per account and region when there are events. */
  deliveryMinutes: number;
  /** Records placed in the file of their account (`recipientAccountId`), region and time. */
  extraRecords?: readonly RawRecord[];
  /**
   * Hours before `start` whose files hold `extraRecords` only, no generated noise: a long data-event history
   * (the GetObject baseline's) without days of management events. Default 0.
   */
  leadInHours?: number;
}

export interface TrailFile {
  /** Path relative to the archive root, `/`-separated. */
  key: string;
  records: RawRecord[];
}

const MINUTE = 60_000;

/** `2025-03-11T14:05:09Z`: CloudTrail's eventTime has no milliseconds. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** People and workloads are busier in (European) office hours. */
function activity(hourUtc: number): number {
  return hourUtc >= 7 && hourUtc < 19 ? 1.6 : 0.45;
}

export function logFileKey(
  organizationId: string,
  account: string,
  region: string,
  deliveredMs: number,
  unique: string,
): string {
  const iso = new Date(deliveredMs).toISOString();
  const [yyyy, mm, dd] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  const stamp = `${yyyy}${mm}${dd}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  return `AWSLogs/${organizationId}/${account}/CloudTrail/${region}/${yyyy}/${mm}/${dd}/${account}_CloudTrail_${region}_${stamp}_${unique}.json.gz`;
}

/** Every log file of the trail, in delivery order, generated one at a time (a large trail never sits in memory). */
export function* trailFiles(spec: TrailSpec): Generator<TrailFile> {
  const rand = createRandom(spec.seed);
  const startMs = Date.parse(spec.start);
  if (Number.isNaN(startMs)) throw new Error(`TrailSpec.start: not a date: ${spec.start}`);
  const windowMs = spec.deliveryMinutes * MINUTE;
  const windows = Math.ceil((spec.hours * 60) / spec.deliveryMinutes);
  const creationDate = isoSeconds(startMs);
  const actors = new Map<string, Actor[]>(spec.accounts.map((a) => [a.id, accountActors(a, rand, creationDate)]));

  const leadInWindows = Math.ceil(((spec.leadInHours ?? 0) * 60) / spec.deliveryMinutes);
  const placed = new Map<string, RawRecord[]>();
  for (const record of spec.extraRecords ?? []) {
    const time = Date.parse(String(record.eventTime));
    const w = Math.floor((time - startMs) / windowMs);
    if (Number.isNaN(w) || w < -leadInWindows || w >= windows) {
      throw new Error(`TrailSpec.extraRecords: eventTime ${String(record.eventTime)} (eventID ${String(record.eventID)}) is outside the trail`);
    }
    const slot = `${String(record.recipientAccountId)}|${String(record.awsRegion)}|${w}`;
    const list = placed.get(slot);
    if (list) list.push(record);
    else placed.set(slot, [record]);
  }

  // Lead-in files draw their names from a stream of their own: the trail's files are the same with or without them.
  const leadRand = createRandom(spec.seed ^ 0x1ead1e);
  for (let w = -leadInWindows; w < 0; w++) {
    const windowStart = startMs + w * windowMs;
    for (const account of spec.accounts) {
      for (const region of spec.regions) {
        const records = placed.get(`${account.id}|${region}|${w}`);
        if (!records) continue;
        yield fileOf(spec, account.id, region, windowStart + windowMs, leadRand, records);
      }
    }
  }

  for (let w = 0; w < windows; w++) {
    const windowStart = startMs + w * windowMs;
    const hour = new Date(windowStart).getUTCHours();
    for (const account of spec.accounts) {
      for (let r = 0; r < spec.regions.length; r++) {
        const region = spec.regions[r] as string;
        const mean = spec.eventsPerHour * (spec.deliveryMinutes / 60) * activity(hour) * (r === 0 ? 1 : 0.4);
        const count = Math.round(mean * (0.6 + 0.8 * rand.next()));
        const records: RawRecord[] = [];
        for (let i = 0; i < count; i++) {
          const eventTime = isoSeconds(windowStart + Math.floor(rand.next() * windowMs));
          records.push(noiseRecord({ rand, account, region, eventTime, actors: actors.get(account.id) ?? [] }));
        }
        records.push(...(placed.get(`${account.id}|${region}|${w}`) ?? []));
        if (records.length === 0) continue;
        yield fileOf(spec, account.id, region, windowStart + windowMs, rand, records);
      }
    }
  }
}

/** The file of one delivery: records in time order, delivered 1-4 minutes after its window ends. */
function fileOf(spec: TrailSpec, account: string, region: string, windowEnd: number, rand: Random, records: RawRecord[]): TrailFile {
  records.sort((a, b) => (String(a.eventTime) < String(b.eventTime) ? -1 : String(a.eventTime) > String(b.eventTime) ? 1 : 0));
  const delivered = windowEnd + rand.int(1, 4) * MINUTE;
  return { key: logFileKey(spec.organizationId, account, region, delivered, rand.chars(16, ALNUM)), records };
}

export interface WrittenTrail {
  files: number;
  events: number;
  bytesCompressed: number;
  bytesUncompressed: number;
}

/** Write the trail under `dir` (created as needed). */
export async function writeTrail(dir: string, spec: TrailSpec): Promise<WrittenTrail> {
  const totals: WrittenTrail = { files: 0, events: 0, bytesCompressed: 0, bytesUncompressed: 0 };
  const made = new Set<string>();
  for (const file of trailFiles(spec)) {
    const json = Buffer.from(JSON.stringify({ Records: file.records }));
    const gz = gzipSync(json);
    const target = path.join(dir, ...file.key.split('/'));
    const parent = path.dirname(target);
    if (!made.has(parent)) {
      await fs.mkdir(parent, { recursive: true });
      made.add(parent);
    }
    await fs.writeFile(target, gz);
    totals.files += 1;
    totals.events += file.records.length;
    totals.bytesCompressed += gz.length;
    totals.bytesUncompressed += json.length;
  }
  return totals;
}

/**
 * One digest file per account, region and day, where CloudTrail puts them (`CloudTrail-Digest/`), so a scan of
 * the archive shows them skipped. Their content is shaped like a digest; the hashes and signatures are fake.
 */
export async function writeDigests(dir: string, spec: TrailSpec): Promise<number> {
  const rand = createRandom(spec.seed ^ 0x5eed);
  const startMs = Date.parse(spec.start);
  let count = 0;
  for (let day = 0; day < Math.ceil(spec.hours / 24); day++) {
    const endMs = startMs + (day + 1) * 24 * 60 * MINUTE - MINUTE;
    const iso = new Date(endMs).toISOString();
    const [yyyy, mm, dd] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
    const stamp = `${yyyy}${mm}${dd}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
    for (const account of spec.accounts) {
      for (const region of spec.regions) {
        const key = `AWSLogs/${spec.organizationId}/${account.id}/CloudTrail-Digest/${region}/${yyyy}/${mm}/${dd}/${account.id}_CloudTrail-Digest_${region}_org-trail_${region}_${stamp}.json.gz`;
        const digest = {
          awsAccountId: account.id,
          digestStartTime: isoSeconds(endMs - 60 * MINUTE),
          digestEndTime: isoSeconds(endMs),
          digestS3Bucket: `aws-cloudtrail-logs-${spec.organizationId}`,
          digestS3Object: key,
          digestPublicKeyFingerprint: rand.chars(32, HEX),
          digestSignatureAlgorithm: 'SHA256withRSA',
          newestEventTime: null,
          oldestEventTime: null,
          previousDigestS3Bucket: null,
          previousDigestS3Object: null,
          previousDigestHashValue: null,
          previousDigestHashAlgorithm: null,
          previousDigestSignature: null,
          logFiles: [],
        };
        const target = path.join(dir, ...key.split('/'));
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.writeFile(target, gzipSync(Buffer.from(JSON.stringify(digest))));
        count += 1;
      }
    }
  }
  return count;
}
