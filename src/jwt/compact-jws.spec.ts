import fc from 'fast-check';
import { errors, jwtVerify, SignJWT } from 'jose';
import { createSecretKey, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import {
  checkClaims,
  ClaimsRefusal,
  hmacHashOf,
  hmacSignatureMatches,
  parseCompact,
} from './compact-jws';

const segment = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

async function signed(alg: string, secret: KeyObject, claims: Record<string, unknown> = {}) {
  return new SignJWT(claims).setProtectedHeader({ alg, kid: 'k' }).sign(secret);
}

function hmacVerdict(token: string, secret: KeyObject, alg = 'HS256'): boolean {
  const jws = parseCompact(token);
  return jws !== null && hmacSignatureMatches(jws, hmacHashOf(alg)!, secret);
}

describe('parseCompact', () => {
  it('splits a compact JWS into its header, signing input, payload and signature', () => {
    const token = `${segment({ alg: 'HS256', kid: 'k' })}.${segment({ sub: 'x' })}.c2ln`;
    expect(parseCompact(token)).toEqual({
      header: { alg: 'HS256', kid: 'k' },
      signingInput: token.slice(0, token.lastIndexOf('.')),
      payload: segment({ sub: 'x' }),
      signature: 'c2ln',
    });
  });

  it.each([
    ['one part', 'garbage'],
    ['two parts', `${segment({ alg: 'HS256' })}.${segment({})}`],
    ['four parts', `${segment({ alg: 'HS256' })}.${segment({})}.c2ln.x`],
    ['empty parts', '..'],
    ['a header that is not JSON', `${segment('{not json')}.${segment({})}.c2ln`],
    ['a header that is an array', `${segment([1])}.${segment({})}.c2ln`],
    ['a header that is null', `${segment('null')}.${segment({})}.c2ln`],
    ['a header that is a string', `${segment('"HS256"')}.${segment({})}.c2ln`],
    ['a header in plain base64 (+ and /)', `eyJhbGciOiJIUzI1NiJ9+/.${segment({})}.c2ln`],
    ['a padded signature', `${segment({ alg: 'HS256' })}.${segment({})}.c2ln==`],
    ['a signature with a space', `${segment({ alg: 'HS256' })}.${segment({})}.c2 ln`],
  ])('refuses %s', (_name, token) => {
    expect(parseCompact(token)).toBeNull();
  });

  it('parses a header seen before once, and hands it out frozen all the way down', () => {
    const head = segment({ alg: 'HS256', kid: 'k', gty: ['client_credentials'] });
    const first = parseCompact(`${head}.${segment({ sub: 'a' })}.c2ln`)!;
    const second = parseCompact(`${head}.${segment({ sub: 'b' })}.c2ln`)!;
    expect(second.header).toBe(first.header);
    expect(Object.isFrozen(first.header)).toBe(true);
    expect(Object.isFrozen(first.header.gty)).toBe(true);
    expect(() => {
      (first.header as Record<string, unknown>).alg = 'none';
    }).toThrow(TypeError);
    expect(second.payload).toBe(segment({ sub: 'b' }));
  });

  it('gives every header its own parse however many others came between', () => {
    // More distinct headers than are remembered: each still reads as itself.
    const heads = Array.from({ length: 200 }, (_, i) => ({ alg: 'HS256', kid: `k${i}` }));
    for (const head of heads) parseCompact(`${segment(head)}.${segment({})}.c2ln`);
    for (const head of heads)
      expect(parseCompact(`${segment(head)}.${segment({})}.c2ln`)!.header).toEqual(head);
  });
});

describe('hmacHashOf', () => {
  it('names the hash of the three HMAC algorithms and no other', () => {
    expect(['HS256', 'HS384', 'HS512'].map(hmacHashOf)).toEqual(['sha256', 'sha384', 'sha512']);
    for (const other of ['RS256', 'ES256', 'EdDSA', 'none', 'hs256', 'toString', '__proto__'])
      expect(hmacHashOf(other)).toBeNull();
  });
});

describe('hmacSignatureMatches', () => {
  const secret = createSecretKey(randomBytes(64));

  it.each(['HS256', 'HS384', 'HS512'])('accepts what jose signed with %s', async (alg) => {
    const token = await signed(alg, secret, { sub: 'x' });
    expect(hmacVerdict(token, secret, alg)).toBe(true);
  });

  it('refuses another secret, another hash, changed claims and a changed header', async () => {
    const token = await signed('HS256', secret, { sub: 'x' });
    const [head, , signature] = token.split('.');
    expect(hmacVerdict(token, createSecretKey(randomBytes(64)))).toBe(false);
    expect(hmacVerdict(token, secret, 'HS512')).toBe(false);
    expect(hmacVerdict(`${head}.${segment({ sub: 'y' })}.${signature}`, secret)).toBe(false);
    const otherHead = segment({ alg: 'HS256', kid: 'other' });
    expect(hmacVerdict(`${otherHead}.${token.split('.')[1]}.${signature}`, secret)).toBe(false);
  });

  it('refuses a second spelling of the same signature bytes, which jose would accept', async () => {
    const token = await signed('HS256', secret, { sub: 'x' });
    // 32 bytes are 43 base64url characters; the last one's two low bits are padding.
    const last = token.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = token.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
    expect(Buffer.from(respelled.split('.')[2], 'base64url')).toEqual(
      Buffer.from(token.split('.')[2], 'base64url'),
    );
    await expect(jwtVerify(respelled, secret)).resolves.toBeDefined();
    expect(hmacVerdict(respelled, secret)).toBe(false);
  });

  it('refuses a truncated or empty signature without throwing', async () => {
    const token = await signed('HS256', secret);
    expect(hmacVerdict(token.slice(0, -1), secret)).toBe(false);
    expect(hmacVerdict(token.slice(0, token.lastIndexOf('.') + 1), secret)).toBe(false);
  });

  it('never takes a public key as an HMAC secret', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await signed('HS256', secret);
    expect(hmacVerdict(token, publicKey)).toBe(false);
  });
});

