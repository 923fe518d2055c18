/**
 * The Glue tables of the GetObject baseline as plain data (unit-tested without Pulumi):
 *
 * - `cloudtrail`: the organization trail, JSON read with CloudTrail's input format and the Hive JSON SerDe (the
 *   AWS documented CloudTrail table), partition projection on account (enum), region (enum) and day (date
 *   `yyyy/MM/dd` from the start date to NOW), located by
 *   `s3://<bucket>/<prefix>AWSLogs/<org-id>/${account}/CloudTrail/${region}/${day}`. Only the columns the SQL
 *   reads (CLOUDTRAIL_COLUMNS); the JSON SerDe ignores the others.
 * - `getobject_bins`: the rollup output, Parquet, partitioned by `day` (Glue partitions registered by INSERT INTO).
 */
import { CLOUDTRAIL_COLUMNS } from '../../rules/baseline';
import { BINS_COLUMN_TYPES, BINS_DATA_COLUMNS } from '../../handlers/baseline/plan';

export interface Column {
  name: string;
  type: string;
}

const USER_IDENTITY =
  'struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,' +
  'sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,' +
  'sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>>>';

const PARTITION_COLUMNS = ['account', 'region', 'day'] as const;

/** The data columns of the cloudtrail table: every CLOUDTRAIL_COLUMNS entry that is not a partition. */
export function cloudTrailColumns(): Column[] {
  return CLOUDTRAIL_COLUMNS.filter((c) => !(PARTITION_COLUMNS as readonly string[]).includes(c)).map((name) => ({
    name,
    type: name === 'useridentity' ? USER_IDENTITY : 'string',
  }));
}

export const CLOUDTRAIL_PARTITION_KEYS: Column[] = PARTITION_COLUMNS.map((name) => ({ name, type: 'string' }));

export interface CloudTrailProjection {
  bucket: string;
  /** '' or ending with '/'. */
  prefix: string;
  organizationId: string;
  accounts: readonly string[];
  regions: readonly string[];
  /** `yyyy/MM/dd`. */
  startDay: string;
}

export function trailRoot(p: Pick<CloudTrailProjection, 'bucket' | 'prefix' | 'organizationId'>): string {
  return `s3://${p.bucket}/${p.prefix}AWSLogs/${p.organizationId}/`;
}

/** Table properties of the cloudtrail table: partition projection and the storage location template. */
export function cloudTrailTableParameters(p: CloudTrailProjection): Record<string, string> {
  return {
    classification: 'cloudtrail',
    EXTERNAL: 'TRUE',
    'projection.enabled': 'true',
    'projection.account.type': 'enum',
    'projection.account.values': p.accounts.join(','),
    'projection.region.type': 'enum',
    'projection.region.values': p.regions.join(','),
    'projection.day.type': 'date',
    'projection.day.format': 'yyyy/MM/dd',
    'projection.day.range': `${p.startDay},NOW`,
    'projection.day.interval': '1',
    'projection.day.interval.unit': 'DAYS',
    'storage.location.template': `${trailRoot(p)}\${account}/CloudTrail/\${region}/\${day}`,
  };
}

export const CLOUDTRAIL_STORAGE = {
  inputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe',
} as const;

export const PARQUET_STORAGE = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
} as const;

export function binsColumns(): Column[] {
  return BINS_DATA_COLUMNS.map((name) => ({ name, type: BINS_COLUMN_TYPES[name] }));
}

export const BINS_PARTITION_KEYS: Column[] = [{ name: 'day', type: 'string' }];
