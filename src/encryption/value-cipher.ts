import { createCipheriv, createDecipheriv, hash, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'pc1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** `pc1.<secret id>.<nonce>.<ciphertext and tag>`, base64url parts. */
const SEALED = /^pc1\.([0-9a-f]{8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/;

interface SecretKey {
  readonly id: string;
  readonly key: Buffer;
}

function deriveKey(secret: string): SecretKey {
  const key = Buffer.from(
    hkdfSync('sha256', secret, 'portcullis', 'portcullis value cipher v1', 32),
  );
  return { id: hash('sha256', key, 'hex').slice(0, 8), key };
}

/**
 * AES-256-GCM for values kept at rest that must be read back (retrievable API keys): a
 * random nonce per value, and the owning row's id as associated data, so a value copied
 * onto another row does not open. The first secret seals; the others only open, which is
 * how the secret is rotated (seal everything again under the new one, then drop the old).
 */
export class ValueCipher {
  private readonly keys: readonly SecretKey[];

  constructor(secrets: readonly string[]) {
    this.keys = secrets.map(deriveKey);
  }

  /** False when no secret is set: nothing can be sealed. */
  get available(): boolean {
    return this.keys.length > 0;
  }

  seal(plain: string, associatedData: string): string {
    const current = this.keys[0];
    if (current === undefined) throw new Error('no key encryption secret is set');
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', current.key, nonce);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const sealed = Buffer.concat([
      cipher.update(plain, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return `${VERSION}.${current.id}.${nonce.toString('base64url')}.${sealed.toString('base64url')}`;
  }

  /** The plain value; null when it is not sealed by a known secret or does not open. */
  open(value: string, associatedData: string): string | null {
    const match = SEALED.exec(value);
    if (match === null) return null;
    const key = this.keys.find((candidate) => candidate.id === match[1]);
    if (key === undefined) return null;
    const body = Buffer.from(match[3], 'base64url');
    if (body.length < TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(match[2], 'base64url'));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(body.subarray(0, body.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return null;
    }
  }

  /** Whether a stored value has the sealed form (whoever's secret sealed it). */
  static looksSealed(value: string): boolean {
    return SEALED.test(value);
  }

  /** Whether a stored value is sealed by the current secret (nothing to do on rotation). */
  sealedWithCurrent(value: string): boolean {
    const match = SEALED.exec(value);
    return match !== null && match[1] === this.keys[0]?.id;
  }
}

/** How a pass over stored values went. */
export interface SealingOutcome {
  /** Values sealed anew under the current secret by this pass. */
  readonly sealed: number;
  /** Values no configured secret opens, left as they are. */
  readonly unreadable: number;
}

/**
 * Seals, under the current secret, each stored value that is plaintext (written before
 * encryption, or while no secret was set) or sealed by a previous secret. `write` stores
 * the new value only if the row still holds the old one, so replicas doing this at once do
 * no harm; it says whether it did.
 */
export async function sealStored(
  cipher: ValueCipher,
  rows: readonly { readonly id: string; readonly value: string }[],
  write: (id: string, stored: string, sealed: string) => Promise<boolean>,
  unreadable: (id: string) => void,
): Promise<SealingOutcome> {
  let sealed = 0;
  let lost = 0;
  if (!cipher.available) return { sealed, unreadable: lost };
  for (const { id, value } of rows) {
    if (cipher.sealedWithCurrent(value)) continue;
    const plain = ValueCipher.looksSealed(value) ? cipher.open(value, id) : value;
    if (plain === null) {
      unreadable(id);
      lost++;
      continue;
    }
    if (await write(id, value, cipher.seal(plain, id))) sealed++;
  }
  return { sealed, unreadable: lost };
}
