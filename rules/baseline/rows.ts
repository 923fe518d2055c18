/**
 * The window query's rows, as either engine returns them: DuckDB gives bigints as strings, Athena gives every
 * value as a string and NULL as a missing value. Parsed once here into numbers and nulls.
 */
import { z } from 'zod';

const nothing = (v: unknown) => v === null || v === undefined || v === '';

const num = z.preprocess((v) => (typeof v === 'string' ? Number(v) : v), z.number().finite());
const optNum = z.preprocess(
  (v) => (nothing(v) ? null : typeof v === 'string' ? Number(v) : v),
  z.number().finite().nullable(),
);
const str = z.string().min(1);
const optStr = z.preprocess((v) => (nothing(v) ? null : v), z.string().nullable());

export const WindowRowSchema = z.object({
  principal: str,
  bin_start: num,
  how: num,
  day: str,
  principal_type: str,
  account: optStr,
  data_account: optStr,
  data_accounts: num,
  region: optStr,
  requests: num,
  bytes_out: optNum,
  bytes_known: num,
  distinct_objects: num,
  distinct_buckets: num,
  distinct_ips: num,
  sensitive_requests: num,
  sensitive_example: optStr,
  first_event_time: str,
  last_event_time: str,
  first_event_id: optStr,
  last_event_id: optStr,
  top_buckets: optStr,
  top_ips: optStr,
  own_first_bin: optNum,
  own_bins_observed: optNum,
  own_active_bins: optNum,
  own_mean: optNum,
  own_variance: optNum,
  own_disp_num: optNum,
  own_disp_den: optNum,
  how_bins_observed: num,
  how_active_bins: num,
  how_mean: num,
  how_variance: num,
  peer_count: optNum,
  peer_mean: optNum,
  peer_disp_num: optNum,
  peer_disp_den: optNum,
});

export type WindowRow = z.infer<typeof WindowRowSchema>;

export class BaselineRowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineRowError';
  }
}

export function parseWindowRow(input: unknown, index = 0): WindowRow {
  const result = WindowRowSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(row)'}: ${i.message}`)
    .join('; ');
  throw new BaselineRowError(`window query row ${index}: ${issues}`);
}

/** `a=3,b=1` (the queries' top-3 lists) -> [{ value: 'a', count: 3 }, ...]. */
export function parseTopList(text: string | null): { value: string; count: number }[] {
  if (!text) return [];
  return text.split(',').flatMap((item) => {
    const at = item.lastIndexOf('=');
    if (at <= 0) return [];
    const count = Number(item.slice(at + 1));
    return Number.isFinite(count) ? [{ value: item.slice(0, at), count }] : [];
  });
}
