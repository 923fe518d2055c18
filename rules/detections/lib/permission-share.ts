/**
 * The shape both EC2 permission-list shares have in common (an EBS snapshot's `createVolumePermission`, an AMI's
 * `launchPermission`): a `Modify*Attribute` API call whose `add.items` grant access. The detections differ only in
 * names, so the pattern and the evaluation are written once here.
 */
import { API_CALL, type CloudTrailEvent } from '../../cloudtrail';
import type { EvaluationContext, Hit, ResourceRef } from '../../detection';
import { addedGrants, grantTargets } from './permissions';
import { ownerAccount, requestParameters, stringAt } from './read';
import { describeTargets, isPublicShare, PUBLIC_SHARE, targetIds } from './targets';

export interface PermissionShare {
  eventName: string;
  /** The permission list in requestParameters: `createVolumePermission`, `launchPermission`. */
  permission: string;
  /** Fields of an `add.items[]` entry that grant access (`userId`, `group`, organization ARNs...). */
  grantFields: readonly string[];
  /** The request parameter naming the resource: `snapshotId`, `imageId`. */
  idParameter: string;
  /** Shown when a (failed) call names no resource. */
  missingId: string;
  /** How the summary names the resource: `EBS snapshot`, `AMI`. */
  noun: string;
  publicTitle: string;
  resource(region: string, id: string): ResourceRef;
}

/** Only `add` items grant access: the pattern requires one, so removals are never forwarded. */
export function permissionSharePattern(share: PermissionShare): Record<string, unknown> {
  return {
    source: ['aws.ec2'],
    'detail-type': [API_CALL],
    detail: {
      eventSource: ['ec2.amazonaws.com'],
      eventName: [share.eventName],
      requestParameters: {
        [share.permission]: {
          add: { items: { $or: share.grantFields.map((name) => ({ [name]: [{ exists: true }] })) } },
        },
      },
    },
  };
}

/** One hit per call, listing every target outside the owner; nothing when the call only re-grants the owner. */
export function evaluatePermissionShare(share: PermissionShare, event: CloudTrailEvent, context: EvaluationContext): Hit[] {
  const params = requestParameters(event);
  if (!params) return [];
  const targets = grantTargets(addedGrants(params[share.permission]), ownerAccount(event), context);
  if (targets.length === 0) return [];
  const id = stringAt(params, share.idParameter) ?? share.missingId;
  return [
    {
      ...(isPublicShare(targets) ? { title: share.publicTitle, ...PUBLIC_SHARE } : {}),
      summary: `shared ${share.noun} ${id} with ${describeTargets(targets)}`,
      resources: [share.resource(event.region, id)],
      targets,
      facts: { [share.idParameter]: id, targets: targetIds(targets) },
    },
  ];
}
