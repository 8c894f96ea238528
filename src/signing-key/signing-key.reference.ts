import { FieldErrors } from '../common/api-error';
import { SigningKeyRepository } from './signing-key.repository';

export interface KeyReferences {
  accessTokenKeyId: string | null;
  idTokenKeyId: string | null;
}

/**
 * A `jwtConfiguration` must name keys that exist and can sign: FusionAuth answers
 * `[invalid]` rather than store a reference to nothing, and a key imported without its
 * private key only verifies. An HMAC key may sign id tokens too (FusionAuth's default
 * id-token key is one).
 */
export async function requireSigningKeyReferences(
  keys: SigningKeyRepository,
  jwt: KeyReferences,
  path: string,
): Promise<void> {
  const errors = new FieldErrors();
  for (const property of ['accessTokenKeyId', 'idTokenKeyId'] as const) {
    const id = jwt[property];
    if (id === null) continue;
    const field = `${path}.${property}`;
    const key = await keys.getById(id);
    if (key === null) errors.add('invalid', field, `The [${field}] names no key.`);
    else if (key.privateKey === null && key.secret === null)
      errors.add(
        'invalid',
        field,
        `The [${field}] names a key without its private key: it cannot sign.`,
      );
  }
  errors.throwIfAny();
}
