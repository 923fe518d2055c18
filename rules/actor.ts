/** Who made a CloudTrail call, reduced to what findings and baselines key on. */
import type { CloudTrailRecord } from './cloudtrail';
import type { Actor } from './signal';

/**
 * The stable principal: for an assumed role, the role (session names churn with every assumption, so keying on
 * the session would make every session a new principal); else the identity ARN; else what the record has.
 */
export function principalOf(record: CloudTrailRecord): string {
  const identity = record.userIdentity;
  if (!identity) return 'unknown';
  const issuer = identity.sessionContext?.sessionIssuer;
  if (identity.type === 'AssumedRole' && issuer?.arn) return issuer.arn;
  if (identity.arn) return identity.arn;
  if (identity.type === 'AWSAccount' && identity.accountId) return `account:${identity.accountId}`;
  if (identity.type === 'AWSService' && identity.invokedBy) return `service:${identity.invokedBy}`;
  if (identity.invokedBy) return `service:${identity.invokedBy}`;
  if (identity.principalId) return identity.principalId;
  return identity.type ?? 'unknown';
}

export function actorOf(record: CloudTrailRecord): Actor {
  const identity = record.userIdentity;
  const actor: Actor = { principal: principalOf(record) };
  if (identity?.type) actor.type = identity.type;
  if (identity?.arn) actor.arn = identity.arn;
  if (identity?.accountId) actor.accountId = identity.accountId;
  const userName = identity?.userName ?? identity?.sessionContext?.sessionIssuer?.userName;
  if (userName) actor.userName = userName;
  if (identity?.accessKeyId) actor.accessKeyId = identity.accessKeyId;
  if (identity?.invokedBy) actor.invokedBy = identity.invokedBy;
  if (record.sourceIPAddress) actor.sourceIp = record.sourceIPAddress;
  if (record.userAgent) actor.userAgent = record.userAgent;
  return actor;
}
