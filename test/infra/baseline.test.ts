/** The GetObject baseline infra under pulumi.runtime.setMocks: tables, bucket, workgroup, IAM, schedules, switch-off. */
import { ExfiltrationDetection } from '../../infra/exfiltration-detection';
import { parseStackConfig, StackConfigError, type StackConfig } from '../../infra/stack-config';
import { CLOUDTRAIL_COLUMNS } from '../../rules/baseline';
import { actionsOf, starResources, statementsOf, wildcardActions } from './iam-checks';
import { fakeBundleDir, ofType, parseJson, REGION, runWithMocks, type MockResource } from './mocks';

jest.setTimeout(120_000);

const T = {
  table: 'aws:glue/catalogTable:CatalogTable',
  bucket: 'aws:s3/bucket:Bucket',
  sse: 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  pab: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  bucketPolicy: 'aws:s3/bucketPolicy:BucketPolicy',
  lifecycle: 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
  workgroup: 'aws:athena/workgroup:Workgroup',
  schedule: 'aws:scheduler/schedule:Schedule',
  fn: 'aws:lambda/function:Function',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  queue: 'aws:sqs/queue:Queue',
  alarm: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  stackSet: 'aws:cloudformation/stackSet:StackSet',
} as const;

const BASE = {
  'exfiltrail:organizationId': 'o-abcdefghij',
  'exfiltrail:targets': '["r-ab12"]',
  'exfiltrail:regions': '["us-east-1","eu-west-1"]',
  'exfiltrail:detection': JSON.stringify({ organizationAccountIds: ['111111111111', '222222222222'] }),
};
const BASELINE = {
  trailBucket: 'org-trail-logs',
  trailPrefix: 'trail/',
  startDay: '2025/01/01',
  trailKmsKeyArn: 'arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  bytesScannedCutoffMb: 2048,
};

async function deploy(config: StackConfig) {
  return runWithMocks(
    () => new ExfiltrationDetection('exfiltrail', { config, centralRegion: REGION, bundleDir: fakeBundleDir(), baselineBundleDir: fakeBundleDir() }),
  );
}

function named(resources: readonly MockResource[], type: string, name: string): MockResource {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
}

