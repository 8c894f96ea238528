/** The shapes the page reads from the API and from `/admin/endpoints.json`. */
export interface ApiKey {
  id: string;
  key?: string;
  name?: string;
  keyManager: boolean;
  tenantId?: string;
  permissions: { endpoints: Record<string, string[]> };
  metaData: { attributes: Record<string, string> };
  ipAccessControlListId?: string;
  expirationInstant?: number;
  retrievable: boolean;
  insertInstant: number;
}

export interface Tenant {
  id: string;
  name: string;
}

export interface IpAcl {
  id: string;
  name: string;
}

export interface Endpoint {
  name: string;
  methods: string[];
  globalOnly: boolean;
  extension: boolean;
}

export interface PermissionTable {
  methods: string[];
  endpoints: Endpoint[];
}

export type KeyKind = 'manager' | 'super' | 'limited';

export function kindOf(key: ApiKey): KeyKind {
  if (key.keyManager) return 'manager';
  return Object.keys(key.permissions.endpoints).length === 0 ? 'super' : 'limited';
}

export function describe(key: ApiKey): string {
  return key.metaData.attributes.description ?? '';
}

/** The key's name, else its description, else its id: what a person recognises it by. */
export function label(key: ApiKey): string {
  return key.name ?? (describe(key) || key.id);
}

export function formatInstant(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}
