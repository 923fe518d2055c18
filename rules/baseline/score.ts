/**
 * Scoring of one principal's 10-minute bin (pure; no SQL, no SDK). The count is compared with a seasonal
 * expectation:
 *
 *   hour-of-week mean m_h (bins without reads count as zeros), shrunk toward the principal's overall mean m_o
 *   by how much history that hour has:          m_own = w_h m_h + (1 - w_h) m_o,   w_h = n_h / (n_h + K_h)
 *   then toward the peer prior m_p (same account and principal type) by how much history the principal has:
 *                                                m = w_o m_own + (1 - w_o) m_p,    w_o = n_o / (n_o + K_o)
 *
 * The tail probability P(X >= observed) is taken under a negative binomial with that mean and the principal's
 * dispersion (size r, pooled over its hours of week by moments: r = sum n_h m_h^2 / sum n_h (v_h - m_h)), or
 * under a Poisson when the counts are not over-dispersed. A bin is flagged when the tail is below `alpha`, the
 * count is above an absolute floor and a multiple of the expectation. Impact grows with distinct objects,
 * bytes and sensitive names; confidence with the improbability.
 */
import negativeBinomialCdf from '@stdlib/stats-base-dists-negative-binomial-cdf';
import poissonCdf from '@stdlib/stats-base-dists-poisson-cdf';
import type { WindowRow } from './rows';

export interface ScoringOptions {
  /** Flag when P(X >= observed) is at most this. */
  alpha: number;
  /** Absolute floor: fewer reads in a bin are never flagged. */
  minRequests: number;
  /** The count must also be at least this multiple of the expectation. */
  minLift: number;
  /** Prior strength (in bins) of the overall mean against an hour of week's own bins. */
  hourPriorBins: number;
  /** Prior strength (in bins) of the peer prior against the principal's own history. */
  ownPriorBins: number;
  /** Expectations are never below this (a zero mean would make any read "impossible"). */
  minExpected: number;
  /** When a principal has neither history nor peers. */
  defaultPrior: { mean: number; size: number };
}

export const DEFAULT_SCORING: ScoringOptions = {
  alpha: 1e-4,
  minRequests: 100,
  minLift: 3,
  hourPriorBins: 6,
  ownPriorBins: 144,
  minExpected: 0.1,
  defaultPrior: { mean: 1, size: 0.5 },
};

export type Basis = 'hour of week' | 'own history' | 'peer prior' | 'default prior';

export interface Expectation {
  mean: number;
  /** Negative binomial size r; null for a Poisson. */
  size: number | null;
  basis: Basis;
  /** w_h and w_o above. */
  hourWeight: number;
  ownWeight: number;
  /** The inputs, for the explanation. */
  hourMean: number;
  hourBins: number;
  ownMean: number | null;
  ownBins: number;
  priorMean: number;
  peerCount: number;
}

/** Size r from pooled moment sums; null (Poisson) when not over-dispersed. */
export function dispersionSize(num: number | null, den: number | null): number | null {
  if (num === null || den === null || !(den > 0) || !(num > 0)) return null;
  const size = num / den;
  return size > 1e6 ? null : size;
}

export function expectationOf(row: WindowRow, options: ScoringOptions = DEFAULT_SCORING): Expectation {
  const hourBins = Math.max(0, row.how_bins_observed);
  const ownBins = Math.max(0, row.own_bins_observed ?? 0);
  const ownMean = row.own_mean;
  const hourWeight = ownMean === null ? 0 : hourBins / (hourBins + options.hourPriorBins);
  const ownWeight = ownMean === null ? 0 : ownBins / (ownBins + options.ownPriorBins);
  const mOwn = ownMean === null ? 0 : hourWeight * row.how_mean + (1 - hourWeight) * ownMean;

  const peerCount = row.peer_count ?? 0;
  const hasPeers = peerCount > 0 && row.peer_mean !== null;
  const priorMean = hasPeers ? (row.peer_mean as number) : options.defaultPrior.mean;
  const priorSize = hasPeers ? dispersionSize(row.peer_disp_num, row.peer_disp_den) : options.defaultPrior.size;

  const mean = Math.max(options.minExpected, ownWeight * mOwn + (1 - ownWeight) * priorMean);
  const ownDominates = ownWeight >= 0.5;
  const size = ownDominates ? dispersionSize(row.own_disp_num, row.own_disp_den) : priorSize;
  const basis: Basis = ownDominates
    ? hourWeight >= 0.5
      ? 'hour of week'
      : 'own history'
    : hasPeers
      ? 'peer prior'
      : 'default prior';
  return {
    mean,
    size,
    basis,
    hourWeight,
    ownWeight,
    hourMean: row.how_mean,
    hourBins,
    ownMean,
    ownBins,
    priorMean,
    peerCount,
  };
}

