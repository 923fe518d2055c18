/**
 * `exfiltrail test-pattern <pattern.json> <event.json...>`: the local stand-in for EventBridge's
 * TestEventPattern. One verdict line per event; bare CloudTrail records are wrapped the way EventBridge
 * delivers them, and a CloudTrail log file (`{"Records": [...]}`) yields one line per record.
 */
import { readFile } from 'node:fs/promises';
import { CloudTrailRecordSchema, isEventBridgeEnvelope, toEventBridgeEvent } from '../rules/cloudtrail';
import { matchesPattern, parsePattern, PatternError, type EventPattern } from '../rules/pattern';

export const EXIT_OK = 0;
export const EXIT_BAD_EVENT_FILE = 1;
export const EXIT_BAD_PATTERN = 2;

const WRAPPED_NOTE = ' (CloudTrail record, wrapped in an EventBridge envelope)';

interface Candidate {
  label: string;
  event: unknown;
  wrapped: boolean;
}

/** The events a parsed file holds, or the reason it holds none. */
function eventsIn(file: string, content: unknown): Candidate[] | string {
  if (isEventBridgeEnvelope(content)) return [{ label: file, event: content, wrapped: false }];
  const records =
    content !== null && typeof content === 'object' && Array.isArray((content as { Records?: unknown }).Records)
      ? ((content as { Records: unknown[] }).Records)
      : undefined;
  const items = records ?? [content];
  const out: Candidate[] = [];
  for (let i = 0; i < items.length; i++) {
    const label = records ? `${file}#Records[${i}]` : file;
    const parsed = CloudTrailRecordSchema.safeParse(items[i]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
      return `${label}: neither an EventBridge envelope (needs detail-type, source, detail) nor a CloudTrail record (${where}: ${issue?.message ?? 'invalid'})`;
    }
    out.push({ label, event: toEventBridgeEvent(parsed.data), wrapped: true });
  }
  return out;
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  return JSON.parse(text) as unknown;
}

export async function runTestPattern(
  patternFile: string,
  eventFiles: string[],
  write: (line: string) => void,
): Promise<number> {
  let pattern: EventPattern;
  try {
    pattern = parsePattern(await readFile(patternFile, 'utf8'));
  } catch (e) {
    const reason = e instanceof PatternError ? `invalid pattern: ${e.message}` : `cannot read pattern: ${(e as Error).message}`;
    write(`ERROR  ${patternFile}: ${reason}`);
    return EXIT_BAD_PATTERN;
  }

  let exitCode = EXIT_OK;
  for (const file of eventFiles) {
    let content: unknown;
    try {
      content = await readJson(file);
    } catch (e) {
      write(`ERROR  ${file}: cannot read event file: ${(e as Error).message}`);
      exitCode = EXIT_BAD_EVENT_FILE;
      continue;
    }
    const events = eventsIn(file, content);
    if (typeof events === 'string') {
      write(`ERROR  ${events}`);
      exitCode = EXIT_BAD_EVENT_FILE;
      continue;
    }
    for (const { label, event, wrapped } of events) {
      const verdict = matchesPattern(pattern, event) ? 'MATCH' : 'NO MATCH';
      write(`${verdict}  ${label}${wrapped ? WRAPPED_NOTE : ''}`);
    }
  }
  return exitCode;
}
