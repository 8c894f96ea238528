import { FieldErrors } from '../common/api-error';
import { Fields, JsonObject } from '../common/fields';

/** A tenant's `passwordValidationRules`, as FusionAuth names them. */
export interface PasswordValidationRules {
  minLength: number;
  maxLength: number;
  requireMixedCase: boolean;
  requireNonAlpha: boolean;
  requireNumber: boolean;
  rememberPreviousPasswords: { enabled: boolean; count: number };
  /** Stored and shown; Portcullis has no login API for it to act on. */
  validateOnLogin: boolean;
}

/** FusionAuth's ceiling for `maxLength`; also the longest password any tenant accepts. */
export const MAX_PASSWORD_LENGTH = 256;
/**
 * Each remembered password costs one argon2 verification on every change, so the count
 * is bounded (FusionAuth sets no documented bound).
 */
export const MAX_REMEMBERED_PASSWORDS = 10;

/** FusionAuth's defaults: 8 to 256 characters, nothing else required. */
export const DEFAULT_PASSWORD_RULES: PasswordValidationRules = Object.freeze({
  minLength: 8,
  maxLength: MAX_PASSWORD_LENGTH,
  requireMixedCase: false,
  requireNonAlpha: false,
  requireNumber: false,
  rememberPreviousPasswords: Object.freeze({ enabled: false, count: 1 }),
  validateOnLogin: false,
});

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{Nd}/u;
/** Neither a letter nor a digit: FusionAuth's "non-alphanumeric". */
const NON_ALPHANUMERIC = /[^\p{L}\p{N}]/u;

/**
 * A `passwordValidationRules` object of a tenant request; `base` supplies what it leaves
 * out. Breach detection needs FusionAuth's Reactor, which Portcullis does not have, so
 * turning it on is refused rather than silently ignored.
 */
export function readPasswordRules(
  rules: Fields | null,
  base: PasswordValidationRules,
): PasswordValidationRules {
  if (rules === null) return base;
  const remember = rules.object('rememberPreviousPasswords');
  const breach = rules.object('breachDetection');
  if (breach?.boolean('enabled') === true) {
    breach.errors.add(
      'invalid',
      breach.name('enabled'),
      'Breach detection is not available: Portcullis has no breached-password data.',
    );
  }
  const read: PasswordValidationRules = {
    minLength: rules.integer('minLength', { min: 1, max: MAX_PASSWORD_LENGTH }) ?? base.minLength,
    maxLength: rules.integer('maxLength', { min: 1, max: MAX_PASSWORD_LENGTH }) ?? base.maxLength,
    requireMixedCase: rules.boolean('requireMixedCase') ?? base.requireMixedCase,
    requireNonAlpha: rules.boolean('requireNonAlpha') ?? base.requireNonAlpha,
    requireNumber: rules.boolean('requireNumber') ?? base.requireNumber,
    rememberPreviousPasswords: {
      enabled: remember?.boolean('enabled') ?? base.rememberPreviousPasswords.enabled,
      count:
        remember?.integer('count', { min: 1, max: MAX_REMEMBERED_PASSWORDS }) ??
        base.rememberPreviousPasswords.count,
    },
    validateOnLogin: rules.boolean('validateOnLogin') ?? base.validateOnLogin,
  };
  if (read.minLength > read.maxLength && !rules.errors.has(rules.name('minLength'))) {
    rules.errors.add(
      'invalid',
      rules.name('minLength'),
      `The [${rules.name('minLength')}] may not exceed the [${rules.name('maxLength')}] of ${read.maxLength}.`,
    );
  }
  return read;
}

/**
 * Checks a new password against the rules, recording FusionAuth's codes under `field`
 * (`user.password` on the User API, `password` on the Change Password API). A password
 * over the maximum is refused on its length alone, before anything scans it.
 */
export function checkPassword(
  password: string,
  rules: PasswordValidationRules,
  field: string,
  errors: FieldErrors,
): void {
  if (password.length > rules.maxLength) {
    errors.add(
      'tooLong',
      field,
      `The [${field}] property is longer than the maximum of [${rules.maxLength}] characters.`,
    );
    return;
  }
  if (password.length < rules.minLength) {
    errors.add(
      'tooShort',
      field,
      `The [${field}] property is shorter than the minimum of [${rules.minLength}] characters.`,
    );
  }
  if (rules.requireMixedCase && !(UPPER.test(password) && LOWER.test(password))) {
    errors.add(
      'singleCase',
      field,
      `The [${field}] property must contain both an upper case and a lower case letter.`,
    );
  }
  if (rules.requireNonAlpha && !NON_ALPHANUMERIC.test(password)) {
    errors.add(
      'onlyAlpha',
      field,
      `The [${field}] property must contain a character that is neither a letter nor a digit.`,
    );
  }
  if (rules.requireNumber && !DIGIT.test(password))
    errors.add('requireNumber', field, `The [${field}] property must contain a number.`);
}

/** The rules as FusionAuth shows them; breach detection is always off here. */
export function passwordRulesToJson(rules: PasswordValidationRules): JsonObject {
  return {
    breachDetection: { enabled: false },
    maxLength: rules.maxLength,
    minLength: rules.minLength,
    rememberPreviousPasswords: { ...rules.rememberPreviousPasswords },
    requireMixedCase: rules.requireMixedCase,
    requireNonAlpha: rules.requireNonAlpha,
    requireNumber: rules.requireNumber,
    validateOnLogin: rules.validateOnLogin,
  };
}
