import { setPath, type DetectionCase } from './cases';

const COPIED = '030-ebs-sharedsnapshotcopyinitiated-doc.json';
const OWNER = '111111111111';
const COPIER = '999999999999';

export const ebsSharedSnapshotCopiedCases: readonly DetectionCase[] = [
  {
    name: 'documented SharedSnapshotCopyInitiated by another account',
    record: { fixture: COPIED },
    matchesPattern: true,
    signals: 1,
    severity: 'HIGH',
    relation: 'external',
    summaryIncludes: `copied shared EBS snapshot snap-12345 into external account ${COPIER}`,
    why: 'the copier is outside: 80 x 90 / 100 = 72',
  },
  {
    name: 'copied by an organization account',
    record: { fixture: COPIED },
    config: { organizationAccountIds: [OWNER, COPIER] },
    matchesPattern: true,
    signals: 1,
    severity: 'LOW',
    relation: 'organization',
    why: 'confidence 60 -> 48, halved for an internal target -> 24',
  },
  {
    name: 'copied by a trusted account',
    record: { fixture: COPIED },
    config: { trustedAccounts: [{ accountId: COPIER, reason: 'nightly DR copy' }] },
    matchesPattern: true,
    signals: 1,
    severity: 'LOW',
    relation: 'trusted',
    summaryIncludes: 'nightly DR copy',
    why: 'confidence 40 -> 32, halved -> 16: lower still than an organization copy',
  },
  {
    name: 'volume created from the shared snapshot',
    record: { fixture: COPIED, mutate: (r) => { r.eventName = 'SharedSnapshotVolumeCreated'; } },
    matchesPattern: true,
    signals: 1,
    severity: 'HIGH',
    summaryIncludes: 'created a volume from shared EBS snapshot',
    why: 'the documented sibling event: the data is readable in the other account',
  },
  {
    name: 'copy by the owner itself',
    record: { fixture: COPIED, mutate: (r) => setPath(r, ['userIdentity', 'accountId'], OWNER) },
    matchesPattern: true,
    signals: 0,
    why: 'nothing leaves',
  },
  {
    name: 'copier not named',
    record: { fixture: COPIED, mutate: (r) => { r.userIdentity = { invokedBy: 'ec2.amazonaws.com' }; } },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    why: 'someone copied it; without the account, confidence 60 -> 48',
  },
  {
    name: 'recorded as an API call',
    record: { fixture: COPIED, mutate: (r) => { r.eventType = 'AwsApiCall'; } },
    matchesPattern: false,
    signals: 0,
    why: 'the event is a service event; an API-call record of that name would be something else',
  },
];
