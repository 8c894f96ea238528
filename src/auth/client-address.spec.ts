import { formatIp } from '../ip-acl/ip-address';
import { clientAddress, TrustedProxies } from './client-address';

const NONE = new TrustedProxies([]);
const LOCAL = new TrustedProxies(['127.0.0.1']);
const CHAIN = new TrustedProxies(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);

function resolve(
  socket: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: TrustedProxies,
): string | null {
  const address = clientAddress(socket, forwardedFor, trusted);
  return address === null ? null : formatIp(address);
}

describe('clientAddress', () => {
  it.each<
    [string, string | undefined, string | string[] | undefined, TrustedProxies, string | null]
  >([
    ['the socket peer, without a header', '198.51.100.1', undefined, NONE, '198.51.100.1'],
    [
      'the socket peer, ignoring an untrusted peer’s header',
      '127.0.0.1',
      '203.0.113.7',
      NONE,
      '127.0.0.1',
    ],
    [
      'the socket peer, when another peer is trusted',
      '127.0.0.2',
      '203.0.113.7',
      LOCAL,
      '127.0.0.2',
    ],
    ['the hop a trusted peer reports', '127.0.0.1', '203.0.113.7', LOCAL, '203.0.113.7'],
    ['the right-most untrusted hop', '127.0.0.1', '198.51.100.1, 127.0.0.1', LOCAL, '198.51.100.1'],
    [
      'never a hop the client wrote',
      '127.0.0.1',
      '127.0.0.1, 192.0.2.66, 203.0.113.7',
      LOCAL,
      '203.0.113.7',
    ],
    [
      'through a chain of trusted proxies',
      '10.0.0.2',
      '203.0.113.7,10.1.1.1 , 10.0.0.3',
      CHAIN,
      '203.0.113.7',
    ],
    [
      'the left-most hop, when every hop is trusted',
      '127.0.0.1',
      '10.0.0.9, 10.0.0.8',
      CHAIN,
      '10.0.0.9',
    ],
    ['the trusted peer, for an empty header', '127.0.0.1', '', LOCAL, '127.0.0.1'],
    ['the trusted peer, for a garbage hop', '127.0.0.1', 'unknown', LOCAL, '127.0.0.1'],
    ['the trusted peer, for an empty hop', '127.0.0.1', '203.0.113.7,', LOCAL, '127.0.0.1'],
    [
      'garbage the client wrote left of the answer',
      '127.0.0.1',
      'x<script>, 203.0.113.7',
      LOCAL,
      '203.0.113.7',
    ],
    ['a hop with a port', '127.0.0.1', '203.0.113.7:4711', LOCAL, '203.0.113.7'],
    ['a bracketed IPv6 hop with a port', '127.0.0.1', '[2001:db8::7]:4711', LOCAL, '2001:db8::7'],
    ['a bracketed IPv6 hop', '127.0.0.1', '[2001:db8::7]', LOCAL, '2001:db8::7'],
    ['a bare IPv6 hop', '127.0.0.1', '2001:db8::7', LOCAL, '2001:db8::7'],
    [
      'repeated headers, in order',
      '127.0.0.1',
      ['198.51.100.1', '203.0.113.7'],
      LOCAL,
      '203.0.113.7',
    ],
    [
      'a mapped socket peer, trusted as IPv4',
      '::ffff:127.0.0.1',
      '203.0.113.7',
      LOCAL,
      '203.0.113.7',
    ],
    ['a mapped hop, as IPv4', '127.0.0.1', '::ffff:203.0.113.7', LOCAL, '203.0.113.7'],
    ['an IPv6 trusted proxy', 'fd00::2', '203.0.113.7', CHAIN, '203.0.113.7'],
    [
      'an IPv4 peer under an IPv6 trusted block (::/0 trusts IPv6 peers only)',
      '198.51.100.1',
      '10.0.0.5',
      new TrustedProxies(['::/0']),
      '198.51.100.1',
    ],
    [
      'a mapped IPv4 peer under an IPv6 trusted block',
      '::ffff:198.51.100.1',
      '10.0.0.5',
      new TrustedProxies(['::/0']),
      '198.51.100.1',
    ],
    ['a zoned socket peer', 'fe80::1%eth0', undefined, NONE, 'fe80::1'],
    ['no socket address', undefined, '203.0.113.7', LOCAL, null],
    ['an unreadable socket address', 'nonsense', '203.0.113.7', LOCAL, null],
  ])('%s', (_, socket, forwardedFor, trusted, expected) => {
    expect(resolve(socket, forwardedFor, trusted)).toBe(expected);
  });

  it('ignores a trusted-proxy entry it cannot read', () => {
    expect(resolve('127.0.0.1', '203.0.113.7', new TrustedProxies(['bogus', '127.0.0.1']))).toBe(
      '203.0.113.7',
    );
  });
});