describe('baseline enabled', () => {
  let resources: MockResource[];
  beforeAll(async () => {
    resources = (await deploy(parseStackConfig({ ...BASE, 'exfiltrail:baseline': JSON.stringify(BASELINE) }))).resources;
  });

  it('projects the org trail: account and region enums, day dates to NOW, the AWSLogs location template', () => {
    const table = named(resources, T.table, 'exfiltrail-baseline-cloudtrail');
    expect(table.inputs['parameters']).toMatchObject({
      'projection.enabled': 'true',
      'projection.account.type': 'enum',
      'projection.account.values': '111111111111,222222222222',
      'projection.region.type': 'enum',
      'projection.region.values': 'us-east-1,eu-west-1',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.range': '2025/01/01,NOW',
      'storage.location.template': 's3://org-trail-logs/trail/AWSLogs/o-abcdefghij/${account}/CloudTrail/${region}/${day}',
    });
    expect(table.inputs['partitionKeys'].map((k: { name: string }) => k.name)).toEqual(['account', 'region', 'day']);
    const columns = table.inputs['storageDescriptor'].columns.map((c: { name: string }) => c.name);
    expect([...columns, 'account', 'region', 'day'].sort()).toEqual([...CLOUDTRAIL_COLUMNS].sort());
    expect(table.inputs['storageDescriptor'].inputFormat).toBe('com.amazon.emr.cloudtrail.CloudTrailInputFormat');
  });

  it('keeps the bins in Parquet, partitioned by day, in the data bucket', () => {
    const bins = named(resources, T.table, 'exfiltrail-baseline-bins');
    expect(bins.inputs['partitionKeys']).toEqual([{ name: 'day', type: 'string' }]);
    expect(bins.inputs['storageDescriptor'].serDeInfo.serializationLibrary).toContain('Parquet');
    expect(bins.inputs['storageDescriptor'].location).toMatch(/^s3:\/\/.+\/bins\/$/);
  });

  it('every bucket is encrypted, blocked, TLS-only and has a lifecycle', () => {
    const buckets = ofType(resources, T.bucket);
    expect(buckets.length).toBeGreaterThan(0);
    for (const bucket of buckets) {
      const id = `${bucket.name}-id`;
      const sse = ofType(resources, T.sse).find((r) => r.inputs['bucket'] === id);
      expect(sse?.inputs['rules'][0].applyServerSideEncryptionByDefault.sseAlgorithm).toMatch(/AES256|aws:kms/);
      const pab = ofType(resources, T.pab).find((r) => r.inputs['bucket'] === id);
      expect(pab?.inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      const policy = ofType(resources, T.bucketPolicy).find((r) => r.inputs['bucket'] === id);
      const deny = statementsOf(parseJson(policy?.inputs['policy'])).find((s) => s.Effect === 'Deny');
      expect(deny?.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
      const lifecycle = ofType(resources, T.lifecycle).find((r) => r.inputs['bucket'] === id);
      const rules = lifecycle?.inputs['rules'] as { filter: { prefix: string }; expiration: { days: number } }[];
      expect(rules.map((r) => [r.filter.prefix, r.expiration.days])).toEqual([
        ['results/', 7],
        ['bins/', 44],
      ]);
    }
  });

  it('the workgroup enforces its configuration, encryption and the bytes-scanned cutoff', () => {
    const [workgroup] = ofType(resources, T.workgroup);
    expect(workgroup?.inputs['configuration']).toMatchObject({
      enforceWorkgroupConfiguration: true,
      bytesScannedCutoffPerQuery: 2048 * 1024 * 1024,
      resultConfiguration: { encryptionConfiguration: { encryptionOption: 'SSE_S3' } },
    });
    expect(workgroup?.inputs['configuration'].resultConfiguration.outputLocation).toMatch(/^s3:\/\/.+\/results\/$/);
  });

  it('the handler role names its actions and scopes its resources', () => {
    const policy = parseJson(named(resources, T.rolePolicy, 'exfiltrail-baseline-role-policy').inputs['policy']);
    expect(wildcardActions(policy)).toEqual([]);
    expect(starResources(policy)).toEqual([]);
    const statements = statementsOf(policy);
    const sid = (s: string) => statements.find((x) => x.Sid === s);
    expect(sid('RunQueriesInWorkgroup')?.Resource).toMatch(/:workgroup\/exfiltrail-baseline-test$/);
    expect(sid('ReadTrailObjects')?.Resource).toBe('arn:aws:s3:::org-trail-logs/trail/AWSLogs/o-abcdefghij/*');
    expect(sid('DecryptTrail')?.Resource).toBe(BASELINE.trailKmsKeyArn);
    expect(sid('ReadCatalog')?.Resource).toContain('arn:aws:glue:us-east-1:111111111111:table/exfiltrail_baseline/*');
    expect(sid('AssumePublisherRole')?.Resource).toEqual([
      'arn:aws:iam::222222222222:role/exfiltrail-finding-publisher',
    ]);
    expect(actionsOf(sid('ReadConfig')!)).toEqual(['ssm:GetParameter']);
    // No permission on any other bucket than the trail and the data bucket (the mocks' ARN for the latter).
    const s3Resources = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:'))).flatMap((s) => [s.Resource].flat());
    for (const r of s3Resources) expect(String(r)).toMatch(/^(arn:aws:s3:::org-trail-logs(\/trail\/AWSLogs\/o-abcdefghij\/\*)?|arn:aws:mock:.*:Bucket\/exfiltrail-baseline-data(\/(results|bins)\/\*)?)$/);
  });

  it('without a trail KMS key there is no kms:Decrypt', async () => {
    const { trailKmsKeyArn: _, ...plain } = BASELINE;
    const { resources: r } = await deploy(parseStackConfig({ ...BASE, 'exfiltrail:baseline': JSON.stringify(plain) }));
    const policy = parseJson(named(r, T.rolePolicy, 'exfiltrail-baseline-role-policy').inputs['policy']);
    expect(statementsOf(policy).flatMap(actionsOf)).not.toContain('kms:Decrypt');
  });

  it('schedules invoke the function through a role allowed only to invoke it, with retries and an encrypted DLQ', () => {
    const schedules = ofType(resources, T.schedule);
    expect(schedules.map((s) => s.inputs['scheduleExpression'])).toEqual(['rate(10 minutes)', 'cron(20 * * * ? *)']);
    const fnArn = `arn:aws:lambda:${REGION}:111111111111:function:exfiltrail-baseline-fn`;
    for (const s of schedules) {
      expect(s.inputs['target'].arn).toBe(fnArn);
      expect(s.inputs['target'].retryPolicy).toEqual({ maximumRetryAttempts: 3, maximumEventAgeInSeconds: 600 });
      expect(s.inputs['target'].deadLetterConfig.arn).toMatch(/:sqs:.*exfiltrail-baseline-schedule-dlq$/);
      expect(JSON.parse(s.inputs['target'].input)).toMatchObject({ scheduledTime: '<aws.scheduler.scheduled-time>' });
    }
    expect(schedules.map((s) => JSON.parse(s.inputs['target'].input).mode)).toEqual(['window', 'rollup']);
    const dlq = named(resources, T.queue, 'exfiltrail-baseline-schedule-dlq');
    expect(dlq.inputs['sqsManagedSseEnabled']).toBe(true);
    const schedulerPolicy = parseJson(named(resources, T.rolePolicy, 'exfiltrail-baseline-scheduler-role-policy').inputs['policy']);
    expect(statementsOf(schedulerPolicy).map((s) => [actionsOf(s), s.Resource])).toEqual([
      [['lambda:InvokeFunction'], fnArn],
      [['sqs:SendMessage'], `arn:aws:sqs:${REGION}:111111111111:exfiltrail-baseline-schedule-dlq`],
    ]);
  });

  it('the function is arm64 Node 22, and its role may assume the member publisher roles', () => {
    const fn = named(resources, T.fn, 'exfiltrail-baseline-fn');
    expect(fn.inputs).toMatchObject({ architectures: ['arm64'], runtime: 'nodejs22.x', timeout: 900 });
    expect(fn.inputs['environment'].variables).toMatchObject({ ATHENA_DATABASE: 'exfiltrail_baseline', BINS_TABLE: 'getobject_bins' });
    const publisher = ofType(resources, T.stackSet).find((s) => s.name.includes('publisher'));
    expect(JSON.stringify(publisher?.inputs)).toContain('exfiltrail-baseline-role');
  });

  it('alarms on the handler’s errors and on BaselineQueryFailures', () => {
    const alarms = ofType(resources, T.alarm);
    expect(alarms.map((a) => a.name)).toEqual(expect.arrayContaining(['exfiltrail-alarms-s3-getobject-anomaly-errors']));
    const failures = alarms.find((a) => a.name === 'exfiltrail-alarms-baseline-query-failures');
    expect(failures?.inputs['metricQueries'][0].expression).toBe('SELECT SUM(BaselineQueryFailures) FROM "exfiltrail"');
  });
});

describe('baseline switched off', () => {
  it.each([
    ['absent', BASE],
    ['enabled: false', { ...BASE, 'exfiltrail:baseline': JSON.stringify({ ...BASELINE, enabled: false }) }],
  ])('%s: no baseline resource at all', async (_, raw) => {
    const { resources, result } = await deploy(parseStackConfig(raw));
    expect(result.baseline).toBeUndefined();
    for (const type of [T.table, T.workgroup, T.schedule, T.bucket]) expect(ofType(resources, type)).toEqual([]);
    expect(resources.filter((r) => r.name.includes('baseline'))).toEqual([]);
  });

  it('rejects a baseline without accounts to project', () => {
    const raw = { ...BASE, 'exfiltrail:detection': '{}', 'exfiltrail:baseline': JSON.stringify(BASELINE) };
    expect(() => parseStackConfig(raw)).toThrow(StackConfigError);
    expect(() => parseStackConfig(raw)).toThrow(/exfiltrail:baseline\.accounts/);
  });
});
