/**
 * The baseline end to end on DuckDB over a generated 31-day organization (30 days of history and the day under
 * test, 2024-05-31, a Friday), with bursts injected on the last day.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runGetObjectBaseline, type GetObjectBaselineResult } from '../../cli/baseline/duckdb';
import { parseConfig, DEFAULT_CONFIG } from '../../rules/config';
import { SEVERITY_RANK } from '../../rules/risk';
import type { Signal } from '../../rules/signal';
import { ACCOUNTS, BUCKETS, principalArn, writeGetObjectHistory, type HistoryTruth } from '../../samples/getobject-history';

jest.setTimeout(180_000);

const role = (name: string, account: string = ACCOUNTS.analytics) => principalArn({ name, account, type: 'AssumedRole' });
const ANALYST = role('analyst');
const BACKUP = role('nightly-backup', ACCOUNTS.data);
const NEW_SMALL = role('new-reporting');
const NEW_LARGE = role('new-sync');
const newRole = (name: string, ip: string) => ({
  name,
  account: ACCOUNTS.analytics,
  type: 'AssumedRole' as const,
  region: 'us-east-1',
  buckets: [BUCKETS.reports],
  ips: [ip],
});

let dir: string;
let truth: HistoryTruth;
let day: GetObjectBaselineResult;

const signalAt = (signals: readonly Signal[], principal: string, bin: string) =>
  signals.find((s) => s.key === `${principal}/${bin}`);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'exfiltrail-getobject-'));
  truth = writeGetObjectHistory({
    outDir: dir,
    scale: 0.1,
    injections: [
      // Exfiltration: the analyst role reads 5000 customer exports from an unknown address at 15:00.
      { principal: 'analyst', start: new Date('2024-05-31T15:00:00Z'), requests: 5000, bucket: BUCKETS.pii, keyPrefix: 'customers', bytesPerObject: 3_000_000, ip: '185.220.101.4' },
      // The nightly backup job, at 14:00 instead of 02:00, its usual size.
      { principal: 'nightly-backup', start: new Date('2024-05-31T14:00:00Z'), requests: 600 },
      // New principals: one reads a little, one a lot.
      { principal: newRole('new-reporting', '10.30.0.77'), start: new Date('2024-05-31T10:00:00Z'), requests: 40 },
      { principal: newRole('new-sync', '10.30.0.78'), start: new Date('2024-05-31T12:00:00Z'), requests: 2000 },
    ],
  });
  day = await runGetObjectBaseline([dir], { config: DEFAULT_CONFIG, windowMinutes: 1440, now: new Date('2024-06-01T00:00:00Z') });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the GetObject baseline over a generated organization', () => {
  it('scores the last day against the 30 days before it', () => {
    expect(day.stats.scoredFrom).toBe('2024-05-31T00:00:00.000Z');
    expect(day.stats.scoredTo).toBe('2024-06-01T00:00:00.000Z');
    expect(day.stats.files).toBe(truth.files);
  });

  it('counts each read once: no cross-account duplicates, service reads, VPCE records or failed reads', () => {
    expect(truth.duplicateRecords).toBeGreaterThan(1000);
    expect(truth.serviceReads).toBeGreaterThan(1000);
    expect(truth.vpceRecords).toBeGreaterThan(1000);
    expect(truth.failedReads).toBeGreaterThan(10);
    expect(day.stats.reads).toBe(truth.reads);
  });

  it('flags the injected exfiltration burst HIGH or above and explains it', () => {
    const signal = signalAt(day.signals, ANALYST, '2024-05-31T15:00:00.000Z');
    expect(signal).toBeDefined();
    const s = signal as Signal;
    expect(SEVERITY_RANK[s.risk.severity]).toBeGreaterThanOrEqual(SEVERITY_RANK.HIGH);
    expect(s.detection.id).toBe('s3-getobject-anomaly');
    expect(s.detection.attack.map((a) => a.technique.id)).toContain('T1530');
    expect(s.detection.findingTypes).toContain('Effects/Data Exfiltration');
    expect(s.facts.basis).toBe('hour of week');
    expect(Number(s.facts.observed)).toBeGreaterThanOrEqual(5000);
    expect(Number(s.facts.expected)).toBeLessThan(50);
    expect(s.facts.topBuckets).toMatch(/^customer-pii-exports=5000/);
    expect(s.facts.topSourceIps).toMatch(/185\.220\.101\.4=5000/);
    expect(s.facts.sensitiveExample).toMatch(/^s3:\/\/customer-pii-exports\//);
    expect(s.resources[0]?.id).toBe('arn:aws:s3:::customer-pii-exports');
    expect(s.account).toBe(ACCOUNTS.data);
    expect(s.actor.principal).toBe(ANALYST);
    expect(s.message).toMatch(/185\.220\.101\.4/);
  });

  it('leaves the nightly backup at its usual hour alone, and flags it at an unusual one', () => {
    const backup = day.signals.filter((s) => s.actor.principal === BACKUP);
    expect(backup.map((s) => s.key)).toEqual([`${BACKUP}/2024-05-31T14:00:00.000Z`]);
    expect(backup[0]?.facts.basis).toBe('hour of week');
    // Its 02:00-02:20 bins were scored (they are above the floor), not skipped.
    expect(day.stats.scoredBins).toBeGreaterThanOrEqual(3 + 3);
  });

  it('lets a new principal read a little, and flags one that reads a lot against its peers', () => {
    expect(day.signals.some((s) => s.actor.principal === NEW_SMALL)).toBe(false);
    const large = day.signals.find((s) => s.actor.principal === NEW_LARGE);
    expect(large?.facts.basis).toBe('peer prior');
    expect(large?.title).toMatch(/new principal/);
  });

  it('raises nothing else: the rhythms of the other principals are expected', () => {
    const flagged = new Set(day.signals.map((s) => s.actor.principal));
    expect([...flagged].sort()).toEqual([ANALYST, BACKUP, NEW_LARGE].sort());
  });

  it('applies the allowlist through assessRisk, and scores a 10-minute window like the scheduled query', async () => {
    const config = parseConfig({
      allowlist: [{ principal: BACKUP, detections: ['s3-getobject-anomaly'], reason: 'DR drills run the backup by day' }],
    });
    const bin = await runGetObjectBaseline([dir], { config, windowMinutes: 10, now: new Date('2024-05-31T14:10:00Z') });
    expect(bin.stats.scoredFrom).toBe('2024-05-31T14:00:00.000Z');
    expect(bin.signals.map((s) => s.key)).toEqual([`${BACKUP}/2024-05-31T14:00:00.000Z`]);
    expect(bin.signals[0]?.suppressed?.reason).toMatch(/DR drills/);
    expect(bin.signals[0]?.risk.severity).toBe('INFORMATIONAL');
  });

  it('skips the warm-up: nothing is scored before minHistoryDays of archive', async () => {
    const early = await runGetObjectBaseline([dir], { config: DEFAULT_CONFIG, windowMinutes: 1440, now: new Date('2024-05-04T00:00:00Z') });
    expect(early.stats.scoredFrom).toBeNull();
    expect(early.stats.warmupDaysSkipped).toBe(1);
    expect(early.signals).toEqual([]);
  });
});
