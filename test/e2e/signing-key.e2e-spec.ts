import { KeyAlgorithm, KeyType, type Key } from '@fusionauth/typescript-client';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  randomUUID,
  sign,
  verify,
  X509Certificate,
} from 'node:crypto';
import { DataSource, DataSourceOptions } from 'typeorm';
import { loadConfig } from '../../src/config/config.schema';
import { dataSourceOptions } from '../../src/database/data-source';
import { SigningKeyEntity } from '../../src/signing-key/signing-key.entity';
import {
  createKey,
  createTenant,
  dialects,
  failure,
  refusalCodes,
  startApp,
  TestApp,
} from '../support/app';
import { createTestDatabase } from '../support/databases';
import { uniqueName } from '../support/fixtures';

jest.setTimeout(120_000);

const NONE = null as unknown as string;
const SECRET_64 = randomBytes(48).toString('base64');

const pem = (key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1' | 'spki') =>
  key.export({ type, format: 'pem' } as never).toString();

/** What node:crypto makes of a public key: its type and size, for the assertions. */
function shape(publicKey: string): { type: string; bits?: number; curve?: string } {
  const key = createPublicKey(publicKey);
  const details = key.asymmetricKeyDetails ?? {};
  return {
    type: key.asymmetricKeyType!,
    ...(details.modulusLength ? { bits: details.modulusLength } : {}),
    ...(details.namedCurve ? { curve: details.namedCurve } : {}),
  };
}

const HASHES: Record<string, string | null> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  Ed25519: null,
};

