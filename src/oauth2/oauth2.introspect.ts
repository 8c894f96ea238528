import { Injectable } from '@nestjs/common';
import { JWTPayload } from 'jose';
import { ClientTokenVerifier } from '../client-credentials/client-token.verifier';
import { parseUuid } from '../common/uuid';
import { TokenForm } from './oauth2.form';

/** RFC 7662's answer: `active`, and when active the token's claims. */
export type IntrospectionResponse = { active: false } | ({ active: true } & JWTPayload);

const INACTIVE: IntrospectionResponse = Object.freeze({ active: false });

/**
 * `POST /oauth2/introspect` for client-credentials tokens (FusionAuth's
 * `introspectClientCredentialsAccessToken`): active while the signature verifies with a
 * key that still exists, the token has not expired, and its tenant and entity still
 * stand. Anything else, a user's token included, is only `{"active": false}`: the answer
 * never says why. A `tenantId` naming another tenant than the token's is inactive too.
 */
@Injectable()
export class TokenIntrospection {
  constructor(private readonly clientTokens: ClientTokenVerifier) {}

  async introspect(body: unknown, contentType: string | undefined): Promise<IntrospectionResponse> {
    const form = TokenForm.of(body, contentType);
    const token = form.required('token');
    const tenantId = form.one('tenantId');
    const claims = await this.clientTokens.introspect(token);
    if (claims === null) return INACTIVE;
    if (tenantId !== null && parseUuid(tenantId) !== claims.tid) return INACTIVE;
    return { ...claims, active: true };
  }
}
