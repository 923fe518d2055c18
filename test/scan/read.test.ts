import { gzipSync } from 'node:zlib';
import type { LogFile } from '../../cli/scan/discover';
import { readLogFile, valuesOf, type ReadItem, type RecordBatch, type ReadProblem } from '../../cli/scan/read';
import { envelope, fixture, gz, logFile, tempDir } from './helpers';

const A = fixture('022-ebs-snapshot-shared-stratus.json');
const B = fixture('068-sts-assumerole-stratus.json');

async function read(file: LogFile): Promise<{ values: unknown[]; locations: string[]; problems: ReadProblem[]; bytes: number }> {
  const items: ReadItem[] = [];
  for await (const item of readLogFile(file)) items.push(item);
  const batches = items.filter((i): i is RecordBatch => i.kind === 'records');
  return {
    values: batches.flatMap((b) => b.values),
    locations: batches.flatMap((b) => b.values.map((_, i) => b.locate(i))),
    problems: items.filter((i): i is ReadProblem => i.kind === 'problem'),
    bytes: batches.reduce((sum, b) => sum + b.bytes, 0),
  };
}

const json = (p: string): LogFile => ({ kind: 'file', path: p, format: 'json', size: 0 });
const jsonl = (p: string): LogFile => ({ kind: 'file', path: p, format: 'jsonl', size: 0 });

describe('readLogFile: JSON documents', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('reads a gzipped CloudTrail log file with each record located in Records', async () => {
    const text = logFile([A, B]);
    const p = t.write('111122223333_CloudTrail_us-east-1_20240801T1230Z_abcdefghijklmnop.json.gz', gz(text));
    const r = await read(json(p));
    expect(r.values).toEqual([A, B]);
    expect(r.locations).toEqual([`${p}#Records[0]`, `${p}#Records[1]`]);
    expect(r.problems).toEqual([]);
    expect(r.bytes).toBe(Buffer.byteLength(text));
  });

  it('reads plain JSON, detecting gzip by content rather than name', async () => {
    const plain = t.write('plain.json', logFile([A]));
    const zipped = t.write('zipped.json', gz(logFile([B])));
    expect((await read(json(plain))).values).toEqual([A]);
    expect((await read(json(zipped))).values).toEqual([B]);
  });

  it('reads one envelope, an array of envelopes, and a bare record', async () => {
    const one = t.write('one.json', JSON.stringify(envelope(A)));
    const many = t.write('many.json', JSON.stringify([envelope(A), envelope(B)]));
    const bare = t.write('bare.json', JSON.stringify(B));
    expect(await read(json(one))).toMatchObject({ values: [envelope(A)], locations: [one] });
    expect(await read(json(many))).toMatchObject({ values: [envelope(A), envelope(B)], locations: [`${many}#[0]`, `${many}#[1]`] });
    expect((await read(json(bare))).values).toEqual([B]);
  });

  it('accepts a byte order mark, in a document and on the first JSON Lines line', async () => {
    const doc = t.write('bom.json', `\ufeff${logFile([A])}`);
    const lines = t.write('bom.jsonl', `\ufeff${JSON.stringify(A)}\n`);
    expect((await read(json(doc))).values).toEqual([A]);
    expect((await read(jsonl(lines))).values).toEqual([A]);
  });

  it('reports a corrupt gzip with its path and reason', async () => {
    const p = t.write('bad.json.gz', gz(logFile([A])).subarray(0, 30));
    const r = await read(json(p));
    expect(r.values).toEqual([]);
    expect(r.problems).toEqual([{ kind: 'problem', file: p, location: p, scope: 'file', reason: expect.stringMatching(/^corrupt gzip: .*unexpected end of file/) }]);
  });

  it('reports truncated JSON', async () => {
    const p = t.write('cut.json', logFile([A]).slice(0, 100));
    const r = await read(json(p));
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]?.reason).toMatch(/^invalid JSON: /);
  });

  it('reports a JSON document of the wrong shape, saying what it is', async () => {
    const digest = t.write('digest.json', JSON.stringify({ awsAccountId: '1', digestStartTime: 'x' }));
    const records = t.write('records.json', JSON.stringify({ Records: 'nope' }));
    const labels = t.write('labels.json', JSON.stringify([{ file: 'x', detection: 'y' }]));
    expect((await read(json(digest))).problems[0]?.reason).toBe(
      'not a CloudTrail log file: an object without a "Records" array (keys: awsAccountId, digestStartTime)',
    );
    expect((await read(json(records))).problems[0]?.reason).toBe('not a CloudTrail log file: "Records" is not an array');
    expect((await read(json(labels))).problems[0]?.reason).toMatch(/array of 1 items, none a CloudTrail record/);
  });

  it('reports an unreadable file', async () => {
    const r = await read(json(`${t.dir}/missing.json`));
    expect(r.problems[0]?.reason).toMatch(/^unreadable: ENOENT/);
  });
});

