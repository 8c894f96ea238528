import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { Readiness } from './readiness';
import { StatusController } from './status.controller';
import { StatusService } from './status.service';

@Module({
  controllers: [HealthController, StatusController],
  providers: [StatusService, Readiness],
  exports: [StatusService, Readiness],
})
export class StatusModule {}
