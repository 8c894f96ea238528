import { AddressSet, IpAddress, parseIp } from '../ip-acl/ip-address';

/** A link-local peer carries its interface (`fe80::1%eth0`); the address is what counts. */
function withoutZone(text: string): string {
  const zone = text.indexOf('%');
  return zone < 0 ? text : text.slice(0, zone);
}

/** The proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`), compiled once. */
export class TrustedProxies {
  private readonly ranges = new AddressSet();

  constructor(entries: readonly string[]) {
    for (const entry of entries) this.ranges.addCidr(withoutZone(entry));
  }

  has(address: IpAddress): boolean {
    return this.ranges.has(address);
  }
}

const BRACKETED = /^\[([^\]]{1,64})\](?::\d{1,5})?$/;
const IPV4_WITH_PORT = /^([\d.]{7,15}):\d{1,5}$/;

/** One `X-Forwarded-For` hop: an address, optionally with a port as some proxies add. */
function parseHop(text: string): IpAddress | null {
  const bracketed = BRACKETED.exec(text);
  if (bracketed) return parseIp(bracketed[1]);
  const withPort = IPV4_WITH_PORT.exec(text);
  return parseIp(withPort ? withPort[1] : text);
}

/**
 * The address a request comes from, for IP access control lists. It is the socket's
 * peer, unless that peer is a trusted proxy: then `X-Forwarded-For` is read from the
 * right (each proxy appends the address it received from), skipping trusted proxies,
 * and the first address that is not one is the client. Hops left of it were written by
 * the client and are never read. A hop that is not an address means the chain cannot be
 * followed: the socket peer stands. Every hop trusted: the left-most one. Null when the
 * socket has no readable peer address (the caller refuses).
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: TrustedProxies,
): IpAddress | null {
  const peer = socketAddress === undefined ? null : parseIp(withoutZone(socketAddress));
  if (peer === null || forwardedFor === undefined || !trusted.has(peer)) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  let furthest = peer;
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = parseHop(hops[index].trim());
    if (hop === null) return peer;
    if (!trusted.has(hop)) return hop;
    furthest = hop;
  }
  return furthest;
}
