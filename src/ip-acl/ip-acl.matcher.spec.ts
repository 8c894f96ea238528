import { IpAclEntry, IpAclMatcher } from './ip-acl.matcher';
import { parseIp } from './ip-address';

const allowAll: IpAclEntry = { action: 'Allow', startIPAddress: '*' };
const blockAll: IpAclEntry = { action: 'Block', startIPAddress: '*' };

function range(action: 'Allow' | 'Block', start: string, end = start): IpAclEntry {
  return { action, startIPAddress: start, endIPAddress: end };
}

function allows(entries: IpAclEntry[], address: string): boolean {
  return IpAclMatcher.compile(entries).allows(parseIp(address));
}

describe('IpAclMatcher', () => {
  it.each<[string, IpAclEntry[], string, boolean]>([
    ['the default allows', [allowAll], '198.51.100.1', true],
    ['the default blocks', [blockAll], '198.51.100.1', false],
    ['a blocked single address', [allowAll, range('Block', '127.0.0.1')], '127.0.0.1', false],
    ['next to a blocked address', [allowAll, range('Block', '127.0.0.1')], '127.0.0.2', true],
    [
      'an allowed range, inside',
      [blockAll, range('Allow', '10.0.0.0', '10.255.255.255')],
      '10.20.30.40',
      true,
    ],
    [
      'an allowed range, first',
      [blockAll, range('Allow', '10.0.0.0', '10.255.255.255')],
      '10.0.0.0',
      true,
    ],
    [
      'an allowed range, last',
      [blockAll, range('Allow', '10.0.0.0', '10.255.255.255')],
      '10.255.255.255',
      true,
    ],
    [
      'an allowed range, below',
      [blockAll, range('Allow', '10.0.0.0', '10.255.255.255')],
      '9.255.255.255',
      false,
    ],
    [
      'an allowed range, above',
      [blockAll, range('Allow', '10.0.0.0', '10.255.255.255')],
      '11.0.0.0',
      false,
    ],
    ['an IPv6 block', [allowAll, range('Block', '::1')], '::1', false],
    [
      'an IPv6 range',
      [blockAll, range('Allow', '2001:db8::', '2001:db8::ffff')],
      '2001:db8::abcd',
      true,
    ],
    [
      'an IPv6 range, above',
      [blockAll, range('Allow', '2001:db8::', '2001:db8::ffff')],
      '2001:db8::1:0',
      false,
    ],
    [
      'a mapped address against an IPv4 entry',
      [allowAll, range('Block', '127.0.0.1')],
      '::ffff:127.0.0.1',
      false,
    ],
    [
      'an IPv4 address against a mapped entry',
      [allowAll, range('Block', '::ffff:127.0.0.1')],
      '127.0.0.1',
      false,
    ],
    // 0.0.0.1 and ::1 are both the number 1: families keep them apart.
    [
      'an IPv4 address against an IPv6 range of equal value',
      [allowAll, range('Block', '::1')],
      '0.0.0.1',
      true,
    ],
    [
      'an IPv6 address against an IPv4 range of equal value',
      [allowAll, range('Block', '0.0.0.1')],
      '::1',
      true,
    ],
    [
      'the first matching entry, an exception listed first',
      [blockAll, range('Allow', '10.0.0.5'), range('Block', '10.0.0.0', '10.0.0.255')],
      '10.0.0.5',
      true,
    ],
    [
      'the first matching entry, a wider block listed first',
      [blockAll, range('Block', '10.0.0.0', '10.0.0.255'), range('Allow', '10.0.0.5')],
      '10.0.0.5',
      false,
    ],
    [
      'the default, wherever it is listed',
      [range('Block', '10.0.0.1'), allowAll],
      '10.0.0.2',
      true,
    ],
  ])('%s', (_, entries, address, expected) => {
    expect(allows(entries, address)).toBe(expected);
  });

  it('refuses an address it cannot read', () => {
    expect(IpAclMatcher.compile([allowAll]).allows(null)).toBe(false);
  });

  it.each<[string, IpAclEntry[]]>([
    ['no default', [range('Allow', '10.0.0.1')]],
    ['two defaults', [allowAll, allowAll]],
    ['an unreadable address', [allowAll, range('Block', 'nope')]],
    ['a range that ends before it starts', [allowAll, range('Block', '10.0.0.2', '10.0.0.1')]],
    ['a range across families', [allowAll, range('Block', '10.0.0.1', '::1')]],
    ['a range without an end', [allowAll, { action: 'Block', startIPAddress: '10.0.0.1' }]],
  ])('refuses everyone for a list that does not compile: %s', (_, entries) => {
    const matcher = IpAclMatcher.compile(entries);
    expect(matcher.allows(parseIp('10.0.0.1'))).toBe(false);
    expect(matcher.allows(parseIp('192.0.2.1'))).toBe(false);
  });
});
