import { randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return value.length === 36 && UUID.test(value);
}

/** Canonical (lower case) form of a UUID, or null when the text is not one. */
export function parseUuid(value: string): string | null {
  return isUuid(value) ? value.toLowerCase() : null;
}

export function newId(): string {
  return randomUUID();
}
