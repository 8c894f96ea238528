import { randomBytes } from 'node:crypto';
import { FieldErrors } from '../common/api-error';
import {
  Fields,
  isObject,
  JsonObject,
  omitNulls,
  omitNullsDeep,
  SERVER_SET,
} from '../common/fields';
import { DEFAULT_TENANT_CONFIGURATION, JwtSettings, readJwtSettings } from '../tenant/tenant.dto';
import type { ApplicationEntity, ApplicationRoleEntity } from './application.entity';

export interface Requirable {
  enabled: boolean;
  required: boolean;
}

const REQUIRABLE_FIELDS = [
  'birthDate',
  'firstName',
  'fullName',
  'lastName',
  'middleName',
  'mobilePhone',
  'preferredLanguages',
] as const;

/** What `applications.configuration` holds: everything beyond id, tenant, name and state. */
export interface ApplicationConfiguration {
  data: JsonObject;
  jwtConfiguration: JwtSettings & { enabled: boolean };
  loginConfiguration: {
    allowTokenRefresh: boolean;
    generateRefreshTokens: boolean;
    requireAuthentication: boolean;
  };
  oauthConfiguration: {
    clientSecret: string;
    enabledGrants: string[];
    /** The token endpoint hands out refresh tokens (scope `offline_access`); FusionAuth's default on. */
    generateRefreshTokens: boolean;
    authorizedRedirectURLs: string[];
    clientAuthenticationPolicy: string;
  };
  registrationConfiguration: {
    enabled: boolean;
    type: string;
    confirmPassword: boolean;
    loginIdType: string;
  } & Record<(typeof REQUIRABLE_FIELDS)[number], Requirable>;
  verifyRegistration: boolean;
  accessControlConfiguration: { uiIPAccessControlListId: string | null };
}

const NOT_REQUIRED: Requirable = { enabled: false, required: false };

export const DEFAULT_APPLICATION_CONFIGURATION: ApplicationConfiguration = Object.freeze({
  data: {},
  jwtConfiguration: { enabled: false, ...DEFAULT_TENANT_CONFIGURATION.jwtConfiguration },
  loginConfiguration: {
    allowTokenRefresh: false,
    generateRefreshTokens: false,
    requireAuthentication: true,
  },
  oauthConfiguration: {
    clientSecret: '',
    enabledGrants: [],
    generateRefreshTokens: true,
    authorizedRedirectURLs: [],
    clientAuthenticationPolicy: 'Required',
  },
  registrationConfiguration: {
    enabled: false,
    type: 'basic',
    confirmPassword: false,
    loginIdType: 'email',
    ...Object.fromEntries(REQUIRABLE_FIELDS.map((field) => [field, NOT_REQUIRED])),
  } as ApplicationConfiguration['registrationConfiguration'],
  verifyRegistration: false,
  accessControlConfiguration: { uiIPAccessControlListId: null },
});

const GRANTS = [
  'authorization_code',
  'device_code',
  'implicit',
  'password',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:device_code',
];
const CLIENT_AUTHENTICATION_POLICIES = ['Required', 'NotRequired', 'NotRequiredWhenUsingPKCE'];
const NAME = { max: 191, singleLine: true } as const;

/** FusionAuth makes a client secret for every application; 256 bits, as for API keys. */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export interface RoleInput {
  name: string;
  description: string | null;
  isDefault: boolean;
  isSuperRole: boolean;
}

export interface ApplicationInput {
  name: string;
  configuration: ApplicationConfiguration;
  /** `application.roles`: read on create only; an update leaves roles alone. */
  roles: RoleInput[];
}

function readRole(role: Fields): RoleInput {
  return {
    name: role.requiredString('name', NAME) ?? '',
    description: role.string('description', { max: 2048 }),
    isDefault: role.boolean('isDefault') ?? false,
    isSuperRole: role.boolean('isSuperRole') ?? false,
  };
}

/** Reads `{"role": {...}}`. */
export function readRoleRequest(body: unknown): RoleInput {
  const { inner } = Fields.root(body, 'role');
  const role = readRole(inner);
  inner.typeCheck(SERVER_SET);
  inner.errors.throwIfAny();
  return role;
}

function readRoles(application: Fields): RoleInput[] {
  const raw = application.raw('roles');
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    application.errors.add('couldNotConvert', application.name('roles'));
    return [];
  }
  const path = application.name('roles');
  const errors = application.errors;
  if (!raw.every(isObject)) {
    errors.add('couldNotConvert', path);
    return [];
  }
  const roles = raw.map((item) => readRole(new Fields(item, path, errors)));
  const names = roles.map((role) => role.name);
  if (new Set(names).size !== names.length) errors.add('duplicate', `${path}.name`);
  return roles;
}

type Registration = ApplicationConfiguration['registrationConfiguration'];

function readRegistration(fields: Fields | null, base: Registration): Registration {
  if (fields === null) return base;
  const requirables = REQUIRABLE_FIELDS.map((field) => {
    const item = fields.object(field);
    const fallback = base[field];
    return [
      field,
      {
        enabled: item?.boolean('enabled') ?? fallback.enabled,
        required: item?.boolean('required') ?? fallback.required,
      },
    ];
  });
  return {
    enabled: fields.boolean('enabled') ?? base.enabled,
    type: fields.choice('type', ['basic', 'advanced']) ?? base.type,
    confirmPassword: fields.boolean('confirmPassword') ?? base.confirmPassword,
    loginIdType: fields.choice('loginIdType', ['email', 'username']) ?? base.loginIdType,
    ...Object.fromEntries(requirables),
  } as Registration;
}

/**
 * `verifyRegistration` needs a verification email template, and Portcullis keeps no
 * templates: asking for it fails as FusionAuth fails without a template.
 */
