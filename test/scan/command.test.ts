import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerScanCommand, runScan } from '../../cli/scan/command';
import { validateFinding } from '../../handlers/findings';
import { accountOf, recordId, type CloudTrailRecord } from '../../rules/cloudtrail';
import { captureIo, envelope, fixture, FIXTURE_DIR, fixtureLabels, gz, logFile, tempDir } from './helpers';

const SHARE = fixture('022-ebs-snapshot-shared-stratus.json');
const ASSUME = fixture('068-sts-assumerole-stratus.json');
const JOB_CREATED = fixture('005-s3batch-jobcreated-doc.json');

/** A share made public, for a CRITICAL finding. */
const PUBLIC_SHARE = {
  ...SHARE,
  eventID: 'a0000000-0000-4000-8000-000000000001',
  requestParameters: { ...(SHARE.requestParameters as object), createVolumePermission: { add: { items: [{ group: 'all' }] } } },
};

/** The S3 Batch CreateJob API call that goes with fixture 005's JobCreated (same account, region and job id). */
const CREATE_JOB = {
  eventVersion: '1.09',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEROLEID0001:mallory',
    arn: 'arn:aws:sts::11112223334444:assumed-role/ops/mallory',
    accountId: '11112223334444',
    sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::11112223334444:role/ops', accountId: '11112223334444', userName: 'ops' } },
  },
  eventTime: '2020-02-27T15:25:48Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'CreateJob',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.9',
  userAgent: 'aws-cli/2.15.30',
  requestParameters: { CreateJobRequest: { Operation: { S3PutObjectCopy: { TargetResource: 'arn:aws:s3:::outside-bucket' } } } },
  responseElements: { jobId: 'e849b567-5232-44be-9a0c-40988f14e80c' },
  eventID: 'c0000000-0000-4000-8000-000000000002',
  eventType: 'AwsApiCall',
  recipientAccountId: '11112223334444',
};

let t: ReturnType<typeof tempDir>;
beforeEach(() => (t = tempDir()));
afterEach(() => t.cleanup());

