/**
 * The statements the GetObject handler sends to Athena besides the core SQL (handlers/baseline/plan.ts): each
 * parses as Trino, the history span runs on DuckDB over a bins table, and `historyReadiness` at its boundaries.
 */
import { openDuckSession, type DuckSession } from '../../cli/baseline/session';
import {
  createProfileSql,
  dropTableSql,
  historyReadiness,
  historySpanSql,
  insertRollupSql,
  profileExistsSql,
  ROLLUP_LAG_TOLERANCE_MS,
  watermarkSql,
} from '../../handlers/baseline/plan';
import { baselineQueries, partitionDays } from '../../rules/baseline';
import { trinoErrors } from '../baseline/trino';

const DAY = 86_400_000;
const HISTORY_END = new Date('2025-03-12T00:00:00Z');
const seconds = (ms: number) => ms / 1000;

describe('Athena statements of the handler', () => {
  it('parse as Trino', () => {
    const q = baselineQueries({ windowStart: new Date('2025-03-12T10:10:00Z'), windowEnd: new Date('2025-03-12T10:20:00Z') });
    const days = ['2025/03/10', '2025/03/11'];
    for (const sql of [
      historySpanSql('getobject_bins', days),
      watermarkSql('getobject_bins', days),
      insertRollupSql(q.rollup, 'getobject_bins'),
      createProfileSql('getobject_profile_20250312', q.profile),
      profileExistsSql('exfiltrail_baseline', 'getobject_profile_20250312'),
      dropTableSql('getobject_profile_20250310'),
    ]) {
      expect(trinoErrors(sql)).toEqual([]);
    }
  });

  it('refuse day lists that are not days', () => {
    expect(() => historySpanSql('getobject_bins', [])).toThrow('historySpanSql: no days');
    expect(() => historySpanSql('getobject_bins', ["2025/03/11' OR '1'='1"])).toThrow(/bad day/u);
  });
});

describe('the history span on DuckDB', () => {
  let session: DuckSession;
  beforeAll(async () => {
    session = await openDuckSession();
    await session.exec('CREATE TABLE getobject_bins (principal VARCHAR, bin_start BIGINT, requests BIGINT, day VARCHAR)', 'setup');
    const bin = (iso: string) => `('p', ${seconds(Date.parse(iso))}, 5, '${iso.slice(0, 10).replace(/-/g, '/')}')`;
    // A bin before the history days, two inside, one on the profile's own day (after its history).
    await session.exec(
      `INSERT INTO getobject_bins VALUES ${['2025-02-01T10:00:00Z', '2025-02-20T08:30:00Z', '2025-03-11T23:50:00Z', '2025-03-12T00:10:00Z'].map(bin).join(', ')}`,
      'setup',
    );
  });
  afterAll(() => session.close());

  it('gives the oldest and newest bin of the history days only', async () => {
    const days = partitionDays(new Date(HISTORY_END.getTime() - 30 * DAY), HISTORY_END, 0);
    const [row] = await session.rows(historySpanSql('getobject_bins', days), 'span');
    expect(row).toEqual({
      first_bin: String(seconds(Date.parse('2025-02-20T08:30:00Z'))),
      last_bin: String(seconds(Date.parse('2025-03-11T23:50:00Z'))),
    });
    const readiness = historyReadiness(
      { firstBin: Number(row?.['first_bin']), lastBin: Number(row?.['last_bin']) },
      HISTORY_END,
      7,
    );
    expect(readiness).toEqual({ ready: true, historyDays: 19.6 });
  });

  it('gives nulls over days without bins (a fresh deployment)', async () => {
    const [row] = await session.rows(historySpanSql('getobject_bins', ['2024/01/01']), 'span');
    expect(row).toEqual({ first_bin: null, last_bin: null });
  });
});

describe('historyReadiness', () => {
  const end = HISTORY_END.getTime();
  const span = (firstMs: number, lastBinStartMs: number) => ({ firstBin: seconds(firstMs), lastBin: seconds(lastBinStartMs) });

  it('is ready with exactly the minimum history, rolled up to midnight', () => {
    expect(historyReadiness(span(end - 7 * DAY, end - 600_000), HISTORY_END, 7)).toEqual({ ready: true, historyDays: 7 });
  });

  it('is not ready one bin short of the minimum', () => {
    const r = historyReadiness(span(end - 7 * DAY + 600_000, end - 600_000), HISTORY_END, 7);
    expect(r).toMatchObject({ ready: false, reason: '6.9 of 7 days of history' });
  });

  it('tolerates a rollup up to 2 hours behind midnight, not more', () => {
    const lag = (ms: number) => historyReadiness(span(end - 30 * DAY, end - ms - 600_000), HISTORY_END, 7);
    expect(lag(ROLLUP_LAG_TOLERANCE_MS).ready).toBe(true);
    expect(lag(ROLLUP_LAG_TOLERANCE_MS + 600_000)).toMatchObject({
      ready: false,
      reason: 'bins rolled up to 2025-03-11T21:50:00.000Z only (backfill in progress)',
    });
  });

  it('counts history only up to the profile end, whatever the rollup has done since', () => {
    expect(historyReadiness(span(end - 10 * DAY, end + 5 * DAY), HISTORY_END, 7)).toEqual({ ready: true, historyDays: 10 });
  });

  it('is not ready without bins', () => {
    expect(historyReadiness({ firstBin: null, lastBin: null }, HISTORY_END, 7)).toEqual({
      ready: false,
      historyDays: 0,
      reason: 'no bins rolled up yet',
    });
  });
});
