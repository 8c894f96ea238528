import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { StatusController } from './status.controller';
import { StatusService } from './status.service';

@Module({
  controllers: [HealthController, StatusController],
  providers: [StatusService],
  exports: [StatusService],
})
export class StatusModule {}
