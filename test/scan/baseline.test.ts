/** The GetObject baseline step of `exfiltrail scan`: options, failures, notes, exit codes. */
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { emptyBaselineStats, type GetObjectBaselineOptions, type GetObjectBaselineResult } from '../../cli/baseline/duckdb';
import { BaselineQueryError } from '../../cli/baseline/session';
import { EXIT_INCOMPLETE, registerScanCommand, runScan } from '../../cli/scan/command';
import { parseConfig } from '../../rules/config';
import { SAMPLE_SPEC } from '../../samples/generate';
import { STORY_RECORDS } from '../../samples/stories';
import { writeTrail } from '../../samples/synthetic';
import { captureIo, fixture, gz, logFile, tempDir } from './helpers';

const SHARE = fixture('022-ebs-snapshot-shared-stratus.json');
const PUBLIC_SHARE = {
  ...SHARE,
  eventID: 'a0000000-0000-4000-8000-000000000001',
  requestParameters: { ...(SHARE.requestParameters as object), createVolumePermission: { add: { items: [{ group: 'all' }] } } },
};

interface Call {
  paths: string[];
  options: GetObjectBaselineOptions;
}

/** A runner that records its calls and returns nothing to score. */
function spyRunner(): { calls: Call[]; run: (paths: string[], options: GetObjectBaselineOptions) => Promise<GetObjectBaselineResult> } {
  const calls: Call[] = [];
  return {
    calls,
    run: async (paths, options) => {
      calls.push({ paths, options });
      return {
        signals: [],
        stats: { ...emptyBaselineStats(), files: paths.length },
      };
    },
  };
}

const failingRunner = async (): Promise<GetObjectBaselineResult> => {
  throw new BaselineQueryError('window query', new Error('Invalid Input Error: Malformed JSON in file "x.json.gz"'));
};

let t: ReturnType<typeof tempDir>;
beforeEach(() => (t = tempDir()));
afterEach(() => t.cleanup());

describe('a failing baseline', () => {
  it('is reported, the event findings are still written, and the scan exits 3 (incomplete)', async () => {
    t.write('a.json', logFile([PUBLIC_SHARE]));
    const io = captureIo();
    const result = await runScan({ paths: [t.dir] }, io, { baseline: failingRunner });
    expect(result.exitCode).toBe(EXIT_INCOMPLETE);
    expect(result.exitCode).toBe(3);
    expect(result.findings).toBe(1);
    expect(io.stdout.text).toMatch(/^Findings \(1\)[\s\S]*ebs-snapshot-shared/);
    expect(io.stderr.text).toContain('exfiltrail scan: the GetObject baseline failed');
    expect(io.stderr.text).toContain('BaselineQueryError: DuckDB failed in window query: Invalid Input Error: Malformed JSON');
    expect(io.stderr.text).toMatch(/GetObject baseline\s+FAILED, the scan is incomplete \(exit code 3\)/);
    expect(result.baseline).toMatchObject({ kind: 'failed', error: expect.stringContaining('window query') });
  });

  it('exits 3 even when --fail-on is reached: a gate must not pass or conclude on a partial scan', async () => {
    t.write('a.json', logFile([PUBLIC_SHARE]));
    const result = await runScan({ paths: [t.dir], failOn: 'HIGH' }, captureIo(), { baseline: failingRunner });
    expect(result.exitCode).toBe(3);
  });

  it('a runner that throws something other than an Error is reported too', async () => {
    t.write('a.json', logFile([SHARE]));
    const io = captureIo();
    const result = await runScan({ paths: [t.dir] }, io, { baseline: () => Promise.reject('disk on fire') });
    expect(result.exitCode).toBe(3);
    expect(io.stderr.text).toContain('disk on fire');
  });
});

