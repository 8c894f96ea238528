import { randomUUID } from 'node:crypto';
import { keyValueProblem } from '../api-key/api-key.value';
import { parsePermissions, Permissions } from '../auth/permissions';
import { isObject, JsonObject } from '../common/fields';
import { parseUuid } from '../common/uuid';

export interface KickstartKey {
  key: string;
  description: string | null;
  keyManager: boolean;
  tenantId: string | null;
  permissions: Permissions;
}

export interface KickstartRequest {
  method: string;
  url: string;
  body: unknown;
  tenantId: string | null;
}

export interface Kickstart {
  apiKeys: KickstartKey[];
  requests: KickstartRequest[];
}

export class KickstartError extends Error {}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** `#{name}` from `variables`, `#{ENV.NAME}` from the environment, `#{UUID()}` a fresh id. */
function substitute(
  value: unknown,
  variables: Record<string, string>,
  env: NodeJS.ProcessEnv,
): unknown {
  if (typeof value === 'string') {
    return value.replace(/#\{([^}]+)\}/g, (_, name: string) => {
      if (name === 'UUID()') return randomUUID();
      if (name.startsWith('ENV.')) {
        const found = env[name.slice(4)];
        if (found === undefined)
          throw new KickstartError(`kickstart: environment variable ${name.slice(4)} is not set`);
        return found;
      }
      const found = variables[name];
      if (found === undefined)
        throw new KickstartError(`kickstart: variable #{${name}} is not defined`);
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, variables, env));
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, substitute(item, variables, env)]),
    );
  }
  return value;
}

function optionalTenantId(value: unknown, where: string): string | null {
  if (value === undefined || value === null) return null;
  const id = typeof value === 'string' ? parseUuid(value) : null;
  if (id === null) throw new KickstartError(`${where}.tenantId must be a UUID`);
  return id;
}

function readKey(entry: unknown, index: number): KickstartKey {
  const where = `kickstart: apiKeys[${index}]`;
  if (!isObject(entry)) throw new KickstartError(`${where} must be an object`);
  if (typeof entry.key !== 'string' || entry.key.trim() === '')
    throw new KickstartError(`${where}.key is required`);
  const problem = keyValueProblem(entry.key);
  if (problem !== null) throw new KickstartError(`${where}.key: ${problem.message}`);
  const tenantId = optionalTenantId(entry.tenantId, where);
  const endpoints =
    isObject(entry.permissions) && isObject(entry.permissions.endpoints)
      ? entry.permissions.endpoints
      : {};
  const parsed = parsePermissions(endpoints);
  if (parsed.problems.length > 0) {
    throw new KickstartError(
      `${where}.permissions: endpoint ${parsed.problems[0].endpoint} (${parsed.problems[0].reason})`,
    );
  }
  return {
    key: entry.key,
    description: typeof entry.description === 'string' ? entry.description : null,
    keyManager: entry.keyManager === true,
    tenantId,
    permissions: parsed.permissions,
  };
}

function readRequest(entry: unknown, index: number): KickstartRequest {
  const where = `kickstart: requests[${index}]`;
  if (!isObject(entry)) throw new KickstartError(`${where} must be an object`);
  const method = typeof entry.method === 'string' ? entry.method.toUpperCase() : '';
  if (!METHODS.includes(method))
    throw new KickstartError(`${where}.method must be one of ${METHODS.join(', ')}`);
  if (typeof entry.url !== 'string' || !entry.url.startsWith('/api/'))
    throw new KickstartError(`${where}.url must start with /api/`);
  const tenantId = optionalTenantId(entry.tenantId, where);
  return { method, url: entry.url, body: entry.body, tenantId };
}

/** Parses FusionAuth's kickstart format (the subset Portcullis applies). */
export function parseKickstart(text: string, env: NodeJS.ProcessEnv): Kickstart {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KickstartError(
      `kickstart: not valid JSON (${error instanceof Error ? error.message : 'parse error'})`,
    );
  }
  if (!isObject(json)) throw new KickstartError('kickstart: the file must hold a JSON object');
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(isObject(json.variables) ? json.variables : {})) {
    variables[name] = String(
      substitute(typeof value === 'string' ? value : JSON.stringify(value), variables, env),
    );
  }
  const rest = substitute(
    { apiKeys: json.apiKeys ?? [], requests: json.requests ?? [] },
    variables,
    env,
  ) as JsonObject;
  if (!Array.isArray(rest.apiKeys) || !Array.isArray(rest.requests)) {
    throw new KickstartError('kickstart: apiKeys and requests must be arrays');
  }
  const kickstart = {
    apiKeys: rest.apiKeys.map(readKey),
    requests: rest.requests.map(readRequest),
  };
  if (kickstart.requests.length > 0 && kickstart.apiKeys.length === 0) {
    throw new KickstartError('kickstart: requests need at least one entry in apiKeys to run with');
  }
  return kickstart;
}
