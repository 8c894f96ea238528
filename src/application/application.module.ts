import { Global, Module } from '@nestjs/common';
import { ApplicationRoleController } from './application-role.controller';
import { ApplicationRoleService } from './application-role.service';
import { ApplicationController } from './application.controller';
import { ApplicationRepository } from './application.repository';
import { ApplicationService } from './application.service';

@Global()
@Module({
  controllers: [ApplicationController, ApplicationRoleController],
  providers: [ApplicationRepository, ApplicationService, ApplicationRoleService],
  exports: [ApplicationRepository, ApplicationService],
})
export class ApplicationModule {}
