import { FieldErrors } from '../common/api-error';
import { Fields } from '../common/fields';
import {
  checkPassword,
  DEFAULT_PASSWORD_RULES,
  PasswordValidationRules,
  readPasswordRules,
} from './password.rules';

const STRICT: PasswordValidationRules = {
  ...DEFAULT_PASSWORD_RULES,
  minLength: 10,
  maxLength: 20,
  requireMixedCase: true,
  requireNonAlpha: true,
  requireNumber: true,
};

function codes(password: string, rules = STRICT, field = 'password'): string[] {
  const errors = new FieldErrors();
  checkPassword(password, rules, field, errors);
  const body = errors.has() ? errors.toError().body.fieldErrors![field] : [];
  return body.map((error) => error.code);
}

function read(source: Record<string, unknown> | null, base = DEFAULT_PASSWORD_RULES) {
  const errors = new FieldErrors();
  const fields =
    source === null ? null : new Fields(source, 'tenant.passwordValidationRules', errors);
  const rules = readPasswordRules(fields, base);
  const found = errors.has() ? errors.toError().body.fieldErrors! : {};
  return {
    rules,
    codes: Object.fromEntries(
      Object.entries(found).map(([field, list]) => [field, list.map((error) => error.code)]),
    ),
  };
}

describe('checkPassword', () => {
  it('accepts a password that meets every rule', () => {
    expect(codes('Abcdefgh1!')).toEqual([]);
  });

  it('holds the defaults to 8..256 characters and nothing else', () => {
    expect(codes('abcdefgh', DEFAULT_PASSWORD_RULES)).toEqual([]);
    expect(codes('abcdefg', DEFAULT_PASSWORD_RULES)).toEqual(['[tooShort]password']);
    expect(codes('a'.repeat(256), DEFAULT_PASSWORD_RULES)).toEqual([]);
    expect(codes('a'.repeat(257), DEFAULT_PASSWORD_RULES)).toEqual(['[tooLong]password']);
  });

  it('reports every rule a password breaks, in FusionAuth codes under the given field', () => {
    expect(codes('abc', STRICT, 'user.password')).toEqual([
      '[tooShort]user.password',
      '[singleCase]user.password',
      '[onlyAlpha]user.password',
      '[requireNumber]user.password',
    ]);
  });

  it('refuses an over-long password on its length alone', () => {
    expect(codes('a'.repeat(1_000_000))).toEqual(['[tooLong]password']);
  });

  it.each([
    ['no upper case letter', 'abcdefgh1!', '[singleCase]password'],
    ['no lower case letter', 'ABCDEFGH1!', '[singleCase]password'],
    ['letters and digits only', 'Abcdefgh12', '[onlyAlpha]password'],
    ['no digit', 'Abcdefgh!!', '[requireNumber]password'],
  ])('names the one rule broken by %s', (_, password, code) => {
    expect(codes(password)).toEqual([code]);
  });

  it('reads letters, digits and case beyond ASCII', () => {
    expect(codes('Ärger ölig 7')).toEqual([]);
    expect(codes('ÄRGER ÖLIG 7')).toEqual(['[singleCase]password']);
    expect(codes('Ärgerölig٣٣')).toEqual(['[onlyAlpha]password']);
    expect(codes('Ärger ölig ٣')).toEqual([]);
  });

  it('counts length in UTF-16 units, as FusionAuth (Java) does', () => {
    const rules = { ...DEFAULT_PASSWORD_RULES, minLength: 4 };
    expect(codes('😀😀', rules)).toEqual([]);
    expect(codes('😀', rules)).toEqual(['[tooShort]password']);
  });
});

describe('readPasswordRules', () => {
  it('keeps the base when the request holds no rules', () => {
    expect(read(null).rules).toEqual(DEFAULT_PASSWORD_RULES);
  });

  it('reads every rule, and takes the rest from the base', () => {
    const { rules, codes: found } = read({
      minLength: 12,
      requireMixedCase: true,
      rememberPreviousPasswords: { enabled: true, count: 3 },
      validateOnLogin: 'true',
    });
    expect(found).toEqual({});
    expect(rules).toEqual({
      ...DEFAULT_PASSWORD_RULES,
      minLength: 12,
      requireMixedCase: true,
      rememberPreviousPasswords: { enabled: true, count: 3 },
      validateOnLogin: true,
    });
  });

  it('ignores the breach detection settings it cannot act on, unless they turn it on', () => {
    expect(read({ breachDetection: { enabled: false, matchMode: 'High' } }).codes).toEqual({});
    expect(read({ breachDetection: { enabled: true } }).codes).toEqual({
      'tenant.passwordValidationRules.breachDetection.enabled': [
        '[invalid]tenant.passwordValidationRules.breachDetection.enabled',
      ],
    });
  });

  it.each<[string, Record<string, unknown>, Record<string, string[]>]>([
    ['a zero minimum', { minLength: 0 }, { minLength: ['[invalid]'] }],
    ['a maximum over 256', { maxLength: 257 }, { maxLength: ['[invalid]'] }],
    ['a minimum over the maximum', { minLength: 30, maxLength: 20 }, { minLength: ['[invalid]'] }],
    ['an absurd minimum', { minLength: 1e15 }, { minLength: ['[couldNotConvert]'] }],
    ['a text flag', { requireNumber: 'yes' }, { requireNumber: ['[couldNotConvert]'] }],
    [
      'no remembered password',
      { rememberPreviousPasswords: { enabled: true, count: 0 } },
      { 'rememberPreviousPasswords.count': ['[invalid]'] },
    ],
    [
      'more remembered passwords than Portcullis checks',
      { rememberPreviousPasswords: { count: 11 } },
      { 'rememberPreviousPasswords.count': ['[invalid]'] },
    ],
  ])('refuses %s', (_, source, expected) => {
    const prefix = 'tenant.passwordValidationRules.';
    expect(read(source).codes).toEqual(
      Object.fromEntries(
        Object.entries(expected).map(([field, list]) => [
          `${prefix}${field}`,
          list.map((code) => `${code}${prefix}${field}`),
        ]),
      ),
    );
  });
});
