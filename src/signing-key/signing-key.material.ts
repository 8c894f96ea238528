import {
  createHash,
  createPrivateKey,
  createPublicKey,
  KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import type { FieldErrors } from '../common/api-error';
import {
  Algorithm,
  inferredAlgorithm,
  KeyType,
  NODE_CURVES,
  RSA_LENGTHS,
  specOf,
} from './signing-key.algorithms';
import { commonName, generatePair, thumbprint, validTo } from './signing-key.certificate';

/** What a key is, once generated or imported: everything the entity holds but names. */
export interface KeyMaterial {
  algorithm: Algorithm;
  type: KeyType;
  kid: string;
  length: number | null;
  issuer: string | null;
  publicKey: string | null;
  privateKey: string | null;
  secret: string | null;
  certificate: string | null;
  expirationInstant: number | null;
}

/** FusionAuth's HMAC key ids are ten hex digits (`10d51735a5`). */
export function newHmacKid(): string {
  return randomBytes(5).toString('hex');
}

/**
 * A new HMAC secret as long as the hash's output (RFC 7518 §3.2), written in base64; the
 * signing code uses the text's UTF-8 bytes, as FusionAuth does with a secret it is given.
 */
export function newHmacMaterial(algorithm: Algorithm): KeyMaterial {
  return {
    algorithm,
    type: 'HMAC',
    kid: newHmacKid(),
    length: null,
    issuer: null,
    publicKey: null,
    privateKey: null,
    secret: randomBytes(specOf(algorithm).secretBytes!).toString('base64'),
    certificate: null,
    expirationInstant: null,
  };
}

/** A new key pair with its certificate; `kid` is the certificate's thumbprint, as FusionAuth's. */
export async function newPairMaterial(
  algorithm: Algorithm,
  length: number,
  issuer: string,
  id: string,
): Promise<KeyMaterial> {
  const pair = await generatePair(algorithm, length, issuer, id);
  const certificate = new X509Certificate(pair.certificate);
  return {
    algorithm,
    type: specOf(algorithm).type,
    kid: thumbprint(certificate),
    length,
    issuer,
    ...pair,
    secret: null,
    expirationInstant: validTo(certificate),
  };
}

export interface ImportInput {
  algorithm: Algorithm | null;
  type: KeyType | null;
  kid: string | null;
  publicKey: string | null;
  privateKey: string | null;
  certificate: string | null;
  secret: string | null;
}

const PEM_LABELS = {
  privateKey: ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'],
  publicKey: ['PUBLIC KEY', 'RSA PUBLIC KEY'],
  certificate: ['CERTIFICATE'],
} as const;

type PemField = keyof typeof PEM_LABELS;

/** What the PEM text says it is, so a private key sent as `publicKey` is refused, not split. */
function pemLabel(text: string): string | null {
  return /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(text.trim())?.[1] ?? null;
}

function parsePem(field: PemField, text: string): KeyObject | null {
  const label = pemLabel(text);
  if (label === null || !(PEM_LABELS[field] as readonly string[]).includes(label)) return null;
  try {
    if (field === 'privateKey') return createPrivateKey({ key: text, format: 'pem' });
    if (field === 'publicKey') return createPublicKey({ key: text, format: 'pem' });
    return new X509Certificate(text).publicKey;
  } catch {
    return null;
  }
}

const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });

/** Reads an import of an HMAC secret, recording what is wrong. */
function importSecret(input: ImportInput, secret: string, errors: FieldErrors): KeyMaterial | null {
  if (input.publicKey !== null || input.privateKey !== null || input.certificate !== null) {
    errors.add(
      'invalid',
      'key.secret',
      'An HMAC key is a [key.secret] alone, without [key.publicKey], [key.privateKey] or [key.certificate].',
    );
    return null;
  }
  if (input.type !== null && input.type !== 'HMAC')
    errors.add('invalid', 'key.type', 'A key imported from a [key.secret] is of type HMAC.');
  const algorithm = input.algorithm ?? 'HS256';
  const spec = specOf(algorithm);
  if (spec.type !== 'HMAC') {
    errors.add('invalid', 'key.algorithm', 'A [key.secret] signs with HS256, HS384 or HS512.');
    return null;
  }
  if (Buffer.byteLength(secret, 'utf8') < spec.secretBytes!) {
    errors.add(
      'tooShort',
      'key.secret',
      `An ${algorithm} secret must be at least ${spec.secretBytes} bytes long (RFC 7518 §3.2).`,
    );
  }
  if (errors.has()) return null;
  return {
    ...newHmacMaterial(algorithm),
    kid: input.kid ?? newHmacKid(),
    secret,
  };
}

interface Shape {
  type: KeyType;
  curve: string | null;
  length: number;
}

