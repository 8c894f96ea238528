import { Module } from '@nestjs/common';
import { CorsHook } from './cors.hook';
import { SystemConfigurationController } from './system-configuration.controller';
import { SystemConfigurationService } from './system-configuration.service';

@Module({
  controllers: [SystemConfigurationController],
  providers: [SystemConfigurationService, CorsHook],
  exports: [CorsHook],
})
export class SystemConfigurationModule {}
