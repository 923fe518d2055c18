/**
 * The Pulumi stack configuration (namespace `exfiltrail`), validated with zod before anything is created. The
 * detection context reuses `ExfiltrailConfigSchema` (rules/config.ts), the schema the CLI and the handlers read.
 * Every problem names its key as written in Pulumi.<stack>.yaml (`exfiltrail:detection.allowlist.0.reason`).
 */
import { z } from 'zod';
import { ExfiltrailConfigSchema } from '../rules/config';
import { DEFAULT_PUBLISHER_ROLE_NAME } from '../handlers/shared/settings';

export const CONFIG_NAMESPACE = 'exfiltrail';

/** `o-` + 10 to 32 lowercase letters or digits (AWS Organizations). */
const OrganizationId = z.string().regex(/^o-[a-z0-9]{10,32}$/, 'an organization id looks like o-a1b2c3d4e5');
/** A root (`r-xxxx`) or an organizational unit (`ou-xxxx-xxxxxxxx`). */
const TargetId = z
  .string()
  .regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/, 'a root id (r-ab12) or an OU id (ou-ab12-cd34ef56)');
const Region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'an AWS region name such as eu-west-1');
const RoleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name: 1-64 of letters, digits and +=,.@_-');
const TopicArn = z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, 'an SNS topic ARN');
const Email = z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an email address');

const BucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name');
const Day = z.string().regex(/^\d{4}\/\d{2}\/\d{2}$/, 'a day as yyyy/MM/dd');

/** The S3 GetObject baseline on Athena (infra/baseline/, docs/deploy.md). Absent or enabled: false: not deployed. */
export const BaselineConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** The organization trail's bucket and key prefix ('' or ending with '/'). */
  trailBucket: BucketName,
  trailPrefix: z.string().regex(/^$|^[\w!.*'()\/-]*\/$/, "'' or a key prefix ending with /").default(''),
  /** AWSLogs/<org id>/ in the trail layout; default: exfiltrail:organizationId. */
  trailOrganizationId: OrganizationId.optional(),
  /** The KMS key the trail is encrypted with (grants kms:Decrypt through S3 only). */
  trailKmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, 'a KMS key ARN').optional(),
  /** Account partitions (enum projection): the organization's accounts; default detection.organizationAccountIds. */
  accounts: z.array(z.string().regex(/^\d{12}$/, 'a 12-digit account id')).optional(),
  /** Region partitions; default exfiltrail:regions. */
  regions: z.array(Region).optional(),
  /** First day of the day projection (yyyy/MM/dd). */
  startDay: Day,
  /** How often the window query scores the last bin. */
  windowSchedule: z.string().regex(/^(rate|cron)\(.+\)$/, 'rate(...) or cron(...)').default('rate(10 minutes)'),
  rollupSchedule: z.enum(['hourly', 'daily']).default('hourly'),
  /** Per-query cutoff of the Athena workgroup, in MB (Athena's minimum is 10 MB). */
  bytesScannedCutoffMb: z.number().int().min(10).default(10_240),
  /** Days query results (and daily profile tables) are kept. */
  resultsRetentionDays: z.number().int().min(2).default(7),
  historyDays: z.number().int().min(1).max(90).default(30),
  delayMinutes: z.number().int().min(0).max(60).default(15),
});
export type BaselineConfig = z.infer<typeof BaselineConfigSchema>;

