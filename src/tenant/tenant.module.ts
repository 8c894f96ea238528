import { Global, Module } from '@nestjs/common';
import { TenantCache } from './tenant.cache';
import { TenantController } from './tenant.controller';
import { TenantDirectory } from './tenant.directory';
import { TenantRepository } from './tenant.repository';
import { TenantService } from './tenant.service';

@Global()
@Module({
  controllers: [TenantController],
  providers: [TenantRepository, TenantDirectory, TenantCache, TenantService],
  exports: [TenantRepository, TenantDirectory, TenantCache, TenantService],
})
export class TenantModule {}