describe('runScan over a mixed archive', () => {
  it('reads every format, reports and counts what it skips, and goes on', async () => {
    t.write('AWSLogs/o-1/756680937392/CloudTrail/me-central-3r/2024/08/01/756680937392_CloudTrail_me-central-3r_20240801T1230Z_aaaaaaaaaaaaaaaa.json.gz', gz(logFile([SHARE, ASSUME])));
    t.write('AWSLogs/o-1/756680937392/CloudTrail-Digest/me-central-3r/2024/08/01/756680937392_CloudTrail-Digest_me-central-3r_t_me-central-3r_20240801T130000Z.json.gz', gz('{}'));
    t.write('plain.json', logFile([ASSUME]));
    t.write('lines.jsonl', `${JSON.stringify(ASSUME)}\nnot json\n${JSON.stringify(envelope(JOB_CREATED))}\n{"foo": 1}\n`);
    t.write('envelopes.json', JSON.stringify([envelope(ASSUME)]));
    t.write('corrupt.json.gz', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    t.write('truncated.json', logFile([ASSUME]).slice(0, 50));
    t.write('notes.md', '# not a log');
    const io = captureIo();
    const result = await runScan({ paths: [t.dir] }, io);

    // The corrupt and truncated files are the event step's problems: the baseline leaves them out and runs over
    // the three other .json/.json.gz files (the JSON Lines file is not a CloudTrail log file).
    expect(result.exitCode).toBe(0);
    expect(result.baseline).toMatchObject({ kind: 'ran', stats: { files: 3 } });
    const s = result.stats;
    expect(s).toMatchObject({ filesRead: 6, filesFailed: 2, badLines: 1, eventsRead: 7, eventsInvalid: 1, eventsEvaluated: 2, eventsSkipped: 4 });
    expect(Object.fromEntries(s?.filesSkipped ?? [])).toEqual({
      'CloudTrail digest file': 1,
      'not a log file (expected .json, .jsonl or .ndjson, optionally .gz)': 1,
    });
    expect(s?.invalidSamples).toEqual([{ location: `${path.join(t.dir, 'lines.jsonl')}:4`, reason: 'eventName: missing or not a string' }]);
    expect(result.findings).toBe(2);
    // The summary names each problem with its location, and the skip reasons.
    expect(io.stderr.text).toContain(`${path.join(t.dir, 'corrupt.json.gz')}: corrupt gzip`);
    expect(io.stderr.text).toContain(`${path.join(t.dir, 'truncated.json')}: invalid JSON`);
    expect(io.stderr.text).toContain(`${path.join(t.dir, 'lines.jsonl')}:2: invalid JSON`);
    expect(io.stderr.text).toMatch(/1 {2}CloudTrail digest file/);
    expect(io.stderr.text).toMatch(/events read\s+7/);
    expect(io.stdout.text).toMatch(/^Findings \(2\)/);
    expect(io.stdout.text).not.toContain('Scan summary');
  });

  it('passes records the evaluator calls invalid on with their location', async () => {
    const bad = { ...SHARE, eventTime: 42 };
    const p = t.write('bad.json', logFile([bad]));
    const result = await runScan({ paths: [p] }, captureIo());
    expect(result.stats?.eventsInvalid).toBe(1);
    expect(result.stats?.invalidSamples[0]).toEqual({ location: `${p}#Records[0]`, reason: expect.stringContaining('eventTime') });
  });
});

describe('findings from the real fixtures', () => {
  it.each(fixtureLabels().map((l) => [l.file, l.should_alert] as const))('%s alerts: %s', async (file, shouldAlert) => {
    const record = fixture(file) as unknown as CloudTrailRecord;
    const io = captureIo();
    const result = await runScan({ paths: [path.join(FIXTURE_DIR, file)], format: 'asff' }, io);
    expect(result.exitCode).toBe(0);
    expect(result.stats).toMatchObject({ eventsRead: 1, eventsInvalid: 0 });
    expect(result.findings).toBe(shouldAlert ? 1 : 0);
    if (shouldAlert) {
      // The finding traces back to the record it came from.
      expect(io.stdout.text).toContain(recordId(record));
      // Documentation examples mask account ids ("11112223334444"): Security Hub would reject that finding, and
      // the scan says so instead of dropping it.
      const maskedAccount = !/^\d{12}$/.test(accountOf(record));
      expect(validateFinding(JSON.parse(io.stdout.text)).ok).toBe(!maskedAccount);
      expect(result.invalidFindings).toBe(maskedAccount ? 1 : 0);
      if (maskedAccount) expect(io.stderr.text).toMatch(/invalid ASFF finding .*AwsAccountId/);
    }
  });
});

describe('--format asff', () => {
  it('writes one valid ASFF finding per line', async () => {
    t.write('a.json', logFile([SHARE, PUBLIC_SHARE, fixture('033-ami-shared-stratus.json'), fixture('038-rds-snapshot-shared-stratus.json')]));
    const io = captureIo();
    const result = await runScan({ paths: [t.dir], format: 'asff' }, io);
    const lines = io.stdout.text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(validateFinding(JSON.parse(line))).toEqual({ ok: true });
    expect(JSON.parse(lines[0] ?? '{}').Severity.Label).toBe('CRITICAL');
    expect(result.invalidFindings).toBe(0);
    expect(io.stderr.text).toContain('Scan summary');
  });

  it('--output writes the findings to the file and nothing to stdout', async () => {
    t.write('a.json', logFile([SHARE]));
    const out = path.join(t.dir, 'findings.jsonl');
    const io = captureIo();
    await runScan({ paths: [path.join(t.dir, 'a.json')], format: 'asff', output: out }, io);
    expect(io.stdout.text).toBe('');
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}').GeneratorId).toBe('exfiltrail/ebs-snapshot-shared');
  });
});

describe('merging', () => {
  it('makes one finding of an S3 Batch CreateJob and its JobCreated event read from different files', async () => {
    t.write('one.json', logFile([CREATE_JOB]));
    t.write('two.jsonl', `${JSON.stringify(JOB_CREATED)}\n`);
    const io = captureIo();
    const result = await runScan({ paths: [t.dir], format: 'asff' }, io);
    expect(result.stats?.signals).toBe(2);
    expect(result.findings).toBe(1);
    const finding = JSON.parse(io.stdout.text);
    expect(finding.Description).toContain('outside-bucket');
    expect(io.stdout.text).toContain(CREATE_JOB.eventID);
    expect(io.stdout.text).toContain(String(JOB_CREATED.eventID));
  });
});

describe('--fail-on', () => {
  const scan = (records: unknown[], failOn?: string, config?: string) => {
    const p = t.write(`r-${Math.random()}.json`, logFile(records));
    return runScan({ paths: [p], ...(failOn ? { failOn } : {}), ...(config ? { config } : {}) }, captureIo());
  };

  it('exits 0 with findings when no threshold is given', async () => {
    expect((await scan([PUBLIC_SHARE])).exitCode).toBe(0);
  });

  it('exits 1 when a finding is at or above the threshold, 0 below it (case-insensitive)', async () => {
    expect((await scan([PUBLIC_SHARE], 'critical')).exitCode).toBe(1);
    expect((await scan([PUBLIC_SHARE], 'HIGH')).exitCode).toBe(1);
    const failedShare = { ...SHARE, errorCode: 'Client.UnauthorizedOperation' };
    const low = await scan([failedShare], 'HIGH');
    expect(low.findings).toBe(1);
    expect(low.exitCode).toBe(0);
  });

  it('ignores suppressed findings', async () => {
    const config = t.write('config.json', JSON.stringify({ allowlist: [{ principal: 'arn:aws:iam::756680937392:user/christophe', reason: 'red team exercise' }] }));
    const result = await scan([PUBLIC_SHARE], 'LOW', config);
    expect(result).toMatchObject({ exitCode: 0, findings: 0, suppressed: 1 });
  });
});

