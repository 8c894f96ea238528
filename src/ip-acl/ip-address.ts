/**
 * IP addresses as numbers, so ranges compare with `<=`. An IPv4 address is a 32-bit
 * value of family 4, an IPv6 address a 128-bit value of family 6; an IPv4-mapped IPv6
 * address (`::ffff:a.b.c.d`, what a dual-stack socket reports for an IPv4 peer) is the
 * IPv4 address it maps, so one rule covers both spellings.
 */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/** An inclusive range of one family. */
export interface IpRange {
  readonly family: 4 | 6;
  readonly start: bigint;
  readonly end: bigint;
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
// Leading zeros are refused: `010.0.0.1` reads as octal to some parsers and decimal to others.
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const HEXTET = /^[0-9a-fA-F]{1,4}$/;
const IPV4_MASK = 0xffff_ffffn;

function ipv4Value(text: string): bigint | null {
  if (!IPV4.test(text)) return null;
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(octet), 0n);
}

/** The 16-bit groups of one side of `::`; a trailing dotted quad counts as two. */
function hextets(side: string, allowDottedTail: boolean): number[] | null {
  if (side === '') return [];
  const parts = side.split(':');
  const groups: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (allowDottedTail && index === parts.length - 1 && part.includes('.')) {
      const quad = ipv4Value(part);
      if (quad === null) return null;
      groups.push(Number(quad >> 16n), Number(quad & 0xffffn));
    } else if (HEXTET.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return null;
    }
  }
  return groups;
}

function ipv6Value(text: string): bigint | null {
  if (text.length > 45) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const compressed = halves.length === 2;
  const head = hextets(halves[0], !compressed);
  const tail = compressed ? hextets(halves[1], true) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (compressed ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/** A plain IPv4 or IPv6 address (no port, brackets, zone or prefix length), or null. */
export function parseIp(text: string): IpAddress | null {
  if (!text.includes(':')) {
    const value = ipv4Value(text);
    return value === null ? null : { family: 4, value };
  }
  const value = ipv6Value(text);
  if (value === null) return null;
  if (value >> 32n === 0xffffn) return { family: 4, value: value & IPV4_MASK };
  return { family: 6, value };
}

/** An address or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`) as a range, or null. */
export function parseCidr(text: string): IpRange | null {
  const [address, bits, extra] = text.split('/');
  if (extra !== undefined || address === undefined) return null;
  const ip = parseIp(address);
  if (ip === null) return null;
  if (bits === undefined) return { family: ip.family, start: ip.value, end: ip.value };
  if (!/^\d{1,3}$/.test(bits)) return null;
  // A mapped address's prefix counts the 96 bits of `::ffff:` in front of the IPv4 ones.
  const mapped = ip.family === 4 && address.includes(':');
  const width = ip.family === 4 ? 32 : 128;
  const prefix = Number(bits) - (mapped ? 96 : 0);
  if (prefix < 0 || prefix > width) return null;
  const hostBits = BigInt(width - prefix);
  const start = (ip.value >> hostBits) << hostBits;
  return { family: ip.family, start, end: start | ((1n << hostBits) - 1n) };
}

export function inRange(range: IpRange, address: IpAddress): boolean {
  return (
    range.family === address.family && range.start <= address.value && address.value <= range.end
  );
}

/** Whether two addresses are the same, whatever the spelling. */
export function sameIp(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.value === b.value;
}

/** The canonical spelling (for logs and tests): dotted quad, or RFC 5952 IPv6. */
export function formatIp(address: IpAddress): string {
  if (address.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join('.');
  }
  const groups = [...Array(8).keys()].map((index) =>
    Number((address.value >> BigInt((7 - index) * 16)) & 0xffffn),
  );
  let best = { at: -1, length: 1 };
  for (let at = 0; at < 8; at++) {
    let length = 0;
    while (at + length < 8 && groups[at + length] === 0) length++;
    if (length > best.length) best = { at, length };
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}