describe('readLogFile: JSON Lines', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('reads records and envelopes line by line, skipping blank lines and CRLF endings', async () => {
    const p = t.write('events.jsonl', `${JSON.stringify(A)}\r\n\r\n${JSON.stringify(envelope(B))}\n`);
    const r = await read(jsonl(p));
    expect(r.values).toEqual([A, envelope(B)]);
    expect(r.locations).toEqual([`${p}:1`, `${p}:3`]);
    expect(r.problems).toEqual([]);
  });

  it('reports a bad line as path:line and reads the rest of the file', async () => {
    const p = t.write('events.ndjson', `${JSON.stringify(A)}\n{"eventName": trunc\n${JSON.stringify(B)}`);
    const r = await read(jsonl(p));
    expect(r.values).toEqual([A, B]);
    expect(r.locations).toEqual([`${p}:1`, `${p}:3`]);
    expect(r.problems).toEqual([{ kind: 'problem', file: p, location: `${p}:2`, scope: 'line', reason: expect.stringMatching(/^invalid JSON: /) }]);
  });

  it('reads gzipped JSON Lines across chunk boundaries, a line holding a whole log file included', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ ...B, eventID: `id-${i}` }));
    const lines = [...many, logFile([A, A])];
    const p = t.write('big.jsonl.gz', gzipSync(Buffer.from(lines.join('\n'))));
    const r = await read(jsonl(p));
    expect(r.values).toHaveLength(3002);
    expect((r.values[2999] as { eventID: string }).eventID).toBe('id-2999');
    expect(r.locations.slice(-2)).toEqual([`${p}:3001#Records[0]`, `${p}:3001#Records[1]`]);
    expect(r.problems).toEqual([]);
  });

  it('keeps the lines before a gzip stream breaks and reports the break', async () => {
    const full = gzipSync(Buffer.from(Array.from({ length: 2000 }, () => JSON.stringify(B)).join('\n')));
    const p = t.write('cut.jsonl.gz', full.subarray(0, Math.floor(full.length / 2)));
    const r = await read(jsonl(p));
    expect(r.values.length).toBeGreaterThan(0);
    expect(r.values.length).toBeLessThan(2000);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ scope: 'file', location: p, reason: expect.stringMatching(/^corrupt gzip after line \d+ \(earlier lines were read\)/) });
  });
});

describe('valuesOf', () => {
  it('accepts an empty log file and an empty array', () => {
    expect(valuesOf({ Records: [] })).toEqual({ values: [], suffix: 'Records' });
    expect(valuesOf([])).toEqual({ values: [], suffix: '' });
  });

  it('rejects scalars', () => {
    expect(valuesOf(null)).toEqual({ wrongShape: 'the document is null, not an object or array' });
    expect(valuesOf(3)).toEqual({ wrongShape: 'the document is number, not an object or array' });
  });
});
