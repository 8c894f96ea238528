import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
} from '@nestjs/common';
import { Caller, CurrentCaller } from '../auth/principal';
import { Authenticated } from '../auth/route-policy.decorator';
import { JsonObject } from '../common/fields';
import { patchModeOf } from '../common/merge-patch';
import { pathId } from '../common/query';
import { RegistrationService } from './registration.service';

const REGISTRATION = { endpoint: '/api/user/registration' } as const;

@Controller('api/user/registration')
export class RegistrationController {
  constructor(private readonly registrations: RegistrationService) {}

  /** Creates a user and its registration together. */
  @Post()
  @HttpCode(200)
  @Authenticated(REGISTRATION)
  registerNew(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.registrations.register(caller, null, body);
  }

  @Post(':userId')
  @HttpCode(200)
  @Authenticated(REGISTRATION)
  register(
    @CurrentCaller() caller: Caller,
    @Param('userId') userId: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.registrations.register(caller, pathId(userId, 'userId'), body);
  }

  @Get(':userId/:applicationId')
  @Authenticated(REGISTRATION)
  retrieve(
    @CurrentCaller() caller: Caller,
    @Param('userId') userId: string,
    @Param('applicationId') applicationId: string,
  ): Promise<JsonObject> {
    return this.registrations.retrieve(
      caller,
      pathId(userId, 'userId'),
      pathId(applicationId, 'applicationId'),
    );
  }

  @Put(':userId')
  @Authenticated(REGISTRATION)
  update(
    @CurrentCaller() caller: Caller,
    @Param('userId') userId: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.registrations.update(caller, pathId(userId, 'userId'), body);
  }

  @Patch(':userId')
  @Authenticated(REGISTRATION)
  patch(
    @CurrentCaller() caller: Caller,
    @Param('userId') userId: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<JsonObject> {
    return this.registrations.patch(
      caller,
      pathId(userId, 'userId'),
      body,
      patchModeOf(contentType),
    );
  }

  @Delete(':userId/:applicationId')
  @Authenticated(REGISTRATION)
  delete(
    @CurrentCaller() caller: Caller,
    @Param('userId') userId: string,
    @Param('applicationId') applicationId: string,
  ): Promise<void> {
    return this.registrations.delete(
      caller,
      pathId(userId, 'userId'),
      pathId(applicationId, 'applicationId'),
    );
  }
}
