import { Global, Module } from '@nestjs/common';
import { SigningKeyController } from './signing-key.controller';
import { SigningKeyRepository } from './signing-key.repository';
import { SigningKeyService } from './signing-key.service';
import { SigningKeyStore } from './signing-key.store';

/** Global: tenants and applications check the keys they name, and tenants get one made. */
@Global()
@Module({
  controllers: [SigningKeyController],
  providers: [SigningKeyRepository, SigningKeyService, SigningKeyStore],
  exports: [SigningKeyRepository, SigningKeyService, SigningKeyStore],
})
export class SigningKeyModule {}
