/**
 * IP addresses and CIDR blocks (IPv4 and IPv6). Addresses are held as arrays of 16-bit groups (2 for IPv4,
 * 8 for IPv6) so both families share one comparison; an IPv4 block never matches an IPv6 address.
 */
import { PatternError } from './errors';

export type IpAddress = readonly number[];

export interface CidrRange {
  readonly low: IpAddress;
  readonly high: IpAddress;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): IpAddress | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const octets = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  if (octets.some((o) => o > 255)) return undefined;
  const [a = 0, b = 0, c = 0, d = 0] = octets;
  return [(a << 8) | b, (c << 8) | d];
}

function parseIpv6(text: string): IpAddress | undefined {
  if (!text.includes(':') || text.length > 39) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    if (!groups.every((g) => IPV6_GROUP.test(g))) return undefined;
    return groups.map((g) => parseInt(g, 16));
  };
  const head = parseGroups(halves[0] ?? '');
  if (!head) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const tail = parseGroups(halves[1] ?? '');
  if (!tail || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** The address an IPv4 or IPv6 literal names, or undefined when the text is not one. */
export function parseIp(text: string): IpAddress | undefined {
  return parseIpv4(text) ?? parseIpv6(text);
}

/**
 * A CIDR block as event-ruler builds it: from the address as written up to that address with all host bits
 * set. (event-ruler does not clear host bits, so "10.0.0.5/24" covers 10.0.0.5-10.0.0.255; it also refuses
 * /32 for IPv4 and /128 for IPv6.)
 */
export function parseCidr(text: unknown, path: string): CidrRange {
  if (typeof text !== 'string') throw new PatternError('cidr match pattern must be a string', path);
  const parts = text.split('/');
  if (parts.length !== 2) throw new PatternError(`malformed CIDR "${text}": exactly one "/" is required`, path);
  const [addressText = '', bitsText = ''] = parts;
  if (!/^\+?\d+$/.test(bitsText)) {
    throw new PatternError(`malformed CIDR "${text}": mask bits must be a non-negative integer`, path);
  }
  const bits = Number(bitsText);
  const address = parseIp(addressText);
  if (!address) throw new PatternError(`invalid IP address "${addressText}" in CIDR`, path);
  const totalBits = address.length * 16;
  if (bits >= totalBits) {
    throw new PatternError(`${totalBits === 32 ? 'IPv4' : 'IPv6'} mask bits must be < ${totalBits}, got ${bits}`, path);
  }
  const high = address.map((group, i) => {
    const hostBits = Math.min(16, Math.max(0, (i + 1) * 16 - bits));
    return group | ((1 << hostBits) - 1);
  });
  return { low: address, high };
}

function compare(a: IpAddress, b: IpAddress): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function inCidr(range: CidrRange, address: IpAddress): boolean {
  return address.length === range.low.length && compare(address, range.low) >= 0 && compare(address, range.high) <= 0;
}

export function sameIp(a: IpAddress, b: IpAddress): boolean {
  return a.length === b.length && compare(a, b) === 0;
}
