import { gzipSync } from 'node:zlib';
import { scanPaths } from '../../cli/scan/engine';
import { createEvaluator } from '../../rules/evaluate';
import { fixture, tempDir } from './helpers';

/** The engine reads one file ahead of the one it evaluates: problems and findings must still land on their file. */
describe('scanPaths reading ahead', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('attributes each problem to its own file and reads every good file, in any order of good and bad', async () => {
    const share = fixture('022-ebs-snapshot-shared-stratus.json');
    const good = (id: string) => gzipSync(JSON.stringify({ Records: [{ ...share, eventID: id }] }));
    t.write('a/1.json.gz', good('first'));
    t.write('a/2.json.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]));
    t.write('a/3.json.gz', good('third'));
    t.write('a/4.json', '{"Records": [');
    t.write('a/5.json.gz', good('fifth'));

    const outcome = await scanPaths([`${t.dir}/a`], createEvaluator());

    expect(outcome.stats.filesRead).toBe(5);
    expect(outcome.stats.eventsRead).toBe(3);
    expect(outcome.failedFiles.map((f) => f.slice(t.dir.length))).toEqual(['/a/2.json.gz', '/a/4.json']);
    expect(outcome.stats.problems.map((p) => [p.location.slice(t.dir.length), p.reason.split(':')[0]])).toEqual([
      ['/a/2.json.gz', 'corrupt gzip'],
      ['/a/4.json', 'invalid JSON'],
    ]);
    expect(outcome.findings.map((f) => f.key).sort()).toEqual(['fifth', 'first', 'third']);
  });

  it('reports a file that vanishes between discovery and reading, and goes on', async () => {
    const share = fixture('022-ebs-snapshot-shared-stratus.json');
    t.write('b/1.json', JSON.stringify({ Records: [share] }));
    const doomed = t.write('b/2.json', JSON.stringify({ Records: [share] }));
    t.write('b/3.json', JSON.stringify({ Records: [{ ...share, eventID: 'last' }] }));
    const { rmSync } = await import('node:fs');
    const outcome = await scanPaths([`${t.dir}/b`], createEvaluator(), {
      // Runs after file 1 is evaluated; by then file 2 may already be loading: it must be reported either way.
      onFileDone: (stats) => {
        if (stats.filesRead === 1) rmSync(doomed, { force: true });
      },
    });
    expect(outcome.stats.eventsRead + outcome.stats.filesFailed).toBe(3);
    expect(outcome.findings.map((f) => f.key)).toContain('last');
  });
});
