/** The committed sample archive tells the stories samples/README.md promises, and is what the generator writes. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { runGetObjectBaseline, type GetObjectBaselineResult } from '../../cli/baseline/duckdb';
import { runScan } from '../../cli/scan/command';
import { scanPaths, type ScanOutcome } from '../../cli/scan/engine';
import { loadConfig } from '../../cli/scan/options';
import { createEvaluator } from '../../rules/evaluate';
import { buildFinding, validateFinding } from '../../handlers/findings';
import { principalOf } from '../../rules/actor';
import type { CloudTrailRecord } from '../../rules/cloudtrail';
import { generateSamples } from '../../samples/generate';
import { BACKUP_ROLE_ARN, GETOBJECT_BURST, getObjectStoryRecords } from '../../samples/getobject-story';
import { DR_BACKUP_ACCOUNT, ORG_ACCOUNTS, ORGANIZATION_ID } from '../../samples/organization';
import { STORIES } from '../../samples/stories';
import { captureIo, tempDir } from './helpers';

const SAMPLES = path.join(__dirname, '..', '..', 'samples');
const ARCHIVE = path.join(SAMPLES, 'archive');
const CONFIG = path.join(SAMPLES, 'config.json');

let outcome: ScanOutcome;
beforeAll(async () => {
  outcome = await scanPaths([ARCHIVE], createEvaluator({ config: await loadConfig(CONFIG) }));
});

const eventIdsOf = (records: readonly Record<string, unknown>[]) => records.map((r) => String(r.eventID));
const findingsOf = (ids: string[]) => outcome.findings.filter((f) => f.eventIds.some((id) => ids.includes(id)));

describe('the sample archive', () => {
  it('is read cleanly: no problems, no invalid events, the digests skipped', () => {
    const { stats } = outcome;
    expect(stats.problemCount).toBe(0);
    expect(stats.eventsInvalid).toBe(0);
    expect(stats.eventsRead).toBeGreaterThan(2000);
    expect(stats.filesSkipped.get('CloudTrail digest file')).toBe(ORG_ACCOUNTS.length * 2 * 2);
  });

  it.each(STORIES.filter((s) => s.detection).map((s) => [s.id, s] as const))('story %s: its detection fires', (_id, story) => {
    const found = findingsOf(eventIdsOf(story.records));
    expect(found.map((f) => f.detection.id)).toEqual([story.detection]);
    const finding = found[0];
    expect(Boolean(finding?.suppressed)).toBe(story.expect === 'suppressed');
    if (story.marker) expect(JSON.stringify(finding?.resources)).toContain(story.marker);
    // Every record of the story is behind its one finding (S3 Batch: CreateJob and JobCreated merged).
    expect(finding?.eventIds.slice().sort()).toEqual(eventIdsOf(story.records).sort());
  });

  it('context stories and the benign noise raise nothing', () => {
    const storyIds = new Set(STORIES.filter((s) => s.detection).flatMap((s) => eventIdsOf(s.records)));
    for (const finding of outcome.findings) expect(finding.eventIds.filter((id) => !storyIds.has(id))).toEqual([]);
    const contextIds = STORIES.filter((s) => s.expect === 'context').flatMap((s) => eventIdsOf(s.records));
    expect(findingsOf(contextIds)).toEqual([]);
  });

  it('the share to the trusted DR account is kept at a lower severity than the same share to the attacker', () => {
    const [dr] = findingsOf(eventIdsOf(STORIES.find((s) => s.id === 'rds-share-to-dr')?.records ?? []));
    const [attack] = findingsOf(eventIdsOf(STORIES.find((s) => s.id === 'rds-share-external')?.records ?? []));
    expect(dr?.targets).toEqual([expect.objectContaining({ accountId: DR_BACKUP_ACCOUNT, relation: 'trusted' })]);
    expect(dr?.risk.score).toBeLessThan(attack?.risk.score ?? 0);
  });

  it('the README command shows the findings and the suppressed share with its reason', async () => {
    const io = captureIo();
    const result = await runScan({ paths: [ARCHIVE], config: CONFIG, failOn: 'HIGH' }, io);
    expect(result.exitCode).toBe(1);
    expect(result.suppressed).toBe(1);
    expect(io.stdout.text).toMatch(/Suppressed by the allowlist \(1\)[\s\S]*ami-pipeline[\s\S]*Golden AMI shared with the vendor/);
    expect(io.stdout.text.indexOf('CRITICAL')).toBeLessThan(io.stdout.text.indexOf('LOW'));
  });

  it('is small: under 1.5 MB of files', () => {
    const bytes = readdirSync(ARCHIVE, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .reduce((sum, e) => sum + statSync(path.join(e.parentPath, e.name)).size, 0);
    expect(bytes).toBeLessThan(1.5e6);
  });
});

describe('the GetObject story (the baseline over the sample archive)', () => {
  let baseline: GetObjectBaselineResult;
  beforeAll(async () => {
    baseline = await runGetObjectBaseline([ARCHIVE], { config: await loadConfig(CONFIG) });
  });

  /** Bins of 100 reads or more per principal in the GetObject story (the noise's few reads never come near). */
  const busyBins = (from: string) => {
    const counts = new Map<string, number>();
    for (const r of getObjectStoryRecords()) {
      const t = Date.parse(String(r.eventTime));
      if (t < Date.parse(from)) continue;
      const key = `${principalOf(r as unknown as CloudTrailRecord)}|${Math.floor(t / 600_000)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].filter(([, c]) => c >= 100).map(([key]) => key.split('|')[0]);
  };

  it('scores every bin after the 7-day warm-up', () => {
    expect(baseline.stats).toMatchObject({ warmupDaysSkipped: 7, scoredFrom: '2025-03-10T00:00:00.000Z' });
    expect(baseline.stats.scoredTo?.startsWith('2025-03-12T23:')).toBe(true);
  });

  it('flags the burst, and only the burst, HIGH or CRITICAL', () => {
    expect(baseline.signals).toHaveLength(1);
    const [burst] = baseline.signals;
    expect(burst?.detection.id).toBe('s3-getobject-anomaly');
    expect(burst?.actor.principal).toBe(GETOBJECT_BURST.principal);
    expect(burst?.key).toBe(`${GETOBJECT_BURST.principal}/${GETOBJECT_BURST.binStart}`);
    expect(burst?.actor.sourceIp).toBe('203.0.113.66');
    expect(burst?.facts.observed).toBe(String(GETOBJECT_BURST.requests));
    expect(burst?.facts.sensitiveReads).toBe(String(GETOBJECT_BURST.requests));
    expect(['HIGH', 'CRITICAL']).toContain(burst?.risk.severity);
    expect(burst?.suppressed).toBeUndefined();
    expect(validateFinding(buildFinding(burst!))).toEqual({ ok: true });
  });

  it('the nightly backup reads above the floor, is scored every night, and stays quiet', () => {
    const busy = busyBins('2025-03-10T00:00:00Z');
    const backups = busy.filter((p) => p === BACKUP_ROLE_ARN).length;
    expect(backups).toBeGreaterThanOrEqual(3);
    // Scored: every busy bin (the backups and the burst); no other principal comes near the floor.
    expect(busy.filter((p) => p !== BACKUP_ROLE_ARN)).toEqual([GETOBJECT_BURST.principal]);
    expect(baseline.stats.scoredBins).toBe(busy.length);
    expect(baseline.signals.map((s) => s.actor.principal)).not.toContain(BACKUP_ROLE_ARN);
  });

  it('the README command shows it with the event findings; --no-baseline leaves it out', async () => {
    const withBaseline = captureIo();
    const full = await runScan({ paths: [ARCHIVE], config: CONFIG }, withBaseline);
    const withoutBaseline = captureIo();
    const events = await runScan({ paths: [ARCHIVE], config: CONFIG, baseline: false }, withoutBaseline);
    expect(full.exitCode).toBe(0);
    expect(events.exitCode).toBe(0);
    expect(full.findings).toBe(events.findings + 1);
    expect(withBaseline.stdout.text).toMatch(/HIGH|CRITICAL/);
    expect(withBaseline.stdout.text).toMatch(/(HIGH|CRITICAL) +s3-getobject-anomaly +318472905163 +eu-west-1 +arn:aws:iam::318472905163:role\/data-platform-admin +203\.0\.113\.66/);
    expect(withBaseline.stdout.text).toContain(`read ${GETOBJECT_BURST.requests} S3 objects`);
    expect(withoutBaseline.stdout.text).not.toContain('s3-getobject-anomaly');
    // Apart from the burst, the same findings.
    const rows = (text: string) => text.split('\n').filter((l) => !l.includes('s3-getobject-anomaly') && !l.includes('read 320 S3 objects'));
    expect(rows(withBaseline.stdout.text).slice(1)).toEqual(rows(withoutBaseline.stdout.text).slice(1));
    expect(withBaseline.stderr.text).toMatch(/warm-up days skipped\s+7/);
    expect(withBaseline.stderr.text).toMatch(/flagged\s+1\n/);
    expect(withoutBaseline.stderr.text).toMatch(/GetObject baseline\s+not run \(--no-baseline\)/);
  });

  it('--baseline-window scores the last minutes before the end of the data only', async () => {
    const last = await runScan({ paths: [ARCHIVE], config: CONFIG, baselineWindow: 60 }, captureIo());
    expect(last.baseline).toMatchObject({ kind: 'ran', stats: { flagged: 0 } });
    const stats = last.baseline?.kind === 'ran' ? last.baseline.stats : undefined;
    const end = Date.parse(stats?.scoredTo ?? '');
    expect(end - Date.parse(stats?.scoredFrom ?? '')).toBe(60 * 60_000);
    expect(end).toBe(Date.parse(baseline.stats.scoredTo ?? ''));
    // A window reaching back to 03:10 on day 2 takes the burst in.
    const minutes = (end - Date.parse(GETOBJECT_BURST.binStart)) / 60_000;
    const wide = await runScan({ paths: [ARCHIVE], config: CONFIG, baselineWindow: minutes }, captureIo());
    expect(wide.baseline).toMatchObject({ kind: 'ran', stats: { flagged: 1, warmupDaysSkipped: 0 } });
  });

  it('an allowlist entry for the baseline suppresses the burst, not the same role\'s event findings', async () => {
    const t = tempDir();
    try {
      const config = JSON.parse(readFileSync(CONFIG, 'utf8')) as { allowlist: unknown[] };
      config.allowlist.push({ principal: GETOBJECT_BURST.principal, detections: ['s3-getobject-anomaly'], reason: 'test: a data migration' });
      const file = t.write('config.json', JSON.stringify(config));
      const io = captureIo();
      const result = await runScan({ paths: [ARCHIVE], config: file }, io);
      expect(result.suppressed).toBe(2);
      expect(io.stdout.text).toMatch(/Suppressed by the allowlist \(2\)[\s\S]*s3-getobject-anomaly[\s\S]*test: a data migration/);
      expect(io.stdout.text).toMatch(/MEDIUM +rds-snapshot-shared +318472905163 +eu-west-1 +arn:aws:iam::318472905163:role\/data-platform-admin/);
    } finally {
      t.cleanup();
    }
  });
});

describe('samples/config.json', () => {
  it('names the organization of the generator', async () => {
    const config = await loadConfig(CONFIG);
    expect(config.organizationAccountIds).toEqual(ORG_ACCOUNTS.map((a) => a.id));
    expect(config.trustedAccounts.map((a) => a.accountId)).toEqual([DR_BACKUP_ACCOUNT]);
  });
});

describe('samples/generate.ts', () => {
  const list = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
      .sort();

  it('writes the committed archive byte for byte (deterministic, and the archive is up to date)', async () => {
    const t = tempDir();
    try {
      await generateSamples(t.dir);
      const generated = list(t.dir);
      expect(generated).toEqual(list(ARCHIVE));
      expect(generated.every((f) => f.startsWith(path.join('AWSLogs', ORGANIZATION_ID)))).toBe(true);
      for (const file of generated) {
        expect(readFileSync(path.join(t.dir, file)).equals(readFileSync(path.join(ARCHIVE, file)))).toBe(true);
      }
    } finally {
      t.cleanup();
    }
  });

  it('names log files as CloudTrail does', () => {
    const logs = list(ARCHIVE).filter((f) => !f.includes('CloudTrail-Digest'));
    for (const file of logs) {
      expect(file.split(path.sep).join('/')).toMatch(
        /^AWSLogs\/o-exfiltrail01\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/\1_CloudTrail_\2_\3\4\5T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/,
      );
    }
  });
});
