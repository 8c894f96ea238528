import fc from 'fast-check';
import { isIP } from 'node:net';
import { AddressSet, formatIp, parseIp } from './ip-address';

describe('parseIp', () => {
  it.each<[string, 'ipv4' | 'ipv6', string]>([
    ['0.0.0.0', 'ipv4', '0.0.0.0'],
    ['127.0.0.1', 'ipv4', '127.0.0.1'],
    ['255.255.255.255', 'ipv4', '255.255.255.255'],
    ['203.0.113.7', 'ipv4', '203.0.113.7'],
    ['::', 'ipv6', '::'],
    ['::1', 'ipv6', '::1'],
    ['2001:db8::1', 'ipv6', '2001:db8::1'],
    ['2001:DB8:0:0:0:0:0:1', 'ipv6', '2001:db8::1'],
    ['fe80::', 'ipv6', 'fe80::'],
    ['1:2:3:4:5:6:7::', 'ipv6', '1:2:3:4:5:6:7:0'],
    ['::ffff:0:1', 'ipv4', '0.0.0.1'],
    ['64:ff9b::192.0.2.33', 'ipv6', '64:ff9b::c000:221'],
    ['1:2:3:4:5:6:1.2.3.4', 'ipv6', '1:2:3:4:5:6:102:304'],
  ])('reads %s', (text, family, canonical) => {
    const address = parseIp(text)!;
    expect([address.family, formatIp(address)]).toEqual([family, canonical]);
  });

  it.each(['::ffff:127.0.0.1', '::FFFF:7f00:1', '0:0:0:0:0:ffff:127.0.0.1'])(
    'reads the IPv4-mapped %s as IPv4',
    (text) => {
      const address = parseIp(text)!;
      expect([address.family, formatIp(address)]).toEqual(['ipv4', '127.0.0.1']);
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

  it('reads back what formatIp writes, for any address', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        const address = parseIp(text)!;
        const written = formatIp(address);
        expect(isIP(written)).toBe(address.family === 'ipv4' ? 4 : 6);
        expect(formatIp(parseIp(written)!)).toBe(written);
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

/** Whether each address is in the list. */
function inList(set: AddressSet, addresses: string[]): boolean[] {
  return addresses.map((address) => set.has(parseIp(address)!));
}

describe('addCidr', () => {
  it.each<[string, string[], string[]]>([
    ['10.0.0.0/8', ['10.0.0.0', '10.255.255.255'], ['9.255.255.255', '11.0.0.0']],
    ['10.1.2.3/8', ['10.0.0.0', '10.255.255.255'], ['9.255.255.255', '11.0.0.0']],
    ['192.168.1.7', ['192.168.1.7', '::ffff:192.168.1.7'], ['192.168.1.6', '192.168.1.8']],
    ['192.168.1.7/32', ['192.168.1.7'], ['192.168.1.6', '192.168.1.8']],
    ['0.0.0.0/0', ['0.0.0.0', '255.255.255.255'], ['::', '::1']],
    [
      '2001:db8::/32',
      ['2001:db8::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
      ['2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', '2001:db9::'],
    ],
    ['::1/128', ['::1'], ['::', '::2', '0.0.0.1']],
    // An IPv6 block holds IPv6 peers only, not IPv4 ones in their mapped spelling.
    ['::/0', ['::', '2001:db8::1'], ['203.0.113.7', '::ffff:203.0.113.7', '0.0.0.0']],
    ['::/64', ['::1'], ['198.51.100.1', '0.0.0.1']],
    ['::ffff:10.0.0.0/104', ['10.0.0.0', '10.255.255.255'], ['9.255.255.255', '11.0.0.0']],
  ])('reads %s: in %j, not in %j', (text, inside, outside) => {
    const list = new AddressSet();
    expect(list.addCidr(text)).toBe(true);
    expect(inList(list, inside)).toEqual(inside.map(() => true));
    expect(inList(list, outside)).toEqual(outside.map(() => false));
  });

  it.each([
    '10.0.0.0/33',
    '10.0.0.0/-1',
    '10.0.0.0/',
    '10.0.0.0/8/8',
    '::/129',
    '::ffff:1.2.3.4/95',
    'x/8',
    '010.0.0.0/8',
  ])('refuses %s', (text) => {
    expect(new AddressSet().addCidr(text)).toBe(false);
  });
});

describe('addRange', () => {
  it.each<[string, string, string[], string[]]>([
    [
      '203.0.113.0',
      '203.0.113.255',
      ['203.0.113.0', '203.0.113.255', '::ffff:203.0.113.9'],
      ['203.0.112.255', '203.0.114.0', '::cb00:7109'],
    ],
    ['::ffff:10.0.0.1', '10.0.0.9', ['10.0.0.1', '10.0.0.9'], ['10.0.0.0', '10.0.0.10']],
    ['2001:db8::', '2001:db8::ffff', ['2001:db8::abcd'], ['2001:db8::1:0', '0.0.0.1']],
    ['127.0.0.1', '127.0.0.1', ['127.0.0.1', '::ffff:127.0.0.1'], ['127.0.0.2', '::1']],
  ])('reads %s – %s', (start, end, inside, outside) => {
    const list = new AddressSet();
    expect(list.addRange(start, end)).toBe(true);
    expect(inList(list, inside)).toEqual(inside.map(() => true));
    expect(inList(list, outside)).toEqual(outside.map(() => false));
  });

  it.each<[string, string]>([
    ['10.0.0.2', '10.0.0.1'],
    ['10.0.0.1', '::1'],
    ['::2', '::1'],
    ['nope', '10.0.0.1'],
    ['10.0.0.1', ''],
  ])('refuses %s – %s', (start, end) => {
    expect(new AddressSet().addRange(start, end)).toBe(false);
  });
});
