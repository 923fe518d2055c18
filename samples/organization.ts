/** The sample organization: who is in it, who is trusted, who is not. */
import type { OrgAccount } from './actors';

export const ORGANIZATION_ID = 'o-exfiltrail01';

export const PROD: OrgAccount = { id: '204739816250', name: 'prod' };
export const DATA: OrgAccount = { id: '318472905163', name: 'data' };
export const SHARED: OrgAccount = { id: '427158093614', name: 'shared' };
export const ORG_ACCOUNTS: readonly OrgAccount[] = [PROD, DATA, SHARED];

/** Outside the organization, trusted in samples/config.json: the disaster-recovery backup vault. */
export const DR_BACKUP_ACCOUNT = '539260718425';
/** Outside the organization: the vendor that receives the golden AMI (an allowlisted share). */
export const VENDOR_ACCOUNT = '682413579024';
/** Outside the organization, unknown: where the attacker takes the data. */
export const ATTACKER_ACCOUNT = '731594204517';

export const PRIMARY_REGION = 'eu-west-1';
export const SECOND_REGION = 'us-east-1';
export const REGIONS = [PRIMARY_REGION, SECOND_REGION] as const;

/** A developer's office address, and the address the leaked key is used from (RFC 5737 documentation ranges). */
export const OFFICE_IP = '192.0.2.34';
export const ATTACKER_IP = '203.0.113.66';
