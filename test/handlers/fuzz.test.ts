/**
 * Fuzzing the handler with mutated real CloudTrail records in EventBridge envelopes: whatever arrives, the
 * handler either handles it or rejects it with the designed InvalidEventError; and whatever it publishes is
 * valid ASFF stamped with the event's account.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { validateFinding } from '../../handlers/findings';
import { InvalidEventError } from '../../handlers/publish/errors';
import { createTelemetry } from '../../handlers/shared/observability';
import { fixtureFiles } from '../fixtures';
import { acceptEveryImport, captureStdout, fixtureEvent, importedFindingsOf, lambdaContext, makeHandler, testSettings } from './helpers';

const securityHub = mockClient(SecurityHubClient);
const sts = mockClient(STSClient);

const files = fixtureFiles();
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

type Mutation =
  | { kind: 'delete'; pick: number }
  | { kind: 'replace'; pick: number; value: Json }
  | { kind: 'insert'; pick: number; key: string; value: Json };

function apply(root: Json, generated: Mutation): Json {
  // fast-check reuses generated values while shrinking: mutating them in place could nest a value inside
  // itself, which no JSON-delivered event can be. Work on a copy.
  const mutation = structuredClone(generated);
  const paths = pathsOf(root);
  const path = paths[mutation.pick % paths.length] ?? [];
  if (path.length === 0) return mutation.kind === 'replace' ? mutation.value : root;
  let parent: Json = root;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key] as Json;
  const last = path[path.length - 1] as string | number;
  const container = parent as Record<string | number, Json> & Json[];
  if (mutation.kind === 'delete') {
    if (Array.isArray(container) && typeof last === 'number') container.splice(last, 1);
    else delete container[last];
  } else if (mutation.kind === 'replace') {
    container[last] = mutation.value;
  } else {
    const target = container[last];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) target[mutation.key] = mutation.value;
    else container[last] = mutation.value;
  }
  return root;
}

/** Values that look like what CloudTrail and EventBridge carry, plus arbitrary JSON. */
const plausible: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue() as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(
    'all', '123456789012', '098797384747', '', ' ', 'AWS Internal', 'AwsServiceEvent', 'AwsApiCall',
    'aws.ec2', 'AWS API Call via CloudTrail', 'AWS Service Event via CloudTrail', '2024-08-01T12:28:02Z',
    '2024-08-01T12:28:02+02:00', 'not a time', 'ModifySnapshotAttribute', 'CREATE_VOLUME_PERMISSION',
    'launchPermission', 'ec2.amazonaws.com', 'x'.repeat(5000), null, [], {}, 0, -1, 1e308,
    { add: { items: [{ userId: '210987654321' }] } }, { items: [{ group: 'all' }] }, '\u0000', 'é😀',
  ),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: plausible }),
  fc.record({ kind: fc.constant('insert' as const), pick: fc.nat(), key: fc.string({ maxLength: 20 }), value: plausible }),
);

test('mutated fixture events are handled or rejected with InvalidEventError, never anything else', async () => {
  acceptEveryImport(securityHub);
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'a', SecretAccessKey: 'b', SessionToken: 'c', Expiration: new Date(Date.now() + 3600_000) },
  });
  const output = captureStdout();
  const handler = makeHandler({
    settings: testSettings(),
    telemetry: createTelemetry({ logger: new Logger({ logLevel: 'SILENT' }) }),
  });
  const outcomes = { handled: 0, rejected: 0, published: 0 };
  try {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (file, mutations) => {
        securityHub.resetHistory();
        let event = fixtureEvent(file) as unknown as Json;
        for (const m of mutations) event = apply(event, m);
        try {
          const result = await handler(event, lambdaContext());
          outcomes.handled += 1;
          const imported = importedFindingsOf(securityHub);
          outcomes.published += imported.length;
          expect(imported).toHaveLength(result.published.length);
          const account = (event as { account: string }).account;
          for (const finding of imported) {
            expect(validateFinding(finding)).toEqual({ ok: true });
            expect(finding.AwsAccountId).toBe(account);
          }
        } catch (error) {
          if (!(error instanceof InvalidEventError)) throw error;
          outcomes.rejected += 1;
          expect(error.message).toMatch(/^event .+ rejected: /u);
        }
      }),
      { numRuns: 3000 },
    );
  } finally {
    output.restore();
  }
  // The property is only meaningful if all three outcomes actually occur.
  expect(outcomes.handled).toBeGreaterThan(100);
  expect(outcomes.rejected).toBeGreaterThan(100);
  expect(outcomes.published).toBeGreaterThan(100);
}, 120_000);
