import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ENDPOINTS } from './endpoint-permissions';

export type CredentialKind = 'apiKey' | 'basicApiKey' | 'jwt' | 'client' | 'loopback';

/**
 * Which entity must have granted a client-credentials token its permission, for a route
 * that takes one: `scimServer` is the SCIM server entity of the token's tenant (an entity
 * of the tenant's `scimServerConfiguration.serverEntityTypeId`, whose recipient is of its
 * `clientEntityTypeId`).
 */
export type ClientTarget = 'scimServer';

/** What a client-credentials token must carry to pass a route. */
export interface ClientRequirement {
  /** The permission its target must have granted, e.g. `scim:user:read`. */
  readonly permission: string;
  readonly target: ClientTarget;
}

/** How a refused credential is answered: FusionAuth's empty 401, or a SCIM error body (RFC 7644 §3.12). */
export type RefusalBody = 'empty' | 'scim';

export interface RoutePolicy {
  readonly public: boolean;
  /** FusionAuth's permission endpoint name; null where `keyManager` decides instead. */
  readonly endpoint: string | null;
  readonly globalOnly: boolean;
  readonly keyManager: boolean;
  readonly credentials: ReadonlySet<CredentialKind>;
  /** A request without credentials is let through as anonymous; one with credentials is judged by them. */
  readonly optional: boolean;
  /** Set on routes that take a client-credentials token (and then nothing else). */
  readonly client: ClientRequirement | null;
  readonly refusalBody: RefusalBody;
}

export const ROUTE_POLICY = 'portcullis:route-policy';

/** The policy rides on the Fastify route, so requests are judged before the body is read. */
function declare(policy: RoutePolicy): MethodDecorator {
  const frozen = Object.freeze(policy);
  return applyDecorators(
    SetMetadata(ROUTE_POLICY, frozen),
    RouteConfig({ [ROUTE_POLICY]: frozen }),
  );
}

export function policyOfRoute(config: unknown): RoutePolicy | null {
  const policy = (config as Record<string, RoutePolicy | undefined> | undefined)?.[ROUTE_POLICY];
  return policy ?? null;
}

export interface AuthenticatedOptions {
  /** A name from the endpoint permission table. */
  endpoint?: string;
  /** Only key-manager keys (the API Key API). */
  keyManager?: true;
  /** Also accept `Authorization: Basic base64(apikey:<key>)`. */
  basic?: true;
  /** Also accept credential-less requests from a loopback socket when local metrics are on. */
  loopback?: true;
  /** Let a request without credentials through as anonymous (the handler answers less). */
  optional?: true;
  /** Also accept a user's JWT (`Bearer`, `JWT` or the `access_token` cookie). */
  jwt?: true;
}

/** The route needs credentials; which ones and for what, declared here and nowhere else. */
export function Authenticated(options: AuthenticatedOptions): MethodDecorator {
  const endpoint = options.endpoint ?? null;
  if (endpoint === null && !options.keyManager)
    throw new Error('a secured route names its endpoint');
  const definition = endpoint === null ? undefined : ENDPOINTS[endpoint];
  if (endpoint !== null && definition === undefined)
    throw new Error(`unknown permission endpoint ${endpoint}`);
  const credentials = new Set<CredentialKind>(['apiKey']);
  if (options.basic) credentials.add('basicApiKey');
  if (options.loopback) credentials.add('loopback');
  if (options.jwt) {
    if (definition?.globalOnly) throw new Error('a global-only route takes no user JWT');
    credentials.add('jwt');
  }
  const policy: RoutePolicy = {
    public: false,
    endpoint,
    globalOnly: definition?.globalOnly ?? false,
    keyManager: options.keyManager === true,
    credentials,
    optional: options.optional === true,
    client: null,
    refusalBody: 'empty',
  };
  return declare(policy);
}

/** The route takes a user's JWT and nothing else (FusionAuth's JWT-only endpoints). */
export function UserJwt(): MethodDecorator {
  const policy: RoutePolicy = {
    public: false,
    endpoint: null,
    globalOnly: false,
    keyManager: false,
    credentials: new Set<CredentialKind>(['jwt']),
    optional: false,
    client: null,
    refusalBody: 'empty',
  };
  return declare(policy);
}

/**
 * The route takes a client-credentials token (`Authorization: Bearer`, from
 * `grant_type=client_credentials`) that its target granted the permission named, and no
 * other credential: FusionAuth's SCIM endpoints take no API key and no user JWT.
 */
export function ClientCredentials(
  requirement: ClientRequirement & { readonly refusalBody?: RefusalBody },
): MethodDecorator {
  const policy: RoutePolicy = {
    public: false,
    endpoint: null,
    globalOnly: false,
    keyManager: false,
    credentials: new Set<CredentialKind>(['client']),
    optional: false,
    client: Object.freeze({ permission: requirement.permission, target: requirement.target }),
    refusalBody: requirement.refusalBody ?? 'empty',
  };
  return declare(policy);
}

/** The policy of a route that needs no credentials (also for routes registered on Fastify itself). */
export const PUBLIC_POLICY: RoutePolicy = Object.freeze({
  public: true,
  endpoint: null,
  globalOnly: false,
  keyManager: false,
  credentials: new Set<CredentialKind>(),
  optional: true,
  client: null,
  refusalBody: 'empty',
});

/** The route needs no credentials. */
export function Public(): MethodDecorator {
  return declare({ ...PUBLIC_POLICY });
}
