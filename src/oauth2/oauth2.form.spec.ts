import { parseForm } from '../common/form';
import { OAuthError } from '../common/oauth-error';
import { MAX_PARAMETER_LENGTH, TokenForm } from './oauth2.form';

const FORM = 'application/x-www-form-urlencoded';
const form = (text: string) => TokenForm.of(parseForm(text), `${FORM}; charset=UTF-8`);

function refusal(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    if (error instanceof OAuthError) return error.body;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the token form', () => {
  it('reads form fields, an empty value as absent', () => {
    const read = form('grant_type=password&username=a%2Bb%40x.co&scope=&password=p+q');
    expect(read.one('grant_type')).toBe('password');
    expect(read.one('username')).toBe('a+b@x.co');
    expect(read.one('password')).toBe('p q');
    expect(read.one('scope')).toBeNull();
    expect(read.one('client_id')).toBeNull();
  });

  it('keeps __proto__ and constructor as plain fields', () => {
    const read = form('__proto__=x&constructor=y');
    expect(read.one('__proto__')).toBe('x');
    expect(read.one('constructor')).toBe('y');
    expect(read.one('toString')).toBeNull();
  });

  it('refuses a repeated parameter, a too long one and a missing required one', () => {
    expect(refusal(() => form('a=1&a=2').one('a'))).toMatchObject({ error: 'invalid_request' });
    const long = `a=${'x'.repeat(MAX_PARAMETER_LENGTH + 1)}`;
    expect(refusal(() => form(long).one('a'))).toMatchObject({ error: 'invalid_request' });
    expect(refusal(() => form('').required('refresh_token', 'missing_refresh_token'))).toEqual({
      error: 'invalid_request',
      error_description: 'The request is missing the required parameter [refresh_token].',
      error_reason: 'missing_refresh_token',
    });
  });

  it('refuses anything that is not a form body', () => {
    for (const [body, type] of [
      [{ grant_type: 'password' }, 'application/json'],
      [parseForm('a=1'), 'application/json'],
      [undefined, undefined],
      [{ grant_type: ['password'] }, FORM],
    ] as const)
      expect(refusal(() => TokenForm.of(body, type))).toMatchObject({ error: 'invalid_request' });
  });

  it('reads scopes space-separated, without duplicates or empty ones', () => {
    expect(form('scope=openid%20%20offline_access%20openid').scopes()).toEqual([
      'openid',
      'offline_access',
    ]);
    expect(form('').scopes()).toEqual([]);
  });
});