export const StackConfigSchema = z
  .strictObject({
    /**
     * `organization`: member accounts forward through service-managed StackSets. `single-account`: everything in
     * the current account (forwarding from every covered region, no StackSets), for trying it out.
     */
    mode: z.enum(['organization', 'single-account']).default('organization'),
    organizationId: OrganizationId.optional(),
    /** Where the member StackSets deploy (and auto-deploy to new accounts): the root and/or OUs. */
    targets: z.array(TargetId).min(1, 'name at least one root or OU').optional(),
    /**
     * Regions whose CloudTrail events are forwarded. The central bus and handlers live in the provider's region
     * (`aws:region`), which must be one of them.
     */
    regions: z.array(Region).min(1, 'name at least one region'),
    /** The detection context, same schema as the CLI's --config file. */
    detection: ExfiltrailConfigSchema.default(ExfiltrailConfigSchema.parse({})),
    /** An existing SNS topic for alarms; otherwise one is created (KMS-encrypted). */
    alarmTopicArn: TopicArn.optional(),
    /** Subscribed to the created topic (confirm the email AWS sends). */
    alarmEmail: Email.optional(),
    /** The role the handlers assume in each account to import findings there. */
    publisherRoleName: RoleName.default(DEFAULT_PUBLISHER_ROLE_NAME),
    /**
     * StackSets `CallAs`: DELEGATED_ADMIN when this account is a registered StackSets delegated administrator,
     * SELF when running in the management account.
     */
    stackSetCallAs: z.enum(['DELEGATED_ADMIN', 'SELF']).default('DELEGATED_ADMIN'),
    /** Security Hub automation rules that mark allowlisted findings SUPPRESSED (suppression as code). */
    automationRules: z.boolean().default(false),
    /**
     * Let the handlers refresh organizationAccountIds from AWS Organizations ListAccounts (needs this account to
     * be the management account or an Organizations delegated administrator).
     */
    accountsFromOrganizations: z.boolean().default(false),
    /** Days handler logs are kept. */
    logRetentionDays: z
      .number()
      .int()
      .refine((d) => LOG_RETENTION_DAYS.includes(d), `one of ${'1, 3, 5, 7, 14, 30, 60, 90, ... 3653'}`)
      .default(90),
    baseline: BaselineConfigSchema.optional(),
  })
  .superRefine((config, ctx) => {
    if (config.mode === 'organization') {
      if (!config.organizationId) {
        ctx.addIssue({ code: 'custom', path: ['organizationId'], message: 'required in organization mode' });
      }
      if (!config.targets) {
        ctx.addIssue({ code: 'custom', path: ['targets'], message: 'required in organization mode (root or OU ids)' });
      }
    } else {
      for (const key of ['organizationId', 'targets'] as const) {
        if (config[key] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'only used in organization mode; remove it or set mode: organization' });
        }
      }
    }
    if (config.alarmTopicArn && config.alarmEmail) {
      ctx.addIssue({ code: 'custom', path: ['alarmEmail'], message: 'give alarmEmail or alarmTopicArn, not both (subscribe to your own topic)' });
    }
    const baseline = config.baseline;
    if (baseline?.enabled) {
      if (!baseline.trailOrganizationId && !config.organizationId) {
        ctx.addIssue({ code: 'custom', path: ['baseline', 'trailOrganizationId'], message: 'required without exfiltrail:organizationId (the AWSLogs/<org id>/ of the trail)' });
      }
      if (!baseline.accounts && config.detection.organizationAccountIds.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['baseline', 'accounts'], message: 'name the accounts to project (or fill detection.organizationAccountIds)' });
      }
    }
    const seen = new Set<string>();
    config.regions.forEach((region, i) => {
      if (seen.has(region)) ctx.addIssue({ code: 'custom', path: ['regions', i], message: `${region} is listed twice` });
      seen.add(region);
    });
  });

export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export type StackConfig = z.infer<typeof StackConfigSchema>;
export type StackConfigInput = z.input<typeof StackConfigSchema>;

export class StackConfigError extends Error {
  constructor(
    message: string,
    readonly issues: readonly string[],
  ) {
    super(message);
    this.name = 'StackConfigError';
  }
}

/**
 * Pulumi hands the program every config value as a string keyed `namespace:key`; structured values
 * (objects, lists, booleans, numbers written as YAML values) arrive as their JSON text.
 */
export function parseStackConfig(raw: Readonly<Record<string, string>>, namespace = CONFIG_NAMESPACE): StackConfig {
  const values: Record<string, unknown> = {};
  const issues: string[] = [];
  for (const [fullKey, text] of Object.entries(raw)) {
    if (!fullKey.startsWith(`${namespace}:`)) continue;
    const key = fullKey.slice(namespace.length + 1);
    try {
      values[key] = decodeValue(text);
    } catch (error) {
      issues.push(`${fullKey}: not valid JSON (${(error as Error).message})`);
    }
  }
  if (issues.length === 0) {
    const result = StackConfigSchema.safeParse(values);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const path = issue.path.map(String);
      const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      if (unknownKeys.length > 0) {
        for (const k of unknownKeys) issues.push(`${keyOf(namespace, [...path, k])}: unknown key`);
      } else {
        issues.push(`${keyOf(namespace, path)}: ${issue.message}`);
      }
    }
  }
  throw new StackConfigError(
    `invalid stack configuration (pulumi config, namespace "${namespace}"):\n  ${issues.join('\n  ')}`,
    issues,
  );
}

function keyOf(namespace: string, path: readonly string[]): string {
  return path.length === 0 ? `${namespace}:(root)` : `${namespace}:${path.join('.')}`;
}

/** Objects, arrays, booleans and numbers come as JSON text; anything else is the plain string. */
function decodeValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return JSON.parse(trimmed);
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (/^-?\d+$/.test(trimmed) && !/^0\d/.test(trimmed)) return Number(trimmed);
  return text;
}
