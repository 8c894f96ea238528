import { MAX_JSON_DEPTH } from './json-depth';

/**
 * The closed list of error codes Portcullis answers with. Field codes read
 * `[<reason>]<field path>`; general codes read `[<Name>]` (FusionAuth's convention).
 */
export const FIELD_REASONS = {
  blank: (field: string) => `You must specify the [${field}] property.`,
  missing: (field: string) => `The [${field}] was not specified.`,
  couldNotConvert: (field: string) =>
    `Invalid [${field}]. The value could not be converted to the expected type.`,
  duplicate: (field: string) => `The value of [${field}] is already in use.`,
  invalid: (field: string) => `The value of [${field}] is invalid.`,
  tooLong: (field: string) => `The value of [${field}] is too long.`,
  notAllowed: (field: string) => `The [${field}] property may not be set.`,
  notEmail: (field: string) => `The [${field}] property is not a valid email address.`,
  tooShort: (field: string) => `The value of [${field}] is too short.`,
  singleCase: (field: string) => `The [${field}] must mix upper and lower case letters.`,
  onlyAlpha: (field: string) => `The [${field}] must contain a character that is not alphanumeric.`,
  requireNumber: (field: string) => `The [${field}] must contain a number.`,
  previouslyUsed: (field: string) => `The [${field}] was used recently.`,
} as const;

export type FieldReason = keyof typeof FIELD_REASONS;

export const GENERAL_ERRORS = {
  TenantIdRequired: {
    status: 400,
    message:
      'A Tenant Id is required to complete this request. To complete this request, you may assign a Tenant to your API key, or add the X-FusionAuth-TenantId HTTP request header with the Tenant Id.',
  },
  KeyEncryptionSecretRequired: {
    status: 400,
    message:
      'Retrievable API keys are stored encrypted, and KEY_ENCRYPTION_SECRET is not set. Set it, or create the key with retrievable false.',
  },
  couldNotParseJSON: { status: 400, message: 'The request body could not be parsed as JSON.' },
  invalidContentType: {
    status: 400,
    message: 'The request body must be sent as application/json.',
  },
  requestTooLarge: { status: 400, message: 'The request is larger than this server accepts.' },
  requestTooDeep: {
    status: 400,
    message: `The request body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep.`,
  },
  badRequest: { status: 400, message: 'The request could not be understood.' },
  invalid: {
    status: 400,
    message:
      'The request must name a changePasswordId, or a loginId when it is made with an API key.',
  },
  requestTimeout: { status: 408, message: 'The request was not received in time.' },
  DefaultTenantDelete: { status: 400, message: 'The Default tenant cannot be deleted.' },
  ipAccessControlListInUse: {
    status: 400,
    message:
      'The IP access control list is in use by one or more API keys, tenants or applications. Remove it from them before deleting it.',
  },
  entityTypeInUse: {
    status: 400,
    message:
      'The entity type is the type of one or more entities. Delete those entities before deleting it.',
  },
  invalidReference: {
    status: 400,
    message:
      'The request refers to an object that does not exist; it may have been deleted meanwhile.',
  },
  Exception: { status: 500, message: 'Portcullis encountered an unexpected error.' },
  ServiceUnavailable: {
    status: 503,
    message: 'A service Portcullis depends on is unavailable. Try again shortly.',
  },
} as const;

export type GeneralCode = keyof typeof GENERAL_ERRORS;
