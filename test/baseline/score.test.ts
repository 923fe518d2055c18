import { parseTopList, parseWindowRow, type WindowRow } from '../../rules/baseline/rows';
import {
  assessBin,
  DEFAULT_SCORING,
  dispersionSize,
  expectationOf,
  impactOf,
  tailProbability,
} from '../../rules/baseline/score';

/** A window row of a principal with 30 days of history: 2 reads per bin overall, `howMean` at this hour. */
function row(overrides: Partial<WindowRow> = {}): WindowRow {
  return parseWindowRow({
    principal: 'arn:aws:iam::333333333333:role/analyst',
    bin_start: Date.parse('2024-05-31T15:00:00Z') / 1000,
    how: 4 * 24 + 15,
    day: '2024/05/31',
    principal_type: 'AssumedRole',
    account: '333333333333',
    data_account: '222222222222',
    data_accounts: '1',
    region: 'us-east-1',
    requests: '5',
    bytes_out: 5_000,
    bytes_known: '5',
    distinct_objects: '5',
    distinct_buckets: '1',
    distinct_ips: '1',
    sensitive_requests: '0',
    sensitive_example: null,
    first_event_time: '2024-05-31T15:00:03Z',
    last_event_time: '2024-05-31T15:08:00Z',
    first_event_id: 'a',
    last_event_id: 'b',
    top_buckets: 'reports-analytics=5',
    top_ips: '203.0.113.10=5',
    own_first_bin: '2860000',
    own_bins_observed: 4320,
    own_active_bins: '900',
    own_mean: 2,
    own_variance: 12,
    own_disp_num: 400,
    own_disp_den: 400,
    how_bins_observed: 26,
    how_active_bins: '20',
    how_mean: 6,
    how_variance: 40,
    peer_count: '2',
    peer_mean: 1.5,
    peer_disp_num: 100,
    peer_disp_den: 200,
    ...overrides,
  });
}

describe('tailProbability', () => {
  it('matches the geometric closed form when size is 1: P(X >= k) = (m / (1 + m))^k', () => {
    for (const [k, m] of [
      [1, 2],
      [5, 2],
      [20, 7.5],
    ] as const) {
      expect(tailProbability(k, m, 1)).toBeCloseTo((m / (1 + m)) ** k, 10);
    }
  });

  it('matches the Poisson tail when size is null', () => {
    // P(X >= 2 | 1) = 1 - e^-1 (1 + 1)
    expect(tailProbability(2, 1, null)).toBeCloseTo(1 - 2 * Math.exp(-1), 12);
    expect(tailProbability(0, 3, null)).toBe(1);
  });

  it('is heavier under over-dispersion than under a Poisson of the same mean', () => {
    expect(tailProbability(30, 10, 2)).toBeGreaterThan(tailProbability(30, 10, null));
  });

  it('rejects a non-positive mean', () => {
    expect(() => tailProbability(3, 0, null)).toThrow(/mean must be > 0/);
  });
});

describe('dispersionSize', () => {
  it('is null (Poisson) unless the counts are over-dispersed', () => {
    expect(dispersionSize(10, 0)).toBeNull();
    expect(dispersionSize(10, -3)).toBeNull();
    expect(dispersionSize(null, 4)).toBeNull();
    expect(dispersionSize(10, 4)).toBe(2.5);
  });
});

describe('expectationOf', () => {
  it('shrinks the hour-of-week mean toward the overall mean by the hour\'s history', () => {
    const e = expectationOf(row());
    const wh = 26 / (26 + DEFAULT_SCORING.hourPriorBins);
    const wo = 4320 / (4320 + DEFAULT_SCORING.ownPriorBins);
    expect(e.basis).toBe('hour of week');
    expect(e.mean).toBeCloseTo(wo * (wh * 6 + (1 - wh) * 2) + (1 - wo) * 1.5, 10);
    expect(e.size).toBe(1);
    // Less history at that hour: closer to the overall mean.
    const thin = expectationOf(row({ how_bins_observed: 2 }));
    expect(thin.basis).toBe('own history');
    expect(Math.abs(thin.mean - 2)).toBeLessThan(Math.abs(e.mean - 2));
  });

  it('falls back to the peer prior for a principal without history, then to the default prior', () => {
    const none = { own_first_bin: null, own_bins_observed: null, own_mean: null, own_variance: null, own_disp_num: null, own_disp_den: null, how_bins_observed: 0 };
    const peer = expectationOf(row(none));
    expect(peer.basis).toBe('peer prior');
    expect(peer.mean).toBe(1.5);
    expect(peer.size).toBe(0.5);
    const lonely = expectationOf(row({ ...none, peer_count: null, peer_mean: null, peer_disp_num: null, peer_disp_den: null }));
    expect(lonely.basis).toBe('default prior');
    expect(lonely.mean).toBe(DEFAULT_SCORING.defaultPrior.mean);
  });
});

describe('assessBin', () => {
  it('flags a count far in the tail of the principal\'s own hour', () => {
    const a = assessBin(row({ requests: 5000, distinct_objects: 5000, bytes_out: 20 * 2 ** 30, sensitive_requests: 4000 }));
    expect(a.flagged).toBe(true);
    expect(a.tail).toBeLessThan(1e-10);
    expect(a.impact).toBe(100);
    expect(a.confidence).toBe(95);
  });

  it('keeps tiny volumes quiet however improbable they are (absolute floor)', () => {
    const a = assessBin(row({ requests: 99, own_mean: 0.01, how_mean: 0, peer_mean: 0.01, own_disp_num: null }));
    expect(a.flagged).toBe(false);
    expect(a.quietBecause.join(' ')).toMatch(/below the floor of 100/);
  });

  it('does not flag counts the hour of week makes plausible', () => {
    const a = assessBin(row({ requests: 120, how_mean: 100, how_variance: 900, own_mean: 40, own_disp_num: 9000, own_disp_den: 900 }));
    expect(a.flagged).toBe(false);
  });

  it('raises impact with distinct objects, bytes and sensitive names', () => {
    const base = impactOf(row()).impact;
    expect(impactOf(row({ distinct_objects: 1500 })).impact).toBe(base + 20);
    expect(impactOf(row({ bytes_out: 2 * 2 ** 30 })).impact).toBe(base + 20);
    const sensitive = impactOf(row({ sensitive_requests: 3 }));
    expect(sensitive.impact).toBe(base + 15);
    expect(sensitive.factors.join()).toMatch(/sensitive/);
  });
});

describe('rows', () => {
  it('parses top lists and reports malformed rows with the column name', () => {
    expect(parseTopList('a-bucket=12,b=3')).toEqual([
      { value: 'a-bucket', count: 12 },
      { value: 'b', count: 3 },
    ]);
    expect(parseTopList(null)).toEqual([]);
    expect(() => parseWindowRow({ ...row(), requests: 'many' }, 7)).toThrow(/row 7: requests/);
  });
});
