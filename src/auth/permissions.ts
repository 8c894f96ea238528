import { ENDPOINTS, HTTP_METHODS, HttpMethod, isEndpoint } from './endpoint-permissions';

/**
 * A key's permissions: endpoint name → bit set of methods. `null` is a super key
 * (FusionAuth: an empty or absent map grants every endpoint).
 */
export type Permissions = ReadonlyMap<string, number> | null;

const METHOD_BITS: Readonly<Record<string, number>> = Object.fromEntries(
  HTTP_METHODS.map((method, index) => [method, 1 << index]),
);

export function methodBit(method: string): number {
  return METHOD_BITS[method] ?? 0;
}

export function allows(permissions: Permissions, endpoint: string, method: string): boolean {
  if (permissions === null) return true;
  const granted = permissions.get(endpoint);
  return granted !== undefined && (granted & methodBit(method)) !== 0;
}

/** Whether `holder` has every power `candidate` has (a super key covers everything). */
export function covers(holder: Permissions, candidate: Permissions): boolean {
  if (holder === null) return true;
  if (candidate === null) return false;
  for (const [endpoint, bits] of candidate) {
    if ((bits & ~(holder.get(endpoint) ?? 0)) !== 0) return false;
  }
  return true;
}

export type PermissionProblem = {
  endpoint: string;
  reason: 'unknownEndpoint' | 'badMethod' | 'noMethods';
};

/** Parses `{ "/api/user": ["GET", "POST"] }`; an empty map is a super key. */
export function parsePermissions(endpoints: Record<string, unknown>): {
  permissions: Permissions;
  problems: PermissionProblem[];
} {
  const problems: PermissionProblem[] = [];
  const map = new Map<string, number>();
  for (const [endpoint, methods] of Object.entries(endpoints)) {
    if (!isEndpoint(endpoint)) {
      problems.push({ endpoint, reason: 'unknownEndpoint' });
      continue;
    }
    if (!Array.isArray(methods) || methods.length === 0) {
      problems.push({ endpoint, reason: Array.isArray(methods) ? 'noMethods' : 'badMethod' });
      continue;
    }
    const allowed = ENDPOINTS[endpoint].methods;
    let bits = 0;
    for (const method of methods) {
      const name = typeof method === 'string' ? method.toUpperCase() : '';
      if (!allowed.includes(name as HttpMethod)) {
        problems.push({ endpoint, reason: 'badMethod' });
        bits = -1;
        break;
      }
      bits |= methodBit(name);
    }
    if (bits > 0) map.set(endpoint, bits);
  }
  return { permissions: map.size === 0 && problems.length === 0 ? null : map, problems };
}

/** The JSON form, methods in a stable order. */
export function permissionsToJson(permissions: Permissions): Record<string, HttpMethod[]> {
  const result: Record<string, HttpMethod[]> = {};
  if (permissions === null) return result;
  for (const [endpoint, bits] of permissions) {
    result[endpoint] = HTTP_METHODS.filter((method) => (bits & methodBit(method)) !== 0);
  }
  return result;
}

export function permissionsFromJson(json: string | null): Permissions {
  if (json === null) return null;
  const parsed = JSON.parse(json) as Record<string, string[]>;
  const map = new Map<string, number>();
  for (const [endpoint, methods] of Object.entries(parsed)) {
    map.set(
      endpoint,
      methods.reduce((bits, method) => bits | methodBit(method), 0),
    );
  }
  return map.size === 0 ? null : map;
}
