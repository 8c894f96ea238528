import fc from 'fast-check';
import { isIP } from 'node:net';
import { formatIp, inRange, parseCidr, parseIp } from './ip-address';

describe('parseIp', () => {
  it.each<[string, 4 | 6, bigint]>([
    ['0.0.0.0', 4, 0n],
    ['127.0.0.1', 4, 0x7f000001n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['203.0.113.7', 4, 0xcb007107n],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['2001:db8::1', 6, 0x20010db8000000000000000000000001n],
    ['2001:DB8:0:0:0:0:0:1', 6, 0x20010db8000000000000000000000001n],
    ['fe80::', 6, 0xfe800000000000000000000000000000n],
    ['1:2:3:4:5:6:7::', 6, 0x00010002000300040005000600070000n],
    ['::ffff:0:1', 4, 1n],
    ['64:ff9b::192.0.2.33', 6, 0x0064ff9b0000000000000000c0000221n],
    ['1:2:3:4:5:6:1.2.3.4', 6, 0x00010002000300040005000601020304n],
  ])('reads %s', (text, family, value) => {
    expect(parseIp(text)).toEqual({ family, value });
  });

  it.each(['::ffff:127.0.0.1', '::FFFF:7f00:1', '0:0:0:0:0:ffff:127.0.0.1'])(
    'reads the IPv4-mapped %s as IPv4',
    (text) => {
      expect(parseIp(text)).toEqual({ family: 4, value: 0x7f000001n });
    },
  );

  it.each([
    '',
    '*',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '01.2.3.4',
    '1.2.3.4 ',
    ' 1.2.3.4',
    '1.2.3.-4',
    '1.2.3.4/32',
    '1.2.3.4:80',
    '[::1]',
    ':::',
    '1::2::3',
    '12345::',
    'g::',
    ':1::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8::',
    '1.2.3.4::',
    '::1.2.3',
    'fe80::1%eth0',
    'localhost',
  ])('refuses %j', (text) => {
    expect(parseIp(text)).toBeNull();
  });

  it('agrees with node:net on what is an address (zones aside)', () => {
    const candidate = fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.ipV4Extended(),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef:.'), maxLength: 45 }),
    );
    fc.assert(
      fc.property(candidate, (text) => {
        expect(parseIp(text) !== null).toBe(isIP(text) !== 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back what formatIp writes, for any address', () => {
    const address = fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 32n - 1n }).map((value) => ({ family: 4 as const, value })),
      fc
        .bigInt({ min: 0n, max: 2n ** 128n - 1n })
        .filter((value) => value >> 32n !== 0xffffn)
        .map((value) => ({ family: 6 as const, value })),
    );
    fc.assert(
      fc.property(address, (ip) => {
        const text = formatIp(ip);
        expect(isIP(text)).toBe(ip.family);
        expect(parseIp(text)).toEqual(ip);
      }),
    );
  });
});

describe('formatIp', () => {
  it.each(['0.0.0.0', '10.1.2.3', '::', '::1', '2001:db8::1', '1:0:0:1::1', 'fe80::1:0:0:1'])(
    'writes %s canonically',
    (text) => {
      expect(formatIp(parseIp(text)!)).toBe(text);
    },
  );
});

describe('parseCidr', () => {
  it.each<[string, string, string]>([
    ['10.0.0.0/8', '10.0.0.0', '10.255.255.255'],
    ['10.1.2.3/8', '10.0.0.0', '10.255.255.255'],
    ['192.168.1.7', '192.168.1.7', '192.168.1.7'],
    ['192.168.1.7/32', '192.168.1.7', '192.168.1.7'],
    ['0.0.0.0/0', '0.0.0.0', '255.255.255.255'],
    ['2001:db8::/32', '2001:db8::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['::1/128', '::1', '::1'],
    ['::ffff:10.0.0.0/104', '10.0.0.0', '10.255.255.255'],
  ])('reads %s as %s – %s', (text, start, end) => {
    const range = parseCidr(text)!;
    expect(range).not.toBeNull();
    expect([
      formatIp({ family: range.family, value: range.start }),
      formatIp({ family: range.family, value: range.end }),
    ]).toEqual([start, end]);
  });

  it.each([
    '10.0.0.0/33',
    '10.0.0.0/-1',
    '10.0.0.0/',
    '10.0.0.0/8/8',
    '::/129',
    '::ffff:1.2.3.4/95',
    'x/8',
  ])('refuses %s', (text) => {
    expect(parseCidr(text)).toBeNull();
  });
});

describe('inRange', () => {
  const block = parseCidr('203.0.113.0/24')!;

  it.each<[string, boolean]>([
    ['203.0.113.0', true],
    ['203.0.113.255', true],
    ['::ffff:203.0.113.9', true],
    ['203.0.112.255', false],
    ['203.0.114.0', false],
    ['::cb00:7109', false],
  ])('%s in 203.0.113.0/24 → %s', (text, expected) => {
    expect(inRange(block, parseIp(text)!)).toBe(expected);
  });
});