describe.each(dialects())('the Key API on %s', (dialect) => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startApp(dialect);
  });
  afterAll(async () => {
    if (test === undefined) return;
    try {
      // Nothing the server holds privately was ever in a response, and none of it in a log.
      const stored = await test.app.get(DataSource).getRepository(SigningKeyEntity).find();
      const secrets = stored.flatMap((key) => [key.privateKey, key.secret]);
      const bodies = test.watch.responseBodies().join('\n');
      for (const secret of secrets.filter((value): value is string => value !== null)) {
        test.watch.add(secret);
        const lines = secret.split('\n').filter((line) => !line.startsWith('-----'));
        for (const line of [secret, ...lines.filter((text) => text.length >= 16)])
          expect(bodies).not.toContain(line);
      }
      expect(secrets.length).toBeGreaterThan(0);
    } finally {
      await test.close();
    }
  });

  const stored = (id: string) =>
    test.app.get(DataSource).getRepository(SigningKeyEntity).findOneByOrFail({ id });

  async function generate(key: Key, id = NONE): Promise<Key> {
    const response = await test.client().generateKey(id, { key });
    expect(response.statusCode).toBe(200);
    return response.response.key!;
  }

  async function importing(key: Key, id = NONE): Promise<Key> {
    const response = await test.client().importKey(id, { key });
    expect(response.statusCode).toBe(200);
    return response.response.key!;
  }

  function codes(call: Promise<unknown>): Promise<string[]> {
    return refusalCodes(call as never);
  }

  describe('generate', () => {
    it('gives a key whose id begins with zero bytes a certificate with a minimal serial', async () => {
      const id = `0000${randomUUID().slice(4)}`;
      const key = await generate(
        { algorithm: KeyAlgorithm.ES256, name: uniqueName('zero'), issuer: 'keys.example.com' },
        id,
      );
      const certificate = new X509Certificate(key.certificate!);
      expect(certificate.serialNumber.toLowerCase()).toBe(id.replace(/-/g, '').slice(4));
    });

    it.each([
      [KeyAlgorithm.HS256, 32],
      [KeyAlgorithm.HS384, 48],
      [KeyAlgorithm.HS512, 64],
    ])('makes an %s key with a secret it never returns', async (algorithm, bytes) => {
      const name = uniqueName('hmac');
      const key = await generate({ algorithm, name, length: 2048, issuer: 'ignored.example' });
      expect(key).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
        name,
        algorithm,
        type: KeyType.HMAC,
        kid: expect.stringMatching(/^[0-9a-f]{10}$/) as string,
        insertInstant: expect.any(Number) as number,
        lastUpdateInstant: key.insertInstant,
      });
      expect(Buffer.from((await stored(key.id!)).secret!, 'base64')).toHaveLength(bytes);
      expect((await test.client().retrieveKey(key.id!)).response).toEqual({ key });
    });

    it.each([
      [KeyAlgorithm.RS256, 2048, { type: 'rsa', bits: 2048 }],
      [KeyAlgorithm.RS384, 3072, { type: 'rsa', bits: 3072 }],
      [KeyAlgorithm.RS512, 4096, { type: 'rsa', bits: 4096 }],
      [KeyAlgorithm.ES256, undefined, { type: 'ec', curve: 'prime256v1' }],
      [KeyAlgorithm.ES384, 384, { type: 'ec', curve: 'secp384r1' }],
      [KeyAlgorithm.ES512, 521, { type: 'ec', curve: 'secp521r1' }],
      [KeyAlgorithm.Ed25519, undefined, { type: 'ed25519' }],
    ])(
      'makes an %s key pair (length %s) with its certificate, usable to verify',
      async (algorithm, length, expected) => {
        const name = uniqueName('pair');
        const key = await generate({ algorithm, name, length, issuer: 'keys.example.com' });
        const type = { rsa: 'RSA', ec: 'EC', ed25519: 'OKP' }[expected.type];
        expect(key).toMatchObject({ name, algorithm, type, hasPrivateKey: true });
        expect(key.issuer).toBe('keys.example.com');
        expect(shape(key.publicKey!)).toEqual(expected);
        const curveLength: Record<string, number> = {
          prime256v1: 256,
          secp384r1: 384,
          secp521r1: 521,
        };
        const curve = (expected as { curve?: string }).curve;
        expect(key.length).toBe(expected.type === 'rsa' ? length : curve ? curveLength[curve] : 32);
        const certificate = new X509Certificate(key.certificate!);
        expect(certificate.verify(certificate.publicKey)).toBe(true);
        expect(certificate.subject).toBe('CN=keys.example.com');
        expect(certificate.publicKey.export({ type: 'spki', format: 'pem' })).toBe(key.publicKey);
        const thumbprint = createHash('sha1').update(certificate.raw).digest('base64url');
        expect(key.kid).toBe(thumbprint);
        expect(key.certificateInformation).toMatchObject({
          issuer: 'CN=keys.example.com',
          subject: 'CN=keys.example.com',
          sha1Thumbprint: thumbprint,
          validTo: key.expirationInstant,
        });
        // The id is the serial number, less the leading zero bytes DER leaves out.
        expect(key.certificateInformation!.serialNumber!.replace(/:/g, '').toLowerCase()).toContain(
          key.id!.replace(/-/g, '').replace(/^(?:00)+/, ''),
        );
        // Ten years, as FusionAuth's certificates.
        expect(key.expirationInstant! - key.insertInstant!).toBeGreaterThan(
          3650 * 86_400_000 - 5000,
        );
        // The private key stays on the server; a signature made with it verifies with
        // what the API handed out.
        const data = Buffer.from('portcullis');
        const privateKey = createPrivateKey((await stored(key.id!)).privateKey!);
        const signature = sign(HASHES[algorithm], data, privateKey);
        expect(verify(HASHES[algorithm], data, createPublicKey(key.publicKey!), signature)).toBe(
          true,
        );
        expect((await test.client().retrieveKey(key.id!)).response).toEqual({ key });
      },
    );

    it("defaults a certificate's issuer to the Default tenant's", async () => {
      const key = await generate({ algorithm: KeyAlgorithm.ES256, name: uniqueName('issuer') });
      expect(key.issuer).toBe('acme.com');
      expect(key.length).toBe(256);
      const blank = await generate({
        algorithm: KeyAlgorithm.Ed25519,
        name: uniqueName('blank'),
        issuer: ' ',
      });
      expect(blank.certificateInformation!.subject).toBe('CN=acme.com');
    });

    it('generates with a chosen id, once, and refuses a name in use', async () => {
      const id = randomUUID();
      const name = uniqueName('chosen');
      expect((await generate({ algorithm: KeyAlgorithm.HS256, name }, id)).id).toBe(id);
      expect(
        await codes(
          test
            .client()
            .generateKey(id, { key: { algorithm: KeyAlgorithm.HS256, name: uniqueName('x') } }),
        ),
      ).toEqual(['[duplicate]keyId']);
      expect(
        await codes(
          test.client().generateKey(NONE, { key: { algorithm: KeyAlgorithm.HS256, name } }),
        ),
      ).toEqual(['[duplicate]key.name']);
    });

    it.each([
      [{ name: 'x' }, ['[blank]key.algorithm']],
      [{ name: 'x', algorithm: 'PS256' }, ['[invalid]key.algorithm']],
      [{ algorithm: 'HS256' }, ['[blank]key.name']],
      [{ name: ' ', algorithm: 'HS256' }, ['[blank]key.name']],
      [{ name: 'x', algorithm: 'RS256' }, ['[blank]key.length']],
      [{ name: 'x', algorithm: 'RS256', length: 1024 }, ['[invalid]key.length']],
      [{ name: 'x', algorithm: 'ES256', length: 384 }, ['[invalid]key.length']],
      [{ name: 'x', algorithm: 'HS256', length: 'long' }, ['[couldNotConvert]key.length']],
      [{ name: 'x', algorithm: 'ES256', issuer: '\ud800' }, ['[invalid]key.issuer']],
      [
        { name: 'x', algorithm: 'HS256', hasPrivateKey: 'yes' },
        ['[couldNotConvert]key.hasPrivateKey'],
      ],
    ])('refuses %j', async (key, expected) => {
      expect(await codes(test.client().generateKey(NONE, { key: key as Key }))).toEqual(expected);
    });
  });

  describe('import', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsa2 = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const ed = generateKeyPairSync('ed25519');

    function jwkThumbprint(key: KeyObject): string {
      const jwk = key.export({ format: 'jwk' });
      const canonical =
        jwk.kty === 'RSA'
          ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
          : jwk.kty === 'EC'
            ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
            : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
      return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
    }

    it.each([
      [
        'a PKCS#8 RSA private key',
        { privateKey: pem(rsa.privateKey, 'pkcs8') },
        rsa,
        'RS256',
        true,
      ],
      [
        'a PKCS#1 RSA private key',
        { privateKey: pem(rsa2.privateKey, 'pkcs1'), algorithm: 'RS512' },
        rsa2,
        'RS512',
        true,
      ],
      ['a SEC1 EC private key', { privateKey: pem(ec.privateKey, 'sec1') }, ec, 'ES384', true],
      [
        'an Ed25519 private key and its public key',
        { privateKey: pem(ed.privateKey, 'pkcs8'), publicKey: pem(ed.publicKey, 'spki') },
        ed,
        'Ed25519',
        true,
      ],
      [
        'an SPKI public key',
        { publicKey: pem(ec.publicKey, 'spki'), type: 'EC' },
        ec,
        'ES384',
        false,
      ],
      ['a PKCS#1 RSA public key', { publicKey: pem(rsa.publicKey, 'pkcs1') }, rsa, 'RS256', false],
    ])('imports %s', async (_, material, pair, algorithm, hasPrivateKey) => {
      const name = uniqueName('imported');
      const kid = hasPrivateKey ? undefined : `kid-${randomUUID()}`;
      const key = await importing({ name, kid, ...(material as Key) });
      expect(key).toMatchObject({
        name,
        algorithm,
        hasPrivateKey,
        kid: kid ?? jwkThumbprint(pair.publicKey),
      });
      expect(key.publicKey).toBe(pem(pair.publicKey, 'spki'));
      expect(key).not.toHaveProperty('certificate');
      const row = await stored(key.id!);
      if (hasPrivateKey) expect(row.privateKey).toBe(pem(pair.privateKey, 'pkcs8'));
      else expect(row.privateKey).toBeNull();
    });

    it('imports a certificate, alone or with its private key; a kid names one key only', async () => {
      const generated = await generate({
        algorithm: KeyAlgorithm.RS256,
        name: uniqueName('src'),
        length: 2048,
      });
      // The certificate's thumbprint is already the generated key's kid.
      expect(
        await codes(
          test.client().importKey(NONE, {
            key: { name: uniqueName('cert'), certificate: generated.certificate },
          }),
        ),
      ).toEqual(['[duplicate]key.kid']);
      const alone = await importing({
        name: uniqueName('cert'),
        kid: randomUUID(),
        certificate: generated.certificate,
      });
      expect(alone).toMatchObject({
        algorithm: 'RS256',
        type: 'RSA',
        hasPrivateKey: false,
        publicKey: generated.publicKey,
        certificate: generated.certificate,
        certificateInformation: generated.certificateInformation,
        expirationInstant: generated.expirationInstant,
        issuer: 'acme.com',
        length: 2048,
      });
      const both = await importing({
        name: uniqueName('cert'),
        kid: randomUUID(),
        certificate: generated.certificate,
        privateKey: (await stored(generated.id!)).privateKey!,
      });
      expect(both.hasPrivateKey).toBe(true);
    });

    it('imports an HMAC secret, with a chosen id and kid', async () => {
      const id = randomUUID();
      const key = await importing(
        {
          name: uniqueName('secret'),
          algorithm: KeyAlgorithm.HS512,
          secret: SECRET_64 + SECRET_64,
          kid: 'my-kid' + randomUUID(),
        },
        id,
      );
      expect(key).toMatchObject({ id, algorithm: 'HS512', type: 'HMAC' });
      expect(Object.keys(key).sort()).toEqual([
        'algorithm',
        'id',
        'insertInstant',
        'kid',
        'lastUpdateInstant',
        'name',
        'type',
      ]);
      expect((await stored(id)).secret).toBe(SECRET_64 + SECRET_64);
    });

    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const ed448 = generateKeyPairSync('ed448');
    const encrypted = rsa.privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pass phrase' })
      .toString();
    it.each([
      ['nothing to import', {}, ['[blank]key.publicKey']],
      ['text that is not PEM', { privateKey: 'not a key' }, ['[invalid]key.privateKey']],
      [
        'a truncated PEM',
        { privateKey: pem(rsa.privateKey, 'pkcs8').slice(0, 200) + '\n-----END PRIVATE KEY-----' },
        ['[invalid]key.privateKey'],
      ],
      [
        'a private key sent as the public key',
        { publicKey: pem(rsa.privateKey, 'pkcs8') },
        ['[invalid]key.publicKey'],
      ],
      ['an encrypted private key', { privateKey: encrypted }, ['[invalid]key.privateKey']],
      [
        'a public key that is not the private key’s',
        { privateKey: pem(rsa.privateKey, 'pkcs8'), publicKey: pem(other.publicKey, 'spki') },
        ['[invalid]key.publicKey'],
      ],
      [
        'a 1024-bit RSA key',
        { privateKey: pem(weak.privateKey, 'pkcs8') },
        ['[tooShort]key.privateKey'],
      ],
      [
        'a 1024-bit RSA public key',
        { publicKey: pem(weak.publicKey, 'spki') },
        ['[tooShort]key.publicKey'],
      ],
      [
        'an algorithm the key cannot sign with',
        { privateKey: pem(rsa.privateKey, 'pkcs8'), algorithm: 'ES256' },
        ['[invalid]key.algorithm'],
      ],
      [
        'an EC key named for another curve',
        { publicKey: pem(ec.publicKey, 'spki'), algorithm: 'ES256' },
        ['[invalid]key.algorithm'],
      ],
      [
        'a type that is not the key’s',
        { publicKey: pem(ec.publicKey, 'spki'), type: 'RSA' },
        ['[invalid]key.type'],
      ],
      ['a secp256k1 key', { publicKey: pem(k1.publicKey, 'spki') }, ['[invalid]key.publicKey']],
      ['an Ed448 key', { publicKey: pem(ed448.publicKey, 'spki') }, ['[invalid]key.publicKey']],
      [
        'a secret with a public key',
        { secret: SECRET_64, publicKey: pem(ec.publicKey, 'spki') },
        ['[invalid]key.secret'],
      ],
      [
        'a secret for an RSA algorithm',
        { secret: SECRET_64, algorithm: 'RS256' },
        ['[invalid]key.algorithm'],
      ],
      [
        'a secret shorter than its hash',
        { secret: 'short secret of 31 bytes.......', algorithm: 'HS256' },
        ['[tooShort]key.secret'],
      ],
      [
        'a secret too short for HS512',
        { secret: SECRET_64.slice(0, 63), algorithm: 'HS512' },
        ['[tooShort]key.secret'],
      ],
      ['an unknown type', { secret: SECRET_64, type: 'SecretKeyValue' }, ['[invalid]key.type']],
      ['a blank kid', { secret: SECRET_64, kid: ' ' }, ['[blank]key.kid']],
      [
        'a certificate that is not one',
        { certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' },
        ['[invalid]key.certificate'],
      ],
    ])('refuses %s', async (_, material, expected) => {
      expect(
        await codes(
          test.client().importKey(NONE, { key: { name: uniqueName('bad'), ...(material as Key) } }),
        ),
      ).toEqual(expected);
    });
  });

  describe('retrieve, rename, search', () => {
    it('lists every key and answers 404 for an unknown one', async () => {
      const key = await generate({ algorithm: KeyAlgorithm.HS256, name: uniqueName('listed') });
      const all = (await test.client().retrieveKeys()).response.keys!;
      expect(all).toContainEqual(key);
      expect(all.some((entry) => entry.name === 'Default signing key')).toBe(true);
      expect((await failure(test.client().retrieveKey(randomUUID()))).statusCode).toBe(404);
      expect(await codes(test.client().retrieveKey('not-a-uuid'))).toEqual([
        '[couldNotConvert]keyId',
      ]);
    });

    it('renames a key and changes nothing else, whatever else is sent', async () => {
      const key = await generate({ algorithm: KeyAlgorithm.ES256, name: uniqueName('old') });
      const name = uniqueName('new');
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const renamed = await test.client().updateKey(key.id!, {
        key: {
          ...key,
          name,
          algorithm: KeyAlgorithm.ES512,
          kid: 'changed',
          publicKey: pem(other.publicKey, 'spki'),
          privateKey: pem(other.privateKey, 'pkcs8'),
        },
      });
      expect(renamed.response.key).toEqual({
        ...key,
        name,
        lastUpdateInstant: renamed.response.key!.lastUpdateInstant,
      });
      expect(renamed.response.key!.lastUpdateInstant).toBeGreaterThanOrEqual(
        key.lastUpdateInstant!,
      );
      expect((await test.client().retrieveKey(key.id!)).response).toEqual(renamed.response);
      expect(
        createPrivateKey((await stored(key.id!)).privateKey!).asymmetricKeyDetails!.namedCurve,
      ).toBe('prime256v1');

      const taken = await generate({ algorithm: KeyAlgorithm.HS256, name: uniqueName('taken') });
      expect(await codes(test.client().updateKey(key.id!, { key: { name: taken.name } }))).toEqual([
        '[duplicate]key.name',
      ]);
      expect(await codes(test.client().updateKey(key.id!, { key: { name: '' } }))).toEqual([
        '[blank]key.name',
      ]);
      expect(
        (await failure(test.client().updateKey(randomUUID(), { key: { name } }))).statusCode,
      ).toBe(404);
    });

    it('searches by name, algorithm and type, by POST and by GET, ordered and paged', async () => {
      const tag = randomBytes(4).toString('hex');
      const made = [
        await generate({ algorithm: KeyAlgorithm.HS256, name: `search-${tag}-c` }),
        await generate({ algorithm: KeyAlgorithm.ES256, name: `search-${tag}-a` }),
        await generate({ algorithm: KeyAlgorithm.HS512, name: `search-${tag}-b` }),
      ];
      const byName = await test.client().searchKeys({ search: { name: tag } });
      expect(byName.response).toEqual({ keys: [made[1], made[2], made[0]], total: 3 });
      const hmac = await test.client().searchKeys({
        search: { name: `search-${tag}-*`, type: KeyType.HMAC, orderBy: 'name DESC' },
      });
      expect(hmac.response.keys!.map((key) => key.name)).toEqual([made[0].name, made[2].name]);
      // The client sends every parameter, unset ones as "undefined".
      const byGet = await test
        .client()
        .searchKeysByParameters(
          undefined as unknown as string,
          tag,
          1,
          'insertInstant DESC',
          1,
          undefined as unknown as string,
        );
      expect(byGet.response).toEqual({ keys: [made[1]], total: 3 });
      const es = await test
        .client()
        .searchKeysByParameters('ES256', tag, 25, undefined as unknown as string, 0, 'EC');
      expect(es.response).toEqual({ keys: [made[1]], total: 1 });
      expect(await codes(test.client().searchKeys({ search: { orderBy: 'secret ASC' } }))).toEqual([
        '[invalid]search.orderBy',
      ]);
      expect(
        await codes(test.client().searchKeysByParameters('XX', tag, 25, 'name', 0, 'EC')),
      ).toEqual(['[invalid]algorithm']);
    });
  });

  describe('tenants, applications and deletes', () => {
    it('gives each new tenant its own HS256 access-token key, and the Default tenant one too', async () => {
      const tenantId = await createTenant(test);
      const tenant = (await test.client().retrieveTenant(tenantId)).response.tenant!;
      const key = (await test.client().retrieveKey(tenant.jwtConfiguration!.accessTokenKeyId!))
        .response.key!;
      expect(key).toMatchObject({
        algorithm: 'HS256',
        type: 'HMAC',
        name: `Default signing key for tenant ${tenantId}`,
      });
      const defaultTenant = (await test.client().retrieveTenant(test.defaultTenantId)).response
        .tenant!;
      const defaultKey = (
        await test.client().retrieveKey(defaultTenant.jwtConfiguration!.accessTokenKeyId!)
      ).response.key!;
      expect(defaultKey).toMatchObject({ algorithm: 'HS256', name: 'Default signing key' });
      expect(defaultKey.id).not.toBe(key.id);

      // A replace that names no key keeps the tenant's.
      const replaced = await test
        .client()
        .updateTenant(tenantId, { tenant: { name: tenant.name } });
      expect(replaced.response.tenant!.jwtConfiguration!.accessTokenKeyId).toBe(key.id);
    });

    it('refuses a tenant or application naming a key that does not exist or cannot sign', async () => {
      const verifyOnly = await importing({
        name: uniqueName('verify'),
        kid: randomUUID(),
        publicKey: pem(generateKeyPairSync('ed25519').publicKey, 'spki'),
      });
      const unknown = randomUUID();
      expect(
        await codes(
          test.client().createTenant(NONE, {
            tenant: {
              name: uniqueName('t'),
              jwtConfiguration: { accessTokenKeyId: unknown, idTokenKeyId: verifyOnly.id },
            },
          }),
        ),
      ).toEqual([
        '[invalid]tenant.jwtConfiguration.accessTokenKeyId',
        '[invalid]tenant.jwtConfiguration.idTokenKeyId',
      ]);
      expect(
        await codes(
          test.client(test.managerKey, test.defaultTenantId).createApplication(NONE, {
            application: {
              name: uniqueName('a'),
              jwtConfiguration: { enabled: true, idTokenKeyId: unknown },
            },
          }),
        ),
      ).toEqual(['[invalid]application.jwtConfiguration.idTokenKeyId']);
      const rsa = await generate({
        algorithm: KeyAlgorithm.RS256,
        name: uniqueName('t'),
        length: 2048,
      });
      const created = await test.client().createTenant(NONE, {
        tenant: {
          name: uniqueName('t'),
          jwtConfiguration: { accessTokenKeyId: rsa.id, idTokenKeyId: rsa.id },
        },
      });
      expect(created.response.tenant!.jwtConfiguration).toMatchObject({
        accessTokenKeyId: rsa.id,
        idTokenKeyId: rsa.id,
      });
    });

    it('deletes a key no one uses; refuses one a tenant or an application signs with', async () => {
      const unused = await generate({ algorithm: KeyAlgorithm.HS256, name: uniqueName('unused') });
      const deleted = await test.client().deleteKey(unused.id!);
      expect(deleted.statusCode).toBe(200);
      expect(deleted.response).toBeUndefined();
      expect((await failure(test.client().retrieveKey(unused.id!))).statusCode).toBe(404);
      expect((await failure(test.client().deleteKey(unused.id!))).statusCode).toBe(404);

      const tenantId = await createTenant(test);
      const tenantKey = (await test.client().retrieveTenant(tenantId)).response.tenant!
        .jwtConfiguration!.accessTokenKeyId!;
      const refused = await failure(test.client().deleteKey(tenantKey));
      expect(refused.exception).toEqual({
        fieldErrors: {
          keyId: [
            {
              code: '[invalid]keyId',
              message: expect.stringContaining(`tenant [${tenantId}] (accessTokenKeyId)`) as string,
            },
          ],
        },
      });

      const idKey = await generate({ algorithm: KeyAlgorithm.ES256, name: uniqueName('id') });
      const application = await test.client(test.managerKey, tenantId).createApplication(NONE, {
        application: {
          name: uniqueName('app'),
          jwtConfiguration: { enabled: true, idTokenKeyId: idKey.id },
        },
      });
      expect(await codes(test.client().deleteKey(idKey.id!))).toEqual(['[invalid]keyId']);
      await test
        .client(test.managerKey, tenantId)
        .deleteApplication(application.response.application!.id!);
      expect((await test.client().deleteKey(idKey.id!)).statusCode).toBe(200);
    });
  });

  describe('authority', () => {
    it('is global-only: a tenant-scoped key, or a tenant header, is refused', async () => {
      const tenantId = await createTenant(test);
      const scoped = await createKey(test, { tenantId });
      for (const call of [
        () => test.client(scoped.key).retrieveKeys(),
        () => test.client(test.managerKey, tenantId).retrieveKeys(),
        () =>
          test
            .client(scoped.key)
            .generateKey(NONE, { key: { algorithm: KeyAlgorithm.HS256, name: uniqueName('no') } }),
        () =>
          test
            .client(test.managerKey, tenantId)
            .importKey(NONE, { key: { name: uniqueName('no'), secret: SECRET_64 } }),
        () => test.client(scoped.key).searchKeys({ search: {} }),
      ]) {
        const refused = await failure(call());
        expect({ status: refused.statusCode, body: refused.exception }).toEqual({
          status: 401,
          body: undefined,
        });
      }
      const exact = await createKey(test, {
        permissions: { endpoints: { '/api/key/generate': ['POST'] } },
      });
      expect(
        (
          await test
            .client(exact.key)
            .generateKey(NONE, { key: { algorithm: KeyAlgorithm.HS256, name: uniqueName('ok') } })
        ).statusCode,
      ).toBe(200);
      expect((await failure(test.client(exact.key).retrieveKeys())).statusCode).toBe(401);
    });
  });
});