/** jose's verdict on the same claims, in this module's words. */
async function joseVerdict(
  claims: Record<string, unknown>,
  requiredClaims: string[],
  tolerance: number,
  now: number,
): Promise<'accepted' | ClaimsRefusal> {
  const secret = createSecretKey(Buffer.alloc(32, 7));
  const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secret);
  try {
    await jwtVerify(token, secret, {
      requiredClaims,
      clockTolerance: tolerance,
      currentDate: new Date(now * 1000),
    });
    return 'accepted';
  } catch (error) {
    if (error instanceof errors.JWTExpired) return 'expired';
    if (error instanceof errors.JWTClaimValidationFailed)
      return error.claim === 'nbf' && error.reason === 'check_failed' ? 'not_yet_valid' : 'claims';
    return 'malformed';
  }
}

describe('checkClaims', () => {
  const now = 1_800_000_000;
  const rules = { requiredClaims: ['exp', 'sub'], clockToleranceSeconds: 5, now };

  it('returns the claims set when it holds', () => {
    const claims = { sub: 'x', exp: now + 60, iat: now, nbf: now, extra: [1] };
    expect(checkClaims(segment(claims), rules)).toEqual(claims);
  });

  it.each([
    ['not JSON', '{not json', 'malformed'],
    ['a JSON array', '[1,2]', 'malformed'],
    ['JSON null', 'null', 'malformed'],
    ['a JSON number', '42', 'malformed'],
    ['a required claim missing', { exp: now + 60 }, 'claims'],
    ['`exp` a string', { sub: 'x', exp: String(now + 60) }, 'claims'],
    ['`iat` a string', { sub: 'x', exp: now + 60, iat: 'now' }, 'claims'],
    ['`nbf` null', { sub: 'x', exp: now + 60, nbf: null }, 'claims'],
    ['expired beyond the skew', { sub: 'x', exp: now - 5 }, 'expired'],
    ['`nbf` beyond the skew', { sub: 'x', exp: now + 60, nbf: now + 6 }, 'not_yet_valid'],
  ])('refuses %s', (_name, claims, refusal) => {
    expect(checkClaims(segment(claims), rules)).toBe(refusal);
  });

  it('refuses an empty payload and one that is not base64url', () => {
    expect(checkClaims('', rules)).toBe('malformed');
    expect(checkClaims('e30=', rules)).toBe('malformed');
  });

  it('gives jose verdict on any claims set (property)', async () => {
    const time = fc.oneof(
      fc.integer({ min: -20, max: 20 }).map((offset) => now + offset),
      fc.constant(now + 0.5),
      fc.constantFrom('soon', null, true, [now], {}),
    );
    const claimSet = fc.record(
      { sub: fc.constant('x'), iss: fc.constant('i'), exp: time, nbf: time, iat: time },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        claimSet,
        fc.subarray(['exp', 'iat', 'sub', 'iss']),
        fc.integer({ min: 0, max: 10 }),
        async (claims, required, tolerance) => {
          const ours = checkClaims(segment(claims), {
            requiredClaims: required,
            clockToleranceSeconds: tolerance,
            now,
          });
          const expected = await joseVerdict(claims, required, tolerance, now);
          expect(typeof ours === 'string' ? ours : 'accepted').toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
