import { Controller, Get } from '@nestjs/common';
import { Caller, callerUser, CurrentCaller } from '../auth/principal';
import { UserJwt } from '../auth/route-policy.decorator';
import { JsonObject } from '../common/fields';

/** FusionAuth's JWT API. */
@Controller('api/jwt')
export class JwtController {
  /** The token is the credential: a 401 when it does not verify or no longer stands. */
  @Get('validate')
  @UserJwt()
  validate(@CurrentCaller() caller: Caller): JsonObject {
    return { jwt: callerUser(caller).claims };
  }
}
