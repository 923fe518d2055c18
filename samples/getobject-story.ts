/**
 * The S3 GetObject story of the sample archive: ten days (2025-03-03 to 2025-03-12) of ordinary reads by three
 * principals, so that the GetObject baseline (`s3-getobject-anomaly`) has history to learn from, and the
 * attacker's burst on day 2:
 *
 * - `backup-operator` (data account): the nightly copy to the DR vault, about 140 reads 02:00-02:10 every
 *   night. Above the baseline's 100-read floor, so it is scored, and quiet: it is its hour.
 * - `reporting-service` (prod): dashboards, about a read per 10 minutes in the day, fewer at night and at
 *   weekends.
 * - `data-platform-admin` (data): people of the data team, a few reads an hour in weekday office hours.
 * - 2025-03-12 03:11-03:16 UTC: the attacker, as `data-platform-admin` (assumed at 03:09 with dana.dev's leaked
 *   key), reads 320 customer export files (`pii/...`, 2.4 GiB) from `data-customer-exports-318472905163`
 *   before sharing the customers database snapshot at 03:30. The baseline flags that bin HIGH.
 *
 * Records are shaped like the noise's S3 data events (fixture 019). Seeded: the same code writes the same records.
 */
import { assumedRole, UA, type Actor, type OrgAccount } from './actors';
import { countFor } from './getobject-history';
import { bucketsOf, s3ObjectEvent, type RawRecord } from './noise';
import { DATA, PRIMARY_REGION, PROD } from './organization';
import { createRandom, HEX, type Random } from './random';
import { ATTACKER_UA, dataAdmin } from './stories';
import { isoSeconds } from './synthetic';

/** The GetObject history starts this many days before the two days of the trail (`TrailSpec.leadInHours`). */
export const HISTORY_LEAD_IN_DAYS = 8;
export const HISTORY_START = '2025-03-03T00:00:00Z';
export const HISTORY_END = '2025-03-13T00:00:00Z';

const BIN_MS = 600_000;

interface Reader {
  account: OrgAccount;
  /** Who reads at `time` (sessions churn; the role stays). */
  actor(time: Date, rand: Random): Actor;
  bucketName: string;
  key(rand: Random): string;
  size(rand: Random): number;
  /** Mean reads in the 10-minute bin starting at `bin`. */
  rate(bin: Date): number;
  /** Gamma shape of the bin-to-bin variation (smaller = burstier). */
  shape: number;
}

const hour = (d: Date) => d.getUTCHours();
const weekday = (d: Date) => d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
/** `YYYY-MM-DDTHH:MM:SSZ` of the day's `hh:00`. */
const dayAt = (d: Date, hh: number) => `${d.toISOString().slice(0, 10)}T${String(hh).padStart(2, '0')}:00:00Z`;
const [DATA_LAKE] = bucketsOf(DATA) as [string, string];
const [, PROD_REPORTS] = bucketsOf(PROD) as [string, string];

export const BACKUP_ROLE_ARN = `arn:aws:iam::${DATA.id}:role/backup-operator`;
export const REPORTING_ROLE_ARN = `arn:aws:iam::${PROD.id}:role/reporting-service`;
export const DATA_ADMIN_ROLE_ARN = `arn:aws:iam::${DATA.id}:role/data-platform-admin`;

