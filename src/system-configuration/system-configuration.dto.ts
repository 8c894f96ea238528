import { Fields, JsonObject, SERVER_SET } from '../common/fields';

/** FusionAuth's `corsConfiguration`; off by default, as in FusionAuth. */
export interface CorsSettings {
  enabled: boolean;
  allowCredentials: boolean;
  allowedHeaders: string[];
  allowedMethods: string[];
  allowedOrigins: string[];
  exposedHeaders: string[];
  preflightMaxAgeInSeconds: number;
  debug: boolean;
}

export interface SystemSettings {
  corsConfiguration: CorsSettings;
  reportTimezone: string;
  data: JsonObject;
}

export const DEFAULT_SYSTEM_SETTINGS: SystemSettings = Object.freeze({
  corsConfiguration: Object.freeze({
    enabled: false,
    allowCredentials: false,
    allowedHeaders: [],
    allowedMethods: [],
    allowedOrigins: [],
    exposedHeaders: [],
    preflightMaxAgeInSeconds: 1800,
    debug: false,
  }),
  reportTimezone: 'America/Denver',
  data: {},
});

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT'];
/** A header name as RFC 9110 allows it. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;

/** `*`, or a scheme, host and optional port: what a browser sends as `Origin`. */
function isOrigin(value: string): boolean {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return ['http:', 'https:'].includes(url.protocol) && url.origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
}

function listOf(
  fields: Fields,
  property: string,
  valid: (value: string) => boolean,
  normalize: (value: string) => string = (value) => value,
): string[] {
  const values = fields.stringArray(property, { max: 512 }) ?? [];
  values.forEach((value, index) => {
    if (!valid(value))
      fields.errors.add(
        'invalid',
        `${fields.name(property)}[${index}]`,
        `The [${value.slice(0, 64)}] is not allowed here.`,
      );
  });
  return values.map(normalize);
}

function readCors(cors: Fields | null): CorsSettings {
  const base = DEFAULT_SYSTEM_SETTINGS.corsConfiguration;
  if (cors === null) return { ...base };
  return {
    enabled: cors.boolean('enabled') ?? base.enabled,
    allowCredentials: cors.boolean('allowCredentials') ?? base.allowCredentials,
    allowedHeaders: listOf(cors, 'allowedHeaders', (value) => TOKEN.test(value)),
    allowedMethods: listOf(
      cors,
      'allowedMethods',
      (value) => METHODS.includes(value.toUpperCase()),
      (value) => value.toUpperCase(),
    ),
    allowedOrigins: listOf(cors, 'allowedOrigins', isOrigin, (value) => value.replace(/\/$/, '')),
    exposedHeaders: listOf(cors, 'exposedHeaders', (value) => TOKEN.test(value)),
    preflightMaxAgeInSeconds:
      cors.integer('preflightMaxAgeInSeconds', { min: 0, max: 86_400 }) ??
      base.preflightMaxAgeInSeconds,
    debug: cors.boolean('debug') ?? base.debug,
  };
}

/** `{"systemConfiguration": {...}}` as a full replace; other FusionAuth settings are not kept. */
export function readSystemConfigurationRequest(body: unknown): SystemSettings {
  const { inner } = Fields.root(body, 'systemConfiguration');
  const settings: SystemSettings = {
    corsConfiguration: readCors(inner.object('corsConfiguration')),
    reportTimezone:
      inner.string('reportTimezone', { max: 64, singleLine: true }) ??
      DEFAULT_SYSTEM_SETTINGS.reportTimezone,
    data: inner.record('data') ?? {},
  };
  inner.typeCheck(SERVER_SET);
  inner.errors.throwIfAny();
  return settings;
}

export function systemConfigurationToJson(
  settings: SystemSettings,
  instants: { insertInstant: number; lastUpdateInstant: number } | null,
): JsonObject {
  return {
    corsConfiguration: { ...settings.corsConfiguration },
    data: settings.data,
    reportTimezone: settings.reportTimezone,
    ...(instants === null
      ? {}
      : { insertInstant: instants.insertInstant, lastUpdateInstant: instants.lastUpdateInstant }),
  };
}
