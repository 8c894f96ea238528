import type { TestApp } from './app';

/** One secured route, as the shared security suite calls it. */
export interface SecuredRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Nest-style path; `:param` segments not filled by `owned` get random UUIDs. */
  path: string;
  /** FusionAuth's permission endpoint, or 'keyManager' for the API Key API. */
  endpoint: string;
  globalOnly?: true;
  /**
   * Makes an object owned by the given tenant; returns the values of the path's `:params`
   * (and any the body needs).
   */
  owned?: (test: TestApp, tenantId: string) => Promise<Record<string, string>>;
  /** What a tenant-scoped key gets for another tenant's object: 404 unless the route says otherwise. */
  foreignStatus?: 401 | 404;
  /** The JSON body sent on POST, PUT and PATCH; given what `owned` made, when it ran. */
  body?: (values?: Record<string, string>) => unknown;
  /** A query string, with its `?`. */
  query?: string;
  /** Credentials are optional here: a request without any is answered (less), not refused. */
  optional?: true;
  /** What an optional route answers without credentials: by default /api/status's one value. */
  anonymous?: { status: number; body?: unknown };
  /** False where a well-formed body names something that must exist (a login id): no property fuzzing. */
  propertyFuzz?: false;
}
