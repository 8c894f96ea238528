import { Global, Module } from '@nestjs/common';
import { AccessTokenIssuer } from './access-token.issuer';
import { JwtIssueService } from './jwt-issue.service';
import { JwtRefreshController } from './jwt-refresh.controller';
import { JwtRefreshService } from './jwt-refresh.service';
import { JwtVendService } from './jwt-vend.service';
import { JwtController } from './jwt.controller';
import { JwtRefresher } from './jwt.refresher';
import { JwtSigner } from './jwt.signer';
import { JwtStanding } from './jwt.standing';
import { JwtVerifier } from './jwt.verifier';
import { TokenSignatures } from './token.signatures';

/** Global: the authenticator verifies user JWTs; login and the token endpoint issue them. */
@Global()
@Module({
  controllers: [JwtController, JwtRefreshController],
  providers: [
    JwtSigner,
    JwtStanding,
    JwtVerifier,
    TokenSignatures,
    AccessTokenIssuer,
    JwtRefresher,
    JwtRefreshService,
    JwtIssueService,
    JwtVendService,
  ],
  exports: [JwtSigner, JwtVerifier, JwtStanding, TokenSignatures, AccessTokenIssuer, JwtRefresher],
})
export class JwtModule {}
