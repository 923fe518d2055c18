/**
 * The context detections are evaluated in. One schema for the CLI's `--config` file, the Lambda handlers'
 * environment/SSM parameter and the Pulumi stack configuration.
 */
import { z } from 'zod';

export const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const SeverityLabelSchema = z.enum(SEVERITY_LABELS);
export type SeverityLabel = z.infer<typeof SeverityLabelSchema>;

/** Account ids are kept as strings; masked test data ("12345") is accepted, whitespace is not. */
const AccountId = z
  .string()
  .trim()
  .regex(/^[0-9]{1,12}$/, 'an AWS account id is up to 12 digits');

const Reason = z.string().trim().min(1, 'say why, so the exception leaves a trace');

export const TrustedAccountSchema = z.strictObject({
  accountId: AccountId,
  /** Backup, DR or migration target: lowers severity, never silences. */
  reason: Reason,
});

export const AllowlistEntrySchema = z.strictObject({
  /**
   * An IAM principal ARN. For assumed roles, the role ARN (arn:aws:iam::<acct>:role/<name>) matches every
   * session of that role. A trailing `*` matches any suffix (`arn:aws:iam::111122223333:role/backup-*`).
   */
  principal: z.string().trim().min(1),
  /** Detection ids this entry applies to; every detection when omitted. */
  detections: z.array(z.string().min(1)).min(1).optional(),
  reason: Reason,
});

export const DetectionSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Replaces the computed severity label of every finding of this detection. */
  severity: SeverityLabelSchema.optional(),
});

export const ExfiltrailConfigSchema = z.strictObject({
  /**
   * Every account of the organization. A target outside this list is external. When it is empty, every
   * account other than the one the event happened in counts as external.
   */
  organizationAccountIds: z.array(AccountId).default([]),
  trustedAccounts: z.array(TrustedAccountSchema).default([]),
  allowlist: z.array(AllowlistEntrySchema).default([]),
  detections: z.record(z.string().min(1), DetectionSettingsSchema).default({}),
});

export type ExfiltrailConfig = z.infer<typeof ExfiltrailConfigSchema>;
export type ExfiltrailConfigInput = z.input<typeof ExfiltrailConfigSchema>;
export type TrustedAccount = z.infer<typeof TrustedAccountSchema>;
export type AllowlistEntry = z.infer<typeof AllowlistEntrySchema>;

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: readonly string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validate a parsed config; every problem is reported with the path of the offending key. */
export function parseConfig(input: unknown, source = 'config'): ExfiltrailConfig {
  const result = ExfiltrailConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  throw new ConfigError(`invalid ${source}:\n  ${issues.join('\n  ')}`, issues);
}

export const DEFAULT_CONFIG: ExfiltrailConfig = parseConfig({});
