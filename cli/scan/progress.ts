/** A progress bar on stderr, shown only when stderr is a terminal (logs and pipes get the summary alone). */
import type { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import type { ScanStats } from './engine';

export interface Progress {
  update(stats: ScanStats, findings: number): void;
  stop(): void;
}

const SILENT: Progress = { update() {}, stop() {} };

export function createProgress(stream: Writable, isTTY: boolean, totalFiles: number): Progress {
  if (!isTTY) return SILENT;
  const started = Date.now();
  const bar = new SingleBar({
    stream: stream as unknown as NodeJS.WritableStream,
    format: 'files {bar} {value}/{total} | events {events} | findings {findings} | {rate} events/s',
    barsize: 30,
    hideCursor: true,
    clearOnComplete: true,
    fps: 5,
    // The caller decided this is a terminal; draw even if the stream object does not say so itself.
    noTTYOutput: true,
  });
  bar.start(totalFiles, 0, { events: 0, findings: 0, rate: 0 });
  return {
    update(stats, findings) {
      const seconds = (Date.now() - started) / 1000;
      bar.update(stats.filesRead, {
        events: stats.eventsRead.toLocaleString('en-US'),
        findings,
        rate: seconds > 0 ? Math.round(stats.eventsRead / seconds).toLocaleString('en-US') : 0,
      });
    },
    stop() {
      bar.stop();
    },
  };
}

/**
 * While the GetObject baseline runs (DuckDB, no per-file progress to report): one status line on the terminal,
 * erased when it is done. Nothing on pipes and logs: the summary says what the baseline did.
 */
export function baselineStatus(stream: Writable, isTTY: boolean): { start(files: number): void; stop(): void } {
  let shown = false;
  return {
    start(files) {
      if (!isTTY) return;
      stream.write(`GetObject baseline: scoring S3 reads on DuckDB over ${files.toLocaleString('en-US')} log file${files === 1 ? '' : 's'}...`);
      shown = true;
    },
    stop() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
