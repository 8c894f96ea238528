/**
 * FusionAuth's API-key permission endpoints: the id-less names a key's
 * `permissions.endpoints` map may hold, the methods each accepts, and whether the
 * endpoint is global-only (a tenant-scoped key, or any X-FusionAuth-TenantId header,
 * is refused there). Portcullis extensions are marked as such.
 */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface EndpointDefinition {
  readonly methods: readonly HttpMethod[];
  readonly globalOnly: boolean;
  readonly extension?: true;
}

const ALL: readonly HttpMethod[] = ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'];
const READ: readonly HttpMethod[] = ['GET', 'POST'];

export const ENDPOINTS: Readonly<Record<string, EndpointDefinition>> = {
  '/api/user': { methods: ALL, globalOnly: false },
  '/api/user/search': { methods: ['GET', 'POST', 'PUT'], globalOnly: false },
  '/api/user/registration': { methods: ALL, globalOnly: false },
  '/api/user/bulk': { methods: ['DELETE'], globalOnly: false },
  '/api/user/change-password': { methods: ['POST'], globalOnly: false },
  '/api/user/forgot-password': { methods: ['POST'], globalOnly: false },
  '/api/group': { methods: ALL, globalOnly: false },
  '/api/group/member': { methods: ['DELETE', 'POST', 'PUT'], globalOnly: false },
  '/api/group/search': { methods: READ, globalOnly: false },
  '/api/group/member/search': { methods: READ, globalOnly: false },
  '/api/application': { methods: ALL, globalOnly: false },
  '/api/application/role': { methods: ['DELETE', 'PATCH', 'POST', 'PUT'], globalOnly: false },
  '/api/application/search': { methods: READ, globalOnly: false },
  '/api/tenant': { methods: ALL, globalOnly: false },
  '/api/tenant/search': { methods: READ, globalOnly: true },
  '/api/entity': { methods: ALL, globalOnly: false },
  '/api/entity/grant': { methods: ['DELETE', 'GET', 'POST', 'PUT'], globalOnly: false },
  '/api/entity/grant/search': { methods: READ, globalOnly: false },
  '/api/entity/search': { methods: ['GET', 'POST', 'PUT'], globalOnly: false },
  '/api/entity/type': { methods: ALL, globalOnly: true },
  '/api/entity/type/permission': { methods: ['DELETE', 'PATCH', 'POST', 'PUT'], globalOnly: true },
  '/api/entity/type/search': { methods: READ, globalOnly: true },
  '/api/ip-acl': { methods: ALL, globalOnly: true },
  '/api/ip-acl/search': { methods: READ, globalOnly: true },
  '/api/key': { methods: ['DELETE', 'GET', 'PUT'], globalOnly: true },
  '/api/key/generate': { methods: ['POST'], globalOnly: true },
  '/api/key/import': { methods: ['POST'], globalOnly: true },
  '/api/key/search': { methods: READ, globalOnly: true },
  '/api/jwt/refresh': { methods: ['DELETE', 'GET', 'POST'], globalOnly: false },
  '/api/jwt/vend': { methods: ['POST'], globalOnly: false },
  '/api/login': { methods: ['POST', 'PUT'], globalOnly: false },
  '/api/status': { methods: ['GET'], globalOnly: true },
  '/api/prometheus/metrics': { methods: ['GET'], globalOnly: true },
  '/api/system/version': { methods: ['GET'], globalOnly: false },
  '/api/system-configuration': { methods: ['GET', 'PATCH', 'POST', 'PUT'], globalOnly: true },
  '/api/system/cluster': { methods: ['GET'], globalOnly: true, extension: true },
  '/api/system/cluster/probe': { methods: ['POST'], globalOnly: true, extension: true },
};

export function isEndpoint(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(ENDPOINTS, name);
}
