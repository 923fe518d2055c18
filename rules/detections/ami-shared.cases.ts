import { failWithNullParameters, setPath, type DetectionCase } from './cases';

const SHARED = '033-ami-shared-stratus.json';
const OWNER = '118238665043';
const TARGET = '846424999548';
const ITEMS = ['requestParameters', 'launchPermission', 'add', 'items'];

export const amiSharedCases: readonly DetectionCase[] = [
  {
    name: 'Stratus detonation: AMI shared with an external account',
    record: { fixture: SHARED },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    relation: 'external',
    summaryIncludes: `ami-de1fbCab6ccB03e6D with external account ${TARGET}`,
    why: 'launchPermission.add.items[].userId differs from recipientAccountId',
  },
  {
    name: 'made public',
    record: { fixture: SHARED, mutate: (r) => setPath(r, ITEMS, [{ group: 'all' }]) },
    matchesPattern: true,
    signals: 1,
    severity: 'CRITICAL',
    relation: 'public',
    why: 'group all: anyone can launch it',
  },
  {
    name: 'public launch permission removed',
    record: {
      fixture: SHARED,
      mutate: (r) => setPath(r, ['requestParameters', 'launchPermission'], { remove: { items: [{ group: 'all' }] } }),
    },
    matchesPattern: false,
    signals: 0,
    why: 'removal only',
  },
  {
    name: 'shared with the organization by ARN',
    record: {
      fixture: SHARED,
      mutate: (r) => setPath(r, ITEMS, [{ organizationArn: `arn:aws:organizations::${OWNER}:organization/o-abcde12345` }]),
    },
    matchesPattern: true,
    signals: 1,
    severity: 'LOW',
    relation: 'organization',
    summaryIncludes: 'organization arn:aws:organizations::',
    why: 'an organization share is internal: 48 halved to 24',
  },
  {
    name: 'shared with an OU of the organization',
    record: {
      fixture: SHARED,
      mutate: (r) =>
        setPath(r, ITEMS, [{ organizationalUnitArn: `arn:aws:organizations::${OWNER}:ou/o-abcde12345/ou-ab12-cdef3456` }]),
    },
    matchesPattern: true,
    signals: 1,
    severity: 'LOW',
    relation: 'organization',
    why: 'OU shares stay in the organization',
  },
  {
    name: 'shared with another organization',
    record: {
      fixture: SHARED,
      mutate: (r) => setPath(r, ITEMS, [{ organizationArn: 'arn:aws:organizations::999988887777:organization/o-zzzzz99999' }]),
    },
    config: { organizationAccountIds: [OWNER] },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    relation: 'external',
    why: 'the organization ARN names a management account outside the configured organization',
  },
  {
    name: 'shared with the owning account',
    record: { fixture: SHARED, mutate: (r) => setPath(r, ITEMS, [{ userId: OWNER }]) },
    matchesPattern: true,
    signals: 0,
    why: 'nothing leaves',
  },
  {
    name: 'failed call without parameters',
    record: { fixture: SHARED, mutate: (r) => failWithNullParameters(r) },
    matchesPattern: false,
    signals: 0,
    why: 'cannot tell what was attempted',
  },
  {
    name: 'description change',
    record: {
      fixture: SHARED,
      mutate: (r) => {
        r.requestParameters = { imageId: 'ami-1', attributeType: 'description', description: { value: 'x' } };
      },
    },
    matchesPattern: false,
    signals: 0,
    why: 'not a permission change',
  },
];
