import * as path from 'node:path';
import { classify, countLogFiles, discover, PathNotFoundError, SKIP_DIGEST, SKIP_NOT_LOG, type Discovered } from '../../cli/scan/discover';
import { tempDir } from './helpers';

async function all(paths: string[]): Promise<Discovered[]> {
  const out: Discovered[] = [];
  for await (const item of discover(paths)) out.push(item);
  return out;
}

describe('classify', () => {
  it.each([
    ['111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz', 'json'],
    ['records.json', 'json'],
    ['events.jsonl', 'jsonl'],
    ['events.ndjson.gz', 'jsonl'],
    ['EVENTS.JSONL.GZ', 'jsonl'],
  ])('reads %s as %s', (name, format) => {
    expect(classify(name)).toEqual({ format });
  });

  it('skips digest files by name and by folder', () => {
    expect(classify('111122223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20150817T150131Z.json.gz')).toEqual({ skip: SKIP_DIGEST });
    expect(classify(path.join('AWSLogs', '1', 'CloudTrail-Digest', 'us-east-1', 'x.json.gz'))).toEqual({ skip: SKIP_DIGEST });
  });

  it('skips other files with a reason', () => {
    expect(classify('notes.txt')).toEqual({ skip: SKIP_NOT_LOG });
    expect(classify('archive.tar.gz')).toEqual({ skip: SKIP_NOT_LOG });
    expect(classify('.DS_Store')).toEqual({ skip: 'hidden file' });
  });
});

describe('discover', () => {
  it('walks directories recursively in name order and reports skipped files', async () => {
    const t = tempDir();
    try {
      t.write('b/2.json', '{}');
      t.write('a/z/1.json.gz', 'x');
      t.write('a/readme.txt', 'x');
      t.write('c/CloudTrail-Digest/d.json.gz', 'x');
      const items = await all([t.dir]);
      const rel = (p: string) => path.relative(t.dir, p).split(path.sep).join('/');
      expect(items.map((i) => [i.kind, rel(i.path)])).toEqual([
        ['skipped', 'a/readme.txt'],
        ['file', 'a/z/1.json.gz'],
        ['file', 'b/2.json'],
        ['skipped', 'c/CloudTrail-Digest/d.json.gz'],
      ]);
      const file = items.find((i) => i.kind === 'file' && rel(i.path) === 'b/2.json');
      expect(file).toMatchObject({ format: 'json', size: 2 });
      expect(await countLogFiles([t.dir])).toBe(2);
    } finally {
      t.cleanup();
    }
  });

  it('accepts a file path and reads a directory given twice only once', async () => {
    const t = tempDir();
    try {
      const file = t.write('x/events.jsonl', '');
      expect(await all([file])).toEqual([{ kind: 'file', path: file, format: 'jsonl', size: 0 }]);
      expect((await all([t.dir, t.dir])).length).toBe(1);
    } finally {
      t.cleanup();
    }
  });

  it('throws PathNotFoundError naming a missing path before yielding anything', async () => {
    const t = tempDir();
    try {
      t.write('ok.json', '{}');
      const missing = path.join(t.dir, 'nope');
      await expect(all([t.dir, missing])).rejects.toThrow(new PathNotFoundError(missing));
    } finally {
      t.cleanup();
    }
  });
});
