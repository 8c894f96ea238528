import { hash, randomBytes } from 'node:crypto';

/** How a key is stored and looked up: SHA-256, base64url. Never compared as plaintext. */
export function digestKey(key: string): string {
  return hash('sha256', key, 'base64url');
}

/** A new key: 256 bits from the CSPRNG, URL-safe. */
export function generateKey(): string {
  return randomBytes(32).toString('base64url');
}
