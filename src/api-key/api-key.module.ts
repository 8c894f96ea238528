import { Module } from '@nestjs/common';
import { ApiKeyAudit } from './api-key.audit';
import { ApiKeyController } from './api-key.controller';
import { ApiKeyService } from './api-key.service';

@Module({
  controllers: [ApiKeyController],
  providers: [ApiKeyService, ApiKeyAudit],
  exports: [ApiKeyService],
})
export class ApiKeyModule {}