function readVerification(application: Fields): boolean {
  const verify = application.boolean('verifyRegistration') ?? false;
  const template = application.uuid('verificationEmailTemplateId');
  const field = application.name('verificationEmailTemplateId');
  if (template !== null)
    application.errors.add('invalid', field, `The [${field}] names no email template.`);
  else if (verify)
    application.errors.add(
      'blank',
      field,
      `You must specify the [${field}] property when [${application.name('verifyRegistration')}] is true.`,
    );
  return verify;
}

/**
 * Reads `{"application": {...}}`. Read-only fields (id, tenantId, state, instants,
 * `oauthConfiguration.clientId`) are ignored, so a retrieved application can be sent
 * back. `base` supplies what the request leaves out.
 */
export function readApplicationRequest(
  body: unknown,
  base: ApplicationConfiguration,
  { withRoles }: { withRoles: boolean },
  errors = new FieldErrors(),
): ApplicationInput {
  const { inner: application } = Fields.root(body, 'application', errors);
  const name = application.requiredString('name', NAME);
  application.typeCheck({ ...SERVER_SET, tenantId: 'uuid', active: 'boolean', state: 'string' });
  const jwt = application.object('jwtConfiguration');
  const login = application.object('loginConfiguration');
  const oauth = application.object('oauthConfiguration');
  const access = application.object('accessControlConfiguration');
  oauth?.typeCheck({ clientId: 'string' });
  const configuration: ApplicationConfiguration = {
    data: application.record('data') ?? base.data,
    jwtConfiguration: {
      ...readJwtSettings(jwt, base.jwtConfiguration),
      enabled: jwt?.boolean('enabled') ?? base.jwtConfiguration.enabled,
    },
    loginConfiguration: {
      allowTokenRefresh:
        login?.boolean('allowTokenRefresh') ?? base.loginConfiguration.allowTokenRefresh,
      generateRefreshTokens:
        login?.boolean('generateRefreshTokens') ?? base.loginConfiguration.generateRefreshTokens,
      requireAuthentication:
        login?.boolean('requireAuthentication') ?? base.loginConfiguration.requireAuthentication,
    },
    oauthConfiguration: {
      clientSecret:
        oauth?.string('clientSecret', { max: 191, singleLine: true }) ??
        base.oauthConfiguration.clientSecret,
      enabledGrants: oauth?.stringArray('enabledGrants') ?? base.oauthConfiguration.enabledGrants,
      generateRefreshTokens:
        oauth?.boolean('generateRefreshTokens') ?? base.oauthConfiguration.generateRefreshTokens,
      authorizedRedirectURLs:
        oauth?.stringArray('authorizedRedirectURLs', { max: 2048 }) ??
        base.oauthConfiguration.authorizedRedirectURLs,
      clientAuthenticationPolicy:
        oauth?.choice('clientAuthenticationPolicy', CLIENT_AUTHENTICATION_POLICIES) ??
        base.oauthConfiguration.clientAuthenticationPolicy,
    },
    registrationConfiguration: readRegistration(
      application.object('registrationConfiguration'),
      base.registrationConfiguration,
    ),
    verifyRegistration: readVerification(application),
    accessControlConfiguration: {
      uiIPAccessControlListId:
        access?.uuid('uiIPAccessControlListId') ??
        base.accessControlConfiguration.uiIPAccessControlListId,
    },
  };
  const unknownGrant = configuration.oauthConfiguration.enabledGrants.find(
    (grant) => !GRANTS.includes(grant),
  );
  if (unknownGrant !== undefined)
    errors.add(
      'invalid',
      'application.oauthConfiguration.enabledGrants',
      `The grant [${unknownGrant.slice(0, 64)}] is not one of ${GRANTS.join(', ')}.`,
    );
  const roles = withRoles ? readRoles(application) : [];
  errors.throwIfAny();
  return { name: name!, configuration, roles };
}

/** The stored configuration, with defaults for anything a row predates. */
export function configurationOf(entity: ApplicationEntity): ApplicationConfiguration {
  const stored = entity.configuration as Partial<ApplicationConfiguration>;
  return {
    ...DEFAULT_APPLICATION_CONFIGURATION,
    ...stored,
    oauthConfiguration: {
      ...DEFAULT_APPLICATION_CONFIGURATION.oauthConfiguration,
      ...stored.oauthConfiguration,
    },
  };
}

/** The one place a role becomes JSON. */
export function roleToJson(role: ApplicationRoleEntity): JsonObject {
  return omitNulls({
    id: role.id,
    name: role.name,
    description: role.description,
    isDefault: role.isDefault,
    isSuperRole: role.isSuperRole,
    insertInstant: role.insertInstant,
    lastUpdateInstant: role.lastUpdateInstant,
  });
}

/** The one place an application becomes JSON. */
export function applicationToJson(
  entity: ApplicationEntity,
  roles: ApplicationRoleEntity[],
): JsonObject {
  const configuration = configurationOf(entity);
  return {
    id: entity.id,
    tenantId: entity.tenantId,
    name: entity.name,
    active: entity.active,
    state: entity.active ? 'Active' : 'Inactive',
    data: configuration.data,
    roles: roles.map(roleToJson),
    ...omitNullsDeep({
      jwtConfiguration: configuration.jwtConfiguration,
      loginConfiguration: configuration.loginConfiguration,
      oauthConfiguration: { clientId: entity.id, ...configuration.oauthConfiguration },
      registrationConfiguration: configuration.registrationConfiguration,
      verifyRegistration: configuration.verifyRegistration,
      accessControlConfiguration: configuration.accessControlConfiguration,
    }),
    insertInstant: entity.insertInstant,
    lastUpdateInstant: entity.lastUpdateInstant,
  };
}
