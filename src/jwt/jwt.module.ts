import { Global, Module } from '@nestjs/common';
import { AccessTokenIssuer } from './access-token.issuer';
import { JwtController } from './jwt.controller';
import { JwtSigner } from './jwt.signer';
import { JwtStanding } from './jwt.standing';
import { JwtVerifier } from './jwt.verifier';

/** Global: the authenticator verifies user JWTs; login and the token endpoint issue them. */
@Global()
@Module({
  controllers: [JwtController],
  providers: [JwtSigner, JwtStanding, JwtVerifier, AccessTokenIssuer],
  exports: [JwtSigner, JwtVerifier, AccessTokenIssuer],
})
export class JwtModule {}
