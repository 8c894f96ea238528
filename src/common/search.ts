import { Fields } from './fields';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** SQL LIKE pattern for FusionAuth's name search: `*` is a wildcard; no wildcard means "contains". */
export function likePattern(name: string | null): string | null {
  if (name === null || name.trim() === '' || name.trim() === '*') return null;
  const escaped = name.replace(/[\\%_]/g, (character) => `\\${character}`);
  return escaped.includes('*') ? escaped.replace(/\*/g, '%') : `%${escaped}%`;
}

export interface Page<T> {
  rows: T[];
  total: number;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 500;

export interface Paging {
  startRow: number;
  numberOfResults: number;
}

/** `startRow` and `numberOfResults` of a search request (FusionAuth's defaults, capped). */
export function readPaging(source: Fields): Paging {
  return {
    startRow: source.long('startRow', { min: 0 }) ?? 0,
    numberOfResults: Math.min(
      source.long('numberOfResults', { min: 1 }) ?? DEFAULT_PAGE_SIZE,
      MAX_PAGE_SIZE,
    ),
  };
}

/**
 * The tenant a search of tenant-owned objects looks in: the caller's, else the one the
 * search names, else every tenant (null). A search naming a tenant other than the
 * caller's sees nothing (undefined).
 */
export function searchTenant(
  callerTenantId: string | null,
  requested: string | null,
): string | null | undefined {
  if (callerTenantId === null) return requested;
  return requested === null || requested === callerTenantId ? callerTenantId : undefined;
}

/** Narrows a query to names matching a `likePattern` (no pattern: every name). */
export function whereNameLike<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  column: string,
  pattern: string | null,
): SelectQueryBuilder<T> {
  // The escape character is a parameter: a backslash literal in SQL text is a syntax
  // error in MySQL, where a backslash escapes inside string literals.
  return pattern === null
    ? query
    : query.andWhere(`${column} LIKE :pattern ESCAPE :escape`, { pattern, escape: '\\' });
}

/** One page of a query's rows, and how many rows there are in all. */
export async function pageOf<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  paging: Paging,
): Promise<Page<T>> {
  const [rows, total] = await query
    .skip(paging.startRow)
    .take(paging.numberOfResults)
    .getManyAndCount();
  return { rows, total };
}

/** A search of tenant-owned objects by name (applications, groups). */
export interface NameSearch extends Paging {
  name: string | null;
  tenantId: string | null;
}

export function readNameSearch(source: Fields): NameSearch {
  const search: NameSearch = {
    name: likePattern(source.string('name', { max: 191 })),
    tenantId: source.uuid('tenantId'),
    ...readPaging(source),
  };
  source.errors.throwIfAny();
  return search;
}

/** A search by name alone, of objects that belong to no tenant (tenants, IP ACLs). */
export interface GlobalNameSearch extends Paging {
  name: string | null;
}

export function readGlobalNameSearch(source: Fields): GlobalNameSearch {
  const search: GlobalNameSearch = {
    name: likePattern(source.string('name', { max: 191 })),
    ...readPaging(source),
  };
  source.errors.throwIfAny();
  return search;
}
