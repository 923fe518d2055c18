import { failWithNullParameters, setPath, type DetectionCase } from './cases';

const SHARED = '038-rds-snapshot-shared-stratus.json';
const OWNER = '171471557522';
const TARGET = '503161813013';

export const rdsSnapshotSharedCases: readonly DetectionCase[] = [
  {
    name: 'Stratus detonation: DB snapshot shared with an external account',
    record: { fixture: SHARED },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    relation: 'external',
    summaryIncludes: `RDS snapshot exfiltration with external account ${TARGET}`,
    why: 'attributeName restore, valuesToAdd names an account other than recipientAccountId',
  },
  {
    name: 'made public',
    record: { fixture: SHARED, mutate: (r) => setPath(r, ['requestParameters', 'valuesToAdd'], ['all']) },
    matchesPattern: true,
    signals: 1,
    severity: 'CRITICAL',
    relation: 'public',
    why: 'valuesToAdd all: anyone can restore it',
  },
  {
    name: 'cluster snapshot shared',
    record: {
      fixture: SHARED,
      mutate: (r) => {
        r.eventName = 'ModifyDBClusterSnapshotAttribute';
        r.requestParameters = { attributeName: 'restore', dBClusterSnapshotIdentifier: 'aurora-snap', valuesToAdd: [TARGET] };
      },
    },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    summaryIncludes: 'RDS cluster snapshot aurora-snap',
    why: 'Aurora cluster snapshots are shared the same way',
  },
  {
    name: 'accounts removed',
    record: {
      fixture: SHARED,
      mutate: (r) => {
        r.requestParameters = { attributeName: 'restore', dBSnapshotIdentifier: 'exfiltration', valuesToRemove: [TARGET] };
      },
    },
    matchesPattern: false,
    signals: 0,
    why: 'valuesToRemove revokes access',
  },
  {
    name: 'shared with the owner',
    record: { fixture: SHARED, mutate: (r) => setPath(r, ['requestParameters', 'valuesToAdd'], [OWNER]) },
    matchesPattern: true,
    signals: 0,
    why: 'nothing leaves',
  },
  {
    name: 'shared with a trusted account',
    record: { fixture: SHARED },
    config: { trustedAccounts: [{ accountId: TARGET, reason: 'analytics replica' }] },
    matchesPattern: true,
    signals: 1,
    severity: 'LOW',
    relation: 'trusted',
    why: 'trusted target halves the score',
  },
  {
    name: 'failed call without parameters',
    record: { fixture: SHARED, mutate: (r) => failWithNullParameters(r) },
    matchesPattern: false,
    signals: 0,
    why: 'nothing says what was attempted',
  },
];
