import { FieldErrors } from '../common/api-error';
import { Fields, JsonObject, omitNulls, omitNullsDeep, SERVER_SET } from '../common/fields';
import {
  DEFAULT_PASSWORD_RULES,
  PasswordValidationRules,
  passwordRulesToJson,
  readPasswordRules,
} from '../password/password.rules';
import type { TenantEntity } from './tenant.entity';

/** The token settings a tenant holds, and an application may override. */
export interface JwtSettings {
  accessTokenKeyId: string | null;
  idTokenKeyId: string | null;
  timeToLiveInSeconds: number;
  refreshTokenTimeToLiveInMinutes: number;
  refreshTokenExpirationPolicy: string;
  refreshTokenUsagePolicy: string;
}

/**
 * FusionAuth's SCIM server wiring: a client-credentials token on the SCIM routes must be
 * for a target of the server entity type, issued to a recipient of the client entity type.
 */
export interface ScimServerSettings {
  enabled: boolean;
  clientEntityTypeId: string | null;
  serverEntityTypeId: string | null;
  /** The schemas document the tenant advertises, when it overrides the built-in one. */
  schemas: JsonObject | null;
}

export interface TenantConfiguration {
  issuer: string;
  data: JsonObject;
  jwtConfiguration: JwtSettings;
  loginConfiguration: { requireAuthentication: boolean };
  oauthConfiguration: { clientCredentialsAccessTokenPopulateLambdaId: string | null };
  accessControlConfiguration: { uiIPAccessControlListId: string | null };
  passwordValidationRules: PasswordValidationRules;
  externalIdentifierConfiguration: { changePasswordIdTimeToLiveInSeconds: number };
  scimServerConfiguration: ScimServerSettings;
}

export const DEFAULT_TENANT_CONFIGURATION: TenantConfiguration = Object.freeze({
  issuer: 'acme.com',
  data: {},
  jwtConfiguration: {
    accessTokenKeyId: null,
    idTokenKeyId: null,
    timeToLiveInSeconds: 3600,
    refreshTokenTimeToLiveInMinutes: 43_200,
    refreshTokenExpirationPolicy: 'Fixed',
    refreshTokenUsagePolicy: 'Reusable',
  },
  loginConfiguration: { requireAuthentication: true },
  oauthConfiguration: { clientCredentialsAccessTokenPopulateLambdaId: null },
  accessControlConfiguration: { uiIPAccessControlListId: null },
  passwordValidationRules: DEFAULT_PASSWORD_RULES,
  externalIdentifierConfiguration: { changePasswordIdTimeToLiveInSeconds: 600 },
  scimServerConfiguration: {
    enabled: false,
    clientEntityTypeId: null,
    serverEntityTypeId: null,
    schemas: null,
  },
});

/**
 * A stored configuration with FusionAuth's defaults for what it does not hold: a tenant
 * written before Portcullis modelled a setting (or by an older replica) reads as if it
 * had the default.
 */
export function completeConfiguration(stored: Partial<TenantConfiguration>): TenantConfiguration {
  return { ...DEFAULT_TENANT_CONFIGURATION, ...stored };
}

export interface TenantInput {
  name: string;
  configuration: TenantConfiguration;
}

const READ_ONLY = { ...SERVER_SET, state: 'string', configured: 'boolean' } as const;
const EXPIRATION_POLICIES = ['Fixed', 'SlidingWindow', 'SlidingWindowWithMaximumLifetime'];
const USAGE_POLICIES = ['Reusable', 'OneTimeUse'];

/** A `jwtConfiguration` object; `base` supplies what it leaves out. */
export function readJwtSettings(jwt: Fields | null, base: JwtSettings): JwtSettings {
  if (jwt === null) return { ...base };
  return {
    accessTokenKeyId: jwt.uuid('accessTokenKeyId') ?? base.accessTokenKeyId,
    idTokenKeyId: jwt.uuid('idTokenKeyId') ?? base.idTokenKeyId,
    timeToLiveInSeconds: jwt.long('timeToLiveInSeconds', { min: 1 }) ?? base.timeToLiveInSeconds,
    refreshTokenTimeToLiveInMinutes:
      jwt.long('refreshTokenTimeToLiveInMinutes', { min: 1 }) ??
      base.refreshTokenTimeToLiveInMinutes,
    refreshTokenExpirationPolicy:
      jwt.choice('refreshTokenExpirationPolicy', EXPIRATION_POLICIES) ??
      base.refreshTokenExpirationPolicy,
    refreshTokenUsagePolicy:
      jwt.choice('refreshTokenUsagePolicy', USAGE_POLICIES) ?? base.refreshTokenUsagePolicy,
  };
}