/** P(X >= observed) under a negative binomial (mean, size) or, when size is null, a Poisson(mean). */
export function tailProbability(observed: number, mean: number, size: number | null): number {
  if (!(mean > 0)) throw new RangeError(`tailProbability: mean must be > 0, got ${mean}`);
  if (observed <= 0) return 1;
  const below = Math.floor(observed) - 1;
  const cdf = size === null ? poissonCdf(below, mean) : negativeBinomialCdf(below, size, size / (size + mean));
  if (Number.isNaN(cdf)) throw new RangeError(`tailProbability: undefined for mean ${mean}, size ${String(size)}`);
  return Math.min(1, Math.max(0, 1 - cdf));
}

/** -log10 of the tail, capped at 16 (double precision cannot tell smaller tails apart). */
export const MAX_SURPRISE = 16;
export function surpriseOf(tail: number): number {
  return tail <= 10 ** -MAX_SURPRISE ? MAX_SURPRISE : -Math.log10(tail);
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

export interface Assessment {
  row: WindowRow;
  expectation: Expectation;
  tail: number;
  surprise: number;
  /** observed / expected */
  lift: number;
  flagged: boolean;
  /** Why a bin is not flagged (empty when flagged). */
  quietBecause: string[];
  impact: number;
  confidence: number;
  /** What raised the impact, for the finding. */
  impactFactors: string[];
}

export function impactOf(row: WindowRow): { impact: number; factors: string[] } {
  let impact = 40;
  const factors: string[] = [];
  const objects = row.distinct_objects;
  const objectPoints = objects >= 10_000 ? 25 : objects >= 1_000 ? 20 : objects >= 100 ? 10 : 0;
  if (objectPoints) factors.push(`${objects} distinct objects (+${objectPoints})`);
  const bytes = row.bytes_out ?? 0;
  const bytePoints = bytes >= 10 * GIB ? 30 : bytes >= GIB ? 20 : bytes >= 100 * MIB ? 10 : 0;
  if (bytePoints) factors.push(`${formatBytes(bytes)} out (+${bytePoints})`);
  const sensitivePoints = row.sensitive_requests > 0 ? 15 : 0;
  if (sensitivePoints) factors.push(`${row.sensitive_requests} reads of sensitive names (+${sensitivePoints})`);
  impact += objectPoints + bytePoints + sensitivePoints;
  return { impact: Math.min(100, impact), factors };
}

export function confidenceOf(surprise: number): number {
  return Math.max(30, Math.min(95, Math.round(30 + 5 * surprise)));
}

export function assessBin(row: WindowRow, options: ScoringOptions = DEFAULT_SCORING): Assessment {
  const expectation = expectationOf(row, options);
  const observed = row.requests;
  const lift = observed / expectation.mean;
  const quietBecause: string[] = [];
  // The floors are checked first: most bins stop here without computing a tail.
  if (observed < options.minRequests) quietBecause.push(`${observed} reads, below the floor of ${options.minRequests}`);
  if (lift < options.minLift) quietBecause.push(`${lift.toFixed(1)}x the expectation, below ${options.minLift}x`);
  const tail = quietBecause.length > 0 ? Number.NaN : tailProbability(observed, expectation.mean, expectation.size);
  if (!Number.isNaN(tail) && tail > options.alpha) quietBecause.push(`tail probability ${tail.toExponential(2)} above ${options.alpha}`);
  const surprise = Number.isNaN(tail) ? 0 : surpriseOf(tail);
  const { impact, factors } = impactOf(row);
  return {
    row,
    expectation,
    tail,
    surprise,
    lift,
    flagged: quietBecause.length === 0,
    quietBecause,
    impact,
    confidence: confidenceOf(surprise),
    impactFactors: factors,
  };
}

export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(1)} GiB`;
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
