import { BlockList } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether a socket's peer address is loopback: 127.0.0.0/8, ::1 or ::ffff:127.x.y.z. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  if (address.startsWith('::ffff:')) return LOOPBACK.check(address.slice(7), 'ipv4');
  return LOOPBACK.check(address, address.includes(':') ? 'ipv6' : 'ipv4');
}
