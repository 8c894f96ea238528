/**
 * Reading rows that a query put together with JSON functions (`json_group_array` in
 * SQLite, `JSON_ARRAYAGG` in MySQL/MariaDB), and the column types both dialects hand back
 * their own way.
 */

/** One JSON array value: MySQL may hand it parsed, MariaDB and SQLite as text; no rows is null there. */
export function jsonArray(value: unknown): unknown[][] {
  if (value === null || value === undefined) return [];
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? (parsed as unknown[][]) : [];
}

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
