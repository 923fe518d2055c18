/** The committed sample archive tells the stories samples/README.md promises, and is what the generator writes. */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { runScan } from '../../cli/scan/command';
import { scanPaths, type ScanOutcome } from '../../cli/scan/engine';
import { loadConfig } from '../../cli/scan/options';
import { createEvaluator } from '../../rules/evaluate';
import { generateSamples } from '../../samples/generate';
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