/**
 * A `scimServerConfiguration` object; `base` supplies what it leaves out. Enabled, it
 * needs both entity types (whether they exist is the Entity Type API's to say).
 */
export function readScimServerSettings(
  scim: Fields | null,
  base: ScimServerSettings,
): ScimServerSettings {
  if (scim === null) return { ...base };
  const settings: ScimServerSettings = {
    enabled: scim.boolean('enabled') ?? base.enabled,
    clientEntityTypeId: scim.uuid('clientEntityTypeId') ?? base.clientEntityTypeId,
    serverEntityTypeId: scim.uuid('serverEntityTypeId') ?? base.serverEntityTypeId,
    schemas: scim.record('schemas') ?? base.schemas,
  };
  if (settings.enabled) {
    for (const property of ['clientEntityTypeId', 'serverEntityTypeId'] as const) {
      if (settings[property] === null && !scim.errors.has(scim.name(property)))
        scim.errors.add('blank', scim.name(property));
    }
  }
  return settings;
}

/**
 * Reads `{"tenant": {...}}`. Read-only fields (id, instants, state) of a tenant read
 * back from the API are ignored, so a retrieved tenant can be sent again as a template.
 * `base` supplies what the request leaves out (defaults on create, the source on copy).
 */
export function readTenantRequest(
  body: unknown,
  base: TenantConfiguration,
  errors = new FieldErrors(),
): TenantInput {
  const { inner: tenant } = Fields.root(body, 'tenant', errors);
  const name = tenant.requiredString('name', { max: 191, singleLine: true });
  tenant.typeCheck(READ_ONLY);
  const jwt = tenant.object('jwtConfiguration');
  const login = tenant.object('loginConfiguration');
  const oauth = tenant.object('oauthConfiguration');
  const access = tenant.object('accessControlConfiguration');
  const identifiers = tenant.object('externalIdentifierConfiguration');
  const configuration: TenantConfiguration = {
    issuer: tenant.string('issuer', { max: 255, singleLine: true }) ?? base.issuer,
    data: tenant.record('data') ?? base.data,
    jwtConfiguration: readJwtSettings(jwt, base.jwtConfiguration),
    loginConfiguration: {
      requireAuthentication:
        login?.boolean('requireAuthentication') ?? base.loginConfiguration.requireAuthentication,
    },
    oauthConfiguration: {
      clientCredentialsAccessTokenPopulateLambdaId:
        oauth?.uuid('clientCredentialsAccessTokenPopulateLambdaId') ??
        base.oauthConfiguration.clientCredentialsAccessTokenPopulateLambdaId,
    },
    accessControlConfiguration: {
      uiIPAccessControlListId:
        access?.uuid('uiIPAccessControlListId') ??
        base.accessControlConfiguration.uiIPAccessControlListId,
    },
    passwordValidationRules: readPasswordRules(
      tenant.object('passwordValidationRules'),
      base.passwordValidationRules,
    ),
    externalIdentifierConfiguration: {
      changePasswordIdTimeToLiveInSeconds:
        identifiers?.integer('changePasswordIdTimeToLiveInSeconds', { min: 1 }) ??
        base.externalIdentifierConfiguration.changePasswordIdTimeToLiveInSeconds,
    },
    scimServerConfiguration: readScimServerSettings(
      tenant.object('scimServerConfiguration'),
      base.scimServerConfiguration,
    ),
  };
  errors.throwIfAny();
  return { name: name!, configuration };
}

/** The one place a tenant becomes JSON. */
export function tenantToJson(entity: TenantEntity): JsonObject {
  const { configuration } = entity;
  return {
    id: entity.id,
    name: entity.name,
    state: 'Active',
    configured: true,
    issuer: configuration.issuer,
    data: configuration.data,
    ...omitNullsDeep({
      jwtConfiguration: configuration.jwtConfiguration,
      loginConfiguration: configuration.loginConfiguration,
      oauthConfiguration: configuration.oauthConfiguration,
      accessControlConfiguration: configuration.accessControlConfiguration,
    }),
    passwordValidationRules: passwordRulesToJson(configuration.passwordValidationRules),
    externalIdentifierConfiguration: { ...configuration.externalIdentifierConfiguration },
    scimServerConfiguration: omitNulls({ ...configuration.scimServerConfiguration }),
    insertInstant: entity.insertInstant,
    lastUpdateInstant: entity.lastUpdateInstant,
  };
}

/** What PATCH merges onto: the tenant as the API shows it, less what it cannot change. */
export function tenantPatchBase(entity: TenantEntity): JsonObject {
  return { tenant: tenantToJson(entity) };
}
