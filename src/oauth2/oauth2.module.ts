import { Module } from '@nestjs/common';
import { OAuth2Controller } from './oauth2.controller';
import { ClientCredentialsGrant } from './client-credentials.grant';
import { ClientAuthentication } from './oauth2.client';
import { TOKEN_GRANTS, TokenGrant } from './oauth2.grant';
import { TokenIntrospection } from './oauth2.introspect';
import { TokenEndpoint } from './oauth2.token';
import { PasswordGrant } from './password.grant';
import { RefreshTokenGrant } from './refresh-token.grant';

/** The grants the token endpoint serves: a new grant is one more class in this list. */
const GRANTS = [PasswordGrant, RefreshTokenGrant, ClientCredentialsGrant];

@Module({
  controllers: [OAuth2Controller],
  providers: [
    ...GRANTS,
    {
      provide: TOKEN_GRANTS,
      useFactory: (...grants: TokenGrant[]) => grants,
      inject: GRANTS,
    },
    ClientAuthentication,
    TokenEndpoint,
    TokenIntrospection,
  ],
})
export class OAuth2Module {}
