import { ApiError, FieldErrors } from './api-error';
import { Fields } from './fields';
import { parseUuid } from './uuid';

/**
 * One query parameter. FusionAuth's client sends unset parameters as the literal
 * strings `undefined` or `null`; those, and empty values, read as absent.
 */
export function queryValue(value: unknown): string | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string') return null;
  if (first === '' || first === 'undefined' || first === 'null') return null;
  return first;
}

/** A repeated query parameter (`?ids=a&ids=b`), absent values dropped. */
export function queryValues(value: unknown): string[] {
  const all: unknown[] = Array.isArray(value) ? value : [value];
  return all.map(queryValue).filter((item): item is string => item !== null);
}

/** A query string read like a JSON body, so searches by GET and by POST share one reader. */
export function queryFields(query: Record<string, unknown>): Fields {
  const values = Object.fromEntries(
    Object.entries(query).map(([name, value]) => [name, queryValue(value)]),
  );
  return new Fields(values, '', new FieldErrors());
}

export function queryFlag(value: unknown): boolean {
  return queryValue(value)?.toLowerCase() === 'true';
}

export function queryInteger(value: unknown, field: string, fallback: number, max: number): number {
  const raw = queryValue(value);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw ApiError.field('couldNotConvert', field);
  return Number(raw);
}

/** A UUID from the path; the field name is FusionAuth's for that id. */
export function pathId(value: string, field: string): string {
  const id = parseUuid(value);
  if (id === null) {
    throw ApiError.field(
      'couldNotConvert',
      field,
      `Invalid ${field} [${value.slice(0, 64)}]. This must be a valid UUID String (e.g. 25a872da-bb44-4af8-a43d-e7bcb5351ebc).`,
    );
  }
  return id;
}
