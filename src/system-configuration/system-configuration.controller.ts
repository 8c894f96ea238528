import { Body, Controller, Get, Headers, Patch, Put } from '@nestjs/common';
import { Authenticated } from '../auth/route-policy.decorator';
import { JsonObject } from '../common/fields';
import { patchModeOf } from '../common/merge-patch';
import { SystemConfigurationService } from './system-configuration.service';

const ENDPOINT = { endpoint: '/api/system-configuration' } as const;

@Controller('api/system-configuration')
export class SystemConfigurationController {
  constructor(private readonly system: SystemConfigurationService) {}

  @Get()
  @Authenticated(ENDPOINT)
  retrieve(): Promise<JsonObject> {
    return this.system.retrieve();
  }

  @Put()
  @Authenticated(ENDPOINT)
  update(@Body() body: unknown): Promise<JsonObject> {
    return this.system.replace(body);
  }

  @Patch()
  @Authenticated(ENDPOINT)
  patch(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<JsonObject> {
    return this.system.patch(body, patchModeOf(contentType));
  }
}
