/**
 * Column values of raw query rows, which SQLite and MySQL/MariaDB hand back their own way
 * (more so from a UNION, whose columns take one type for all its parts).
 */

/** A JSON document kept in a text column. */
export function jsonText<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Booleans are 0/1 in both dialects (MySQL's driver may say true/false or '1'). */
export function bool(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

/** Instants are BIGINT, which MySQL's driver hands back as a string. */
export function instant(value: unknown): number {
  return Number(value);
}

export function optionalInstant(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function optionalText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Oldest first, then by id: the order every list of a user's rows is shown in. */
export function byInsertion<T extends { insertInstant: number; id: string }>(a: T, b: T): number {
  return a.insertInstant - b.insertInstant || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
