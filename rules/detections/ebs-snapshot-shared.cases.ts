import { failKeepingParameters, failWithNullParameters, setPath, type DetectionCase } from './cases';

const SHARED = '022-ebs-snapshot-shared-stratus.json';
const TARGET = '098797384747';
const OWNER = '756680937392';

export const ebsSnapshotSharedCases: readonly DetectionCase[] = [
  {
    name: 'Stratus detonation: snapshot shared with an external account',
    record: { fixture: SHARED },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    relation: 'external',
    summaryIncludes: `snap-041993b54a9b3af6f with external account ${TARGET}`,
    why: 'add.items[].userId differs from recipientAccountId: 60 x 80 / 100 = 48',
  },
  {
    name: 'share with the owning account itself',
    record: { fixture: '028-ebs-snapshot-share-same-account.json' },
    matchesPattern: true,
    signals: 0,
    why: 'the only grantee is the owner: nothing leaves the account',
  },
  {
    name: 'made public with group all',
    record: {
      fixture: SHARED,
      mutate: (r) => setPath(r, ['requestParameters', 'createVolumePermission'], { add: { items: [{ group: 'all' }] } }),
    },
    matchesPattern: true,
    signals: 1,
    severity: 'CRITICAL',
    relation: 'public',
    summaryIncludes: 'everyone (public)',
    why: 'group all: anyone can create a volume from it, 100 x 95 / 100 = 95',
  },
  {
    name: 'permission removed',
    record: {
      fixture: SHARED,
      mutate: (r) => setPath(r, ['requestParameters', 'createVolumePermission'], { remove: { items: [{ userId: TARGET }] } }),
    },
    matchesPattern: false,
    signals: 0,
    why: 'a removal revokes access; the pattern requires an add item so it is not even forwarded',
  },
  {
    name: 'public access removed',
    record: {
      fixture: SHARED,
      mutate: (r) => setPath(r, ['requestParameters', 'createVolumePermission'], { remove: { items: [{ group: 'all' }] } }),
    },
    matchesPattern: false,
    signals: 0,
    why: 'making a snapshot private again is remediation, not exposure',
  },
  {
    name: 'mixed add and remove counts only the add',
    record: {
      fixture: SHARED,
      mutate: (r) =>
        setPath(r, ['requestParameters', 'createVolumePermission'], {
          add: { items: [{ userId: '111122223333' }] },
          remove: { items: [{ userId: TARGET }] },
        }),
    },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    summaryIncludes: 'external account 111122223333',
    why: 'the removed account is not a target; the added one is',
  },
  {
    name: 'several targets in one call give one finding',
    record: {
      fixture: SHARED,
      mutate: (r) =>
        setPath(r, ['requestParameters', 'createVolumePermission', 'add', 'items'], [
          { userId: TARGET },
          { userId: OWNER },
          { userId: '444455556666' },
        ]),
    },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    relation: 'external',
    summaryIncludes: `external account ${TARGET}, external account 444455556666`,
    why: 'one hit per call listing every external target; the owner itself is left out',
  },
  {
    name: 'empty add list',
    record: {
      fixture: SHARED,
      mutate: (r) => setPath(r, ['requestParameters', 'createVolumePermission'], { add: { items: [] } }),
    },
    matchesPattern: false,
    signals: 0,
    why: 'no grantee: nothing is shared',
  },
  {
    name: 'share with a trusted backup account',
    record: { fixture: SHARED },
    config: { trustedAccounts: [{ accountId: TARGET, reason: 'DR vault account' }] },
    matchesPattern: true,
    signals: 1,
    severity: 'LOW',
    relation: 'trusted',
    summaryIncludes: 'DR vault account',
    why: 'a trusted target halves the score (48 -> 24) and keeps the reason',
  },
  {
    name: 'share with an account of the organization',
    record: { fixture: SHARED },
    config: { organizationAccountIds: [OWNER, TARGET] },
    matchesPattern: true,
    signals: 1,
    severity: 'LOW',
    relation: 'organization',
    why: 'data stays in the organization: halved to 24',
  },
  {
    name: 'failed share attempt keeping its parameters',
    record: { fixture: SHARED, mutate: (r) => failKeepingParameters(r) },
    matchesPattern: true,
    signals: 1,
    severity: 'LOW',
    relation: 'external',
    why: 'an attempt is visible at half the score (24)',
  },
  {
    name: 'failed call without request parameters',
    record: { fixture: SHARED, mutate: (r) => failWithNullParameters(r) },
    matchesPattern: false,
    signals: 0,
    why: 'requestParameters null: the record cannot say whether anything was added, so it is not a share',
  },
  {
    name: 'masked account ids',
    record: {
      fixture: SHARED,
      mutate: (r) => {
        r.recipientAccountId = '12345';
        setPath(r, ['userIdentity', 'accountId'], '12345');
        setPath(r, ['requestParameters', 'createVolumePermission', 'add', 'items'], [{ userId: '67890' }]);
      },
    },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    relation: 'external',
    summaryIncludes: '67890',
    why: 'masked ids are kept as they are; another id is still another account',
  },
  {
    name: 'product code attribute change',
    record: {
      fixture: SHARED,
      mutate: (r) => {
        r.requestParameters = { snapshotId: 'snap-1', attributeType: 'PRODUCT_CODES', productCodes: { items: [] } };
      },
    },
    matchesPattern: false,
    signals: 0,
    why: 'not a permission change',
  },
];
