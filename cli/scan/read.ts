/**
 * Reads one log file into batches of raw values (CloudTrail records or EventBridge envelopes), each traceable to
 * where it came from. Never throws: every problem is yielded with its location and the reader moves on.
 *
 * A JSON document (a CloudTrail log file is at most a few MB) is read whole; JSON Lines are streamed chunk by
 * chunk, so memory stays flat whatever their size.
 */
import { constants as bufferConstants } from 'node:buffer';
import { createReadStream, promises as fs } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import * as zlib from 'node:zlib';
import { isEventBridgeEnvelope } from '../../rules/cloudtrail';
import { errorText, type LogFile } from './discover';

/** V8's longest string: a bigger JSON document cannot be parsed whole. */
const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;

export interface RecordBatch {
  kind: 'records';
  file: string;
  values: unknown[];
  /** Uncompressed bytes this batch was read from. */
  bytes: number;
  /** Where `values[i]` came from, for reports: `path#Records[12]` or `path:34`. */
  locate(index: number): string;
}

export interface ReadProblem {
  kind: 'problem';
  file: string;
  /** `path` for a whole-file problem, `path:line` for one JSON Lines line. */
  location: string;
  reason: string;
  /** `file`: nothing (more) was read from the file; `line`: one line was skipped, the rest is read. */
  scope: 'file' | 'line';
}

export type ReadItem = RecordBatch | ReadProblem;

/** A log file whose reading has started: `read()` yields its items. */
export interface PreparedLogFile {
  read(): AsyncGenerator<ReadItem>;
}

/**
 * Start reading a log file now: a JSON document's bytes are read from disk right away, so the scan can parse one
 * file while the next one is read; JSON Lines are streamed when `read()` is called.
 */
export function prepareLogFile(file: LogFile): PreparedLogFile {
  if (file.format === 'jsonl') return { read: () => readJsonLines(file.path) };
  const loaded = loadDocument(file.path);
  return { read: () => parseDocument(file.path, loaded) };
}

export function readLogFile(file: LogFile): AsyncGenerator<ReadItem> {
  return prepareLogFile(file).read();
}

function isGzip(buffer: Buffer): boolean {
  return buffer.length >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
}

/** A whole-file problem. */
function fileProblem(file: string, reason: string): ReadProblem {
  return { kind: 'problem', file, location: file, reason, scope: 'file' };
}

/** The file's bytes, gunzipped; a problem instead of a rejection, so a prefetched load is never unhandled. */
async function loadDocument(file: string): Promise<Buffer | ReadProblem> {
  let raw: Buffer;
  try {
    raw = await fs.readFile(file);
  } catch (error) {
    return fileProblem(file, `unreadable: ${errorText(error)}`);
  }
  if (!isGzip(raw)) return raw;
  try {
    // Synchronous on purpose: zlib's async gunzip hands every small chunk back to the main thread, which costs
    // more than it overlaps for files of a few MB (measured: ~1.5 s more over the 650 MB bench trail).
    return zlib.gunzipSync(raw);
  } catch (error) {
    return fileProblem(file, `corrupt gzip: ${errorText(error)}`);
  }
}

async function* parseDocument(file: string, loaded: Promise<Buffer | ReadProblem>): AsyncGenerator<ReadItem> {
  const data = await loaded;
  if (!Buffer.isBuffer(data)) {
    yield data;
    return;
  }
  if (data.length > MAX_STRING_LENGTH) {
    const size = `${(data.length / 1e6).toFixed(0)} MB`;
    yield fileProblem(file, `too large to parse as one JSON document (${size}): convert it to JSON Lines (.jsonl)`);
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripBom(data.toString('utf8')));
  } catch (error) {
    yield fileProblem(file, `invalid JSON: ${errorText(error)}`);
    return;
  }
  const shaped = valuesOf(parsed);
  if ('wrongShape' in shaped) {
    yield fileProblem(file, `not a CloudTrail log file: ${shaped.wrongShape}`);
    return;
  }
  const suffix = shaped.suffix;
  yield {
    kind: 'records',
    file,
    values: shaped.values,
    bytes: data.length,
    locate: suffix === undefined ? () => file : (i) => `${file}#${suffix}[${i}]`,
  };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function looksLikeEvent(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return isEventBridgeEnvelope(value) || 'eventName' in value || 'eventSource' in value;
}

