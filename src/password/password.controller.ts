import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Caller, CurrentCaller } from '../auth/principal';
import { Authenticated, Public } from '../auth/route-policy.decorator';
import { JsonObject } from '../common/fields';
import { pathId } from '../common/query';
import { PasswordService } from './password.service';

const FORGOT = { endpoint: '/api/user/forgot-password' } as const;
const CHANGE = { endpoint: '/api/user/change-password' } as const;

/** FusionAuth's password endpoints of the User and Tenant APIs. */
@Controller('api')
export class PasswordController {
  constructor(private readonly passwords: PasswordService) {}

  /** Public in FusionAuth: a sign-up form shows the rules before anyone has a key. */
  @Get('tenant/password-validation-rules/:tenantId')
  @Public()
  validationRules(@Param('tenantId') id: string): Promise<JsonObject> {
    return this.passwords.validationRules(pathId(id, 'tenantId'));
  }

  @Post('user/forgot-password')
  @HttpCode(200)
  @Authenticated(FORGOT)
  forgotPassword(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.passwords.forgotPassword(caller, body);
  }

  /** With an API key: by login id or change password id. With a user JWT: that user's own. */
  @Post('user/change-password')
  @HttpCode(200)
  @Authenticated({ ...CHANGE, jwt: true })
  changeByIdentity(
    @CurrentCaller() caller: Caller,
    @Body() body: unknown,
  ): Promise<JsonObject | void> {
    return this.passwords.changeByIdentity(caller, body);
  }

  /** No credential: the change password id is the secret. */
  @Post('user/change-password/:changePasswordId')
  @HttpCode(200)
  @Public()
  changeById(@Param('changePasswordId') id: string, @Body() body: unknown): Promise<JsonObject> {
    return this.passwords.changeById(id, body);
  }
}
