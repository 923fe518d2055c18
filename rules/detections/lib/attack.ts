/** MITRE ATT&CK entries used by the detections (https://attack.mitre.org). */
import type { AttackMapping } from '../../detection';

const EXFILTRATION = { id: 'TA0010', name: 'Exfiltration' } as const;

export const TRANSFER_DATA_TO_CLOUD_ACCOUNT: AttackMapping = {
  tactic: EXFILTRATION,
  technique: { id: 'T1537', name: 'Transfer Data to Cloud Account' },
};

export const AUTOMATED_EXFILTRATION: AttackMapping = {
  tactic: EXFILTRATION,
  technique: { id: 'T1020', name: 'Automated Exfiltration' },
};

export const DATA_STAGED: AttackMapping = {
  tactic: { id: 'TA0009', name: 'Collection' },
  technique: { id: 'T1074', name: 'Data Staged' },
};

/** ASFF `Types` used by the detections (namespace/category of the Security Hub type taxonomy). */
export const FINDING_TYPES = {
  exfiltration: 'Effects/Data Exfiltration',
  exposure: 'Effects/Data Exposure',
  collection: 'TTPs/Collection',
  unusualUser: 'Unusual Behaviors/User',
} as const;
