/**
 * The GetObject baseline handler's settings, from its environment, on top of the shared handler settings
 * (region, publisher role, config source).
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `ATHENA_WORKGROUP` | workgroup (enforces result location, encryption, bytes-scanned cutoff) | required |
 * | `ATHENA_DATABASE` | Glue database of the tables | required |
 * | `CLOUDTRAIL_TABLE`, `BINS_TABLE`, `PROFILE_TABLE_PREFIX` | table names | `cloudtrail`, `getobject_bins`, `getobject_profile` |
 * | `BASELINE_DELAY_MINUTES` | CloudTrail delivery delay: the window ends this long before now | 15 |
 * | `BASELINE_HISTORY_DAYS` | days of history in the profile | 30 |
 * | `BASELINE_MIN_HISTORY_DAYS` | days of rolled-up history before windows are scored (warm-up) | 7 |
 * | `BASELINE_ACCOUNTS`, `BASELINE_REGIONS` | comma lists: partition predicates on account/region (needed with `injected` projection) | none |
 * | `ROLLUP_MAX_HOURS` | most hours one rollup run catches up (backfill, outages) | 24 |
 */
import { DEFAULT_MIN_HISTORY_DAYS } from '../../rules/baseline/time';
import { HandlerSettingsError } from '../publish/errors';
import { settingsFromEnv, type HandlerSettings } from '../shared/settings';

export interface BaselineSettings {
  handler: HandlerSettings;
  workGroup: string;
  database: string;
  tables: { cloudtrail: string; bins: string; profilePrefix: string };
  delayMinutes: number;
  historyDays: number;
  /** Windows are scored only once the bins cover this many days (handlers/baseline/plan.ts `historyReadiness`). */
  minHistoryDays: number;
  accounts?: string[];
  regions?: string[];
  rollupMaxHours: number;
}

export const DEFAULT_DELAY_MINUTES = 15;
export const DEFAULT_ROLLUP_MAX_HOURS = 24;

type Env = Record<string, string | undefined>;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,200}$/u;

export function baselineSettingsFromEnv(env: Env = process.env): BaselineSettings {
  const handler = settingsFromEnv(env);
  const workGroup = required(env, 'ATHENA_WORKGROUP');
  if (!/^[\w.-]{1,128}$/u.test(workGroup)) throw new HandlerSettingsError(`ATHENA_WORKGROUP "${workGroup}" is not a workgroup name`);
  const database = identifier(env, 'ATHENA_DATABASE', undefined);
  const accounts = list(env, 'BASELINE_ACCOUNTS', /^\d{12}$/u);
  const regions = list(env, 'BASELINE_REGIONS', /^[a-z]{2}(-[a-z]+)+-\d$/u);
  const historyDays = positiveInt(env, 'BASELINE_HISTORY_DAYS', 30);
  const minHistoryDays = positiveInt(env, 'BASELINE_MIN_HISTORY_DAYS', DEFAULT_MIN_HISTORY_DAYS);
  if (minHistoryDays > historyDays) {
    throw new HandlerSettingsError(
      `BASELINE_MIN_HISTORY_DAYS (${minHistoryDays}) is more than BASELINE_HISTORY_DAYS (${historyDays}): windows would never be scored`,
    );
  }
  return {
    handler,
    workGroup,
    database,
    tables: {
      cloudtrail: identifier(env, 'CLOUDTRAIL_TABLE', 'cloudtrail'),
      bins: identifier(env, 'BINS_TABLE', 'getobject_bins'),
      profilePrefix: identifier(env, 'PROFILE_TABLE_PREFIX', 'getobject_profile'),
    },
    delayMinutes: nonNegativeInt(env, 'BASELINE_DELAY_MINUTES', DEFAULT_DELAY_MINUTES),
    historyDays,
    minHistoryDays,
    ...(accounts ? { accounts } : {}),
    ...(regions ? { regions } : {}),
    rollupMaxHours: positiveInt(env, 'ROLLUP_MAX_HOURS', DEFAULT_ROLLUP_MAX_HOURS),
  };
}

function trimmed(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function required(env: Env, name: string): string {
  const value = trimmed(env, name);
  if (!value) throw new HandlerSettingsError(`${name} is not set`);
  return value;
}

function identifier(env: Env, name: string, fallback: string | undefined): string {
  const value = trimmed(env, name) ?? fallback;
  if (value === undefined) throw new HandlerSettingsError(`${name} is not set`);
  if (!IDENTIFIER.test(value)) throw new HandlerSettingsError(`${name} "${value}" is not a lower-case Glue identifier`);
  return value;
}

function list(env: Env, name: string, pattern: RegExp): string[] | undefined {
  const raw = trimmed(env, name);
  if (!raw) return undefined;
  const values = raw.split(',').map((v) => v.trim()).filter((v) => v !== '');
  const bad = values.filter((v) => !pattern.test(v));
  if (bad.length > 0) throw new HandlerSettingsError(`${name}: ${bad.map((b) => `"${b}"`).join(', ')} do not match ${pattern}`);
  return values.length > 0 ? values : undefined;
}

function int(env: Env, name: string, fallback: number, min: number): number {
  const raw = trimmed(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new HandlerSettingsError(`${name} "${raw}" is not an integer >= ${min}`);
  return value;
}

const positiveInt = (env: Env, name: string, fallback: number) => int(env, name, fallback, 1);
const nonNegativeInt = (env: Env, name: string, fallback: number) => int(env, name, fallback, 0);
