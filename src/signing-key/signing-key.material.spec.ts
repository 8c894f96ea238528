import { createHash, generateKeyPairSync, KeyObject } from 'node:crypto';
import { FieldErrors } from '../common/api-error';
import { ImportInput, importMaterial, newHmacMaterial } from './signing-key.material';

const NOTHING: ImportInput = {
  algorithm: null,
  type: null,
  kid: null,
  publicKey: null,
  privateKey: null,
  certificate: null,
  secret: null,
};

const pem = (key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1' | 'spki') =>
  key.export({ type, format: 'pem' } as never).toString();

function read(input: Partial<ImportInput>) {
  const errors = new FieldErrors();
  const material = importMaterial({ ...NOTHING, ...input }, errors);
  const body = errors.has() ? errors.toError().body : undefined;
  return {
    material,
    codes: Object.values(body?.fieldErrors ?? {})
      .flat()
      .map((e) => e.code),
  };
}

describe('importMaterial', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-521' });

  it('infers the algorithm from the curve and takes the RFC 7638 thumbprint as kid', () => {
    const { material, codes } = read({ privateKey: pem(ec.privateKey, 'sec1') });
    expect(codes).toEqual([]);
    const jwk = ec.publicKey.export({ format: 'jwk' });
    const thumbprint = createHash('sha256')
      .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
      .digest('base64url');
    expect(material).toMatchObject({
      algorithm: 'ES512',
      type: 'EC',
      length: 521,
      kid: thumbprint,
      publicKey: pem(ec.publicKey, 'spki'),
      privateKey: pem(ec.privateKey, 'pkcs8'),
      secret: null,
      certificate: null,
    });
  });

  it('keeps a given kid and reads a public key alone', () => {
    const { material } = read({ publicKey: pem(ec.publicKey, 'spki'), kid: 'k1' });
    expect(material).toMatchObject({ kid: 'k1', privateKey: null, algorithm: 'ES512' });
  });

  it.each([
    [{ secret: 'x'.repeat(31) }, ['[tooShort]key.secret']],
    [{ secret: 'x'.repeat(32), type: 'RSA' as const }, ['[invalid]key.type']],
    [{ secret: 'x'.repeat(64), algorithm: 'ES256' as const }, ['[invalid]key.algorithm']],
    [
      { privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' },
      ['[invalid]key.privateKey'],
    ],
    [{ certificate: 'x', publicKey: 'y' }, ['[invalid]key.publicKey', '[invalid]key.certificate']],
    [{}, ['[blank]key.publicKey']],
  ])('refuses %j', (input, codes) => {
    const result = read(input);
    expect(result.material).toBeNull();
    expect(result.codes.sort()).toEqual([...codes].sort());
  });

  it('reads an HMAC secret as given', () => {
    const { material } = read({ secret: 's'.repeat(48), algorithm: 'HS384', kid: 'mine' });
    expect(material).toMatchObject({
      algorithm: 'HS384',
      type: 'HMAC',
      kid: 'mine',
      secret: 's'.repeat(48),
    });
  });
});

describe('newHmacMaterial', () => {
  it.each([
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
  ] as const)(
    'makes an %s secret of %d random bytes and a ten-hex-digit kid',
    (algorithm, bytes) => {
      const material = newHmacMaterial(algorithm);
      expect(Buffer.from(material.secret!, 'base64')).toHaveLength(bytes);
      expect(material.kid).toMatch(/^[0-9a-f]{10}$/);
      expect(newHmacMaterial(algorithm).secret).not.toBe(material.secret);
    },
  );
});
