import { Global, Module } from '@nestjs/common';
import { TenantController } from './tenant.controller';
import { TenantDirectory } from './tenant.directory';
import { TenantRepository } from './tenant.repository';
import { TenantService } from './tenant.service';

@Global()
@Module({
  controllers: [TenantController],
  providers: [TenantRepository, TenantDirectory, TenantService],
  exports: [TenantRepository, TenantDirectory, TenantService],
})
export class TenantModule {}
