/**
 * Reading the grants of EC2 permission lists (`createVolumePermission` of snapshots, `launchPermission` of
 * AMIs): `{ add: { items: [{ userId } | { group: 'all' } | { organizationArn } | { organizationalUnitArn }] },
 * remove: {...} }`. Only `add` grants access; `remove` revokes it and is never a finding.
 */
import type { EvaluationContext, TargetAccount } from '../../detection';
import { asList, asString, field, unique } from './read';

export interface PermissionGrants {
  accountIds: string[];
  /** `group: all` was added: anyone can use the resource. */
  isPublic: boolean;
  organizationArns: string[];
  organizationalUnitArns: string[];
}

export function addedGrants(permission: unknown): PermissionGrants {
  const items = asList(field(field(permission, 'add'), 'items'));
  const grants: PermissionGrants = { accountIds: [], isPublic: false, organizationArns: [], organizationalUnitArns: [] };
  for (const item of items) {
    const userId = asString(field(item, 'userId'));
    if (userId) grants.accountIds.push(userId.trim());
    const group = asString(field(item, 'group'));
    if (group?.toLowerCase() === 'all') grants.isPublic = true;
    const org = asString(field(item, 'organizationArn'));
    if (org) grants.organizationArns.push(org);
    const ou = asString(field(item, 'organizationalUnitArn'));
    if (ou) grants.organizationalUnitArns.push(ou);
  }
  grants.accountIds = unique(grants.accountIds);
  return grants;
}

/**
 * The management account named in an organization or OU ARN
 * (`arn:aws:organizations::<management-account>:organization/o-x`, `...:ou/o-x/ou-y`).
 */
export function managementAccountOf(organizationArn: string): string | undefined {
  return /^arn:[^:]+:organizations::([0-9]+):/.exec(organizationArn)?.[1];
}

/**
 * An organization or OU share counts as `organization`: the grant follows membership of an organization. When
 * the config lists the organization's accounts and the ARN's management account is not among them, it is
 * another organization, so `external`.
 */
export function classifyOrganizationShare(
  arn: string,
  owner: string,
  context: EvaluationContext,
): TargetAccount {
  const management = managementAccountOf(arn);
  const knowsOrganization = context.config.organizationAccountIds.length > 0;
  if (management !== undefined && knowsOrganization) {
    const relation = context.relationOf(management, owner).relation;
    if (relation === 'external') return { accountId: arn, relation: 'external' };
  }
  return { accountId: arn, relation: 'organization' };
}

/**
 * Every target a grant reaches, classified, without the owner itself (sharing with yourself moves nothing).
 * Public comes first so a summary can lead with it.
 */
export function grantTargets(grants: PermissionGrants, owner: string, context: EvaluationContext): TargetAccount[] {
  const targets: TargetAccount[] = [];
  if (grants.isPublic) targets.push(context.relationOf('all', owner));
  for (const id of grants.accountIds) targets.push(context.relationOf(id, owner));
  for (const arn of [...grants.organizationArns, ...grants.organizationalUnitArns]) {
    targets.push(classifyOrganizationShare(arn, owner, context));
  }
  return targets.filter((t) => t.relation !== 'self');
}
