import { Global, Module } from '@nestjs/common';
import { RegistrationController } from './registration.controller';
import { RegistrationRepository } from './registration.repository';
import { RegistrationService } from './registration.service';

@Global()
@Module({
  controllers: [RegistrationController],
  providers: [RegistrationRepository, RegistrationService],
  exports: [RegistrationRepository, RegistrationService],
})
export class RegistrationModule {}
