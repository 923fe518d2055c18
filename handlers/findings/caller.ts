/**
 * Who called, in ASFF terms: `AwsApiCallAction.CallerType` is `remoteip` (with `RemoteIpDetails`) or `domain`
 * (with `DomainDetails`). CloudTrail's `sourceIPAddress` is not always an address: service calls carry the
 * service's name (`s3.amazonaws.com`), console calls may show `AWS Internal`, and documentation samples
 * contain impossible addresses (`12.345.123.45`). Only a valid address becomes `RemoteIpDetails`; the raw value
 * always stays in ProductFields.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { AwsApiCallAction } from '@aws-sdk/client-securityhub';
import type { Actor } from '../../rules/signal';
import { LIMITS } from './limits';

export type CallerDetails = Pick<AwsApiCallAction, 'CallerType' | 'RemoteIpDetails' | 'DomainDetails'>;

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/iu;

export function isDnsName(value: string): boolean {
  return value.length <= LIMITS.domain && DNS_NAME.test(value);
}

export function callerDetails(actor: Pick<Actor, 'sourceIp' | 'invokedBy'>): CallerDetails {
  const source = actor.sourceIp?.trim();
  if (source && isIPv4(source)) return { CallerType: 'remoteip', RemoteIpDetails: { IpAddressV4: source } };
  // ASFF has no IPv6 field in RemoteIpDetails: say it was an address, keep the address in ProductFields.
  if (source && isIPv6(source)) return { CallerType: 'remoteip' };
  if (source && isDnsName(source)) return { CallerType: 'domain', DomainDetails: { Domain: source } };
  const service = actor.invokedBy?.trim();
  if (service && isDnsName(service)) return { CallerType: 'domain', DomainDetails: { Domain: service } };
  return {};
}
