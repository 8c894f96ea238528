import { SetMetadata } from '@nestjs/common';
import { ENDPOINTS } from './endpoint-permissions';

export type CredentialKind = 'apiKey' | 'basicApiKey' | 'loopback';

export interface RoutePolicy {
  readonly public: boolean;
  /** FusionAuth's permission endpoint name; null where `keyManager` decides instead. */
  readonly endpoint: string | null;
  readonly globalOnly: boolean;
  readonly keyManager: boolean;
  readonly credentials: ReadonlySet<CredentialKind>;
}

export const ROUTE_POLICY = 'portcullis:route-policy';

export interface AuthenticatedOptions {
  /** A name from the endpoint permission table. */
  endpoint?: string;
  /** Only key-manager keys (the API Key API). */
  keyManager?: true;
  /** Also accept `Authorization: Basic base64(apikey:<key>)`. */
  basic?: true;
  /** Also accept credential-less requests from a loopback socket when local metrics are on. */
  loopback?: true;
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
  const policy: RoutePolicy = {
    public: false,
    endpoint,
    globalOnly: definition?.globalOnly ?? false,
    keyManager: options.keyManager === true,
    credentials,
  };
  return SetMetadata(ROUTE_POLICY, Object.freeze(policy));
}

/** The route needs no credentials. */
export function Public(): MethodDecorator {
  const policy: RoutePolicy = {
    public: true,
    endpoint: null,
    globalOnly: false,
    keyManager: false,
    credentials: new Set(),
  };
  return SetMetadata(ROUTE_POLICY, Object.freeze(policy));
}