export const READERS: readonly Reader[] = [
  {
    account: DATA,
    actor: (time) => ({
      label: 'backup-operator (nightly DR copy)',
      userIdentity: assumedRole(DATA.id, 'backup-operator', 'AROAUX3JHQ7KBACKUP01', 'nightly-dr-copy', 'ASIAUX3JHQ7KBACKUP01', dayAt(time, 2)),
      sourceIPAddress: '198.51.100.23',
      userAgent: UA.boto3,
    }),
    bucketName: DATA_LAKE,
    key: (rand) => `lake/orders/2025/03/part-${String(rand.int(0, 99_999)).padStart(5, '0')}.parquet`,
    size: (rand) => rand.int(1_000_000, 60_000_000),
    rate: (bin) => (hour(bin) === 2 && bin.getUTCMinutes() < 10 ? 140 : 0),
    shape: 40,
  },
  {
    account: PROD,
    actor: (time) => ({
      label: 'reporting-service',
      userIdentity: assumedRole(PROD.id, 'reporting-service', 'AROAS7QXHN4EREPORT01', 'i-0a1f6c3e8b2d74590', 'ASIAS7QXHN4EREPORT01', dayAt(time, 0)),
      sourceIPAddress: '198.51.100.41',
      userAgent: UA.javaSdk,
    }),
    bucketName: PROD_REPORTS,
    key: (rand) => `dashboards/${rand.pick(['sales', 'orders', 'traffic', 'latency'])}/${rand.chars(8, HEX)}.json`,
    size: (rand) => rand.int(2_000, 400_000),
    rate: (bin) => (hour(bin) >= 7 && hour(bin) < 19 ? 1 : 0.2) * (weekday(bin) ? 1 : 0.5),
    shape: 2,
  },
  {
    account: DATA,
    actor: (time, rand) => {
      const person = rand.pick(['priya.data', 'tomasz.ops']);
      return {
        label: `data-platform-admin (${person})`,
        userIdentity: assumedRole(DATA.id, 'data-platform-admin', 'AROAUX3JHQ7K2PLMN4RST', person, 'ASIAUX3JHQ7KADMIN001', dayAt(time, 8)),
        sourceIPAddress: '192.0.2.51',
        userAgent: UA.cliMac,
      };
    },
    bucketName: DATA_LAKE,
    key: (rand) => `curated/customers/2025/03/part-${String(rand.int(0, 999)).padStart(3, '0')}.parquet`,
    size: (rand) => rand.int(100_000, 20_000_000),
    rate: (bin) => (weekday(bin) && hour(bin) >= 8 && hour(bin) < 18 ? 0.25 : 0),
    shape: 0.5,
  },
];

/** The burst the baseline must flag: who, which 10-minute bin, what. */
export const GETOBJECT_BURST = {
  principal: DATA_ADMIN_ROLE_ARN,
  account: DATA.id,
  region: PRIMARY_REGION,
  binStart: '2025-03-12T03:10:00.000Z',
  bucketName: `data-customer-exports-${DATA.id}`,
  requests: 320,
  from: '2025-03-12T03:11:02Z',
  minutes: 5,
} as const;

/** Every GetObject of the story, in generation order (the trail sorts each file by time). */
export function getObjectStoryRecords(): RawRecord[] {
  const rand = createRandom(20250303);
  const records: RawRecord[] = [];
  const region = PRIMARY_REGION;
  for (let bin = Date.parse(HISTORY_START); bin < Date.parse(HISTORY_END); bin += BIN_MS) {
    const binDate = new Date(bin);
    for (const reader of READERS) {
      const count = countFor(rand, reader.rate(binDate), reader.shape);
      for (let i = 0; i < count; i++) {
        const time = new Date(bin + Math.floor(rand.next() * BIN_MS));
        records.push(
          s3ObjectEvent({ rand, account: reader.account, region, eventTime: isoSeconds(time.getTime()) }, reader.actor(time, rand), 'GetObject', {
            bucketName: reader.bucketName,
            key: reader.key(rand),
            size: reader.size(rand),
          }),
        );
      }
    }
  }
  const burstRand = createRandom(20250312 ^ 0xb0257);
  const attacker: Actor = { ...dataAdmin, userAgent: ATTACKER_UA.replace(/command\/\S+$/, 'command/s3.cp') };
  const from = Date.parse(GETOBJECT_BURST.from);
  for (let i = 0; i < GETOBJECT_BURST.requests; i++) {
    const time = from + Math.floor((i * GETOBJECT_BURST.minutes * 60_000) / GETOBJECT_BURST.requests);
    records.push(
      s3ObjectEvent({ rand: burstRand, account: DATA, region, eventTime: isoSeconds(time) }, attacker, 'GetObject', {
        bucketName: GETOBJECT_BURST.bucketName,
        key: `pii/customers/2025-03-11/part-${String(i).padStart(5, '0')}.csv.gz`,
        size: burstRand.int(4_000_000, 12_000_000),
      }),
    );
  }
  return records;
}
