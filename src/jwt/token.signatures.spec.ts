import { createHash } from 'node:crypto';
import { SignedClaims, TokenMemo } from './token.signatures';

const SIGNED: SignedClaims = { claims: {}, keyId: 'key-1', kid: 'kid-1' };

describe('TokenMemo', () => {
  it('keys a token by its SHA-256, never the token itself; the oldest goes first when full', () => {
    const memo = new TokenMemo<string>(2);
    const tokens = ['header.first.sig', 'header.second.sig', 'header.third.sig'];
    const keys = tokens.map((token) => memo.keyOf(token));
    expect(keys[0]).toBe(createHash('sha256').update(tokens[0]).digest('base64url'));
    tokens.forEach((token, i) => memo.remember(keys[i], token, SIGNED));
    expect(memo.size).toBe(2);
    expect(memo.get(keys[0])).toBeUndefined();
    expect(memo.get(keys[2])).toEqual({ value: tokens[2], keyId: 'key-1', kid: 'kid-1' });
    memo.forget(keys[2]);
    expect(memo.get(keys[2])).toBeUndefined();
  });

  it('with no room, makes no key and keeps nothing', () => {
    const memo = new TokenMemo<string>(0);
    const key = memo.keyOf('header.payload.sig');
    expect(key).toBeNull();
    memo.remember(key, 'verified', SIGNED);
    expect(memo.get(key)).toBeUndefined();
    expect(memo.size).toBe(0);
  });
});
