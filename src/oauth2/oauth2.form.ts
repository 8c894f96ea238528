import { FormBody, isForm } from '../common/form';
import { OAuthError } from '../common/oauth-error';

/** The longest value any token-endpoint parameter may have; longer is a malformed request. */
export const MAX_PARAMETER_LENGTH = 4096;

/**
 * The token endpoint's form, read one parameter at a time: a parameter sent twice is
 * refused (RFC 6749 §3.2), as is one longer than any real value; an empty value reads as
 * absent (FusionAuth's client drops such fields anyway).
 */
export class TokenForm {
  private constructor(private readonly fields: FormBody) {}

  /** A form body, or the `invalid_request` a JSON (or any other) body is. */
  static of(body: unknown, contentType: string | undefined): TokenForm {
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded' || !isForm(body))
      throw new OAuthError(
        'invalid_request',
        'unknown',
        'The request must be sent as application/x-www-form-urlencoded.',
      );
    return new TokenForm(body);
  }

  one(name: string): string | null {
    const values = this.fields[name];
    if (values === undefined) return null;
    if (values.length > 1)
      throw new OAuthError('invalid_request', 'unknown', `The parameter [${name}] was repeated.`);
    const value = values[0];
    if (value.length > MAX_PARAMETER_LENGTH)
      throw new OAuthError('invalid_request', 'unknown', `The parameter [${name}] is too long.`);
    return value === '' ? null : value;
  }

  required(name: string, reason: 'missing_refresh_token' | 'unknown' = 'unknown'): string {
    const value = this.one(name);
    if (value === null)
      throw new OAuthError(
        'invalid_request',
        reason,
        `The request is missing the required parameter [${name}].`,
      );
    return value;
  }

  /** `scope`: space-separated, duplicates dropped, order kept. */
  scopes(): string[] {
    const scope = this.one('scope');
    return scope === null ? [] : [...new Set(scope.split(' ').filter((item) => item !== ''))];
  }
}