describe.each(dialects())('upgrading a database to signing keys on %s', (dialect) => {
  it('gives every existing tenant its own access-token key', async () => {
    const database = await createTestDatabase(dialect);
    const config = loadConfig({ DATABASE_URL: database.url });
    const options = dataSourceOptions(config.database, config);
    const migrations = options.migrations as { name: string }[];
    const signingKeys = migrations.findIndex((migration) =>
      migration.name.startsWith('SigningKeys'),
    );
    const before = new DataSource({
      ...options,
      migrations: migrations.slice(0, signingKeys),
    } as unknown as DataSourceOptions);
    await before.initialize();
    await before.runMigrations();
    const jwt = { timeToLiveInSeconds: 3600, accessTokenKeyId: null, idTokenKeyId: null };
    const tenants = [
      [randomUUID(), 'Default', true, { issuer: 'acme.com', jwtConfiguration: jwt }],
      [randomUUID(), 'Other', false, { issuer: 'other.com', jwtConfiguration: jwt }],
    ] as const;
    for (const [id, name, isDefault, configuration] of tenants) {
      await before.query(
        'INSERT INTO tenants (id, name, is_default, configuration, insert_instant, last_update_instant) VALUES (?, ?, ?, ?, 1, 1)',
        [id, name, isDefault ? 1 : 0, JSON.stringify(configuration)],
      );
    }
    await before.destroy();

    const test = await startApp(dialect, { database });
    try {
      const keys: Key[] = [];
      for (const [id, , isDefault] of tenants) {
        const tenant = (await test.client().retrieveTenant(id)).response.tenant!;
        expect(tenant.jwtConfiguration!.timeToLiveInSeconds).toBe(3600);
        const key = (await test.client().retrieveKey(tenant.jwtConfiguration!.accessTokenKeyId!))
          .response.key!;
        expect(key).toMatchObject({
          algorithm: 'HS256',
          type: 'HMAC',
          name: isDefault ? 'Default signing key' : `Default signing key for tenant ${id}`,
        });
        keys.push(key);
      }
      expect((await test.client().retrieveKeys()).response.keys).toEqual(
        expect.arrayContaining(keys),
      );
      expect((await test.client().retrieveKeys()).response.keys).toHaveLength(2);
    } finally {
      await test.close();
      await database.drop();
    }
  });
});
