import { Global, Module } from '@nestjs/common';
import { ApiKeyEventRepository } from './api-key-event.repository';
import { AuditTrail } from './audit.trail';

/** The API keys' audit trail. Global: the authenticator records refused uses, the API Key API changes. */
@Global()
@Module({
  providers: [ApiKeyEventRepository, AuditTrail],
  exports: [ApiKeyEventRepository, AuditTrail],
})
export class AuditModule {}
