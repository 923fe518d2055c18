/** Where data goes, relative to the account it belongs to. */
import type { ExfiltrailConfig } from './config';
import type { TargetAccount } from './detection';

/** The value EC2/RDS use for "everyone" in permission lists. */
export const PUBLIC_TARGET = 'all';

export type AccountClassifier = (accountId: string, ownerAccountId: string) => TargetAccount;

/**
 * Build the classifier once per config: lookups are by Set/Map, so classifying costs nothing per event.
 * Order matters: public beats everything, the owner itself is `self`, trusted (backup, DR) beats organization
 * membership so the reason is kept, and with no organization accounts configured every other account is external.
 */
export function accountClassifier(config: ExfiltrailConfig): AccountClassifier {
  const organization = new Set(config.organizationAccountIds);
  const trusted = new Map(config.trustedAccounts.map((t) => [t.accountId, t.reason]));
  return (accountId, ownerAccountId) => {
    if (accountId.toLowerCase() === PUBLIC_TARGET) return { accountId: PUBLIC_TARGET, relation: 'public' };
    if (accountId === ownerAccountId) return { accountId, relation: 'self' };
    const reason = trusted.get(accountId);
    if (reason !== undefined) return { accountId, relation: 'trusted', reason };
    if (organization.has(accountId)) return { accountId, relation: 'organization' };
    return { accountId, relation: 'external' };
  };
}
