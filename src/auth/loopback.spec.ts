import { isLoopback } from './loopback';

describe('isLoopback', () => {
  it.each<[string | undefined, boolean]>([
    ['127.0.0.1', true],
    ['127.9.9.9', true],
    ['127.255.255.255', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:127.1.2.3', true],
    ['10.0.0.1', false],
    ['128.0.0.1', false],
    ['126.255.255.255', false],
    ['::2', false],
    ['::ffff:10.0.0.1', false],
    ['192.168.1.10', false],
    [undefined, false],
  ])('%s → %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});