/**
 * The values in a parsed JSON document: a CloudTrail log file (`{"Records": [...]}`), an array of records or
 * envelopes, or one record or envelope. `suffix` names how to locate an element (`Records`, ``), absent for one.
 */
export function valuesOf(parsed: unknown): { values: unknown[]; suffix?: string } | { wrongShape: string } {
  if (Array.isArray(parsed)) {
    if (parsed.length > 0 && !parsed.some(looksLikeEvent)) {
      return { wrongShape: `an array of ${parsed.length} items, none a CloudTrail record or EventBridge envelope` };
    }
    return { values: parsed, suffix: '' };
  }
  if (parsed === null || typeof parsed !== 'object') {
    return { wrongShape: `the document is ${parsed === null ? 'null' : typeof parsed}, not an object or array` };
  }
  const object = parsed as Record<string, unknown>;
  if ('Records' in object) {
    if (!Array.isArray(object.Records)) return { wrongShape: '"Records" is not an array' };
    return { values: object.Records, suffix: 'Records' };
  }
  if (looksLikeEvent(object)) return { values: [object] };
  const keys = Object.keys(object).slice(0, 5).join(', ');
  return { wrongShape: `an object without a "Records" array (keys: ${keys || 'none'})` };
}

/** Lines are parsed in batches of the chunks they arrive in; a bad line is reported and skipped. */
async function* readJsonLines(file: string): AsyncGenerator<ReadItem> {
  let source: Readable;
  try {
    const handle = await fs.open(file, 'r');
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    await handle.close();
    const input = createReadStream(file, { highWaterMark: 256 * 1024 });
    source = isGzip(head) ? pipeline(input, zlib.createGunzip(), () => undefined) : input;
  } catch (error) {
    yield fileProblem(file, `unreadable: ${errorText(error)}`);
    return;
  }
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let lineNumber = 0;
  const flush = function* (text: string, bytes: number, final: boolean): Generator<ReadItem> {
    const lines = text.split('\n');
    // The last piece may be an incomplete line: keep it for the next chunk unless the file ended.
    pending = final ? '' : (lines.pop() ?? '');
    const values: unknown[] = [];
    const where: string[] = [];
    for (const line of lines) {
      lineNumber += 1;
      const trimmed = line.trim();
      if (trimmed === '') continue;
      const at = `${file}:${lineNumber}`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(trimmed); // trim() also drops a byte order mark
      } catch (error) {
        yield { kind: 'problem', file, location: at, reason: `invalid JSON: ${errorText(error)}`, scope: 'line' };
        continue;
      }
      // A line may hold a whole log file or an array; its elements keep the line in their location.
      const shaped = Array.isArray(parsed) || (parsed !== null && typeof parsed === 'object' && 'Records' in parsed)
        ? valuesOf(parsed)
        : { values: [parsed] };
      if ('wrongShape' in shaped) {
        yield { kind: 'problem', file, location: at, reason: `not a record: ${shaped.wrongShape}`, scope: 'line' };
        continue;
      }
      for (let i = 0; i < shaped.values.length; i++) {
        values.push(shaped.values[i]);
        where.push(shaped.suffix === undefined ? at : `${at}#${shaped.suffix}[${i}]`);
      }
    }
    if (values.length > 0 || bytes > 0) {
      yield { kind: 'records', file, values, bytes, locate: (i) => where[i] ?? file };
    }
  };
  try {
    for await (const chunk of source) {
      const buffer = chunk as Buffer;
      yield* flush(pending + decoder.write(buffer), buffer.length, false);
    }
  } catch (error) {
    const what = (error as NodeJS.ErrnoException).code?.startsWith('Z_') ? 'corrupt gzip' : 'read failed';
    yield fileProblem(file, `${what} after line ${lineNumber} (earlier lines were read): ${errorText(error)}`);
    return;
  }
  yield* flush(pending + decoder.end(), 0, true);
}
