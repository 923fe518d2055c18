import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { AsffFindingSchema, buildFinding, validateFinding } from '../../handlers/findings';
import { snapshotShareSignal } from './signal-builder';

/** A valid finding as a plain JSON object the tests can break one field at a time. */
function validJson(): Record<string, any> {
  return JSON.parse(JSON.stringify(buildFinding(snapshotShareSignal())));
}

function issuesOf(finding: unknown): string[] {
  const result = validateFinding(finding);
  return result.ok ? [] : result.issues;
}

describe('AsffFindingSchema', () => {
  it('accepts the finding built from a realistic signal', () => {
    expect(validateFinding(validJson())).toEqual({ ok: true });
  });

  it.each([
    'SchemaVersion',
    'Id',
    'ProductArn',
    'GeneratorId',
    'AwsAccountId',
    'Types',
    'CreatedAt',
    'UpdatedAt',
    'Severity',
    'Title',
    'Description',
    'Resources',
  ])('rejects a finding without %s, naming it', (field) => {
    const finding = validJson();
    delete finding[field];
    expect(issuesOf(finding)).toContain(`${field}: is required`);
  });

  it('rejects a value that is not an object', () => {
    expect(issuesOf(null)).toHaveLength(1);
    expect(issuesOf('finding')[0]).toMatch(/^\(finding\): /);
  });

  type Case = [description: string, mutate: (f: Record<string, any>) => void, expected: RegExp];
  const cases: Case[] = [
    ['a wrong schema version', (f) => (f.SchemaVersion = '2020-01-01'), /^SchemaVersion: must be 2018-10-08/],
    ['an Id over 512 characters', (f) => (f.Id = 'i'.repeat(513)), /^Id: must be at most 512/],
    ['a blank Id', (f) => (f.Id = '   '), /^Id: must not be blank/],
    ['a Title over 256 characters', (f) => (f.Title = 't'.repeat(257)), /^Title: must be at most 256/],
    ['a Description over 1024 characters', (f) => (f.Description = 'd'.repeat(1025)), /^Description: must be at most 1024/],
    ['a masked account id', (f) => (f.AwsAccountId = '12345'), /^AwsAccountId: must be a 12-digit/],
    ['a ProductArn that is not a Security Hub product', (f) => (f.ProductArn = 'arn:aws:s3:::bucket'), /^ProductArn: must be arn:/],
    [
      'a default product of another account',
      (f) => (f.ProductArn = 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default'),
      /^ProductArn: a default-product ARN must name the finding's account \(756680937392\)/,
    ],
    ['the made-up type TTPs/Exfiltration', (f) => (f.Types = ['TTPs/Exfiltration']), /^Types\[0\]: "TTPs\/Exfiltration": category/],
    ['an unknown namespace', (f) => (f.Types = ['Exfiltration/Data']), /^Types\[0\]: "Exfiltration\/Data": namespace must be/],
    ['an empty Types list', (f) => (f.Types = []), /^Types: needs at least one/],
    ['51 types', (f) => (f.Types = Array(51).fill('Effects/Data Exfiltration')), /^Types: at most 50/],
    ['a bad type in FindingProviderFields', (f) => (f.FindingProviderFields.Types = ['TTPs/Exfiltration']), /^FindingProviderFields\.Types\[0\]: /],
    ['a timestamp without a zone', (f) => (f.CreatedAt = '2024-08-01T12:28:02'), /^CreatedAt: must be an ASFF timestamp/],
    ['a timestamp with a space', (f) => (f.UpdatedAt = '2024-08-01 12:28:02Z'), /^UpdatedAt: must be an ASFF timestamp/],
    ['UpdatedAt before CreatedAt', (f) => (f.UpdatedAt = '2024-07-01T00:00:00Z'), /^UpdatedAt: must not be earlier than CreatedAt/],
    ['an unknown severity label', (f) => (f.Severity = { Label: 'SEVERE' }), /^Severity\.Label: /],
    ['a severity with neither Label nor Normalized', (f) => (f.Severity = { Original: '72' }), /^Severity: needs Label/],
    ['a 65-character severity Original', (f) => (f.Severity.Original = 'o'.repeat(65)), /^Severity\.Original: must be at most 64/],
    ['Confidence over 100', (f) => (f.FindingProviderFields.Confidence = 101), /^FindingProviderFields\.Confidence: must be 0-100/],
    ['a fractional Criticality', (f) => (f.FindingProviderFields.Criticality = 2.5), /^FindingProviderFields\.Criticality: must be an integer/],
    ['no resources', (f) => (f.Resources = []), /^Resources: needs at least one/],
    ['33 resources', (f) => (f.Resources = Array(33).fill(f.Resources[0])), /^Resources: at most 32/],
    ['a resource without Type', (f) => delete f.Resources[0].Type, /^Resources\[0\]\.Type: is required/],
    ['an unknown partition', (f) => (f.Resources[0].Partition = 'aws-mars'), /^Resources\[0\]\.Partition: /],
    ['a resource region over 16 characters', (f) => (f.Resources[0].Region = 'r'.repeat(17)), /^Resources\[0\]\.Region: must be at most 16/],
    [
      'a Details.Other value of 1024 characters',
      (f) => (f.Resources[0].Details.Other.snapshotId = 'v'.repeat(1024)),
      /^Resources\[0\]\.Details\.Other\.snapshotId: must be at most 1023/,
    ],
    [
      '51 ProductFields',
      (f) => {
        for (let n = 0; f.ProductFields && Object.keys(f.ProductFields).length < 51; n += 1) f.ProductFields[`x/${n}`] = 'v';
      },
      /^ProductFields: has 51 entries; at most 50/,
    ],
    ['a reserved aws/ ProductFields key', (f) => (f.ProductFields['aws/securityhub/ProductName'] = 'x'), /^ProductFields: keys under "aws\/"/],
    [
      'a ProductFields value over 2048 characters',
      (f) => (f.ProductFields['exfiltrail/RuleId'] = 'v'.repeat(2049)),
      /^ProductFields\["exfiltrail\/RuleId"\]: must be at most 2048/,
    ],
    ['a blank ProductFields value', (f) => (f.ProductFields['exfiltrail/RuleId'] = ' '), /^ProductFields\["exfiltrail\/RuleId"\]: must not be blank/],
    [
      'an invalid IPv4 address',
      (f) => (f.Action.AwsApiCallAction.RemoteIpDetails.IpAddressV4 = '12.345.123.45'),
      /^Action\.AwsApiCallAction\.RemoteIpDetails\.IpAddressV4: must be a valid IPv4/,
    ],
    [
      'domain details on a remoteip caller',
      (f) => (f.Action.AwsApiCallAction.DomainDetails = { Domain: 's3.amazonaws.com' }),
      /^Action\.AwsApiCallAction\.DomainDetails: only with CallerType domain/,
    ],
    ['an API call action without details', (f) => delete f.Action.AwsApiCallAction, /^Action\.AwsApiCallAction: is required when/],
    ['an unknown ActionType', (f) => (f.Action.ActionType = 'API_CALL'), /^Action\.ActionType: /],
    ['a SourceUrl that is not a URL', (f) => (f.SourceUrl = 'cloudtrail event'), /^SourceUrl: must be a URL/],
    ['a recommendation over 512 characters', (f) => (f.Remediation.Recommendation.Text = 'r'.repeat(513)), /^Remediation\.Recommendation\.Text: must be at most 512/],
    ['an unknown RecordState', (f) => (f.RecordState = 'DELETED'), /^RecordState: /],
    ['a Workflow set by the provider', (f) => (f.Workflow = { Status: 'NEW' }), /^Workflow: is set by Security Hub users/],
    ['a Note set by the provider', (f) => (f.Note = { Text: 'x', UpdatedBy: 'me', UpdatedAt: f.CreatedAt }), /^Note: is set by Security Hub users/],
    ['UserDefinedFields set by the provider', (f) => (f.UserDefinedFields = { a: 'b' }), /^UserDefinedFields: is set by Security Hub users/],
    [
      'a finding over 240 KB',
      (f) => (f.Resources = Array.from({ length: 32 }, (_, n) => ({ Type: 'Other', Id: `${n}-${'x'.repeat(8000)}` }))),
      /^\(finding\): finding is \d+ bytes; BatchImportFindings rejects findings over 240 KB/,
    ],
  ];

  it.each(cases)('rejects %s with a message saying where', (_description, mutate, expected) => {
    const finding = validJson();
    mutate(finding);
    const issues = issuesOf(finding);
    expect(issues).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('accepts the documented timestamp variants', () => {
    for (const time of ['2019-01-31T23:00:00Z', '2019-01-31T23:00:00.123456789Z', '2024-01-04T15:25:10+17:59', '2024-01-04T15:25:10-1759']) {
      const finding = validJson();
      finding.FirstObservedAt = time;
      expect(issuesOf(finding)).toEqual([]);
    }
  });

  it('parses into a value that type-checks as the SDK AwsSecurityFinding, unchanged', () => {
    const json = validJson();
    // The annotation is the type check (npm test runs tsc); the equality shows parsing loses nothing.
    const parsed: AwsSecurityFinding = AsffFindingSchema.parse(json);
    expect(parsed).toEqual(json);
  });

  it('accepts fields it does not model', () => {
    const finding = validJson();
    finding.Sample = true;
    finding.VerificationState = 'UNKNOWN';
    expect(validateFinding(finding)).toEqual({ ok: true });
  });
});
