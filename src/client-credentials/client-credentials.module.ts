import { Global, Module } from '@nestjs/common';
import { ScimServerTarget } from '../scim/scim-server.target';
import { ClientDirectory } from './client.directory';
import { ClientStanding } from './client.standing';
import { CLIENT_TARGET_RULES, ClientTargetRule } from './client-target';
import { ClientTokenVerifier } from './client-token.verifier';

/** The kinds of target a route may name; a new kind is one more rule in this list. */
const TARGET_RULES = [ScimServerTarget];

/**
 * Client-credentials tokens as a credential. Global: the authenticator verifies them on
 * every route that takes them, the token endpoint introspects them.
 */
@Global()
@Module({
  providers: [
    ...TARGET_RULES,
    {
      provide: CLIENT_TARGET_RULES,
      useFactory: (...rules: ClientTargetRule[]) => rules,
      inject: TARGET_RULES,
    },
    ClientDirectory,
    ClientStanding,
    ClientTokenVerifier,
  ],
  exports: [ClientTokenVerifier, ClientDirectory],
})
export class ClientCredentialsModule {}
