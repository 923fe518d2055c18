/**
 * What Security Hub's BatchImportFindings accepts from a finding provider, as a zod schema: required fields,
 * length limits, enums, timestamp format, array limits and the 240 KB size limit (see `limits.ts` for where
 * each number comes from). Stricter than AWS in one place: `Types` categories must be the documented ones.
 * Fields the schema does not model pass through unchecked.
 */
import { z } from 'zod';
import { SEVERITY_LABELS } from '../../rules/config';
import { ASFF_SCHEMA_VERSION, ASFF_TIMESTAMP, LIMITS, PARTITIONS } from './limits';
import { findingTypeProblem } from './taxonomy';

const required = (issue: { input?: unknown }): string | undefined =>
  issue.input === undefined ? 'is required' : undefined;

function text(max: number, min = 1) {
  return z
    .string({ error: required })
    .min(min, `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .regex(/\S/u, 'must not be blank');
}

const unboundedText = z.string({ error: required }).regex(/\S/u, 'must not be blank');

const timestamp = z
  .string({ error: required })
  .regex(ASFF_TIMESTAMP, 'must be an ASFF timestamp such as 2024-08-01T12:28:02.000Z');

const score0to100 = z.int('must be an integer').min(0, 'must be 0-100').max(100, 'must be 0-100');

const findingType = z.string().superRefine((type, ctx) => {
  const problem = findingTypeProblem(type);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const findingTypes = z
  .array(findingType, { error: required })
  .min(1, 'needs at least one finding type')
  .max(LIMITS.types, `at most ${LIMITS.types} finding types`);

/** A string-to-string map with Security Hub's entry count, key and value limits. */
function stringMap(maxEntries: number, maxKey: number, maxValue: number) {
  return z.record(z.string(), z.string()).superRefine((map, ctx) => {
    const entries = Object.entries(map);
    if (entries.length > maxEntries) {
      ctx.addIssue({ code: 'custom', message: `has ${entries.length} entries; at most ${maxEntries}` });
    }
    for (const [key, value] of entries) {
      if (key.length < 1 || key.length > maxKey) {
        ctx.addIssue({ code: 'custom', path: [key], message: `key must be 1-${maxKey} characters` });
      }
      if (!/\S/u.test(value)) ctx.addIssue({ code: 'custom', path: [key], message: 'must not be blank' });
      if (value.length > maxValue) {
        ctx.addIssue({ code: 'custom', path: [key], message: `must be at most ${maxValue} characters` });
      }
    }
  });
}

const severityLabel = z.enum(SEVERITY_LABELS);

const SeveritySchema = z
  .looseObject(
    {
      Label: severityLabel.optional(),
      Normalized: score0to100.optional(),
      Original: text(LIMITS.severityOriginal).optional(),
      Product: z.number().optional(),
    },
    { error: required },
  )
  .refine((s) => s.Label !== undefined || s.Normalized !== undefined, 'needs Label (preferred) or Normalized');

const FindingProviderFieldsSchema = z.looseObject({
  Confidence: score0to100.optional(),
  Criticality: score0to100.optional(),
  RelatedFindings: z
    .array(z.looseObject({ ProductArn: text(LIMITS.productArn), Id: text(LIMITS.id) }))
    .max(10, 'at most 10 related findings')
    .optional(),
  Severity: z.looseObject(
    { Label: severityLabel.optional(), Original: text(LIMITS.severityOriginal).optional() },
    { error: required },
  ),
  Types: findingTypes,
});

const ResourceSchema = z.looseObject({
  Type: text(LIMITS.resourceType),
  Id: unboundedText,
  Partition: z.enum(PARTITIONS).optional(),
  Region: text(LIMITS.resourceRegion).optional(),
  ResourceRole: z.string().optional(),
  Details: z
    .looseObject({ Other: stringMap(LIMITS.otherEntries, LIMITS.otherKey, LIMITS.otherValue).optional() })
    .optional(),
});

const AwsApiCallActionSchema = z
  .looseObject({
    Api: text(LIMITS.apiName).optional(),
    ServiceName: text(LIMITS.serviceName).optional(),
    CallerType: z.enum(['remoteip', 'domain']).optional(),
    RemoteIpDetails: z
      .looseObject({ IpAddressV4: z.ipv4('must be a valid IPv4 address').optional() })
      .optional(),
    DomainDetails: z.looseObject({ Domain: text(LIMITS.domain).optional() }).optional(),
    AffectedResources: z.record(z.string(), z.string()).optional(),
    FirstSeen: timestamp.optional(),
    LastSeen: timestamp.optional(),
  })
  .superRefine((call, ctx) => {
    if (call.RemoteIpDetails && call.CallerType !== 'remoteip') {
      ctx.addIssue({ code: 'custom', path: ['RemoteIpDetails'], message: 'only with CallerType remoteip' });
    }
    if (call.DomainDetails && call.CallerType !== 'domain') {
      ctx.addIssue({ code: 'custom', path: ['DomainDetails'], message: 'only with CallerType domain' });
    }
  });

const ActionSchema = z
  .looseObject({
    ActionType: z.enum(['AWS_API_CALL', 'DNS_REQUEST', 'NETWORK_CONNECTION', 'PORT_PROBE']),
    AwsApiCallAction: AwsApiCallActionSchema.optional(),
  })
  .refine((a) => a.ActionType !== 'AWS_API_CALL' || a.AwsApiCallAction !== undefined, {
    path: ['AwsApiCallAction'],
    message: 'is required when ActionType is AWS_API_CALL',
  });

const ProductFieldsSchema = stringMap(LIMITS.productFields, LIMITS.productFieldKey, LIMITS.productFieldValue)
  .refine((fields) => !Object.keys(fields).some((key) => key.startsWith('aws/')), {
    message: 'keys under "aws/" are reserved for AWS services',
  });

/** Security Hub users own these (BatchUpdateFindings); a provider setting them is a bug. */
const providerForbidden = z
  .never({ error: 'is set by Security Hub users with BatchUpdateFindings, never by a finding provider' })
  .optional();

const PRODUCT_ARN = /^arn:aws(-[a-z-]+)?:securityhub:[a-z0-9-]+:(\d{12})?:product\/[^/]+\/[^/]+$/u;

export const AsffFindingSchema = z
  .looseObject({
    SchemaVersion: z.literal(ASFF_SCHEMA_VERSION, { error: (i) => required(i) ?? `must be ${ASFF_SCHEMA_VERSION}` }),
    Id: text(LIMITS.id),
    ProductArn: text(LIMITS.productArn, LIMITS.productArnMin).regex(
      PRODUCT_ARN,
      'must be arn:<partition>:securityhub:<region>:<account>:product/<company>/<product>',
    ),
    ProductName: text(LIMITS.productName).optional(),
    CompanyName: text(LIMITS.companyName).optional(),
    GeneratorId: text(LIMITS.generatorId),
    AwsAccountId: z.string({ error: required }).regex(/^\d{12}$/u, 'must be a 12-digit AWS account id'),
    Types: findingTypes,
    CreatedAt: timestamp,
    UpdatedAt: timestamp,
    FirstObservedAt: timestamp.optional(),
    LastObservedAt: timestamp.optional(),
    Severity: SeveritySchema,
    Confidence: score0to100.optional(),
    Criticality: score0to100.optional(),
    Title: text(LIMITS.title),
    Description: text(LIMITS.description),
    Remediation: z
      .looseObject({
        Recommendation: z
          .looseObject({
            Text: text(LIMITS.recommendationText).optional(),
            Url: z.url('must be a URL').optional(),
          })
          .optional(),
      })
      .optional(),
    SourceUrl: z.url('must be a URL').optional(),
    ProductFields: ProductFieldsSchema.optional(),
    Resources: z
      .array(ResourceSchema, { error: required })
      .min(1, 'needs at least one resource')
      .max(LIMITS.resources, `at most ${LIMITS.resources} resources`),
    RecordState: z.enum(['ACTIVE', 'ARCHIVED']).optional(),
    Action: ActionSchema.optional(),
    FindingProviderFields: FindingProviderFieldsSchema.optional(),
    Workflow: providerForbidden,
    Note: providerForbidden,
    UserDefinedFields: providerForbidden,
  })
  .superRefine((finding, ctx) => {
    const bytes = Buffer.byteLength(JSON.stringify(finding), 'utf8');
    if (bytes > LIMITS.findingBytes) {
      ctx.addIssue({
        code: 'custom',
        message: `finding is ${bytes} bytes; BatchImportFindings rejects findings over 240 KB (${LIMITS.findingBytes} bytes)`,
      });
    }
    if (Date.parse(finding.UpdatedAt) < Date.parse(finding.CreatedAt)) {
      ctx.addIssue({ code: 'custom', path: ['UpdatedAt'], message: 'must not be earlier than CreatedAt' });
    }
    // The default product imports only findings about the calling account itself.
    const defaultProduct = /:(\d{12})?:product\/([^/]+)\/default$/u.exec(finding.ProductArn);
    if (defaultProduct && (defaultProduct[1] !== finding.AwsAccountId || defaultProduct[2] !== finding.AwsAccountId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ProductArn'],
        message: `a default-product ARN must name the finding's account (${finding.AwsAccountId}) twice`,
      });
    }
  });

export type AsffFinding = z.infer<typeof AsffFindingSchema>;

export type FindingValidation = { ok: true } | { ok: false; issues: string[] };

/** Check a finding before import; each issue names the offending field (`Resources[0].Type: is required`). */
export function validateFinding(finding: unknown): FindingValidation {
  const result = AsffFindingSchema.safeParse(finding);
  if (result.success) return { ok: true };
  return { ok: false, issues: result.error.issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`) };
}

function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(finding)';
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      const name = String(part);
      // Map keys such as "exfiltrail/RuleId" are quoted so the path stays readable.
      const plain = /^[A-Za-z_][A-Za-z0-9_]*$/u.test(name);
      if (!plain) return `[${JSON.stringify(name)}]`;
      return index === 0 ? name : `.${name}`;
    })
    .join('');
}
