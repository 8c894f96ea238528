// The X.509 library resolves its services through tsyringe, which needs the polyfill first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, KeyObject, webcrypto, X509Certificate } from 'node:crypto';
import type { JsonObject } from '../common/fields';
import { Algorithm, specOf } from './signing-key.algorithms';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** FusionAuth's generated certificates are valid for ten years. */
const VALIDITY_MS = 3652 * 24 * 60 * 60 * 1000;

export interface GeneratedPair {
  privateKey: string;
  publicKey: string;
  certificate: string;
}

type GenerateParams = webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams | { name: string };

function webAlgorithm(algorithm: Algorithm, length: number): GenerateParams {
  const spec = specOf(algorithm);
  switch (spec.type) {
    case 'RSA':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        hash: spec.hash!,
        modulusLength: length,
        publicExponent: new Uint8Array([1, 0, 1]),
      };
    case 'EC':
      return { name: 'ECDSA', namedCurve: spec.curve!, hash: spec.hash! };
    case 'OKP':
      return { name: 'Ed25519' };
    case 'HMAC':
      throw new Error('an HMAC key has no key pair');
  }
}

/**
 * A new key pair and the self-signed certificate FusionAuth makes for it: subject and
 * issuer `CN=<issuer>`, the key's id as serial number, ten years from now.
 */
export async function generatePair(
  algorithm: Algorithm,
  length: number,
  issuer: string,
  id: string,
): Promise<GeneratedPair> {
  const params = webAlgorithm(algorithm, length);
  const keys = (await webcrypto.subtle.generateKey(params, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  // DER integers are minimal: an id whose first bytes are zero loses them.
  const serial = id.replace(/-/g, '').replace(/^(?:00)+(?=.)/, '');
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    // A DER integer whose top bit is set needs a leading zero to stay positive.
    serialNumber: /^[89a-f]/.test(serial) ? `00${serial}` : serial,
    name: [{ CN: [issuer] }],
    notBefore: new Date(now),
    notAfter: new Date(now + VALIDITY_MS),
    signingAlgorithm: params,
    keys: keys,
  });
  return {
    privateKey: KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: KeyObject.from(keys.publicKey).export({ type: 'spki', format: 'pem' }).toString(),
    certificate: certificate.toString('pem'),
  };
}

const colonHex = (bytes: Buffer) =>
  bytes
    .toString('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');

const digest = (algorithm: string, raw: Buffer) => createHash(algorithm).update(raw).digest();

/** The certificate's SHA-1 thumbprint (`x5t`), which FusionAuth uses as the key's `kid`. */
export function thumbprint(certificate: X509Certificate): string {
  return digest('sha1', certificate.raw).toString('base64url');
}

/** Node writes a distinguished name one attribute a line; FusionAuth, comma-separated. */
const distinguishedName = (name: string) => name.split('\n').join(', ');

/** The `CN` of a distinguished name, or null. */
export function commonName(name: string): string | null {
  const line = name.split('\n').find((part) => part.startsWith('CN='));
  return line === undefined ? null : line.slice(3);
}

export function validTo(certificate: X509Certificate): number {
  return Date.parse(certificate.validTo);
}

/** FusionAuth's `certificateInformation`, derived from the certificate itself. */
export function certificateInformation(pem: string): JsonObject {
  const certificate = new X509Certificate(pem);
  const serial = Buffer.from(certificate.serialNumber.padStart(2, '0'), 'hex');
  const signed = serial[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), serial]) : serial;
  return {
    issuer: distinguishedName(certificate.issuer),
    md5Fingerprint: colonHex(digest('md5', certificate.raw)),
    serialNumber: colonHex(signed),
    sha1Fingerprint: colonHex(digest('sha1', certificate.raw)),
    sha1Thumbprint: thumbprint(certificate),
    sha256Fingerprint: colonHex(digest('sha256', certificate.raw)),
    sha256Thumbprint: digest('sha256', certificate.raw).toString('base64url'),
    subject: distinguishedName(certificate.subject),
    validFrom: Date.parse(certificate.validFrom),
    validTo: validTo(certificate),
  };
}
