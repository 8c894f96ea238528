import { BlockList, isIP, SocketAddress } from 'node:net';
import { evictOldest } from '../common/evict-oldest';

/**
 * An IP address as Node's socket layer reads it. An IPv4-mapped IPv6 address
 * (`::ffff:a.b.c.d`, what a dual-stack socket reports for an IPv4 peer) is held as the
 * IPv4 address it maps, so one rule covers both spellings.
 */
export type IpAddress = SocketAddress;

/** How Node writes a mapped address; the dotted quad is the IPv4 address. */
const MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/;

/** The longest plain address: `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`. */
const MAX_ADDRESS_LENGTH = 45;

/**
 * Addresses read lately. Building a SocketAddress costs over a microsecond, twenty times
 * a lookup, and a replica hears the same few peers (its load balancers, keep-alive
 * clients) again and again. First in, first out; short texts only, so it stays small.
 */
const recent = new Map<string, IpAddress | null>();
const RECENT_MAX = 4096;

function read(text: string): IpAddress | null {
  const family = isIP(text);
  if (family === 0 || text.includes('%')) return null;
  if (family === 4) return new SocketAddress({ address: text, family: 'ipv4' });
  const address = new SocketAddress({ address: text, family: 'ipv6' });
  const mapped = MAPPED.exec(address.address);
  return mapped === null ? address : new SocketAddress({ address: mapped[1], family: 'ipv4' });
}

/**
 * A plain IPv4 or IPv6 address (no port, brackets, zone or prefix length), or null.
 * Node refuses leading zeros (`010.0.0.1` reads as octal to some parsers and decimal to
 * others); it accepts a zone (`fe80::1%eth0`), which names an interface, not an address.
 */
export function parseIp(text: string): IpAddress | null {
  if (text.length > MAX_ADDRESS_LENGTH) return null;
  const known = recent.get(text);
  if (known !== undefined) return known;
  const address = read(text);
  evictOldest(recent, RECENT_MAX);
  recent.set(text, address);
  return address;
}

/**
 * Addresses, CIDR blocks and ranges, each family in a list of its own. node:net's
 * BlockList alone would match an IPv4 address against IPv6 subnets through its mapped
 * form (`::/0` would hold every IPv4 address): an IPv6 rule here covers IPv6 peers only,
 * and an IPv4 peer is matched, whichever way its socket spells it, by IPv4 rules.
 */
export class AddressSet {
  private readonly lists = { ipv4: new BlockList(), ipv6: new BlockList() };

  has(address: IpAddress): boolean {
    return this.lists[address.family === 'ipv4' ? 'ipv4' : 'ipv6'].check(address);
  }

  /** Adds an address or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`); false if not one. */
  addCidr(text: string): boolean {
    const [address, bits, extra] = text.split('/');
    if (extra !== undefined || address === undefined) return false;
    const ip = parseIp(address);
    if (ip === null) return false;
    const list = this.listOf(ip);
    if (bits === undefined) {
      list.addAddress(ip);
      return true;
    }
    if (!/^\d{1,3}$/.test(bits)) return false;
    // A mapped address's prefix counts the 96 bits of `::ffff:` in front of the IPv4 ones.
    const mapped = ip.family === 'ipv4' && address.includes(':');
    const prefix = Number(bits) - (mapped ? 96 : 0);
    if (prefix < 0 || prefix > (ip.family === 'ipv4' ? 32 : 128)) return false;
    list.addSubnet(ip, prefix);
    return true;
  }

  /** Adds the inclusive range `start`–`end` (one family, start ≤ end); false if not one. */
  addRange(start: string, end: string): boolean {
    const from = parseIp(start);
    const to = parseIp(end);
    if (from === null || to === null || from.family !== to.family) return false;
    try {
      this.listOf(from).addRange(from, to);
    } catch (error) {
      // node:net refuses a range that ends below its start.
      if ((error as { code?: unknown }).code === 'ERR_INVALID_ARG_VALUE') return false;
      throw error;
    }
    return true;
  }

  private listOf(address: IpAddress): BlockList {
    return this.lists[address.family === 'ipv4' ? 'ipv4' : 'ipv6'];
  }
}

/** The canonical spelling (for logs and tests): dotted quad, or RFC 5952 IPv6. */
export function formatIp(address: IpAddress): string {
  return address.address;
}
