/** Wording shared by the sharing detections, so findings read the same whatever the resource. */
import type { TargetAccount } from '../../detection';

const RELATION_WORDS: Record<TargetAccount['relation'], string> = {
  public: 'everyone (public)',
  external: 'external account',
  organization: 'organization account',
  trusted: 'trusted account',
  self: 'its own account',
};

/** "external account 0987..., trusted account 1111... (backup vault)". */
export function describeTargets(targets: readonly TargetAccount[]): string {
  return targets
    .map((t) => {
      if (t.relation === 'public') return RELATION_WORDS.public;
      const word = t.accountId.startsWith('arn:') ? `organization ${t.relation === 'external' ? '(external) ' : ''}` : `${RELATION_WORDS[t.relation]} `;
      return `${word}${t.accountId}${t.reason ? ` (${t.reason})` : ''}`;
    })
    .join(', ');
}

export function isPublicShare(targets: readonly TargetAccount[]): boolean {
  return targets.some((t) => t.relation === 'public');
}

/** Comma-separated target ids for ProductFields. */
export function targetIds(targets: readonly TargetAccount[]): string {
  return targets.map((t) => t.accountId).join(',');
}

/** Impact and confidence of a public share: anyone on the internet can copy it. */
export const PUBLIC_SHARE = { impact: 100, confidence: 95 } as const;
