import { principalOf } from '../../rules/actor';
import { CloudTrailRecordSchema } from '../../rules/cloudtrail';
import { baselineQueries } from '../../rules/baseline/queries';
import {
  BaselineSqlError,
  binsAtHourOfWeekSql,
  PRINCIPAL_SQL,
  profileSql,
  rollupSql,
  windowSql,
} from '../../rules/baseline/sql';
import { binsAtHourOfWeek, hourOfWeek, partitionDays } from '../../rules/baseline/time';
import { findTrailFiles } from '../../cli/baseline/files';
import { openDuckSession, type DuckSession } from '../../cli/baseline/session';
import { cloudTrailViewSql } from '../../cli/baseline/view';
import { assumedRole, getObject, ROLE_ARN, tempArchive, type Archive } from './helpers';
import { trinoErrors } from './trino';

const at = (iso: string) => new Date(iso);

/** Every `day IN (...)` list of a query, in order. */
function dayLists(sql: string): string[][] {
  return [...sql.matchAll(/day IN \(([^)]*)\)/g)].map((m) => (m[1] ?? '').split(',').map((d) => d.trim().replace(/'/g, '')));
}

describe('the SQL text', () => {
  const q = baselineQueries({ windowStart: at('2024-05-31T10:00:00Z'), windowEnd: at('2024-05-31T10:10:00Z') });

  it('parses as Trino (rollup, profile, window)', () => {
    expect(trinoErrors(q.rollup)).toEqual([]);
    expect(trinoErrors(q.profile)).toEqual([]);
    expect(trinoErrors(q.window)).toEqual([]);
    // The parser does reject what is not Trino.
    expect(trinoErrors('SELECT count(*) FROM t WHERE x = 1 QUALIFY row_number() OVER () = 1').length).toBeGreaterThan(0);
  });

  it('keeps to the common subset: no integer division, timestamp literals or date_add', () => {
    for (const sql of [q.rollup, q.profile, q.window]) {
      expect(sql).not.toMatch(/TIMESTAMP\s+'/i);
      expect(sql).not.toMatch(/date_add/i);
      // Every division is by a double literal (600e0, 1008e0) or by a double-valued column.
      for (const [, divisor] of sql.matchAll(/\/\s*([^\s)]+)/g)) {
        if (divisor && /^[0-9]+$/.test(divisor)) throw new Error(`integer division by ${divisor}`);
      }
    }
  });

  it('reads only the partitions of its window', () => {
    expect(dayLists(q.rollup)).toEqual([['2024/05/31']]);
    expect(dayLists(q.window)).toEqual([['2024/05/31']]);
    const history = dayLists(q.profile);
    expect(history).toHaveLength(1);
    expect(history[0]).toHaveLength(30);
    expect(history[0]?.[0]).toBe('2024/05/01');
    expect(history[0]?.[29]).toBe('2024/05/30');
    // Near midnight the delivery slack adds the next day's folder, and only then.
    const late = baselineQueries({ windowStart: at('2024-05-31T23:50:00Z'), windowEnd: at('2024-06-01T00:00:00Z') });
    expect(dayLists(late.window)).toEqual([['2024/05/31', '2024/06/01']]);
    // Account and region partitions, when named.
    const named = baselineQueries({
      windowStart: at('2024-05-31T10:00:00Z'),
      windowEnd: at('2024-05-31T10:10:00Z'),
      accounts: ['111111111111'],
      regions: ['eu-west-1'],
    });
    expect(named.window).toMatch(/account IN \('111111111111'\)/);
    expect(named.window).toMatch(/region IN \('eu-west-1'\)/);
  });

  it('refuses parameters that would read the wrong partitions or inject SQL', () => {
    const start = at('2024-05-31T10:00:00Z');
    const end = at('2024-05-31T10:10:00Z');
    expect(() => rollupSql({ start, end, days: ['2024/05/30'] })).toThrow(/misses 2024\/05\/31/);
    expect(() => rollupSql({ start, end, days: [] })).toThrow(BaselineSqlError);
    expect(() => rollupSql({ start, end, days: ["2024/05/31') OR 1=1 --"] })).toThrow(/does not match/);
    expect(() => rollupSql({ start: at('2024-05-31T10:05:00Z'), end, days: ['2024/05/31'] })).toThrow(/10-minute boundary/);
    expect(() => rollupSql({ start: end, end: start, days: ['2024/05/31'] })).toThrow(/not after start/);
    expect(() => rollupSql({ start, end, days: ['2024/05/31'] }, { cloudtrail: 'x; DROP TABLE y' })).toThrow(/plain identifier/);
    expect(() => profileSql({ historyStart: start, historyEnd: end, days: ['2024/05/31'], })).not.toThrow();
    expect(() => windowSql({ start, end, days: ['2024/05/31'], historyEnd: start, minRequests: 0 })).toThrow(/minRequests/);
  });
});

describe('on DuckDB', () => {
  let session: DuckSession;
  let archive: Archive;

  beforeAll(async () => {
    session = await openDuckSession();
  });
  afterAll(() => session.close());
  beforeEach(() => {
    archive = tempArchive();
  });
  afterEach(() => archive.cleanup());

  async function view(): Promise<void> {
    await session.exec(cloudTrailViewSql(await findTrailFiles([archive.dir])), 'view');
  }

  it('computes the bins of an hour of week as the TypeScript does', async () => {
    const cases = [
      [2_860_000, 2_864_320, 106],
      [2_860_123, 2_860_200, 0],
      [2_861_001, 2_861_700, 167],
      [2_862_500, 2_862_501, hourOfWeek(2_862_500 * 600)],
    ] as const;
    for (const [from, to, how] of cases) {
      const [row] = await session.rows(`SELECT CAST(${binsAtHourOfWeekSql(String(from), to, String(how))} AS bigint) AS n`, 'bins');
      expect(Number(row?.n)).toBe(binsAtHourOfWeek(from, to, how));
    }
  });

  it('keys principals as principalOf does', async () => {
    const identities: (Record<string, unknown> | null)[] = [
      assumedRole('alice'),
      { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/r/s', accountId: '1' }, // no session issuer
      { type: 'IAMUser', arn: 'arn:aws:iam::1:user/bob', accountId: '1', userName: 'bob' },
      { type: 'Root', arn: 'arn:aws:iam::1:root', accountId: '1' },
      { type: 'AWSAccount', principalId: '', accountId: '999988887777' },
      { type: 'FederatedUser', principalId: '1:dev', arn: '', accountId: '1' },
      { type: 'Unknown' },
      null,
    ];
    const records = identities.map((identity, i) => getObject({ time: '2024-05-31T10:00:00Z', eventID: `p${i}`, identity }));
    archive.write('333333333333', '2024/05/31', records);
    await view();
    const rows = await session.rows(`SELECT eventid, ${PRINCIPAL_SQL} AS principal FROM cloudtrail ORDER BY eventid`, 'principals');
    const expected = records.map((r) => ({ eventid: r.eventID, principal: principalOf(CloudTrailRecordSchema.parse(r)) }));
    expect(rows).toEqual(expected);
  });

  it('rolls up into 10-minute bins without duplicates, service reads, VPCE records or failed reads', async () => {
    const bucket = 'pii-exports';
    archive.write('333333333333', '2024/05/31', [
      getObject({ time: '2024-05-31T10:01:00Z', eventID: 'e1', bucket, key: 'a', bytes: 100, ip: '198.51.100.1', recipient: '333333333333' }),
      getObject({ time: '2024-05-31T10:02:00Z', eventID: 'e2', bucket, key: 'b', bytes: 200, ip: '198.51.100.1' }),
      getObject({ time: '2024-05-31T10:05:00Z', eventID: 'e3', bucket, key: 'a', ip: '198.51.100.2' }),
      getObject({ time: '2024-05-31T10:06:00Z', eventID: 'svc', identity: assumedRole('alice', { invokedBy: 'athena.amazonaws.com' }) }),
      getObject({ time: '2024-05-31T10:06:00Z', eventID: 'fail', errorCode: 'AccessDenied' }),
      getObject({ time: '2024-05-31T10:07:00Z', eventID: 'put', eventName: 'PutObject' }),
      getObject({ time: '2024-05-31T10:12:00Z', eventID: 'e4', bucket: 'reports', key: 'z' }),
      getObject({ time: '2024-05-31T09:59:59Z', eventID: 'early' }),
      getObject({ time: '2024-05-31T10:03:00Z', eventID: 'u1', identity: { type: 'IAMUser', arn: 'arn:aws:iam::333333333333:user/bob', accountId: '333333333333' } }),
    ]);
    // The bucket owner's trail has the cross-account copy of e1 (same eventID), and a VPC endpoint record.
    archive.write('222222222222', '2024/05/31', [
      getObject({ time: '2024-05-31T10:01:00Z', eventID: 'e1', bucket, key: 'a', bytes: 100, ip: '198.51.100.1', recipient: '222222222222' }),
      getObject({ time: '2024-05-31T10:04:00Z', eventID: 'vpce', eventType: 'AwsVpceEvent', identity: { type: 'AWSAccount', accountId: '999988887777' } }),
    ]);
    await view();
    const sql = rollupSql({ start: at('2024-05-31T10:00:00Z'), end: at('2024-05-31T10:20:00Z'), days: partitionDays(at('2024-05-31T10:00:00Z'), at('2024-05-31T10:20:00Z')) });
    const rows = await session.rows(`${sql} ORDER BY principal, bin_start`, 'rollup');
    const binAt = (iso: string) => String(Date.parse(iso) / 1000);
    expect(rows.map((r) => [r.principal, r.bin_start, Number(r.requests)])).toEqual([
      [ROLE_ARN, binAt('2024-05-31T10:00:00Z'), 3],
      [ROLE_ARN, binAt('2024-05-31T10:10:00Z'), 1],
      ['arn:aws:iam::333333333333:user/bob', binAt('2024-05-31T10:00:00Z'), 1],
    ]);
    const first = rows[0] as Record<string, unknown>;
    expect(first).toMatchObject({
      how: String(4 * 24 + 10), // Friday 10:00 UTC
      day: '2024/05/31',
      principal_type: 'AssumedRole',
      account: '333333333333',
      data_account: '222222222222', // the bucket owner's copy of the cross-account read was kept
      bytes_out: 300,
      bytes_known: '2',
      distinct_objects: '2',
      distinct_buckets: '1',
      distinct_ips: '2',
      sensitive_requests: '3',
      sensitive_example: 'pii-exports/b',
      first_event_time: '2024-05-31T10:01:00Z',
      last_event_time: '2024-05-31T10:05:00Z',
      first_event_id: 'e1',
      last_event_id: 'e3',
      top_buckets: 'pii-exports=3',
      top_ips: '198.51.100.1=2,198.51.100.2=1',
    });
  });

  it('profiles the history and joins it to the window', async () => {
    // Three days of history: 2 reads at 10:00 each day; the window on the fourth day has 150.
    for (const day of ['2024/05/28', '2024/05/29', '2024/05/30']) {
      const iso = day.replace(/\//g, '-');
      archive.write('333333333333', day, [
        getObject({ time: `${iso}T10:01:00Z`, eventID: `${day}-1` }),
        getObject({ time: `${iso}T10:02:00Z`, eventID: `${day}-2` }),
      ]);
    }
    archive.write('333333333333', '2024/05/31', Array.from({ length: 150 }, (_, i) => getObject({ time: '2024-05-31T10:03:00Z', eventID: `w${i}`, key: `k${i}` })));
    await view();
    const q = baselineQueries({ windowStart: at('2024-05-31T10:00:00Z'), windowEnd: at('2024-05-31T10:10:00Z'), historyDays: 30 });
    const historyStart = q.historyStart;
    await session.exec(
      `CREATE OR REPLACE TABLE getobject_bins AS ${rollupSql({ start: historyStart, end: q.historyEnd, days: partitionDays(historyStart, q.historyEnd) })}`,
      'rollup',
    );
    await session.exec(`CREATE OR REPLACE TABLE getobject_profile AS ${q.profile}`, 'profile');
    const profile = await session.rows(`SELECT * FROM getobject_profile ORDER BY how`, 'read profile');
    const firstBin = Date.parse('2024-05-28T10:00:00Z') / 1000 / 600;
    const endBin = Date.parse('2024-05-31T00:00:00Z') / 1000 / 600;
    expect(profile.map((r) => Number(r.how))).toEqual([-1, 1 * 24 + 10, 2 * 24 + 10, 3 * 24 + 10]);
    const overall = profile[0] as Record<string, unknown>;
    expect(Number(overall.first_bin)).toBe(firstBin);
    expect(overall.bins_observed).toBe(endBin - firstBin);
    expect(Number(overall.active_bins)).toBe(3);
    expect(overall.mean).toBeCloseTo(6 / (endBin - firstBin), 12);
    for (const hourRow of profile.slice(1)) {
      expect(hourRow.bins_observed).toBe(binsAtHourOfWeek(firstBin, endBin, Number(hourRow.how)));
      expect(hourRow.mean).toBeCloseTo(2 / 6, 12); // 2 reads in one of the hour's 6 bins
    }

    const rows = await session.rows(q.window, 'window');
    expect(rows).toHaveLength(1);
    const w = rows[0] as Record<string, unknown>;
    expect(w).toMatchObject({ principal: ROLE_ARN, requests: '150', own_first_bin: String(firstBin), how_active_bins: '0', how_mean: 0 });
    // Friday 10:00 had no reads, and no bin of it since the first read: zero bins observed.
    expect(w.how_bins_observed).toBe(binsAtHourOfWeek(firstBin, endBin, 4 * 24 + 10));
    expect(w.own_mean).toBeCloseTo(overall.mean as number, 12);
  });
});