/** The key's type and size, or why it cannot sign here. */
function shapeOf(key: KeyObject, field: string, errors: FieldErrors): Shape | null {
  const details = key.asymmetricKeyDetails ?? {};
  const kind = key.asymmetricKeyType;
  if (kind === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if ((RSA_LENGTHS as readonly number[]).includes(bits))
      return { type: 'RSA', curve: null, length: bits };
    errors.add(
      bits < RSA_LENGTHS[0] ? 'tooShort' : 'invalid',
      field,
      `An RSA key must be 2048, 3072 or 4096 bits long; this one is ${bits}.`,
    );
    return null;
  }
  if (kind === 'ec') {
    const curve = NODE_CURVES[details.namedCurve ?? ''];
    if (curve !== undefined)
      return { type: 'EC', curve, length: curve === 'P-521' ? 521 : Number(curve.slice(2)) };
    errors.add('invalid', field, 'An EC key must be on the P-256, P-384 or P-521 curve.');
    return null;
  }
  if (kind === 'ed25519') return { type: 'OKP', curve: null, length: 32 };
  // RSA-PSS, DSA, Ed448 and the X curves: nothing FusionAuth signs JWTs with.
  errors.add('invalid', field, 'The key must be an RSA, EC or Ed25519 key.');
  return null;
}

function algorithmFor(input: ImportInput, shape: Shape, errors: FieldErrors): Algorithm | null {
  if (input.type !== null && input.type !== shape.type)
    errors.add('invalid', 'key.type', `The key imported is of type ${shape.type}.`);
  if (input.algorithm === null) return inferredAlgorithm(shape.type, shape.curve);
  const spec = specOf(input.algorithm);
  if (spec.type === shape.type && (spec.curve ?? null) === shape.curve) return input.algorithm;
  errors.add(
    'invalid',
    'key.algorithm',
    `The [key.algorithm] ${input.algorithm} cannot sign with the ${shape.type}${shape.curve ? ` ${shape.curve}` : ''} key imported.`,
  );
  return null;
}

/** RFC 7638 thumbprint of the public key: a stable `kid` for a key without a certificate. */
function jwkThumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  const members =
    jwk.kty === 'RSA'
      ? ['e', 'kty', 'n']
      : jwk.kty === 'EC'
        ? ['crv', 'kty', 'x', 'y']
        : ['crv', 'kty', 'x'];
  const canonical = JSON.stringify(Object.fromEntries(members.map((name) => [name, jwk[name]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * Reads an import: a secret, or any of a private key (PKCS#8, PKCS#1 or SEC1 PEM), a
 * public key (SPKI or PKCS#1 PEM) and a certificate, which must all be one key. Returns
 * null with the reasons in `errors` when the material is not a key Portcullis signs with.
 */
export function importMaterial(input: ImportInput, errors: FieldErrors): KeyMaterial | null {
  if (input.secret !== null) return importSecret(input, input.secret, errors);
  const given = (['privateKey', 'publicKey', 'certificate'] as const).filter(
    (field) => input[field] !== null,
  );
  if (given.length === 0) {
    errors.add(
      'blank',
      'key.publicKey',
      'Import a [key.secret], or any of [key.privateKey], [key.publicKey] and [key.certificate].',
    );
    return null;
  }
  const keys = new Map<PemField, KeyObject>();
  for (const field of given) {
    const key = parsePem(field, input[field]!);
    if (key === null) {
      const labels = PEM_LABELS[field].map((label) => `BEGIN ${label}`).join(', ');
      errors.add(
        'invalid',
        `key.${field}`,
        `The [key.${field}] must be PEM text (${labels}), unencrypted.`,
      );
    } else keys.set(field, field === 'privateKey' ? createPublicKey(key) : key);
  }
  if (errors.has()) return null;
  const [first, ...others] = [...keys.entries()];
  for (const [field, key] of others) {
    if (!spki(key).equals(spki(first[1])))
      errors.add(
        'invalid',
        `key.${field}`,
        `The [key.${field}] is not the same key as the [key.${first[0]}].`,
      );
  }
  const shape = errors.has() ? null : shapeOf(first[1], `key.${first[0]}`, errors);
  const algorithm = shape === null ? null : algorithmFor(input, shape, errors);
  if (shape === null || algorithm === null || errors.has()) return null;
  const publicKey = first[1];
  const certificate = input.certificate === null ? null : new X509Certificate(input.certificate);
  return {
    algorithm,
    type: shape.type,
    kid: input.kid ?? (certificate ? thumbprint(certificate) : jwkThumbprint(publicKey)),
    length: shape.length,
    issuer: certificate ? commonName(certificate.issuer) : null,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey:
      input.privateKey === null
        ? null
        : createPrivateKey(input.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString(),
    secret: null,
    // As FusionAuth writes PEM: no line break after the last line.
    certificate: certificate?.toString().trim() ?? null,
    expirationInstant: certificate ? validTo(certificate) : null,
  };
}
