import { ValueCipher } from './value-cipher';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const NEXT = 'the-next-secret-of-at-least-32-characters';

describe('ValueCipher', () => {
  const cipher = new ValueCipher([SECRET]);

  it('seals a value that opens with the same secret and associated data', () => {
    const sealed = cipher.seal('my-api-key-value', 'row-1');
    expect(sealed).toMatch(/^pc1\.[0-9a-f]{8}\./);
    expect(sealed).not.toContain('my-api-key-value');
    expect(ValueCipher.looksSealed(sealed)).toBe(true);
    expect(cipher.open(sealed, 'row-1')).toBe('my-api-key-value');
  });

  it('uses a new nonce each time', () => {
    expect(cipher.seal('same', 'row-1')).not.toBe(cipher.seal('same', 'row-1'));
  });

  it('does not open under another row, another secret, or once tampered with', () => {
    const sealed = cipher.seal('my-api-key-value', 'row-1');
    expect(cipher.open(sealed, 'row-2')).toBeNull();
    expect(new ValueCipher([NEXT]).open(sealed, 'row-1')).toBeNull();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    parts[3] = body.toString('base64url');
    expect(cipher.open(parts.join('.'), 'row-1')).toBeNull();
    expect(cipher.open('plain-text-value', 'row-1')).toBeNull();
  });

  it('opens with a previous secret and seals with the current one (rotation)', () => {
    const old = cipher.seal('kept', 'row-1');
    const rotated = new ValueCipher([NEXT, SECRET]);
    expect(rotated.open(old, 'row-1')).toBe('kept');
    expect(rotated.sealedWithCurrent(old)).toBe(false);
    const again = rotated.seal('kept', 'row-1');
    expect(rotated.sealedWithCurrent(again)).toBe(true);
    expect(new ValueCipher([NEXT]).open(again, 'row-1')).toBe('kept');
  });

  it('cannot seal without a secret', () => {
    const none = new ValueCipher([]);
    expect(none.available).toBe(false);
    expect(() => none.seal('x', 'row')).toThrow();
  });
});