describe('usage and config errors exit 2 with a clear message', () => {
  it.each([
    [{ format: 'xml' }, '--format xml: expected one of table, asff'],
    [{ failOn: 'SEVERE' }, '--fail-on SEVERE: expected one of LOW, MEDIUM, HIGH, CRITICAL'],
    [{ config: '/nonexistent/exfiltrail.json' }, '--config /nonexistent/exfiltrail.json: cannot read it: ENOENT'],
    [{ output: '/nonexistent-dir/out.txt' }, '--output /nonexistent-dir/out.txt: cannot write to /nonexistent-dir'],
  ])('%j', async (options, message) => {
    const p = t.write('a.json', logFile([SHARE]));
    const io = captureIo();
    const result = await runScan({ paths: [p], ...options }, io);
    expect(result.exitCode).toBe(2);
    expect(io.stderr.text).toContain(`exfiltrail scan: ${message}`);
    expect(io.stdout.text).toBe('');
  });

  it('a missing PATH', async () => {
    const io = captureIo();
    const result = await runScan({ paths: [path.join(t.dir, 'nope')] }, io);
    expect(result.exitCode).toBe(2);
    expect(io.stderr.text).toContain(`no such file or directory: ${path.join(t.dir, 'nope')}`);
  });

  it('a config that is not JSON, or not valid, lists every issue with its key', async () => {
    const notJson = t.write('c1.json', '{ nope');
    const invalid = t.write('c2.json', JSON.stringify({ trustedAccounts: [{ accountId: 'abc', reason: '' }], typo: 1 }));
    const unknownDetection = t.write('c3.json', JSON.stringify({ detections: { 'no-such-detection': { enabled: false } } }));
    const io = captureIo();
    expect((await runScan({ paths: [t.dir], config: notJson }, io)).exitCode).toBe(2);
    expect(io.stderr.text).toContain(`--config ${notJson}: not valid JSON`);
    expect((await runScan({ paths: [t.dir], config: invalid }, io)).exitCode).toBe(2);
    expect(io.stderr.text).toContain('trustedAccounts.0.accountId');
    expect(io.stderr.text).toContain('trustedAccounts.0.reason');
    expect((await runScan({ paths: [t.dir], config: unknownDetection }, io)).exitCode).toBe(2);
    expect(io.stderr.text).toContain('detections.no-such-detection: no such detection');
  });
});

describe('progress bar', () => {
  it('is drawn on stderr only when it is a terminal', async () => {
    t.write('a.json', logFile([SHARE]));
    const tty = captureIo(true);
    await runScan({ paths: [t.dir] }, tty);
    expect(tty.stderr.text).toMatch(/files .*1\/1 \| events 1 \| findings 1/);
    const pipe = captureIo(false);
    await runScan({ paths: [t.dir] }, pipe);
    expect(pipe.stderr.text).not.toMatch(/files .*1\/1/);
  });
});

describe('registerScanCommand', () => {
  const program = (onExitCode: (code: number) => void) => {
    const io = captureIo();
    const root = new Command('exfiltrail').exitOverride().configureOutput({ writeErr: (s) => io.stderr.write(s), writeOut: (s) => io.stdout.write(s) });
    registerScanCommand(root, {
      io,
      onExitCode,
      onUsageError: (error) => {
        throw new CommanderError(2, error.code, error.message);
      },
    });
    return { root, io };
  };

  it('parses the options and hands the exit code over', async () => {
    const p = t.write('a.json', logFile([PUBLIC_SHARE]));
    const codes: number[] = [];
    const { root, io } = program((c) => codes.push(c));
    await root.parseAsync(['scan', p, '--format', 'asff', '--fail-on', 'high'], { from: 'user' });
    expect(codes).toEqual([1]);
    expect(JSON.parse(io.stdout.text).Severity.Label).toBe('CRITICAL');
  });

  it('turns command-line mistakes into exit code 2', async () => {
    const { root } = program(() => undefined);
    await expect(root.parseAsync(['scan', t.dir, '--format', 'xml'], { from: 'user' })).rejects.toMatchObject({ exitCode: 2 });
    await expect(root.parseAsync(['scan'], { from: 'user' })).rejects.toMatchObject({ exitCode: 2 });
  });
});