describe('what the baseline is given', () => {
  it('the clean CloudTrail log files, the config, and --baseline-window as windowMinutes; `now` left to the data', async () => {
    const good = t.write('AWSLogs/o-1/756680937392/CloudTrail/eu-west-1/2024/08/01/a.json.gz', gz(logFile([SHARE])));
    const plain = t.write('plain.json', logFile([SHARE]));
    t.write('corrupt.json.gz', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    t.write('truncated.json', logFile([SHARE]).slice(0, 50));
    t.write('lines.jsonl', `${JSON.stringify(SHARE)}\n`);
    const config = t.write('config.json', JSON.stringify({ allowlist: [{ principal: 'arn:aws:iam::1:role/x', reason: 'test' }] }));
    const spy = spyRunner();
    const result = await runScan({ paths: [t.dir], config, baselineWindow: '60' }, captureIo(), { baseline: spy.run });
    expect(result.exitCode).toBe(0);
    expect(spy.calls).toHaveLength(1);
    const [call] = spy.calls;
    // The corrupt and truncated files (reported by the event step) and the JSON Lines are left out.
    expect(call?.paths.map((p) => path.resolve(p)).sort()).toEqual([good, plain].map((p) => path.resolve(p)).sort());
    expect(call?.options.windowMinutes).toBe(60);
    expect(call?.options.now).toBeUndefined();
    expect(call?.options.config.allowlist).toEqual([{ principal: 'arn:aws:iam::1:role/x', reason: 'test' }]);
  });

  it('--no-baseline: not run, and the summary says so', async () => {
    t.write('a.json', logFile([SHARE]));
    const spy = spyRunner();
    const io = captureIo();
    const result = await runScan({ paths: [t.dir], baseline: false }, io, { baseline: spy.run });
    expect(spy.calls).toHaveLength(0);
    expect(result).toMatchObject({ exitCode: 0, baseline: { kind: 'off' } });
    expect(io.stderr.text).toMatch(/GetObject baseline\s+not run \(--no-baseline\)/);
  });

  it('disabled in the config: not run; the config may name the baseline, set its severity and allowlist for it', async () => {
    t.write('a.json', logFile([SHARE]));
    const spy = spyRunner();
    const off = t.write('off.json', JSON.stringify({ detections: { 's3-getobject-anomaly': { enabled: false } } }));
    const io = captureIo();
    const result = await runScan({ paths: [path.join(t.dir, 'a.json')], config: off }, io, { baseline: spy.run });
    expect(result.exitCode).toBe(0);
    expect(spy.calls).toHaveLength(0);
    expect(io.stderr.text).toMatch(/GetObject baseline\s+not run \(disabled in the config: detections\.s3-getobject-anomaly\)/);

    const on = t.write(
      'on.json',
      JSON.stringify({
        detections: { 's3-getobject-anomaly': { severity: 'CRITICAL' } },
        allowlist: [{ principal: 'arn:aws:iam::1:role/etl', detections: ['s3-getobject-anomaly'], reason: 'nightly export' }],
      }),
    );
    const second = await runScan({ paths: [path.join(t.dir, 'a.json')], config: on }, captureIo(), { baseline: spy.run });
    expect(second.exitCode).toBe(0);
    expect(spy.calls[0]?.options.config.detections['s3-getobject-anomaly']).toEqual({ enabled: true, severity: 'CRITICAL' });
  });

  it('JSON Lines only: not run, nothing it can read', async () => {
    t.write('lines.jsonl', `${JSON.stringify(SHARE)}\n`);
    const spy = spyRunner();
    const io = captureIo();
    const result = await runScan({ paths: [t.dir] }, io, { baseline: spy.run });
    expect(spy.calls).toHaveLength(0);
    expect(result.exitCode).toBe(0);
    expect(io.stderr.text).toContain('not run: no CloudTrail log files (.json, .json.gz) to read');
  });
});

describe('one config for both parts of a scan', () => {
  it('accepts baseline settings, and an allowlist entry scoped to the baseline leaves event findings alone', async () => {
    const file = t.write('a.json', logFile([SHARE]));
    const config = t.write(
      'config.json',
      JSON.stringify({
        detections: { 's3-getobject-anomaly': { severity: 'LOW' } },
        allowlist: [{ principal: 'arn:aws:iam::756680937392:user/christophe', detections: ['s3-getobject-anomaly'], reason: 'r1' }],
      }),
    );
    const io = captureIo();
    const result = await runScan({ paths: [file], config, baseline: false }, io);
    expect(result.exitCode).toBe(0);
    expect(result.findings).toBe(1);
    expect(result.suppressed).toBe(0);
    expect(io.stdout.text).toContain('ebs-snapshot-shared');
  });
});

describe('--baseline-window', () => {
  it.each([['0'], ['-5'], ['ten'], ['1.5']])('%s is a usage error (exit 2)', async (value) => {
    t.write('a.json', logFile([SHARE]));
    const io = captureIo();
    const result = await runScan({ paths: [t.dir], baselineWindow: value }, io);
    expect(result.exitCode).toBe(2);
    expect(io.stderr.text).toContain(`--baseline-window ${value}: expected a positive whole number of minutes`);
  });

  it('with --no-baseline is a usage error', async () => {
    t.write('a.json', logFile([SHARE]));
    const io = captureIo();
    const result = await runScan({ paths: [t.dir], baseline: false, baselineWindow: 10 }, io);
    expect(result.exitCode).toBe(2);
    expect(io.stderr.text).toContain('--baseline-window: the baseline is off (--no-baseline)');
  });

  it('is parsed from the command line, as is --no-baseline', async () => {
    t.write('a.json', logFile([SHARE]));
    const spy = spyRunner();
    const io = captureIo();
    const codes: number[] = [];
    const root = new Command('exfiltrail').exitOverride();
    registerScanCommand(root, {
      io,
      deps: { baseline: spy.run },
      onExitCode: (c) => codes.push(c),
      onUsageError: (error) => {
        throw new CommanderError(2, error.code, error.message);
      },
    });
    await root.parseAsync(['scan', t.dir, '--baseline-window', '30'], { from: 'user' });
    await root.parseAsync(['scan', t.dir, '--no-baseline'], { from: 'user' });
    expect(codes).toEqual([0, 0]);
    expect(spy.calls.map((c) => c.options.windowMinutes)).toEqual([30]);
  });
});

describe('the real baseline (DuckDB)', () => {
  it('on two days of trail: the short-history note, no error, exit 0', async () => {
    // The sample trail without its GetObject history: two days, with the noise's S3 reads.
    await writeTrail(t.dir, { ...SAMPLE_SPEC, extraRecords: STORY_RECORDS, leadInHours: 0 });
    const io = captureIo();
    const result = await runScan({ paths: [t.dir] }, io);
    expect(result.exitCode).toBe(0);
    expect(result.baseline).toMatchObject({ kind: 'ran', stats: { scoredFrom: null, warmupDaysSkipped: 2, flagged: 0 } });
    expect(io.stderr.text).toContain('baseline: 2 days of GetObject history, needs 7: not scored');
    expect(io.stderr.text).toMatch(/GetObject reads\s+\d[\d,]* by \d+ principals/);
    expect(io.stdout.text).not.toContain('s3-getobject-anomaly');
  });

  it('fails on a record DuckDB cannot type: reported, the event findings still written, exit 3', async () => {
    // The event step skips this GetObject (no event detection wants it); DuckDB's typed read rejects the file.
    const odd = { eventName: 'GetObject', eventTime: '2024-08-01T10:00:00Z', userIdentity: 'not an object' };
    t.write('a.json', logFile([PUBLIC_SHARE, odd]));
    const io = captureIo();
    const result = await runScan({ paths: [t.dir] }, io);
    expect(result.exitCode).toBe(3);
    expect(result.findings).toBe(1);
    expect(io.stdout.text).toContain('ebs-snapshot-shared');
    expect(io.stderr.text).toMatch(/the GetObject baseline failed[\s\S]*BaselineQueryError: DuckDB failed in [a-z ]+: .*Expected OBJECT/);
  });

  it('on files without S3 data events: says so', async () => {
    t.write('a.json', logFile([SHARE]));
    const io = captureIo();
    const result = await runScan({ paths: [t.dir] }, io);
    expect(result.exitCode).toBe(0);
    expect(io.stderr.text).toContain('no S3 GetObject data events in these files (is the trail logging S3 data events?)');
  });

  it('on a terminal, says while it runs', async () => {
    t.write('a.json', logFile([SHARE]));
    const tty = captureIo(true);
    await runScan({ paths: [t.dir] }, tty);
    expect(tty.stderr.text).toMatch(/GetObject baseline: scoring S3 reads on DuckDB over 1 log file\.\.\.\r\x1b\[2K/);
    const pipe = captureIo(false);
    await runScan({ paths: [t.dir] }, pipe);
    expect(pipe.stderr.text).not.toContain('scoring S3 reads');
  });
});
