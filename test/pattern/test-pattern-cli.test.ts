import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTestPattern } from '../../cli/test-pattern';
import { FIXTURE_DIR } from '../fixtures';

const dir = mkdtempSync(join(tmpdir(), 'test-pattern-'));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function run(patternFile: string, events: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runTestPattern(patternFile, events, (line) => lines.push(line));
  return { code, lines };
}

const snapshotShare = file(
  'snapshot-share.json',
  JSON.stringify({
    source: ['aws.ec2'],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventName: ['ModifySnapshotAttribute'], requestParameters: { attributeType: ['CREATE_VOLUME_PERMISSION'] } },
  }),
);

describe('runTestPattern', () => {
  test('bare CloudTrail records are wrapped (and say so); verdicts per file', async () => {
    const share = join(FIXTURE_DIR, '022-ebs-snapshot-shared-stratus.json');
    const other = join(FIXTURE_DIR, '021-s3-listbuckets-doc.json');
    const { code, lines } = await run(snapshotShare, [share, other]);
    expect(code).toBe(0);
    expect(lines).toEqual([
      `MATCH  ${share} (CloudTrail record, wrapped in an EventBridge envelope)`,
      `NO MATCH  ${other} (CloudTrail record, wrapped in an EventBridge envelope)`,
    ]);
  });

  test('an EventBridge envelope is matched as it is', async () => {
    const envelope = file('envelope.json', JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ec2', account: '1', region: 'x', detail: { eventName: 'ModifySnapshotAttribute', requestParameters: { attributeType: 'CREATE_VOLUME_PERMISSION' } } }));
    expect(await run(snapshotShare, [envelope])).toEqual({ code: 0, lines: [`MATCH  ${envelope}`] });
  });

  test('a CloudTrail log file yields one line per record', async () => {
    const record = { eventTime: 't', eventSource: 'ec2.amazonaws.com', eventName: 'ModifySnapshotAttribute', awsRegion: 'r', requestParameters: { attributeType: 'CREATE_VOLUME_PERMISSION' } };
    const log = file('log.json', JSON.stringify({ Records: [record, { ...record, eventName: 'DescribeSnapshots' }] }));
    const { code, lines } = await run(snapshotShare, [log]);
    expect(code).toBe(0);
    expect(lines.map((l) => l.split('  ')[0])).toEqual(['MATCH', 'NO MATCH']);
    expect(lines[1]).toContain(`${log}#Records[1]`);
  });

  test('an invalid pattern exits 2 with the PatternError message', async () => {
    const bad = file('bad.json', '{"detail": {"size": [{"numeric": ["<", 5, ">", 1]}]}}');
    const { code, lines } = await run(bad, [join(FIXTURE_DIR, '021-s3-listbuckets-doc.json')]);
    expect(code).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/invalid pattern: .*lower bound.*detail\.size\[0\]\.numeric/);
  });

  test('unreadable and invalid event files are reported, skipped, and exit 1', async () => {
    const missing = join(dir, 'missing.json');
    const notJson = file('not-json.json', '{nope');
    const notEvent = file('not-event.json', '{"hello": 1}');
    const good = join(FIXTURE_DIR, '022-ebs-snapshot-shared-stratus.json');
    const { code, lines } = await run(snapshotShare, [missing, notJson, notEvent, good]);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(new RegExp(`^ERROR  ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read event file`));
    expect(lines[1]).toMatch(/^ERROR  .*not-json\.json: cannot read event file/);
    expect(lines[2]).toMatch(/^ERROR  .*not-event\.json: neither an EventBridge envelope .*CloudTrail record/);
    expect(lines[3]).toMatch(/^MATCH  /);
  });
});
