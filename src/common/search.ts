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
